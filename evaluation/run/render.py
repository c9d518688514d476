"""Render one report: run its notebook, write every asked-for format, publish, record in the index.

The parent process validates only the parameters (to know where the report goes); the kernel
loads the inputs and computes the report once, and hands the document back for the formats
that are not the notebook itself (Word, PDF, Excel, CSV). Only :mod:`evaluation.run.publish`
swaps a report into place. Many reports at once: :mod:`evaluation.run.batch`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evaluation.core.errors import EvaluationError, Notice, strict_error
from evaluation.inputs.params import ReportParams, load_params, params_files
from evaluation.inputs.paths import real_path
from evaluation.renderers import FORMATS, write_all
from evaluation.run import fingerprint, heap, index, publish


@dataclass(frozen=True)
class Rendered:
    """Where a rendered report was written."""

    params: ReportParams
    folder: Path
    notices: tuple[Notice, ...] = ()  # the report's warnings (see evaluation.inputs.notices)
    older: tuple[str, ...] = ()  # files of formats not asked for, kept from an earlier run (publish.swap_in)

    @property
    def html(self) -> Path:
        return self.folder / "rapport.html"


def validate(params_path: Path | str):
    """Load parameters and every input, and build the whole report in this process (writes nothing).

    The report's warnings, and those only ``validate`` gives, are :func:`validation_notices`.
    """
    from evaluation.build.report import Report

    report = Report(load_params(params_path))
    report.document  # noqa: B018 - computing is the check
    return report


def validation_notices(report) -> tuple[Notice, ...]:
    """What ``validate`` warns about: the report's notices (among them, once, that ``min_cell``
    0 or 1 leaves persons identifiable: :func:`evaluation.inputs.notices.disclosure_off`)."""
    return tuple(report.notices)


def absent_sections(report) -> str:
    """The sections ``report`` leaves out for want of input, by title and what each would be made
    from (:data:`evaluation.core.vocab.NEEDS`, or the text file of a section of the evaluator's
    text alone), for ``validate`` to say; ``""`` when none is left out.

    >>> import evaluation
    >>> absent_sections(validate(evaluation.demo_params("ungkraft", "2024")))
    'Effekter över tid (uppfoljning.csv), Förändring över tid (matningar.csv), Samverkan enligt processtrappan (matningar.csv), Samhällsnytta och återbetalning (kostnader.yaml)'
    """
    from evaluation.core import vocab
    from evaluation.sections import texts

    def needs(section_id: str) -> str:
        if section_id in texts.PROSE_ONLY:
            return f" ({texts.FOLDER}/{section_id}.md)"
        outside = _all_outside_period(report, section_id)
        if outside:
            return f" ({outside})"
        return f" ({vocab.NEEDS[section_id]})" if section_id in vocab.NEEDS else ""

    return ", ".join(f"{report.title_of(section_id)}{needs(section_id)}" for section_id in report.absent)


#: What a section that reads dated inputs reads: the measurements of participants or of parts.
_MEASURED = {"matningar": "deltagare", "samverkan": "part"}


def _all_outside_period(report, section_id: str) -> str:
    """For a section left out although its files are there, because nothing in them is dated
    within the period: what the files hold and that none of it falls in the period (``""`` when
    that is not why). ``Intervjuer (en intervju i intervjuer/)`` would say the files are missing."""
    import pandas as pd

    from evaluation.core import fmt
    from evaluation.inputs import measurements

    w = report.window
    period = f"inom perioden {fmt.iso(w.start)} – {fmt.iso(w.end)}"
    if section_id == "intervjuer":
        held = report.inputs.get("interviews") or ()
        if held and not any(w.start <= i.datum <= w.end for i in held):
            return f"{fmt.plural(len(held), 'intervju', 'intervjuer')} i intervjuer/, ingen daterad {period}"
    elif section_id in _MEASURED:
        found = report.inputs.get("measurements")
        if found is None:
            return ""
        ids = [i.id for i in found.instruments.values() if i.applies_to == _MEASURED[section_id]]
        rows = found.frame[found.frame["instrument"].isin(ids)]
        days = rows["datum"]
        inside = days.between(pd.Timestamp(w.start), pd.Timestamp(w.end))
        if len(rows) and not inside.any():
            table = measurements.find(report.params.data)[0]
            name = table.name if table is not None else f"{measurements.TABLE}.csv"
            return f"{fmt.plural(len(rows), 'mätning', 'mätningar')} i {name}, ingen daterad {period}"
    return ""


def template_notices(template: Path, strict: bool = False) -> tuple[Notice, ...]:
    """The notices of the Word template a whole run uses (``--mall``): personal data in its headers
    and footers (:func:`evaluation.inputs.textread.check_template`; a personnummer raises). With
    ``strict`` a notice is an error (:class:`evaluation.core.errors.StrictError`)."""
    from evaluation.inputs.textread import check_template

    found = tuple(check_template(template))
    if strict and found:
        raise strict_error(template, found)
    return found


def target_of(params: ReportParams, out_dir: Path) -> Path:
    """The report's folder: ``<out>/<insats>/<period>``."""
    return Path(out_dir) / params.insats / params.period_slug


def produce(params: ReportParams, folder: Path, formats=tuple(FORMATS), kernel=None, digest: str = "",
            template: Path | None = None, strict: bool = False) -> tuple[Notice, ...]:
    """Write every asked-for format of one report into ``folder`` (an empty staging folder).

    ``template`` (``--mall``) overrides the Word template of the parameters (``mall:``).
    Returns the report's notices (warnings), handed over with its document. With ``strict``
    a report with notices raises :class:`evaluation.core.errors.StrictError` before anything is written.
    """
    from evaluation.run import notebook  # only when a report is made: validate needs no notebook machinery

    with heap.paused():  # what the report makes is garbage after it: collected once, at its end
        executed, document = notebook.execute(params, folder, kernel)
        found = tuple(getattr(document, "notices", ()))
        if strict and found:
            raise strict_error(params.source, found)
        write_all(document, folder, formats, executed, template=template or params.mall)
    if digest:
        fingerprint.write(folder, digest)
    return found


def build(params: ReportParams, out_dir: Path, formats=tuple(FORMATS), kernel=None, digest: str = "",
          template: Path | None = None, strict: bool = False) -> tuple[Path, tuple[Notice, ...], tuple[str, ...]]:
    """Build one report in a staging folder and swap it into place; return its folder, notices,
    and the files of other formats kept from an earlier run (older than this one).

    ``kernel`` is a :class:`evaluation.run.kernel.WarmKernel` to run the notebook in (default: a
    fresh kernel). Raises an :class:`EvaluationError` subclass; nothing is replaced then (with
    ``strict``, a report with notices is such an error).
    """
    target = target_of(params, out_dir)
    with publish.staging(target) as folder:
        found = produce(params, folder, formats, kernel, digest, template, strict)
        older = publish.swap_in(folder, target, keep=FORMATS.values())
    return target, found, older


def render_report(params_path: Path | str, out_dir: Path | str = "output",
                  formats: tuple[str, ...] = tuple(FORMATS), template: Path | None = None,
                  strict: bool = False) -> Rendered:
    """Render one report into ``out_dir/<insats>/<period>/`` and refresh ``out_dir/index.html``.

    Raises an :class:`EvaluationError` subclass when inputs are bad or the notebook fails; the
    failure is recorded in the index and an earlier good report is left in place.
    """
    params_path = real_path(params_path)
    out_dir = real_path(out_dir)
    params = None
    try:
        params = load_params(params_path)
        target, found, older = build(params, out_dir, formats, digest=fingerprint.of(params, formats, template),
                                     template=template, strict=strict)
    except EvaluationError as exc:
        index.record_failure(out_dir, params_path, str(exc), params)
        raise
    index.record_success(out_dir, params, target, found, older)
    return Rendered(params, target, found, older)


def find_params(params_dir: Path | str) -> list[Path]:
    """Every ``<insats>/<period>.yaml`` under a params folder, sorted."""
    folder = Path(params_dir)
    if not folder.is_dir():
        raise EvaluationError(f"{folder}: mappen med parameterfiler finns inte. Ange en mapp med "
                              "<insats>/<period>.yaml-filer (--params-dir).")
    return params_files(folder)
