"""JupyterLab that stays clean and reads well: working copies, the pre-save hook, real kernels
running every notebook, the Swedish error display, and section outputs (headings once, charts
as PNG outputs, empty sections absent)."""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
import warnings
from pathlib import Path

import nbformat
import pytest

from evaluation.core.model import Chart, Paragraph, Section
from evaluation.renderers import lab
from evaluation.tools import workspace

ROOT = Path(__file__).resolve().parent.parent
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


def project_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns("__*"))
    return tmp_path


def test_prepare_copies_missing_notebooks_and_keeps_existing_work(tmp_path):
    root = project_copy(tmp_path)
    made = workspace.prepare(root)
    assert sorted(p.name for p in made) == sorted(p.name for p in (root / "notebooks").glob("*.ipynb"))
    (root / "arbete" / "rapport.ipynb").write_text("min egen version", encoding="utf-8")
    assert workspace.prepare(root) == []
    assert (root / "arbete" / "rapport.ipynb").read_text(encoding="utf-8") == "min egen version"
    assert "/arbete/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def _api_reply(error) -> dict:
    """The JSON body jupyter_server's API handlers send for ``error`` (its own write_error)."""
    from jupyter_server.base.handlers import APIHandler

    class Handler:
        log = __import__("logging").getLogger("test")
        body = ""

        def set_header(self, *args):
            pass

        def finish(self, body):
            Handler.body = body

    APIHandler.write_error(Handler(), error.status_code, exc_info=(type(error), error, None))
    return json.loads(Handler.body)


def test_lab_saves_never_change_an_original(tmp_path):
    from jupyter_server.services.contents.filemanager import FileContentsManager
    from tornado.web import HTTPError

    root = project_copy(tmp_path)
    original = (root / "notebooks" / "rapport.ipynb").read_bytes()
    from traitlets.config.loader import PyFileConfigLoader

    # the configuration make lab passes to Jupyter, read as Jupyter reads it
    config = PyFileConfigLoader("jupyter_lab_config.py", path=str(ROOT / "evaluation" / "templates")).load_config()
    kept = config.ServerApp.contents_manager_class
    assert kept.__name__ == workspace.originals_kept().__name__
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Lab's console said "Overriding existing pre_save_hook" on every start
        assert workspace.keep_originals in kept(root_dir=str(root), config=config)._pre_save_hooks
    manager = workspace.originals_kept(FileContentsManager)(root_dir=str(root), config=config)  # saves at once
    model = manager.get("notebooks/rapport.ipynb")
    cell = next(c for c in model["content"]["cells"] if c["cell_type"] == "code" and "report.section" in c["source"])
    cell["outputs"] = [nbformat.v4.new_output("display_data", data={"text/html": "<p>utdata</p>"})]
    cell["execution_count"] = 7
    model["content"]["metadata"]["language_info"] = {"name": "python", "version": "3.11.2"}
    manager.save(model, "notebooks/rapport.ipynb")  # what autosave does after a run
    assert (root / "notebooks" / "rapport.ipynb").read_bytes() == original
    model = manager.get("notebooks/rapport.ipynb")
    cell = next(c for c in model["content"]["cells"] if c["cell_type"] == "code" and "report.section" in c["source"])
    cell["source"] = 'report.section("metod")'
    with pytest.raises(HTTPError) as info:
        manager.save(model, "notebooks/rapport.ipynb")
    assert info.value.status_code == 403
    # what Lab's "File Save Error" dialog shows: the server's JSON reply's "message" (a probe saw "Forbidden")
    reply = _api_reply(info.value)
    assert reply["message"] == workspace.refused("notebooks/rapport.ipynb", "rapport.ipynb")
    assert reply["message"].startswith("notebooks/rapport.ipynb är projektets original och ändras inte från JupyterLab")
    assert "Arbeta i arbete/rapport.ipynb" in reply["message"] and "File → Save Notebook As…" in reply["message"]
    assert (root / "notebooks" / "rapport.ipynb").read_bytes() == original
    workspace.prepare(root)
    manager.save(model, "arbete/rapport.ipynb")  # a working copy is saved as it is
    saved = json.loads((root / "arbete" / "rapport.ipynb").read_text(encoding="utf-8"))
    assert any("".join(c["source"]) == 'report.section("metod")' for c in saved["cells"])


def test_lab_neither_edits_as_text_creates_renames_nor_deletes_an_original(tmp_path):
    """A probe: 'Open With → Editor' and save, rename, delete and a new notebook in notebooks/ all
    went through; only a notebook's save was refused."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from tornado.web import HTTPError
    from traitlets.config.loader import PyFileConfigLoader

    def run(call):  # on a thread of its own: a test before may leave this thread's event loop running
        with ThreadPoolExecutor(1) as thread:
            return thread.submit(lambda: asyncio.run(call())).result()

    root = project_copy(tmp_path)
    original = (root / "notebooks" / "rapport.ipynb").read_bytes()
    names = sorted(p.name for p in (root / "notebooks").iterdir())
    config = PyFileConfigLoader("jupyter_lab_config.py", path=str(ROOT / "evaluation" / "templates")).load_config()
    manager = config.ServerApp.contents_manager_class(root_dir=str(root), config=config)
    as_text = {"type": "file", "format": "text", "content": original.decode("utf-8").replace("report", "rapport")}
    new = {"type": "notebook", "content": nbformat.v4.new_notebook()}
    for attempt in (lambda: manager.save(as_text, "notebooks/rapport.ipynb"),
                    lambda: manager.save(new, "notebooks/ny.ipynb"),
                    lambda: manager.rename("notebooks/rapport.ipynb", "notebooks/gammal.ipynb"),
                    lambda: manager.rename("notebooks/rapport.ipynb", "arbete/rapport.ipynb"),
                    lambda: manager.delete("notebooks/rapport.ipynb")):
        with pytest.raises(HTTPError) as info:
            run(attempt)
        assert info.value.status_code == 403 and "är projektets original och ändras inte" in info.value.log_message
    assert (root / "notebooks" / "rapport.ipynb").read_bytes() == original
    assert sorted(p.name for p in (root / "notebooks").iterdir()) == names
    workspace.prepare(root)
    run(lambda: manager.rename("arbete/rapport.ipynb", "arbete/min.ipynb"))  # working copies are the analyst's
    run(lambda: manager.delete("arbete/min.ipynb"))


def test_section_outputs_heading_once_charts_as_png():
    chart = Chart(id="c", title="Diagram", alt="Diagram: 1", make=lambda: (PNG, PNG), data=None)
    shown = lab.outputs(Section("resultat", "Resultat och mer", (Paragraph("Före."), chart, Paragraph("Efter."))))
    kinds = [sorted(data) for data, _ in shown]
    assert kinds == [["text/html"], ["image/png", "text/plain"], ["text/html"]]
    assert shown[0][0]["text/html"].startswith('<h2 id="Resultat-och-mer">Resultat och mer</h2>')
    assert sum(d.get("text/html", "").count("<h2") for d, _ in shown) == 1
    assert "data:image" not in "".join(d.get("text/html", "") for d, _ in shown)
    assert shown[1][0]["text/plain"] == "Diagram: 1" and shown[1][1]["evaluation"] == {"section": "resultat", "chart": "c"}
    assert shown[1][1]["image/png"] == {"width": 1}  # the screen PNG's own width
    assert lab.outputs(Section("tom", "Tom", ())) == []


def _run(path: Path, cwd: Path) -> nbformat.NotebookNode:
    import papermill

    papermill.execute_notebook(str(path), str(path), cwd=str(cwd), kernel_name="python3",
                               progress_bar=False, log_output=False)  # saved in place, like Lab
    return nbformat.read(path, as_version=4)


@pytest.mark.slow
def test_every_notebook_runs_in_a_working_copy_and_the_originals_stay_clean(tmp_path):
    root = project_copy(tmp_path)
    copies = workspace.prepare(root)
    assert len(copies) == 4
    for copy in copies:
        executed = _run(copy, root / "arbete")
        code = [c for c in executed.cells if c.cell_type == "code"]
        assert not any(o.get("output_type") == "error" for c in code for o in c.outputs), copy.name
        assert not [c for c in executed.cells if c.cell_type == "markdown" and c.source.startswith("## ")
                    and copy.name != "utforska.ipynb"], "a markdown heading beside the output's"
        html = "".join(o.get("data", {}).get("text/html", "") for c in code for o in c.outputs)
        pngs = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
        assert "data:image/png;base64" not in html, copy.name
        assert pngs or copy.name in ("processkartlaggning.ipynb", "slutrapport.ipynb"), copy.name  # their demos have no chart
        if copy.name == "rapport.ipynb":
            assert html.count('<h2 id="Resultat">') == 1 and '<a href="#Resultat">Resultat</a>' in html
            assert 'class="text" style="text-align: left"' in html
            assert copy.stat().st_size < 400_000  # 750 KB when charts were base64 inside HTML
        if copy.name == "utforska.ipynb":
            seaborn_cell = next(c for c in code if c.source.startswith("sns.barplot"))
            assert any("image/png" in o.get("data", {}) for o in seaborn_cell.outputs)
    status = subprocess.run(["git", "status", "--porcelain", "notebooks/"], cwd=ROOT, capture_output=True, text=True)
    assert status.returncode == 0 and status.stdout == ""


@pytest.mark.slow
def test_an_evaluation_error_in_a_kernel_shows_only_its_swedish_message(tmp_path):
    import nbclient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import evaluation"),
                nbformat.v4.new_code_cell('evaluation.open_report("params/finns-inte/2024.yaml")'),
                nbformat.v4.new_code_cell("1 / 0")]
    nbclient.NotebookClient(nb, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    [error] = nb.cells[1].outputs
    assert error.output_type == "error" and error.ename == "ParamsError"
    shown = "\n".join(error.traceback)
    assert "Traceback" not in shown and "File " not in shown and len(error.traceback) == 1
    assert "parameterfilen finns inte (sökte " in shown and str(tmp_path / "params/finns-inte/2024.yaml") in shown
    [bug] = nb.cells[2].outputs  # anything else keeps its traceback: it is a bug to be found
    assert bug.ename == "ZeroDivisionError" and len(bug.traceback) > 1
