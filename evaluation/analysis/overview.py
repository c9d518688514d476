"""The förbund's overview: every insats's latest (or a given) period side by side.

``evaluation overview --params-dir params --out output`` builds each chosen report in this
process (no notebook, no kernel) and writes ``<out>/oversikt/index.html`` (one page with the
tables and a chart) and ``<out>/oversikt.xlsx`` (one sheet per table). Every value is read from
the report's protected tables and key figures, so a cell hidden by disclosure control
(``min_cell``) is hidden here too, with the same mark.

The tables have one column per insats:

- ``insatser``: period, report type, what the result base counts;
- ``deltagare``: unique participants by gender, enrolments, new, ended, ongoing;
- ``resultat``: the result base and the share of it per outcome, in contract order;
- ``mal``: goals per status;

and ``enkater`` has a row per survey: respondents, people asked and the response rate.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evaluation.core import fmt, vocab
from evaluation.core.errors import EvaluationError, ParamsError, cut_list, quote, redact
from evaluation.core.vocab import MARK
from evaluation.inputs.params import ReportParams, load_params, params_files, period_key
from evaluation.run import publish

FOLDER = "oversikt"
WORKBOOK = "oversikt.xlsx"
NOT_APPLICABLE = vocab.DASH
GOAL_STATUSES = vocab.GOAL_STATUSES
_BASES = {"avslutade": "avslutade", "alla_inskrivna": "alla inskrivna"}


# -- which reports --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    """The parameters files chosen, insatser without the asked period, and files that failed."""

    paths: tuple[Path, ...]
    missing: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()  # (insats folder, message)


def choose(params_dir: Path | str, period: str | None = None) -> Choice:
    """Per insats folder under ``params_dir``: the file ``<period>.yaml``, or the latest period."""
    folder = Path(params_dir)
    if not folder.is_dir():
        raise ParamsError(f"{folder}: mappen med parameterfiler finns inte. Ange en mapp med "
                          "<insats>/<period>.yaml-filer (--params-dir).")
    chosen, missing, failed = [], [], []
    by_insats: dict[Path, list[Path]] = {}
    for path in params_files(folder):  # .yaml or .yml, as render --all finds them
        by_insats.setdefault(path.parent, []).append(path)
    if not by_insats:
        raise ParamsError(f"{folder}: inga parameterfiler (<insats>/<period>.yaml) hittades.")
    for insats, files in sorted(by_insats.items()):
        if period is not None:
            wanted = next((p for p in files if p.stem == period), None)
            (chosen.append(wanted) if wanted is not None else missing.append(insats.name))
            continue
        loaded = []
        for path in files:
            try:
                loaded.append((period_key(load_params(path)), path.name, path))
            except EvaluationError as exc:
                failed.append((redact(insats.name), str(exc)))
        if loaded:
            chosen.append(max(loaded)[2])
    if period is not None and not chosen:
        found = sorted({p.stem for files in by_insats.values() for p in files})
        # each quoted: "2024-04-30, 2024" of two names side by side read as a personnummer, and was masked
        raise ParamsError(f"{folder}: ingen insats har perioden {quote(period)}. Perioder som finns: "
                          f"{cut_list(quote(f) for f in found)}.")
    return Choice(tuple(chosen), tuple(missing), tuple(failed))


# -- the overview's tables --------------------------------------------------------------------------
@dataclass(frozen=True)
class OverviewTable:
    """A table of the overview: a header row, then rows of a label and cells ``(value, kind)``.

    ``kind`` is ``text``, ``count`` or ``share``; a value ``None`` is shown as ``–`` (no data),
    :data:`MARK` as the mark of a hidden cell.
    """

    id: str
    title: str
    corner: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[tuple[object, str], ...]], ...]
    base: str = ""
    note: str = ""

    @property
    def frame(self) -> pd.DataFrame:
        """The values as a DataFrame (rows by label, a column per header)."""
        data = [[value for value, _ in cells] for _, cells in self.rows]
        return pd.DataFrame(data, index=pd.Index([label for label, _ in self.rows], name=self.corner),
                            columns=list(self.columns))

    def shown(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every row as its label and its cells as the reader sees them, with their kinds."""
        return [(label, [(show(value, kind), kind) for value, kind in cells]) for label, cells in self.rows]


def show(value, kind: str) -> str:
    """One value the Swedish way (``1 234``, ``45,5 %``), ``..`` when hidden, ``–`` without data.

    >>> show(0.455, "share"), show(1234, "count"), show(MARK, "share"), show(None, "count")
    ('45,5\\xa0%', '1\\xa0234', '..', '–')
    """
    if isinstance(value, str) and value == MARK:
        return MARK
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return NOT_APPLICABLE
    if kind == "count":
        return fmt.number(value)
    if kind == "share":
        return fmt.percent(value)
    return str(value)


def _value(value):
    """A cell of a protected frame as a plain Python value (``..`` kept; missing → ``None``)."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _row_value(frame: pd.DataFrame, key: str, label: str, column: str, absent=0):
    """``column`` of the row ``label`` (``absent`` when the table leaves that row out: nobody has it)."""
    rows = frame[frame[key] == label]
    return _value(rows[column].iloc[0]) if len(rows) else absent


@dataclass(frozen=True)
class Overview:
    """The reports side by side, ready to be written."""

    reports: tuple  # evaluation.build.report.Report, in column order
    names: tuple[str, ...]
    tables: tuple[OverviewTable, ...]
    chart: object | None  # evaluation.core.model.Chart
    created: dt.date
    period: str | None = None
    missing: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    links: tuple[str, ...] = field(default=())  # per report: its rapport.html relative to the page, or ""

    def table(self, table_id: str) -> OverviewTable:
        return next(t for t in self.tables if t.id == table_id)

    @property
    def title(self) -> str:
        forbund = sorted({r.params.forbund for r in self.reports if r.params.forbund})
        return "Översikt över insatserna" + (f" – {', '.join(forbund)}" if forbund else "")


def shown(report) -> set[str]:
    """The ids of the tables ``report`` shows (:attr:`evaluation.core.model.Document.shown_tables`):
    the overview shows no other. A slutrapport's result by exit reason is computed but not shown,
    as beside the yearly reports it would give small counts back; in the overview, its reasons
    (8 + 3 + 6 of a base of 18) gave the one without a measurement that the report hides. A table
    with no count left to show (a sentence in the report) is in the overview as its ``..``."""
    return {t.id for t in report.document.shown_tables} | {t.id for t in report.tables if t.all_hidden}


def _names(reports) -> tuple[str, ...]:
    names = [r.params.namn for r in reports]
    if len(set(names)) == len(names):
        return tuple(names)
    return tuple(f"{r.params.namn} ({r.params.insats})" for r in reports)


def insats_table(reports, names) -> OverviewTable:
    rows = [
        ("Period", [(f"{fmt.iso(r.params.period.start)} – {fmt.iso(r.params.period.slut)}", "text") for r in reports]),
        ("Rapporttyp", [(vocab.REPORT_TYPES[r.params.rapporttyp], "text") for r in reports]),
        ("Resultatet räknas på", [(_BASES[r.params.resultat_bas] if "resultat" in shown(r) else None, "text")
                                  for r in reports]),
        ("Minsta visade antal (min_cell)", [(r.params.min_cell if r.params.min_cell >= 2 else None, "count")
                                            for r in reports]),
    ]
    return OverviewTable("insatser", "Insatserna och perioderna", "Uppgift", names, _rows(rows))


def _rows(rows) -> tuple:
    return tuple((label, tuple(cells)) for label, cells in rows)


_PARTICIPANT_ROWS = (
    ("Kvinnor", "Kvinna", "unika"), ("Män", "Man", "unika"), ("Uppgift saknas om kön", "Uppgift saknas", "unika"),
    ("Deltagare totalt", vocab.TOTAL, "unika"), ("Inskrivningar", vocab.TOTAL, "inskrivningar"),
    ("Nya under perioden", vocab.TOTAL, "nya"), ("Avslutade under perioden", vocab.TOTAL, "avslutade"),
    ("Pågående vid periodens slut", vocab.TOTAL, "pagaende"),
)


def participant_table(reports, names) -> OverviewTable:
    rows = []
    for label, gender, column in _PARTICIPANT_ROWS:
        cells = []
        for r in reports:
            frame = r.table_map["deltagare_kon"].frame if "deltagare_kon" in shown(r) else None
            cells.append((None if frame is None else _row_value(frame, "kon", gender, column), "count"))
        rows.append((label, cells))
    return OverviewTable("deltagare", "Deltagare", "Antal", names, _rows(rows),
                base="Unika deltagare inskrivna någon dag under perioden; anonyma deltagare ingår.")


_RESULT_SHARES = [r for r in vocab.EXIT_REASONS if r != vocab.NOT_MEASURED] + [
    vocab.WORK_OR_STUDIES_ROW, vocab.ACTIVELY_SEEKING_ROW, vocab.ONGOING_ROW]


def result_table(reports, names) -> OverviewTable:
    from evaluation.analysis.explore import stable

    frames = [stable(r, "resultat") if "resultat" in shown(r) else None for r in reports]
    base = [(None if f is None else _row_value(f, "kategori", vocab.WORK_OR_STUDIES_ROW, "bas", None), "count")
            for f in frames]
    left_out = [(None if f is None else _row_value(f, "kategori", vocab.NOT_IN_RESULT_ROW, "antal", None), "count")
                for f in frames]
    rows = [("Antal i resultatbasen", base)]
    for label in _RESULT_SHARES:
        rows.append((label, [(None if f is None else _row_value(f, "kategori", label, "andel", None), "share")
                             for f in frames]))
    rows.append(("Ej i resultatet (antal)", left_out))
    return OverviewTable(
        "resultat", "Resultat vid avslut", "Kategori", names, _rows(rows),
        base="Andel av resultatbasen. Basen är de avslutade eller alla inskrivna under perioden, enligt "
             "insatsens parametrar (se tabellen Insatserna och perioderna); avslut inom provtiden och utan "
             "mätning räknas inte.",
        note="Aktivt arbetssökande (överlappande) överlappar övriga kategorier. Pågående finns bara när "
             "basen är alla inskrivna.",
    )


def goal_table(reports, names) -> OverviewTable:
    rows = []
    for status in (*GOAL_STATUSES, vocab.TOTAL):
        cells = []
        for r in reports:
            goals = r.table_map.get("mal")
            if goals is None:
                cells.append((None, "count"))
            else:
                statuses = goals.frame["status"]
                cells.append((len(statuses) if status == vocab.TOTAL else int((statuses == status).sum()), "count"))
        rows.append((status, cells))
    return OverviewTable("mal", "Mål efter status", "Status", names, _rows(rows),
                base="Antal mål i insatsens mal.yaml per status för perioden.")


def survey_table(reports, names) -> OverviewTable:
    rows = []
    for r, name in zip(reports, names):
        figures = r.key_figures
        ids = sorted({key.split(".")[1] for key in figures if key.startswith("enkat.") and key.endswith(".svarande")})
        for survey in ids:
            prefix = f"enkat.{survey}"
            rows.append((f"{name}: {figures.get(prefix + '.titel') or survey}", [
                (figures.get(prefix + ".svarande"), "count"), (figures.get(prefix + ".tillfragade"), "count"),
                (figures.get(prefix + ".svarsfrekvens"), "share")]))
    return OverviewTable("enkater", "Enkäter: svarsfrekvens", "Insats och enkät", ("Svarande", "Tillfrågade", "Svarsfrekvens"),
                _rows(rows), base="Svarsfrekvens = svarande / tillfrågade, för enkäter gjorda under perioden.")


def result_chart(reports, names):
    """Bars of the share that went to work or studies, per insats (hidden or missing shares left out)."""
    from evaluation.compute import charts

    shares = []
    for r, name in zip(reports, names):
        if "resultat" in shown(r):
            value = _row_value(r.table("resultat").numeric(), "kategori", vocab.WORK_OR_STUDIES_ROW, "andel", None)
            shares.append({"insats": name, "andel": value})
    frame = pd.DataFrame(shares, columns=["insats", "andel"])
    frame["andel"] = pd.to_numeric(frame["andel"], errors="coerce")
    return charts.share_bars(frame, "insats", "andel", "Andel till arbete eller studier vid avslut")


def build(params_dir: Path | str, period: str | None = None, today: dt.date | None = None,
          out: Path | str | None = None) -> Overview:
    """Build every chosen report in this process and set them side by side (writes nothing).

    ``out``: where the reports are rendered, so the page can link to those that exist.
    """
    from evaluation.build.report import Report

    choice = choose(params_dir, period)
    today = today or dt.date.today()
    reports, failed = [], list(choice.failed)
    for path in choice.paths:
        try:
            report = Report(load_params(path), today=today)
            report.key_figures  # noqa: B018 - computing is the check
            reports.append(report)
        except EvaluationError as exc:
            failed.append((redact(path.parent.name), str(exc)))
    names = _names(reports)
    tables = (insats_table(reports, names), participant_table(reports, names), result_table(reports, names),
              goal_table(reports, names), survey_table(reports, names))
    links = []
    for r in reports:
        target = Path(out) / r.params.insats / r.params.period_slug / "rapport.html" if out is not None else None
        links.append(f"../{r.params.insats}/{r.params.period_slug}/rapport.html" if target and target.is_file() else "")
    return Overview(tuple(reports), names, tables, result_chart(reports, names) if reports else None, today,
                    period, choice.missing, tuple(failed), tuple(links))


# -- writing ------------------------------------------------------------------------------------------
def html(overview: Overview, index: bool = False) -> str:
    """The overview page: one autoescaped template of the toolkit's jinja2 Environment.

    ``index``: link back to the report index (``../index.html``, which exists).
    """
    from markupsafe import Markup

    from evaluation.renderers.html import ENV, block

    return ENV.get_template("oversikt.html.j2").render(
        o=overview, title=overview.title, created=fmt.date(overview.created),
        columns=list(zip(overview.names, overview.links)),
        chart=Markup(block(overview.chart)) if overview.chart is not None else "",
        workbook=f"../{WORKBOOK}", index=index,
    )


_FORMATS = {"share": "0.0%", "count": "#,##0"}


def workbook(overview: Overview, path: Path) -> None:
    """``oversikt.xlsx``: a sheet per table, text cells as strings (never formulas), shares as percent."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from evaluation.renderers import stable_zip
    from evaluation.renderers.xlsx import _text_cell, sheet_names

    wb = Workbook()
    first = wb.active
    first.title = "innehall"
    _text_cell(first, 1, 1, overview.title)
    first.cell(row=1, column=1).font = Font(bold=True, size=13)
    _text_cell(first, 2, 1, f"Skapad {fmt.date(overview.created)}. {MARK}: dolt för att skydda enskilda personer; "
                            f"tom cell: uppgift saknas.")
    names = dict(zip([t.id for t in overview.tables], sheet_names([t.id for t in overview.tables])))
    for i, table in enumerate(overview.tables, start=4):
        _text_cell(first, i, 1, names[table.id])
        first.cell(row=i, column=1).hyperlink = f"#'{names[table.id]}'!A1"
        _text_cell(first, i, 2, table.title)
    first.column_dimensions["A"].width, first.column_dimensions["B"].width = 16, 40
    for table in overview.tables:
        ws = wb.create_sheet(names[table.id])
        _text_cell(ws, 1, 1, table.title)
        ws.cell(row=1, column=1).font = Font(bold=True, size=12)
        for c, head in enumerate((table.corner, *table.columns), start=1):
            _text_cell(ws, 3, c, head)
            ws.cell(row=3, column=c).font = Font(bold=True)
        for r, (label, cells) in enumerate(table.rows, start=4):
            _text_cell(ws, r, 1, label)
            for c, (value, kind) in enumerate(cells, start=2):
                _text_cell(ws, r, c, value)
                if kind in _FORMATS and isinstance(value, (int, float)):
                    ws.cell(row=r, column=c).number_format = _FORMATS[kind]
        below = 4 + len(table.rows) + 1
        for text in (table.base, table.note):
            if text:
                _text_cell(ws, below, 1, text)
                below += 1
        ws.column_dimensions["A"].width = max([len(table.corner)] + [len(label) for label, _ in table.rows]) + 2
        for c in range(2, len(table.columns) + 2):
            ws.column_dimensions[ws.cell(row=3, column=c).column_letter].width = 18
        ws.freeze_panes = ws.cell(row=4, column=2)
    wb.save(path)
    stable_zip(path, overview.created)


def write(overview: Overview, out: Path | str) -> tuple[Path, Path]:
    """Write ``<out>/oversikt/index.html`` and ``<out>/oversikt.xlsx``; refresh the report index if any."""
    out = Path(out)
    from evaluation.run import index

    page, book = out / FOLDER / "index.html", out / WORKBOOK
    listed = (out / index.MANIFEST).is_file()
    publish.replace_file(book, lambda p: workbook(overview, p))
    publish.replace_text(page, html(overview, index=listed))
    if listed:
        index.write_index(out)  # so the index links to the overview
    return page, book
