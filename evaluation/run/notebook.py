"""The report notebook: which one a report type uses, its section cells, and running it.

A report notebook has a ``parameters`` cell (``params_path``, ``handover``), then one code
cell per section, tagged ``sektion:<id>``; its output gives the section's heading (so Lab's
table of contents lists each section once, and an empty section shows nothing). Before running, the cells
are put in the order of the report's sections (``sektioner`` in the parameters), so the
executed notebook is exactly the report. The kernel computes the report once and hands the
document back (:func:`evaluation.build.report.hand_over`) for the other formats.
"""
from __future__ import annotations

import functools
import json
import logging
import pickle
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import nbformat

from evaluation.core import vocab
from evaluation.core.errors import EvaluationError, RenderError
from evaluation.inputs.paths import project_of
from evaluation.renderers import html
from evaluation.run.resources import notebook_path

#: The notebook of each report type (see :mod:`evaluation.core.vocab`).
NOTEBOOKS = vocab.NOTEBOOKS
TAG = "sektion:"
#: Tags of cells left out of the HTML page (they are in the audit notebook).
HIDDEN_TAGS = html.HIDDEN_TAGS
HANDOVER = "rapport.pickle"

# What papermill and nbclient log (in English: "Kernel died while waiting for execute reply.") is
# never for the evaluator: the command says what happened, in Swedish (a kernel that died: its
# report made again). With no handler of its own, Python would print its warnings on stderr.
logging.getLogger("papermill").addHandler(logging.NullHandler())
logging.getLogger("papermill").propagate = False


def section_cells(section_id: str) -> list:
    """The cell that shows a section (its output gives the heading: not a markdown cell too)."""
    show = nbformat.v4.new_code_cell(f'report.section("{section_id}")', metadata={"tags": [f"{TAG}{section_id}"]})
    show.id = section_id
    return [show]


def _section_of(cell) -> str | None:
    return next((t[len(TAG):] for t in cell.get("metadata", {}).get("tags", []) if t.startswith(TAG)), None)


def for_report(report_type: str, section_ids: list[str], outline=()) -> nbformat.NotebookNode:
    """The report type's notebook with its section cells in the order of ``section_ids``.

    A section the notebook does not hold gets the standard pair of cells. With ``outline``
    (the entries of the evaluator's :mod:`evaluation.inputs.disposition`) the section cells are one
    pair per outline section instead, with its numbered heading at its depth.
    """
    nb = nbformat.read(notebook_path(NOTEBOOKS[report_type]), as_version=4)
    by_section: dict[str, list] = {}
    head, tail = [], []
    for cell in nb.cells:
        section_id = _section_of(cell)
        if section_id is not None:
            by_section.setdefault(section_id, []).append(cell)
        elif by_section:
            tail.append(cell)
        else:
            head.append(cell)
    if outline:
        body = [c for e in outline for c in section_cells(e.id)]
    else:
        body = [c for s in section_ids for c in by_section.get(s) or section_cells(s)]
    for cell in head:  # every section has its cell here: no "this notebook has no cell for ..." warning
        if cell.cell_type == "code" and cell.source.startswith("report.show_notices("):
            cell.source = "report.show_notices()"
    nb.cells = head + body + tail
    return nb


def execute(params, staging: Path, kernel=None) -> tuple[nbformat.NotebookNode, object]:
    """Run the report's notebook into ``staging/rapport.ipynb``; return it and the handed-over document.

    ``kernel`` is a :class:`evaluation.run.kernel.WarmKernel` (reset first); without it papermill
    starts a fresh kernel. An error the report raises in the kernel (bad input, unknown text
    variable) comes back as the same message, without a traceback.
    """
    import papermill

    from evaluation.build.outline import outline_entries
    from evaluation.run.kernel import ARGUMENTS

    section_ids = list(params.sektioner or vocab.DEFAULT_SECTIONS[params.rapporttyp])
    source = for_report(params.rapporttyp, section_ids, outline_entries(params))
    output, handover = staging / "rapport.ipynb", staging / HANDOVER
    if kernel is not None:
        kernel.reset()
    try:
        executed = run_papermill(
            source, NOTEBOOKS[params.rapporttyp], output.name,
            parameters={"params_path": str(params.source), "handover": str(handover)},
            kernel_name="python3", progress_bar=False, log_output=False,
            extra_arguments=list(ARGUMENTS), **({"km": kernel.km} if kernel else {}),
        )
    except papermill.PapermillExecutionError as exc:
        raise _from_kernel(params.source, exc.ename, exc.evalue) from None
    except Exception as exc:  # kernel could not start or died, notebook missing, ...
        if kernel is not None and not kernel.alive:
            from evaluation.run.kernel import KernelDied

            raise KernelDied(f"{params.source}: kärnan dog medan rapporten kördes.") from None
        raise RenderError(
            f"{params.source}: rapportens anteckningsbok kunde inte köras ({type(exc).__name__}: {exc}). "
            "Kontrollera att kärnan 'python3' finns (make demo installerar den)."
        ) from None
    shareable(executed, params.source)
    nbformat.write(executed, output)
    document = pickle.loads(handover.read_bytes())
    handover.unlink()
    return executed, document


def run_papermill(nb: nbformat.NotebookNode, input_name: str, output_name: str, parameters: dict, kernel_name: str,
                  **engine_arguments) -> nbformat.NotebookNode:
    """Run ``nb`` as ``papermill.execute_notebook(nb, None, ...)`` does, by papermill's own steps
    in its order, and return it executed (its caller writes it); raises papermill's
    ``PapermillExecutionError`` as papermill does. Its record names the notebook ``input_name``
    and ``output_name`` (papermill would record the notebook object itself as its input).

    Two passes papermill makes for a notebook object that it is not to save are left out: it
    writes the notebook as JSON and parses it back before running it, and writes it as JSON once
    more when it has run, to save it nowhere. The JSON is indented, so Python encodes it
    value by value: those passes cost 3.3 ms (the executed report's 100 kB) and 1.5 ms a report
    (measured on their own), of the 90–100 ms a worker spends on a report in the HTML batch.
    The notebook is written once, by the caller, when it has run (saving it after every cell,
    as papermill does with an output path, cost more than a second per report). Its outputs are
    validated once, with the whole notebook, when it has run, by nbformat's compiled validator
    (:func:`_outputs_checked_whole`).
    """
    from papermill import __version__
    from papermill.engines import papermill_engines
    from papermill.execute import prepare_notebook_metadata, raise_for_execution_errors, remove_error_markers
    from papermill.parameterize import parameterize_notebook

    # what papermill's reading of a notebook adds (papermill.iorw.load_notebook_node)
    if "papermill" not in nb.metadata:
        nb.metadata["papermill"] = {"default_parameters": {}, "parameters": {}, "environment_variables": {},
                                    "version": __version__}
    for cell in nb.cells:
        for key, empty in (("tags", []), ("papermill", {})):
            if key not in cell.metadata:
                cell.metadata[key] = empty
    nb = parameterize_notebook(nb, parameters, kernel_name=kernel_name)
    nb = remove_error_markers(prepare_notebook_metadata(nb, input_name, output_name))
    with _outputs_checked_whole():
        nb = papermill_engines.execute_notebook_with_engine(
            None, nb, input_path=input_name, output_path=None,
            kernel_name=papermill_engines.nb_kernel_name(None, nb, kernel_name), **engine_arguments)
    nbformat.validate(nb)
    raise_for_execution_errors(nb, None)
    return nb


#: Whether nbclient, running a report here (:func:`_outputs_checked_whole`), makes outputs unvalidated.
_DEFERRED: ContextVar[bool] = ContextVar("outputs_checked_whole", default=False)


@contextmanager
def _outputs_checked_whole():
    """Let nbclient make each output the kernel sends without validating it on its own
    (``nbformat.v4.output_from_msg``): :func:`run_papermill` validates the executed notebook,
    every output in it, once it has run.

    nbformat validates a single output against a part of its schema, and for that it uses the
    interpreted validator (jsonschema), not the compiled one: 8 ms of a worker's CPU a bench
    report (some 25 outputs), where the whole notebook takes 1.2 ms. Only in this context (and
    its thread): anything else that makes notebook nodes in the process is validated as ever.
    """
    _defer_in_context()
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


@functools.cache
def _defer_in_context() -> None:
    """Wrap nbformat's validation of a node as it is made, once a process: skipped while
    :data:`_DEFERRED` holds."""
    from nbformat.v4 import nbbase

    validate = nbbase.validate

    def validate_unless_deferred(node, ref=None):
        if not _DEFERRED.get():
            return validate(node, ref)
        return None

    nbbase.validate = validate_unless_deferred


def project_path(source: Path) -> str:
    """The parameters file as the shipped notebook names it: from the project's folder (the one
    holding ``params/``, as the notebook's own note says), never from the machine's root, which
    says whose machine made the report (``/home/<user>/…``). A file outside ``params/<insats>/``
    is named by its name alone."""
    project = project_of(source)
    return Path(source).relative_to(project).as_posix() if project is not None else Path(source).name


def shareable(executed: nbformat.NotebookNode, source: Path) -> None:
    """Make the executed notebook's parameters cell (papermill's ``injected-parameters``) and
    its record of them name the parameters file from the project's folder, and the handover
    (a file of the staging folder, gone when the report is published) as ``None``, as in the
    notebook itself: the notebook is shipped with the report."""
    shown = {"params_path": project_path(source), "handover": None}
    for cell in executed.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.source = "# Parametrar\n" + "".join(f"{k} = {'None' if v is None else json.dumps(v, ensure_ascii=False)}\n"
                                                      for k, v in shown.items())
    if "parameters" in executed.metadata.get("papermill", {}):
        executed.metadata.papermill.parameters = shown


def _from_kernel(path: Path, ename: str, evalue: str) -> EvaluationError:
    """The kernel's error as the same kind of error here (its message is already for the user)."""
    from evaluation.core import errors

    kind = getattr(errors, ename, None)
    if isinstance(kind, type) and issubclass(kind, EvaluationError):
        return kind.from_message(evalue)
    return RenderError(f"{path}: rapportens anteckningsbok stannade: {ename}: {evalue}")
