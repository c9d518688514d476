"""A report, built once and one way: inputs → tables → disclosure control → key figures → goals → sections.

No stage reads a later one: table builders get only the inputs, disclosure control
(``min_cell``) marks hidden cells once, key figures are read from the protected tables (so
texts cannot state a hidden count), goals get the key figures, and sections get the finished
tables and figures. The
result is a :class:`evaluation.core.model.Document` that every renderer takes as it is.

>>> from evaluation.tools.cli import DEMO_PARAMS
>>> report = open_report(DEMO_PARAMS / "steget" / "2024-05-01--2025-04-30.yaml")
>>> resultat = report.table("resultat").frame.set_index("kategori")
>>> report.params.min_cell  # the safe default: counts 1 and 2 are hidden, with secondary suppression
3
>>> resultat.loc["Aktivt arbetssökande (överlappande)", ["antal", "bas"]].tolist()
[4, 49]
>>> report.section("resultat").title
'Resultat'

Longer than 400 lines: :class:`Report` is the one object a notebook holds, and each of its methods
is a few lines of the flow above; splitting it would scatter the flow the module reads as.
"""
from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from evaluation.build import outline, variants
from evaluation.compute import cellrefs, disclosure, figures, goals
from evaluation.compute.tables import Window
from evaluation.core import fmt, fonts, vocab
from evaluation.core.errors import EvaluationError, Notice, NoticeList, TemplateError, UnknownId, raise_together
from evaluation.core.model import Contents, Document, Facts, Section, Table, TitleBlock, said_if_all_hidden
from evaluation.inputs import notices, pathnames, textfiles, textread
from evaluation.inputs.paths import project_of
from evaluation.inputs.params import ReportParams, load_params, period_named_otherwise
from evaluation.sections import registry as sections, subinsatser, texts
from evaluation.sections.context import SectionContext, presentable

#: The most characters of the insats's name in the running header of every PDF and Word page
#: (with the report type and period and the longest section title it fills one line; the title page
#: shows the name whole).
HEADER_NAME = 42
#: Where make lab puts the working copies of the notebooks (evaluation.tools.workspace.WORK).
WORK_FOLDER = "arbete"


def _python_strings():
    """Where the report's tables, texts and sections are built: pandas keeps the text of the
    frames made there, their column labels too, as Python strings instead of in Arrow arrays
    (pandas 3's default). The build reads its small frames a column or a cell at a time (some
    1 000 ``frame[column]`` a bench report, each reading its label back out of an Arrow array):
    the 48 bench reports built in one kernel, 795 → 709 CPU-ms a report (two runs each way,
    alternating, on a busy machine; 618 → 550 with each report built both ways in one process).
    Every value and output is the same; the inputs are read as before (their scans use Arrow's)."""
    return pd.option_context("mode.string_storage", "python")


def read_inputs(params: ReportParams) -> tuple[dict, dict[str, EvaluationError], list[str]]:
    """Every input of the report, loaded and validated in the registry's order, each one's error kept:
    ``(inputs, errors by input, tables waiting)``. An input that failed is ``None``; a loader
    reading it (:data:`evaluation.sections.registry.READS_FIRST`) waits, and is ``None`` too; the
    tables it would have read are named, and checked as far as they can be alone."""
    inputs: dict = {}
    failed: dict[str, EvaluationError] = {}
    waiting: list[str] = []
    for name, load in sections.LOADERS.items():
        inputs[name] = None
        if name in sections.READS_FIRST and sections.READS_FIRST[name][0] in failed:
            waiting += sections.waiting_tables(params, name)
            for n, error in enumerate(sections.checked_alone(params, name)):  # what needs no register, now
                failed[f"{name}.{n}"] = error
            continue
        try:
            inputs[name] = load(params, inputs)
        except EvaluationError as exc:
            failed[name] = exc
    return inputs, failed, waiting


def load_inputs(params: ReportParams) -> dict:
    """Every input of the report (:func:`read_inputs`); raises when any cannot be used.

    Each input that cannot be used is named, not only the first: the error is
    :class:`evaluation.core.errors.InputErrors` when there are several (one alone is raised as it
    is), and its message says what waits for an input that failed, and that the texts' variables
    are checked once the inputs can be used.
    """
    inputs, failed, waiting = read_inputs(params)
    said = "\n".join(filter(None, (sections.after_register(waiting) if waiting else "",
                                   sections.TEXTS_LATER if failed and inputs.get("texts") else "")))
    raise_together(list(failed.values()), said)
    return inputs


class Report:
    """Everything one report shows, computed from validated inputs. Never writes inputs."""

    def __init__(self, params: ReportParams, today: dt.date | None = None, inputs=None):
        """``inputs``: inputs already loaded and validated (see :func:`evaluation.analysis.explore.for_group`);
        by default every input is loaded from the parameters' data folder."""
        self.params = params
        self.window = Window(params.period.start, params.period.slut)
        self.today = today or dt.date.today()
        with notices.collecting() as found:
            found += notices.disclosure_off(params)  # once per report: min_cell 0 or 1 written on purpose
            found += period_named_otherwise(params)  # 2023.yaml with 'period: 2024'
            if params.source is not None and params.source.is_file():
                # the parameters were read before any collector was open: their notices now
                written = params.source.read_text(encoding="utf-8-sig")
                textfiles.check_personal_text(params.source, written)
                found += fonts.unprintable(params.source, written)  # the title of every page and file
            if params.mall is not None:  # its headers and footers are on every page of rapport.docx
                found += textread.check_template(params.mall)
            if inputs is None:
                named = pathnames.data_name_errors(path for path, _ in notices.data_entries(params.data))
                try:  # names that hold personal data, with every other input's error
                    inputs = load_inputs(params)
                except EvaluationError as exc:
                    if named:
                        raise_together([*named, exc])
                    raise
                raise_together(named)
            found += notices.unused_inputs(params.data, notices.folder_listing(params.data), self.section_ids,
                                           params.rapporttyp, texts.outline_text_names(params),
                                           outline=params.disposition is not None)
            found += notices.entry_notices(params.data)
        self.inputs = MappingProxyType(dict(inputs))
        self._found: list[Notice] = list(found)  # notices of every stage so far, in order

    # -- the same report for another period or a sub-group (see evaluation.analysis.explore) ---------
    def for_period(self, start, slut) -> "Report":
        """This report for another period, validated like any report."""
        return Report(variants.period_params(self.params, start, slut), today=self.today)

    def for_group(self, **filters) -> "Report":
        """This report for a sub-group of the register, e.g. ``kon="Kvinna"``."""
        params, inputs = variants.group_inputs(self.params, self.inputs, **filters)
        return Report(params, today=self.today, inputs=inputs)

    # -- tables and key figures ---------------------------------------------------------
    @cached_property
    def _measured(self) -> tuple[tuple[Table, ...], MappingProxyType]:
        with notices.collecting() as found, _python_strings():
            measured = self._measure()
        self._found += found
        return measured

    def _protected(self, builders) -> tuple[tuple[Table, ...], tuple[Table, ...]]:
        """The tables of ``builders``, before and after disclosure control (once, before anything
        reads them, beside the insats's reports that overlap this one); what the register's tables
        publish is kept for the insats's other reports built in this process."""
        built = [(build, tuple(build(self))) for build in builders]
        raw = tuple(t for _, tables in built for t in tables)
        made = disclosure.protect(raw, self.params.min_cell, beside=sections.overlapping(self))
        counted = [t for build, tables in built if build in sections.REGISTER_TABLES for t in tables]
        sections.keep_published(self, disclosure.as_published(counted, made))
        return raw, made

    def _measure(self) -> tuple[tuple[Table, ...], MappingProxyType]:
        raw, made = self._protected(sections.TABLES)
        self._hidden_true = cellrefs.hidden_cells(raw, made)  # kept apart: only the redaction of typed numbers reads them
        made += tuple(t for derive in sections.DERIVED for t in derive(self.params, self.inputs, {t.id: t for t in made}))
        by_id = {t.id: t for t in made}
        flat = figures.compute(self.params, by_id)  # protected tables only
        subgroups = subinsatser.subgroup_figures(self.params, self.inputs.get("register"), by_id)
        goal_tables = tuple(goals.tables(self.inputs.get("goals"), flat, self.params.period, subgroups))
        flat.update(figures.goal_counts(goal_tables))
        if goal_tables:  # variables and tabell() in goal texts, against the protected tables; fact-checked
            from evaluation.compute import factcheck
            from evaluation.sections import goaltexts

            every = {**by_id, **{t.id: t for t in goal_tables}}
            checked = factcheck.report_figures(flat, by_id, subinsatser.pairs_from(self.inputs.get("register"), by_id))
            rendered, found = goaltexts.render(goal_tables[0], self.inputs["goals"], figures.formatted(flat), every,
                                               checked)
            notices.note(*found)
            goal_tables = (rendered, *goal_tables[1:])
        return made + goal_tables, MappingProxyType(flat)

    def published_beside(self, params: ReportParams) -> tuple[dict, dict] | None:
        """The count tables and hidden cells of the insats's report of ``params``, as it publishes
        them (:func:`evaluation.sections.siblings.published`); ``None`` when it cannot be made."""
        try:
            with notices.collecting():  # its notices are its own
                other = Report(params, today=self.today, inputs=self.inputs)
                other._protected(sections.REGISTER_TABLES)
                return sections.kept_published(other)
        except EvaluationError:
            return None

    @property
    def _hidden_cells(self) -> tuple:
        """The cells disclosure control hid, with their true values (:class:`evaluation.compute.cellrefs.Hidden`).
        Private and never shown (an analyst's Tab completion on ``report.`` must not offer them, and a
        notebook's outputs may be shared): the evaluator's texts are checked against them so that a
        typed number cannot state one (:func:`evaluation.compute.factcheck.redact_hidden`)."""
        self._measured  # noqa: B018 - computed with the tables
        return self._hidden_true

    @property
    def tables(self) -> tuple[Table, ...]:
        """Every table of the report, in reading order."""
        return self._measured[0]

    @property
    def key_figures(self) -> MappingProxyType:
        """Every key figure by dotted name, as numbers (see ``docs/namnrymd.md``)."""
        return self._measured[1]

    @cached_property
    def namespace(self) -> figures.Group:
        """The key figures formatted in Swedish, as the evaluator's texts see them."""
        return figures.formatted(self.key_figures)

    @cached_property
    def table_map(self) -> MappingProxyType:
        """The tables by id."""
        return MappingProxyType({t.id: t for t in self.tables})

    def table(self, table_id: str) -> Table:
        """One table by its id (see :attr:`table_map` for the ids), as a copy (:meth:`Table.copy`):
        ``report.table(id).frame`` is the analyst's own, and pandas edits to it never change the report."""
        try:
            return self.table_map[table_id].copy()
        except KeyError:
            raise UnknownId(f"ingen tabell '{table_id}' i rapporten; den har: {', '.join(self.table_map)}") from None

    # -- the evaluator's texts ------------------------------------------------------------
    @cached_property
    def prose(self) -> "texts.Prose":
        """Every text of the report's sections, rendered once; every problem of every text is
        in one :class:`evaluation.core.errors.TemplateError`."""
        try:
            with _python_strings():
                return texts.report_prose(self)
        except TemplateError as exc:
            from evaluation.sections.participants import empty_period

            span = empty_period(self.inputs.get("register"), self.params)
            if span is None:
                raise
            p = self.params
            raise TemplateError(
                f"{p.source or p.insats}: ingen inskrivning i registret överlappar perioden {fmt.iso(p.period.start)} – "
                f"{fmt.iso(p.period.slut)} (registrets datum går från {fmt.iso(span[0].date())} till "
                f"{fmt.iso(span[1].date())}), så texternas variabler har inget värde för den. Felen nedan beror på "
                "perioden, inte på texterna: kontrollera perioden (start och slut i parameterfilen, eller datumen "
                f"till for_period) innan du ändrar något i texterna.\n{exc}") from None

    @property
    def warnings(self) -> tuple[Notice, ...]:
        """The fact check of the texts: typed figures that contradict the report's (file, line)."""
        return self.prose.warnings

    # -- sections -------------------------------------------------------------------------
    def title_of(self, section_id: str) -> str:
        return sections.TITLES[section_id]

    @property
    def section_ids(self) -> list[str]:
        """The built-in sections the report shows: ``sektioner``, the report type's default, or
        those the outline (``disposition``) names with ``avsnitt:``."""
        if self.params.disposition is not None:
            return outline.builtin_ids(self.params)
        return list(self.params.sektioner or sections.DEFAULT_SECTIONS[self.params.rapporttyp])

    @property
    def subinsatser(self) -> tuple[str, ...]:
        """The names of the sub-insatser in the register (``delinsats``)."""
        return tuple(subinsatser.subinsats_names(self.inputs.get("register")))

    @cached_property
    def context(self) -> SectionContext:
        """What section builders see: protected tables and figures, texts, non-count inputs."""
        return SectionContext(
            params=self.params, window=self.window, table_map=self.table_map, key_figures=self.key_figures,
            namespace=self.namespace, prose=self.prose,
            section_ids=tuple(self.section_ids), titles=sections.TITLES, subinsatser=self.subinsatser,
            inputs=presentable(self.inputs),
        )

    def _build(self, section_id: str) -> Section | None:
        build = sections.BUILDERS.get(section_id)
        section = build(self.context) if build else None
        prose = sections.prose(self.context, section_id)
        if prose is not None:
            if section is None:
                section = Section(section_id, self.title_of(section_id), (prose,))
            elif section.blocks[:1] != (prose,):
                section = Section(section.id, section.title, (prose, *section.blocks))
        return section

    @cached_property
    def _sections(self) -> dict[str, Section | None]:
        self._measured  # noqa: B018 - tables first, so their notices come before the sections'
        with notices.collecting() as found, _python_strings():
            built = {section_id: self._build(section_id) for section_id in self.section_ids}
            if self.params.disposition is not None:
                built = outline.build(self, built)
        self._found += found
        # once, whichever way a section was put together: a table with no count left is a sentence
        return {k: s if s is None or not any(isinstance(b, Table) and b.all_hidden for b in s.blocks)
                else replace(s, blocks=tuple(said_if_all_hidden(b) for b in s.blocks)) for k, s in built.items()}

    @property
    def notices(self) -> tuple[Notice, ...]:
        """Every warning about this report's inputs (see :mod:`evaluation.inputs.notices`): those found
        while loading, then those found while building the sections (built here if not yet)."""
        self._sections  # noqa: B018 - building gives the build notices
        return tuple(dict.fromkeys([*self._found, *(self.prose.warnings if self.inputs.get("texts") else ())]))

    def show_notices(self, notebook: str | None = None) -> NoticeList:
        """The report's :attr:`notices` as a notebook shows them: a Swedish box listing each warning
        (min_cell 0 or 1, a quote left out, an input not read, ...), or saying there are none. The CLI
        prints them; in JupyterLab this is where the analyst sees them.

        ``notebook``: the name of the report notebook asking (``"rapport.ipynb"``); the sections of
        this report it has no cell for are a warning first (a slutrapport's parameters in
        rapport.ipynb showed 3 of its 13 sections without a word)."""
        try:
            known = self.notices
        except EvaluationError:  # a section that cannot be built says why in its own cell
            known = tuple(self._found)
        found = (*self._not_in_notebook(notebook), *known) if notebook else known
        project = project_of(self.params.source) if self.params.source else None  # as the index names them
        return NoticeList(tuple(n.from_project(project) for n in found),
                          f"{self.params.namn} {self.params.period.label()}")

    def _not_in_notebook(self, notebook: str) -> list[Notice]:
        types = [t for t, name in vocab.NOTEBOOKS.items() if name == notebook]
        if not types or self.params.disposition is not None:  # an outline's cells are made when rendering
            return []
        has_cells = sections.DEFAULT_SECTIONS[types[0]]
        missing = [s for s in self.section_ids if s not in has_cells]
        if not missing:
            return []
        meant = vocab.NOTEBOOKS[self.params.rapporttyp]
        kind = sections.REPORT_TYPES[self.params.rapporttyp].lower()
        titles = ", ".join(sections.TITLES[s] for s in missing)
        if meant != notebook:
            names = [sections.REPORT_TYPES[t].lower() for t in types]
            made_for = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} och {names[-1]}"
            how = (f"parameterfilen gäller en {kind}, men {notebook} är gjord för {made_for}, så {len(missing)} av "
                   f"rapportens {len(self.section_ids)} avsnitt visas inte här: {titles}. Öppna {WORK_FOLDER}/{meant} "
                   "(en kopia av varje anteckningsbok finns där) och byt params_path i den.")
        else:
            cells = " eller ".join(f'report.section("{s}")' for s in missing)
            how = (f"{len(missing)} av rapportens avsnitt (parameterfilens sektioner) har ingen cell i {notebook} och "
                   f"visas inte här: {titles}. Skriv {cells} i en ny cell för att se "
                   f"{'det' if len(missing) == 1 else 'ett av dem'}; rapporten som evaluation render gör har dem alla.")
        return [Notice(self.params.source or notebook, None, how)]

    def _repr_html_(self) -> str:
        """A report alone in a cell: its name and its warnings."""
        return self.show_notices()._repr_html_()

    @property
    def sections(self) -> tuple[Section, ...]:
        """The sections that have input, in the order the parameters (or report type) give; with
        an outline (``disposition``) every section of it, numbered."""
        return tuple(s for s in self._sections.values() if s is not None)

    @property
    def absent(self) -> tuple[str, ...]:
        """The sections the report would show but leaves out, for want of input (ids, in order):
        ``evaluation validate`` names them, so that a section is never dropped without a word.

        >>> import evaluation
        >>> report = open_report(evaluation.demo_params("samordningsteamet", "2024"))
        >>> report.absent  # the register has no delinsats column
        ('delinsatser',)
        """
        return tuple(section_id for section_id, section in self._sections.items() if section is None)

    def section(self, section_id: str) -> Section | None:
        """One section (``None`` when it has no input in this report, or when the report's
        ``sektioner`` or outline leaves it out); Jupyter shows it as the report does."""
        if section_id not in self._sections:
            if section_id in sections.BUILDERS:
                return None
            raise UnknownId(f"avsnittet '{section_id}' ingår inte i rapporten; den har: {', '.join(self._sections)}")
        return self._sections[section_id]

    # -- the whole document ---------------------------------------------------------------
    def title_block(self) -> TitleBlock:
        p = self.params
        kind = sections.REPORT_TYPES[p.rapporttyp]
        facts = Facts((
            ("Rapporttyp", kind),
            ("Period", f"{fmt.iso(p.period.start)} – {fmt.iso(p.period.slut)}"),
            ("Samordningsförbund", p.forbund),
            ("Insatsägare", p.insatsagare),
            ("Samverkansparter", ", ".join(p.samverkansparter)),
            ("Diarienummer", p.diarienummer),
            ("Utvärderare", p.utvarderare),
            ("Rapporten skapad", fmt.date(self.today)),
        ), caption="Om rapporten")
        return TitleBlock(kind, p.namn, facts)

    def contents(self) -> Contents:
        return self.document.contents

    @cached_property
    def document(self) -> Document:
        """The report as every renderer gets it."""
        p = self.params
        kind = sections.REPORT_TYPES[p.rapporttyp]
        return Document(
            title=f"{p.namn} – {kind} {p.period.label()}", title_block=self.title_block(),
            sections=self.sections, tables=self.tables, header=f"{fmt.shortened(p.namn, HEADER_NAME)} · {kind} {p.period.label()}",
            created=self.today, notices=self.notices,
            subject=f"{kind} {fmt.iso(p.period.start)} – {fmt.iso(p.period.slut)}", author=p.utvarderare or "",
        )


def open_report(params_path: Path | str, today: dt.date | None = None) -> Report:
    """Validate the parameters, load every input and return the report."""
    return Report(load_params(params_path), today=today)


def hand_over(report: Report, path: Path | str | None) -> None:
    """Give the built document to the process that publishes it (``None``: do nothing): the report
    notebook's last cell, so that the document computed in the kernel is rendered to every format
    without being computed again."""
    if path is None:
        return
    Path(path).write_bytes(pickle.dumps(report.document, protocol=pickle.HIGHEST_PROTOCOL))
