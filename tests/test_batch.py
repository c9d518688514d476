"""Batch rendering: warm kernels change nothing, unchanged reports are skipped, runs do not collide."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from evaluation.core.errors import RenderError
from evaluation.run import batch, pool, render
from evaluation.run.kernel import WarmKernel

pytestmark = pytest.mark.slow

DEMO = Path(__file__).resolve().parents[1] / "evaluation" / "demo"
BIN = Path(sys.executable).parent
#: A small but varied sample of the demo: a structural insats, a register with surveys, and one with min_cell.
SAMPLE = ["kartan/2025-h1.yaml", "steget/2023-05-01--2024-04-30.yaml", "samordningsteamet/2023.yaml"]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the demo's inputs, so the tests may touch them."""
    root = tmp_path_factory.mktemp("demo")
    for part in ("data", "omvarld"):
        shutil.copytree(DEMO / part, root / part)
    for name in SAMPLE:
        (root / "params" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DEMO / "params" / name, root / "params" / name)
    return root


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix in (".csv", ".xlsx", ".html")}


@pytest.fixture(scope="module")
def pooled(project, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pooled")
    summary = batch.run(sorted((project / "params").glob("*/*.yaml")), out, ("html", "xlsx"), jobs=2)
    assert [o.status for o in summary.outcomes] == ["ok"] * 3, [o.message for o in summary.outcomes]
    return out


def test_warm_kernels_give_the_same_files_as_isolated_renders(project, pooled, tmp_path):
    for name in SAMPLE:
        done = render.render_report(project / "params" / name, tmp_path, ("html", "xlsx"))
        single, shared = files_of(done.folder), files_of(pooled / done.folder.relative_to(tmp_path))
        assert single.keys() == shared.keys() and len(single) > 3
        for file in single:
            assert single[file] == shared[file], f"{name}: {file} differs between a pooled and a single render"


def test_nothing_changed_is_skipped_and_a_touched_register_renders_its_insats_only(project, pooled):
    paths = sorted((project / "params").glob("*/*.yaml"))
    again = batch.run(paths, pooled, ("html", "xlsx"), jobs=2)
    assert {o.status for o in again.outcomes} == {"oforandrad"}
    register = project / "data" / "steget" / "deltagare.csv"
    os.utime(register, ns=(time.time_ns(), time.time_ns()))
    touched = batch.run(paths, pooled, ("html", "xlsx"), jobs=2)
    assert {o.path.parent.name: o.status for o in touched.outcomes} == {
        "kartan": "oforandrad", "steget": "ok", "samordningsteamet": "oforandrad"}
    assert batch.run(paths, pooled, ("html",), jobs=1).outcomes[0].status == "ok"  # other formats: new fingerprint


def test_two_parameter_files_for_one_folder_are_both_refused(project, tmp_path):
    params = tmp_path / "params"
    for folder in ("a", "b"):
        (params / folder).mkdir(parents=True)
        text = (project / "params" / "kartan" / "2025-h1.yaml").read_text(encoding="utf-8")
        text = text.replace("../../data/kartan", str(project / "data" / "kartan"))
        (params / folder / "2025-h1.yaml").write_text(text, encoding="utf-8")
    summary = batch.run(sorted(params.glob("*/*.yaml")), tmp_path / "out", ("html",), jobs=1)
    assert [o.status for o in summary.outcomes] == ["fel", "fel"]
    for outcome in summary.outcomes:
        assert str(params / "a" / "2025-h1.yaml") in outcome.message and str(params / "b" / "2025-h1.yaml") in outcome.message
    assert not (tmp_path / "out" / "kartan").exists()


@pytest.mark.parametrize("out", ["data/kartan", "data/kartan/rapporter", "data"])
def test_an_output_folder_among_the_inputs_is_refused_before_anything_is_written(project, out):
    """--out data (the reports then go to data/<insats>/<period>) or a data folder itself put the
    reports and the index among the inputs, named as unknown files by every later run."""
    before = sorted(p.relative_to(project).as_posix() for p in (project / "data").rglob("*"))
    result = subprocess.run([str(BIN / "evaluation"), "render", str(project / "params" / SAMPLE[0]), "--out",
                             str(project / out), "--formats", "html"], capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert (f"--out {project / out}: rapporten för 2025-h1.yaml skulle hamna i datamappen {project / 'data' / 'kartan'}"
            in result.stderr)
    assert "Traceback" not in result.stderr
    assert sorted(p.relative_to(project).as_posix() for p in (project / "data").rglob("*")) == before


def test_a_second_run_on_the_same_folder_is_told_it_is_busy(tmp_path):
    with batch.locked(tmp_path):
        with pytest.raises(batch.Busy, match="En annan körning skriver redan"):
            with batch.locked(tmp_path):
                pass


def test_leftovers_of_a_killed_run_are_removed(tmp_path):
    for name in (".bygger-2024-abc/rapport", ".gammal-2024-20250101"):
        (tmp_path / "insats" / name).mkdir(parents=True)
    (tmp_path / "insats" / "2024").mkdir()
    with batch.locked(tmp_path):
        pass
    assert [p.name for p in (tmp_path / "insats").iterdir()] == ["2024"]


def test_a_report_whose_kernel_died_is_retried_on_a_fresh_kernel(project, tmp_path):
    from evaluation.inputs.params import load_params

    pool._KERNEL = WarmKernel()
    try:
        os.kill(pool._KERNEL.km.provisioner.process.pid, signal.SIGKILL)  # as the OOM killer would
        pool._KERNEL.km.provisioner.process.wait()
        path = project / "params" / "kartan" / "2025-h1.yaml"
        outcome = pool.work(batch.Job(path, load_params(path), "x"), tmp_path, ("html",))
        assert outcome.status == "ok", outcome.message
        assert pool._KERNEL.alive
    finally:
        pool._KERNEL.shutdown()
        pool._KERNEL = None


def test_a_kernel_killed_while_it_runs_a_cell_stops_the_notebook_at_once():
    """nbclient waits for a cell's output without end; a kernel killed meanwhile (out of memory)
    left its worker waiting for ever, as it did a batch."""
    import threading

    import nbformat
    import papermill

    kernel = WarmKernel()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(120)")])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    raised = []

    def execute():
        try:
            papermill.execute_notebook(notebook, None, kernel_name="python3", progress_bar=False, km=kernel.km)
        except Exception as exc:  # noqa: BLE001 - looked at below
            raised.append(exc)

    running = threading.Thread(target=execute, daemon=True)
    try:
        running.start()
        time.sleep(3)  # the cell is running: it sleeps
        os.kill(kernel.km.provisioner.process.pid, signal.SIGKILL)
        running.join(timeout=30)
        assert not running.is_alive(), "still waiting for the killed kernel's output"
        assert raised and not kernel.alive
    finally:
        kernel.shutdown()


def test_a_report_kernel_sends_what_a_cell_prints_in_order_though_empty_flushes_are_skipped():
    """A report kernel's streams return at once from a flush with nothing written
    (:mod:`evaluation.run.flushes`); what a cell does print still arrives, in order."""
    import nbformat
    import papermill

    kernel = WarmKernel()
    code = ('import sys\nfrom ipykernel.iostream import OutStream\nprint("a")\ndisplay("b")\nprint("c")\n'
            'print("d", file=sys.stderr)\nOutStream.flush.skips_empty')
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code), nbformat.v4.new_code_cell("2 + 3")])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    try:
        executed = papermill.execute_notebook(notebook, None, kernel_name="python3", progress_bar=False, km=kernel.km)
    finally:
        kernel.shutdown()
    first, second = ([(o.get("name") or o["output_type"], o.get("text") or o["data"]["text/plain"]) for o in c.outputs]
                     for c in executed.cells)
    assert first == [("stdout", "a\n"), ("display_data", "'b'"), ("stdout", "c\n"), ("stderr", "d\n"),
                     ("execute_result", "True")]
    assert second == [("execute_result", "5")]


def test_a_report_run_validates_its_outputs_with_the_notebook_and_fails_on_an_invalid_one():
    """nbclient makes each output unvalidated while a report runs (``run_papermill``); the
    executed notebook is validated whole: a valid output passes, an invalid one (a text that is
    a number) fails the run, and outputs made after the run are validated on their own again."""
    import nbformat
    from nbformat.v4 import nbbase

    from evaluation.run.notebook import run_papermill

    def notebook(code):
        made = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        made.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
        return made

    kernel = WarmKernel()
    try:
        good = run_papermill(notebook('display({"text/plain": "7"}, raw=True)'), "a.ipynb", "b.ipynb", {}, "python3",
                             km=kernel.km, progress_bar=False)
        assert good.cells[-1].outputs[0]["data"] == {"text/plain": "7"}
        with pytest.raises(nbformat.ValidationError):
            run_papermill(notebook('display({"text/plain": 7}, raw=True)'), "a.ipynb", "b.ipynb", {}, "python3",
                          km=kernel.km, progress_bar=False)
    finally:
        kernel.shutdown()
    with pytest.raises(nbformat.ValidationError):
        nbbase.new_output("display_data", data={"text/plain": 7})


def test_a_stream_of_another_ipykernel_flushes_its_own_way():
    from evaluation.run.flushes import _nothing_written

    class Other:  # keeps its text otherwise than ipykernel's OutStream does
        echo = None

    assert _nothing_written(Other()) is False


def test_a_kernel_whose_port_was_taken_before_it_bound_it_is_started_again_on_new_ports():
    # another process took one of the kernel's ports between their choice and the kernel's bind
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        class Unlucky(WarmKernel):
            first = True

            def _start_process(self, **launch):
                if Unlucky.first:
                    Unlucky.first = False
                    self.km.shell_port = port
                super()._start_process(**launch)

        kernel = Unlucky()
        try:
            assert not Unlucky.first and kernel.alive and kernel.km.shell_port != port
            kernel.run("answer = 6 * 7")
        finally:
            kernel.shutdown()
    assert not kernel.alive


def _four_kartan(project, tmp_path) -> tuple[Path, Path]:
    """Parameters of four insatser of two reports each (runs of two), and an output folder."""
    out, params = tmp_path / "out", tmp_path / "params"
    shutil.copytree(project / "omvarld", tmp_path / "omvarld")
    for n in range(1, 5):
        (params / f"kartan-{n}").mkdir(parents=True)
        for path in (DEMO / "params" / "kartan").glob("*.yaml"):
            text = path.read_text(encoding="utf-8").replace("../../data", str(project / "data"))
            (params / f"kartan-{n}" / path.name).write_text(text.replace("insats: kartan", f"insats: kartan-{n}"),
                                                             encoding="utf-8")
    return out, params


def test_a_kernel_killed_midway_is_replaced_and_every_report_is_published(project, tmp_path):
    out, params = _four_kartan(project, tmp_path)
    run = _popen([str(BIN / "evaluation"), "render", "--all", "--params-dir", str(params), "--out", str(out),
                  "--formats", "html", "--jobs", "2"])
    assert _started_workers(run), "no worker was forked"
    kernels = [c for c in _forked(run) if _is_kernel(c)]
    assert len(kernels) == 2, "the batch's kernels are forked from its forkserver"
    time.sleep(0.5)  # its worker attached, or attaching (quick reports: the batch may end within 2 s)
    kernels[0].kill()
    _, err = run.communicate(timeout=180)
    assert run.returncode == 0 and "Traceback" not in err, err
    assert len(list(out.glob("*/*/rapport.html"))) == 8, err  # its report made again on a new kernel
    assert not list(Path(tempfile.gettempdir()).glob(f"kernel-evaluation-{run.pid}-*.json")), "files left behind"


def test_connection_files_of_killed_batches_are_removed_and_a_running_ones_kept(monkeypatch, tmp_path):
    from evaluation.run import forkedkernel

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"kernel-evaluation-{dead.stdout.strip()}-x.json"  # a process that has ended
    running = tmp_path / f"kernel-evaluation-{os.getpid()}-y.json"
    other = tmp_path / "kernel-1234.json"  # not ours
    for path in (stale, running, other):
        path.write_text("{}")
    forkedkernel.remove_stale()
    assert not stale.exists() and running.exists() and other.exists()


def test_nbclients_own_lines_in_english_do_not_reach_the_evaluator():
    said = subprocess.run([sys.executable, "-c", "import logging, evaluation.run.notebook; logging.getLogger("
                           "'papermill').error('Kernel died while waiting for execute reply.')"],  # as nbclient logs it
                          capture_output=True, text=True)
    assert said.returncode == 0 and said.stderr == "", said.stderr


def test_a_forkserver_that_stops_while_the_batch_starts_is_a_plain_error():
    failed = pool._Starting([], lambda *_: None, [])
    failed.done.wait()
    failed.failed.append(EOFError())
    with pytest.raises(RenderError, match="processer kunde inte startas.*Kör igen"):
        failed.wait()


def test_a_forked_kernel_whose_port_was_taken_ends_without_a_traceback(tmp_path):
    # another process took one of its ports between their choice and the kernel's bind
    from jupyter_client.connect import write_connection_file

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        connection, _ = write_connection_file(str(tmp_path / "kernel.json"), ip="127.0.0.1", key=b"k",
                                              shell_port=taken.getsockname()[1])
        ran = subprocess.run([sys.executable, "-c", "import sys; from evaluation.run.forkedkernel import _main; "
                              "_main(sys.argv[1], {})", connection], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 1 and "Traceback" not in ran.stderr, ran.stderr


def test_a_worker_killed_midway_fails_its_report_and_the_others_finish_its_run(project, tmp_path):
    out, params = _four_kartan(project, tmp_path)
    run = _popen([str(BIN / "evaluation"), "render", "--all", "--params-dir", str(params), "--out", str(out),
                  "--formats", "html", "--jobs", "2"])
    workers = _started_workers(run)
    assert workers, "no worker was forked"
    time.sleep(0.3)  # attached to its kernel, and handed its first report
    children = _tree(run.pid)
    # frozen first, so it is still making a report (or holds one handed to it) when it is
    # killed: quick reports could all be done by then (CI's did, with a second's wait)
    workers[0].suspend()
    time.sleep(0.5)
    still_running = run.poll() is None
    workers[0].kill()  # also when the check below fails: no frozen worker is left behind
    assert still_running, "the batch ended while one of its workers was frozen"
    _, err = run.communicate(timeout=180)
    assert run.returncode == 1 and "Traceback" not in err, err
    assert err.count("arbetsprocessen som skapade rapporten stannade oväntat") == 1, err
    done = sorted(p.parent.relative_to(out).as_posix() for p in out.glob("*/*/rapport.html"))
    assert len(done) == 7, (done, err)  # the other worker made the rest of the killed one's run too
    gone, alive = psutil.wait_procs(children, timeout=15)
    assert not alive, f"left running: {[p.cmdline() for p in alive]}"


def test_a_single_report_runs_in_this_process_and_leaves_no_kernel(project, tmp_path):
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    path = project / "params" / "kartan" / "2025-h1.yaml"
    summary = batch.run([path], tmp_path / "out", ("html", "pdf"), force=True)
    assert [o.status for o in summary.outcomes] == ["ok"], [o.message for o in summary.outcomes]
    assert (tmp_path / "out" / "kartan" / "2025-h1" / "rapport.pdf").is_file()
    assert pool._KERNEL is None
    left = [p for p in psutil.Process().children(recursive=True) if p.pid not in before and p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE]
    assert not left, [p.cmdline() for p in left]


@pytest.mark.parametrize("case", ["unchanged", "bad parameters"])
def test_a_kernel_started_early_for_one_report_is_stopped_when_the_report_needs_none(project, tmp_path, case):
    from evaluation.run.keeper import launch

    path = project / "params" / "kartan" / "2025-h1.yaml"
    if case == "unchanged":
        batch.run([path], tmp_path, ("html",))
    else:
        path = tmp_path / "params" / "kartan" / "fel.yaml"
        path.parent.mkdir(parents=True)
        path.write_text("insats: kartan\n", encoding="utf-8")
    kernel = launch()
    process = psutil.Process(kernel.km.provisioner.process.pid)
    summary = batch.run([path], tmp_path, ("html",), kernel=kernel)
    assert [o.status for o in summary.outcomes] == ["oforandrad" if case == "unchanged" else "fel"]
    assert not kernel.alive and not (process.is_running() and process.status() != psutil.STATUS_ZOMBIE)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dask_cluster_renders_the_same_tables(project, pooled, tmp_path):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    scheduler = subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    worker = subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1",
                               "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        paths = sorted((project / "params").glob("*/*.yaml"))
        summary = batch.run(paths, tmp_path, ("html", "xlsx"), scheduler=address)
        assert [o.status for o in summary.outcomes] == ["ok"] * 3, [o.message for o in summary.outcomes]
        for outcome in summary.outcomes:
            here = outcome.folder
            local = pooled / here.relative_to(tmp_path)
            mine = {k: v for k, v in files_of(here).items() if k.endswith(".csv")}
            assert len(mine) > 3 and mine == {k: v for k, v in files_of(local).items() if k.endswith(".csv")}
    finally:
        for process in (worker, scheduler):
            process.terminate()
            process.wait(timeout=30)


def test_an_unreachable_scheduler_is_a_plain_error(project, tmp_path):
    paths = [project / "params" / SAMPLE[0]]
    with pytest.raises(Exception, match="Kunde inte ansluta till Dask"):
        batch.run(paths, tmp_path, ("html",), scheduler=f"tcp://127.0.0.1:{_free_port()}")


def _tree(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _command_line(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:  # ended meanwhile (or a zombie, not yet reaped)
        return ""


def _name(process: psutil.Process) -> str:
    try:
        return process.name()
    except psutil.Error:  # ended meanwhile
        return ""


def _popen(command: list[str], env: dict | None = None) -> subprocess.Popen:
    """``command`` in a session of its own, with Ctrl-C handled as in a terminal (a test run that
    was itself started in the background has SIGINT ignored, and a child would inherit that)."""
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), env=env)


def _started_kernel(run: subprocess.Popen, seconds: float = 120) -> list[psutil.Process]:
    """The processes under ``run`` once one of them is a kernel (or when ``seconds`` have passed;
    if it fails early, at once)."""
    deadline = time.time() + seconds
    while time.time() < deadline and run.poll() is None and not any(_is_kernel(p) for p in _tree(run.pid)):
        time.sleep(0.2)
    return _tree(run.pid)


def _is_kernel(process: psutil.Process) -> bool:
    """A kernel started as a program (a single report's), or forked from a batch's forkserver."""
    return _name(process) == "ipykernel" or "ipykernel_launcher" in _command_line(process)


def _forked(run: subprocess.Popen) -> list[psutil.Process]:
    return [c for p in _tree(run.pid) if "forkserver" in _command_line(p) for c in p.children()]


def _started_workers(run: subprocess.Popen, seconds: float = 120) -> list[psutil.Process]:
    """The workers of the batch ``run`` (the forkserver's children but its kernels), once each
    kernel has its worker (a kernel just forked has not yet taken its name)."""
    deadline = time.time() + seconds
    workers, kernels = [], []
    while not (workers and len(workers) == len(kernels)) and time.time() < deadline and run.poll() is None:
        forked = _forked(run)
        workers, kernels = [c for c in forked if not _is_kernel(c)], [c for c in forked if _is_kernel(c)]
        time.sleep(0.1)
    return workers


@pytest.mark.parametrize("how", ["interrupt", "interrupt while starting", "terminate", "kill"])
def test_an_interrupted_run_leaves_nothing_behind_and_the_next_run_completes(project, tmp_path, how):
    """Ctrl-C, or SIGTERM (``kill``, a scheduler) answered as Ctrl-C is: the command stops its
    workers and kernels, says so, and leaves nothing in the temporary folder (SIGTERM left the
    forkserver's ``pymp-…`` folder and the kernels' connection files). SIGKILL cannot be
    answered: its processes still stop, and the next run completes."""
    # the structural insats only (quick reports), eight times over, so the run is still going
    # when the signal comes (with two reports it could finish first)
    out, params = tmp_path / "out", tmp_path / "params"
    shutil.copytree(project / "omvarld", tmp_path / "omvarld")
    for n in range(1, 9):
        (params / f"kartan-{n}").mkdir(parents=True)
        for path in (project / "params" / "kartan").glob("*.yaml"):
            text = path.read_text(encoding="utf-8").replace("../../data", str(project / "data"))
            (params / f"kartan-{n}" / path.name).write_text(text.replace("insats: kartan", f"insats: kartan-{n}"),
                                                             encoding="utf-8")
    command = [str(BIN / "evaluation"), "render", "--all", "--params-dir", str(params),
               "--out", str(out), "--formats", "html", "--force", "--jobs", "2"]
    temporary = Path(tempfile.mkdtemp(prefix="ev-"))  # short: a forkserver's socket path has at most 107 bytes
    run = _popen(command, env={**os.environ, "TMPDIR": str(temporary)})
    if how == "interrupt while starting":  # the forkserver imports what workers need, and forks them
        assert _started_kernel(run), "the run started no kernels"
        time.sleep(0.3)
    else:
        assert _started_workers(run), "the run started no workers"
    children = _tree(run.pid)
    if how.startswith("interrupt"):
        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
        _, err = run.communicate(timeout=60)
        assert run.returncode == 130 and "Avbrutet" in err and "Traceback" not in err, err
    elif how == "terminate":
        run.terminate()  # SIGTERM to the command alone, as kill(1) sends it
        _, err = run.communicate(timeout=60)
        assert run.returncode == 130 and "Avbrutet" in err and "Traceback" not in err, err
    else:
        run.kill()
        run.wait()
    gone, alive = psutil.wait_procs(children, timeout=15)
    assert not alive, f"left running: {[p.cmdline() for p in alive]}"
    left = list(temporary.iterdir())
    shutil.rmtree(temporary)
    if how != "kill":
        assert not left
    summary = batch.run(sorted(params.glob("*/*.yaml")), out, ("html",), jobs=2)
    assert {o.status for o in summary.outcomes} <= {"ok", "oforandrad"}, [o.message for o in summary.outcomes]
    assert not list(out.glob("*/.bygger-*")) and not list(out.glob("*/.gammal-*"))
    listed = json.loads((out / "index.json").read_text(encoding="utf-8"))  # what was published is listed
    assert len(listed) == 8 and {entry["status"] for entry in listed.values()} == {"ok"}


def test_ctrl_c_during_a_single_render_stops_its_kernel_and_writes_nothing(project, tmp_path):
    out = tmp_path / "out"
    params = project / "params" / "samordningsteamet" / "2023.yaml"  # in SAMPLE
    run = _popen([str(BIN / "evaluation"), "render", str(params), "--out", str(out)])
    children = _started_kernel(run)
    assert children, "the render started no kernel"
    os.killpg(run.pid, signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130 and "Avbrutet" in err and "Traceback" not in err
    gone, alive = psutil.wait_procs(children, timeout=15)
    assert not alive, f"left running: {[p.cmdline() for p in alive]}"
    assert not (out / "samordningsteamet" / "2023").exists()
    assert not list(out.glob("*/.bygger-*"))


def test_a_parameters_file_added_beside_renders_the_others_again(tmp_path):
    """A report hides what the insats's other reports (files beside its own) need hidden: a
    slutrapport added beside the yearly files changes what they may show beside it, so the
    yearly reports are not skipped as unchanged."""
    from conftest import write_params
    from evaluation.inputs.params import load_params
    from evaluation.run import fingerprint

    params = load_params(write_params(tmp_path, slug="2020", min_cell=3))
    before = fingerprint.of(params, ("html",))
    assert fingerprint.of(params, ("html",)) == before
    write_params(tmp_path, slug="2019-2020", min_cell=3, period="{start: 2019-01-01, slut: 2020-12-31}")
    assert fingerprint.of(params, ("html",)) != before


def test_a_worker_that_ended_while_making_a_report_fails_that_report_once_its_last_outcome_had_time(monkeypatch):
    import queue
    from types import SimpleNamespace

    from evaluation.run.jobs import Job

    ended = SimpleNamespace(is_alive=lambda: False)
    job = Job(Path("params/a/2024.yaml"))
    waiting = queue.Queue()
    monkeypatch.setattr(pool, "_GRACE", 0.1)
    slot, outcome = pool._next_outcome(waiting, [ended], {0: job})
    assert slot == 0 and outcome.status == "fel" and outcome.path == job.path
    assert "arbetsprocessen som skapade rapporten stannade oväntat" in outcome.message
    waiting.put((0, "utfall"))  # what it sent before it ended still counts
    assert pool._next_outcome(waiting, [ended], {0: job}) == (0, "utfall")


def test_runs_with_the_most_input_go_first_so_the_smallest_are_left_for_last(tmp_path):
    from datetime import date
    from types import SimpleNamespace

    from evaluation.run.jobs import Job, by_insats, input_bytes

    sizes = {"liten": 1_000, "mellan": 12_000, "stor": 30_000}
    for name, size in sizes.items():
        (tmp_path / name / "enkater").mkdir(parents=True)
        (tmp_path / name / "register.csv").write_bytes(b"x" * (size - 100))
        (tmp_path / name / "enkater" / "svar.csv").write_bytes(b"y" * 100)
    assert input_bytes(tmp_path / "stor") == 30_000

    def job(insats, year):
        period = SimpleNamespace(start=date(year, 1, 1), slut=date(year, 12, 31))
        return Job(Path(f"{insats}-{year}.yaml"), SimpleNamespace(insats=insats, data=tmp_path / insats, period=period))

    jobs = [job(name, year) for name in sizes for year in (2022, 2023)] + [job("liten", 2021)]
    runs = by_insats(jobs, workers=2)
    # the longest run first (three reports, though its input is the smallest); then by input, largest first
    assert [[j.path.stem for j in run] for run in runs] == [
        ["liten-2021", "liten-2022", "liten-2023"], ["stor-2022", "stor-2023"], ["mellan-2022", "mellan-2023"]]


def test_a_run_makes_each_report_after_the_periods_it_is_protected_beside():
    # a year of May to April with a leap day (365 days) is longer than the next one (364): by length it came
    # second, and the next year's kernel made its tables once beside it and again as its own report
    from datetime import date
    from types import SimpleNamespace

    from evaluation.run.jobs import Job, by_insats

    def job(start, slut):
        period = SimpleNamespace(start=date.fromisoformat(start), slut=date.fromisoformat(slut))
        return Job(Path(f"{start}--{slut}.yaml"), SimpleNamespace(insats="a", data=Path("a"), period=period))

    jobs = [job("2023-05-01", "2025-04-30"), job("2024-05-01", "2025-04-30"), job("2023-05-01", "2024-04-30"),
            job("2024-05-01", "2024-10-31"), job("2024-11-01", "2025-04-30")]
    assert [j.path.stem for j in by_insats(jobs, workers=1)[0]] == [
        "2023-05-01--2024-04-30", "2024-05-01--2024-10-31", "2024-11-01--2025-04-30", "2024-05-01--2025-04-30",
        "2023-05-01--2025-04-30"]


def test_a_forked_worker_takes_the_commands_environment_and_lets_the_forkserver_go(monkeypatch):
    # the forkserver stops when the command does only if no worker keeps its pipe open (the kill test runs it
    # whole); and a worker's exit handlers run at its end (WeasyPrint's font folder is removed by one)
    import atexit
    from multiprocessing import forkserver, util

    from evaluation.run import workers

    read, write = os.pipe()
    os.close(read)
    monkeypatch.setattr(forkserver._forkserver, "_forkserver_alive_fd", write)
    at_end = []
    monkeypatch.setattr(util, "Finalize", lambda obj, callback, exitpriority=None: at_end.append((callback, exitpriority)))
    saved = dict(os.environ)
    try:
        workers.forked({**saved, "EVALUATION_PROV": "kommandots"})
        assert os.environ["EVALUATION_PROV"] == "kommandots"
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert forkserver._forkserver._forkserver_alive_fd is None
    assert at_end == [(atexit._run_exitfuncs, 0)]
    with pytest.raises(OSError):
        os.fstat(write)


@pytest.mark.parametrize("folder", ["short", "long"])
def test_a_command_leaves_nothing_in_the_temporary_folder_but_its_kernels_files(project, tmp_path, folder):
    """The command ends with os._exit (no teardown of its heaps), after its exit handlers: a PDF
    written in the command left WeasyPrint's font folder, a batch the forkserver's address folder
    and its kernels' connection files. In a temporary folder with a long path, too long for the
    forkserver's socket, the batch spawns its workers instead (it stopped with a traceback)."""
    temp = Path(tempfile.mkdtemp(dir="/tmp")) if folder == "short" else tmp_path / ("temporär-" * 8)
    temp.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(temp)}
    single = subprocess.run([str(BIN / "evaluation"), "render", str(project / "params" / SAMPLE[0]), "--out",
                             str(tmp_path / "ut"), "--formats", "pdf", "--force"], capture_output=True, text=True, env=env)
    pooled = subprocess.run([str(BIN / "evaluation"), "render", "--all", "--params-dir", str(project / "params"),
                             "--out", str(tmp_path / "alla"), "--formats", "html", "--jobs", "2"],
                            capture_output=True, text=True, env=env)
    assert single.returncode == 0 and pooled.returncode == 0, single.stderr + pooled.stderr
    assert (tmp_path / "ut" / "kartan" / "2025-h1" / "rapport.pdf").is_file()
    assert len(list((tmp_path / "alla").glob("*/*/rapport.html"))) == len(SAMPLE)
    assert [p.name for p in temp.iterdir()] == []
    temp.rmdir()
