"""Exploring reports in JupyterLab: tables as DataFrames, other periods, sub-groups, stable rows,
insatser side by side, and the Swedish charts.

Every function takes a :class:`evaluation.build.report.Report` (or a parameters file) and returns a
new report or a DataFrame; nothing is written. A report for another period or a sub-group is
built and validated exactly like any report (its disclosure control included), so what you see
here is what a rendered report would show. The examples run on the built-in demo.

>>> report = open_demo("ungkraft", "2024")
>>> resultat = frames(report)["resultat"].set_index("kategori")
>>> int(resultat.loc["Arbete eller studier", "antal"]), int(resultat.loc["Arbete eller studier", "bas"])
(27, 68)
>>> report.table("deltagare_kon").frame["unika"].tolist()
[24, 53, 77]
>>> women = for_group(report, kon="Kvinna")
>>> women.params.namn, women.table("deltagare_kon").frame["unika"].tolist()
('UngKraft – kön: Kvinna', [24, 0, 24])
>>> earlier = for_period(report, "2024-01-01", "2024-06-30")
>>> earlier.params.period.label()
'2024-01-01 – 2024-06-30'
>>> stable(report, "deltagare_kon")["kon"].tolist()
['Kvinna', 'Man', 'Uppgift saknas', 'Totalt']
>>> side = compare([report, open_demo("samordningsteamet")], "resultat", "andel")
>>> list(side.columns)
['UngKraft', 'Samordningsteamet Exempeldalen']
>>> [round(float(share), 3) for share in side.loc["Arbete eller studier"]]
[0.397, 0.171]
>>> chart(side, "Resultat vid avslut").alt.split(": ")[0]
'Resultat vid avslut, andel'

Charts: every helper of :mod:`evaluation.compute.charts` takes a plain DataFrame, so a stable frame or
a comparison can be drawn directly, e.g. ``charts.share_bars(stable(report, "utbildning"),
"niva", "andel", "Utbildningsnivå")``; a hidden cell (``..``) must first become a missing
number, which :func:`stable` and :func:`compare` do with ``numeric=True``. The chart is shown
in JupyterLab as in the report, and ``.png`` holds the picture.

Longer than 400 lines: the analyst's whole API (``evaluation.open_report`` and what an analyst calls
on it), kept in one module so that its examples read as one guide; each function is short.
"""
from __future__ import annotations

import functools
import itertools
import warnings
from collections import abc
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

import numpy as np
import pandas as pd

from evaluation.build.report import Report, open_report
from evaluation.build.variants import GROUP_COLUMNS
from evaluation.core import vocab
from evaluation.compute import change
from evaluation.core.errors import InputError, ParamsError, UnknownId, kind_of, quote
from evaluation.core.vocab import MARK

#: The parameters of the built-in demo (inside the package, so the examples work from any folder).
DEMO_PARAMS = Path(__file__).resolve().parents[1] / "demo" / "params"



# -- opening ------------------------------------------------------------------------------------
def demo_params(insats: str, period: str | None = None) -> Path:
    """The parameters file of a demo insats: the given period (file name without ``.yaml``) or its latest.

    >>> demo_params("steget").name
    '2024-05-01--2025-04-30.yaml'
    """
    names = ", ".join(sorted(p.name for p in DEMO_PARAMS.iterdir() if p.is_dir()))
    if not isinstance(insats, str) or not isinstance(period, (str, type(None))):
        raise ParamsError(f"ange demoinsatsen (och perioden) som text, t.ex. demo_params(\"steget\"). "
                          f"Demons insatser: {names}.")
    folder = DEMO_PARAMS / insats
    found = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() and "/" not in insats else []
    if not found:
        raise ParamsError(f"demon har ingen insats {quote(insats)}. Demons insatser: {names}.")
    if period is None:
        from evaluation.inputs.params import latest

        return latest([folder / f"{stem}.yaml" for stem in found])
    if period not in found:
        raise ParamsError(f"demoinsatsen {quote(insats)} har ingen period {quote(period)}. Perioder: {', '.join(found)}.")
    return folder / f"{period}.yaml"


def open_demo(insats: str, period: str | None = None) -> Report:
    """A demo report (see :func:`demo_params`); the same report object each time it is asked for."""
    return _open_demo(demo_params(insats, period))


@functools.lru_cache(maxsize=8)
def _open_demo(path: Path) -> Report:
    return open_report(path)

def _report(source: Report | Path | str) -> Report:
    if isinstance(source, Report):
        return source
    if not isinstance(source, (str, Path)):
        raise ParamsError(f"här ska stå en rapport (open_report(...)) eller sökvägen till en parameterfil, inte "
                          f"{kind_of(source)}.")
    return open_report(source)


def _id(value, what: str, example: str) -> str:
    """``value``, an id given as text (a table id, a column), or a :class:`ParamsError` saying so."""
    if not isinstance(value, str):
        raise ParamsError(f"{what} ska anges som text, t.ex. \"{example}\", inte {kind_of(value)}.")
    return value


# -- the same report for another period or a sub-group -------------------------------------------
def for_period(source: Report | Path | str, start, slut) -> Report:
    """The same report (or parameters file) for the period ``start`` – ``slut``, both days included.

    Dates are ``datetime.date`` or text ``ÅÅÅÅ-MM-DD``. The inputs are read and validated again,
    as for any report; nothing is written.

    >>> for_period(demo_params("steget"), "2024-05-01", "2024-01-01")
    Traceback (most recent call last):
    ...
    evaluation.core.errors.ParamsError: ...: perioden 2024-05-01 – 2024-01-01 slutar innan den börjar; ange startdagen först.
    """
    if isinstance(source, Report):
        return source.for_period(start, slut)
    from evaluation.build.variants import period_params
    from evaluation.inputs.params import load_params

    return Report(period_params(load_params(source), start, slut))


def for_group(source: Report | Path | str, **filters) -> Report:
    """The same report for a sub-group of the register, e.g. ``kon="Kvinna"``, ``delinsats="Hälsospåret"``
    or ``remittent=["Arbetsförmedlingen", "Försäkringskassan"]``.

    Only the register (and the follow-ups of the people kept) is filtered; every table, key
    figure, goal and the disclosure control are computed on the sub-group as in any report.
    Survey answers are anonymous and cannot be split, so the sub-group's report has no surveys.
    The report's name says which sub-group it is. Columns: see :data:`GROUP_COLUMNS`.

    >>> for_group(open_demo("steget"), kon="Okänd")
    Traceback (most recent call last):
    ...
    evaluation.core.errors.ParamsError: ...: delgruppen kon = 'Okänd' finns inte i registret. Värden i registret: Kvinna, Man, Uppgift saknas.
    """
    return _report(source).for_group(**filters)



def frames(report: Report) -> dict[str, pd.DataFrame]:
    """Every table of the report as a DataFrame, by table id (hidden cells hold ``..``).

    The frames keep the contract's column ids, shares as fractions 0–1 and unrounded values, as
    in ``tabeller/<id>.csv``. ``report.table(id).numeric()`` gives one with hidden cells missing.
    """
    return {table.id: table.frame.copy() for table in _report(report).tables}


def paired(source: Report | Path | str, instrument_id: str) -> pd.DataFrame:
    """Per participant (or organisation) measured with ``instrument_id`` in the period: first and
    latest value and date, the change and its class, as the tables ``matning_<id>`` count them.

    For the analyst's own exploration only: one row per pseudonymous id, without disclosure
    control, so never paste it into a report (the report shows only the protected tables). Each
    call says so (a warning, which JupyterLab shows under the cell).

    >>> ors = paired(open_demo("samordningsteamet", "2024"), "ors")
    >>> int(ors["senast"].notna().sum()), int((ors["klass"] == "forbattrad").sum())
    (47, 21)
    >>> paired(open_demo("samordningsteamet", "2024"), "phq9")
    Traceback (most recent call last):
    evaluation.core.errors.InputError: instrumentet 'phq9' finns inte i instrument.yaml; instrument där: ors, processtrappa, samverkan
    """
    instrument_id = _id(instrument_id, "instrumentets id", "ors")
    report = _report(source)
    found = report.inputs.get("measurements")
    if found is None:
        raise InputError(f"{report.params.data}: insatsen har inga mätningar (matningar.csv och instrument.yaml). "
                         "Se docs/indatakontrakt.md, avsnitt 9.")
    instrument = found.instruments.get(instrument_id)
    if instrument is None:
        raise InputError(f"instrumentet {quote(instrument_id)} finns inte i instrument.yaml; instrument där: "
                         f"{', '.join(found.instruments)}")
    pairs = change.classified_pairs(found.frame, instrument, report.window.start, report.window.end).reset_index(drop=True)
    warnings.warn(UNPROTECTED, UnprotectedData, stacklevel=2)
    return pairs


class UnprotectedData(UserWarning):
    """What :func:`paired` returns is one row per person, without disclosure control."""


#: The warning of :func:`paired`.
UNPROTECTED = ("paired() visar en rad per deltagare (eller organisation), utan röjandekontroll: den är för din egen "
               "analys. Klistra aldrig in raderna eller tal ur dem i en rapport; rapporten visar bara de skyddade tabellerna.")


# -- stable rows ------------------------------------------------------------------------------------
class Rows(NamedTuple):
    """How a table's rows are keyed, and every row it can have, in contract order."""

    keys: tuple[str, ...]
    labels: Callable  # (params, frame) -> list of labels (tuples when several keys)
    counts: tuple[str, ...]  # columns that are counts: 0 in an added row
    shares: tuple[str, ...] = ("andel",)  # 0 in an added row when the table has any share, else missing


def _age_rows(params, frame) -> list[str]:
    from evaluation.compute.tables import age_labels

    edges = params.alder_intervall
    return [f"Under {edges[0]}", *age_labels(edges), f"{edges[-1]} eller äldre", vocab.AGE_UNKNOWN]


_RESULT_ROWS = [r for r in vocab.EXIT_REASONS if r != vocab.NOT_MEASURED] + [
    vocab.WORK_OR_STUDIES_ROW, vocab.ACTIVELY_SEEKING_ROW, vocab.ONGOING_ROW, vocab.NOT_IN_RESULT_ROW]

#: Tables with a fixed set of rows (sub-insats tables ``<id>_<delinsats>`` share their table's).
STABLE: dict[str, Rows] = {
    "deltagare_kon": Rows(("kon",), lambda p, f: [*vocab.GENDERS, vocab.TOTAL],
                          ("unika", "inskrivningar", "nya", "avslutade", "pagaende"), ()),
    "resultat": Rows(("kategori",), lambda p, f: _RESULT_ROWS, ("antal",)),
    "alder": Rows(("intervall",), _age_rows, ("antal",)),
    "utbildning": Rows(("niva",), lambda p, f: list(vocab.EDUCATION), ("antal",)),
    "tid_i_forsorjning": Rows(("tid",), lambda p, f: list(vocab.TIME_IN_SUPPORT), ("antal",)),
    "aktivt_arbetssokande_start": Rows(("uppgift",), lambda p, f: list(vocab.SEEKING_AT_START), ("antal",)),
    "avslutsanledning_kon": Rows(("avslutsanledning", "kon"),
                                 lambda p, f: list(itertools.product(vocab.EXIT_REASONS, vocab.GENDERS)), ("antal",)),
    "forsorjning_fore_efter": Rows(("kalla",), lambda p, f: [*vocab.SUPPORT_SOURCES, "Uppgift saknas"],
                                   ("fore", "efter", "forandring"), ()),
    "uppfoljning": Rows(("manader", "status"), lambda p, f: list(itertools.product(
        sorted(int(m) for m in f["manader"].unique()), vocab.FOLLOWUP_STATUSES)), ("antal",)),
}


def rows_of(table_id: str) -> Rows | None:
    """The stable rows of a table id (``None``: the table has no fixed categories)."""
    if table_id in STABLE:
        return STABLE[table_id]
    for prefix in ("deltagare_kon", "resultat"):
        if table_id.startswith(prefix + "_"):
            return STABLE[prefix]
    return None


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype.kind not in "biufcmM" and values.isin([MARK]).any():
            out[column] = pd.to_numeric(values.where(values != MARK), errors="coerce")
    return out


#: ``frame.attrs`` key: the categories recoded into another row (see :mod:`evaluation.compute.recode`).
MERGED_ATTR = "sammanslagna"


def stable(report: Report | Path | str, table_id: str, numeric: bool = False) -> pd.DataFrame:
    """A table with every category of the contract, in contract order, zeros included.

    Tables leave out categories nobody has (a reason nobody left for, ``Uppgift saknas`` when
    every gender is known); here they come back with 0 (their share 0, or missing when the
    table has no base), so insatser and periods line up row by row. In ``resultat`` the row
    ``Pågående`` is missing (not 0) when the result base is the ended enrolments. Rows the
    contract does not list (none in a valid report) are kept at the end. Hidden cells keep
    ``..``; ``numeric=True`` makes them missing numbers, for charts and arithmetic. A category
    merged into another row before suppression (a few people's exit reason in ``Övrigt``, an age
    band in its neighbour) is ``..`` too, never 0.

    >>> report = open_demo("steget")
    >>> frame = stable(report, "resultat")
    >>> row = frame.set_index("kategori").loc["Flyttat"]
    >>> int(row["antal"]), int(row["bas"])  # nobody moved; 49 counted in the result
    (0, 49)
    """
    report = _report(report)  # a report, or its parameter file (as frames, compare and paired take)
    table = report.table(_id(table_id, "tabellens id", "resultat"))
    rows = rows_of(table_id)
    if rows is None:
        have = ", ".join(sorted(STABLE))
        raise ParamsError(f"tabellen '{table_id}' har inga fasta kategorier. Fasta rader finns för: {have} "
                          "(och deltagare_kon_<delinsats>, resultat_<delinsats>).")
    frame = table.frame
    keys = list(rows.keys)
    labels = rows.labels(report.params, frame)
    indexed = frame.set_index(keys) if len(frame) else frame.set_index(keys).iloc[0:0]
    present = list(indexed.index)
    order = list(labels) + [label for label in present if label not in set(labels)]
    index = pd.MultiIndex.from_tuples(order, names=keys) if len(keys) > 1 else pd.Index(order, name=keys[0])
    out = indexed.reindex(index)
    added = ~index.isin(indexed.index)
    for column in out.columns:
        if not added.any():
            break
        if column in rows.counts:
            fill = 0
        elif column in rows.shares:
            fill = 0.0 if _numeric(frame[[column]])[column].notna().any() else float("nan")
        elif column == "bas" and len(frame):
            fill = frame["bas"].iloc[0]  # every result row but 'Ej i resultatet' has the same base
        else:
            fill = float("nan")
        out[column] = _with(out[column], added, fill)
    gone = list(frame.attrs.get(MERGED_ATTR, ()))
    if isinstance(out.index, pd.MultiIndex):  # the reason or status is one of the key levels
        merged = np.any([out.index.get_level_values(k).isin(gone) for k in range(out.index.nlevels)], axis=0)
    else:
        merged = out.index.isin(gone)
    if merged.any():  # recoded into another row (evaluation.compute.recode): not shown on their own
        for column in [c for c in out.columns if c in rows.counts or c in rows.shares]:
            out[column] = _with(out[column], merged, MARK)
    if table_id.startswith("resultat") and report.params.resultat_bas == "avslutade":
        ongoing = out.index == vocab.ONGOING_ROW
        for column in ("antal", "andel"):
            out[column] = _with(out[column], ongoing, float("nan"))
    out = out.reset_index()
    return _numeric(out) if numeric else out


def _with(values: pd.Series, where, fill) -> pd.Series:
    """``values`` with ``fill`` where ``where`` is true, keeping whole numbers whole when possible."""
    out = values.astype(object).where(~where, fill)
    if not out.isin([MARK]).any():
        converted = pd.to_numeric(out, errors="coerce")
        if converted.notna().all() and (converted == converted.round()).all() and not isinstance(fill, float):
            return converted.astype(int)
        return converted
    return out


# -- several insatser side by side ----------------------------------------------------------------
def _names(reports: list[Report]) -> list[str]:
    names = [r.params.namn for r in reports]
    if len(set(names)) == len(names):
        return names
    return [f"{r.params.namn} {r.params.period_slug}" for r in reports]


def compare(sources: Iterable[Report | Path | str], table_id: str, column: str, numeric: bool = False) -> pd.DataFrame:
    """One column of one table from several reports, side by side: a column per report.

    ``sources`` are reports or parameters files. Rows are the table's categories in contract
    order (see :func:`stable`), so every insats has every row; tables without fixed categories
    (e.g. ``delinsatser``) are joined on their first column. A report without the table gets
    an empty column. Columns are named by the insats's name (with the period when an insats
    comes twice). Hidden cells keep ``..`` unless ``numeric=True``.

    >>> compare([open_demo("steget")], "resultat", "antal").loc[["Arbete", "Flyttat"]].values.tolist()
    [[9], [0]]
    """
    table_id, column = _id(table_id, "tabellens id", "resultat"), _id(column, "kolumnen", "andel")
    if isinstance(sources, (Report, str, Path)):  # one report: a column of its own
        sources = [sources]
    elif not isinstance(sources, abc.Iterable) or isinstance(sources, pd.DataFrame):
        raise ParamsError(f"ange rapporterna att jämföra som en lista, t.ex. compare([rapport_a, rapport_b], "
                          f"\"resultat\", \"andel\"), inte {kind_of(sources)}.")
    reports = [_report(s) for s in sources]
    if not reports:
        raise ParamsError("ange minst en rapport eller parameterfil att jämföra.")
    rows = rows_of(table_id)
    if not any(table_id in report.table_map for report in reports):
        raise UnknownId(f"ingen av rapporterna har tabellen '{table_id}'; tabellerna är: "
                        f"{', '.join(dict.fromkeys(t for r in reports for t in r.table_map))}.")
    series = []
    for report, name in zip(reports, _names(reports)):
        if table_id not in report.table_map:
            series.append(pd.Series(dtype=object, name=name))
            continue
        frame = stable(report, table_id) if rows else report.table(table_id).frame
        keys = list(rows.keys) if rows else [frame.columns[0]]
        if column not in frame.columns:
            raise ParamsError(f"tabellen '{table_id}' har ingen kolumn '{column}'; den har: {', '.join(frame.columns)}.")
        series.append(frame.set_index(keys)[column].rename(name))
    out = pd.concat(series, axis=1, sort=False)
    out.columns = [s.name for s in series]
    return _numeric(out) if numeric else out


def chart(compared: pd.DataFrame, title: str):
    """Grouped bars of a comparison of shares (see :func:`compare`), in the report's Swedish style.

    Hidden cells and empty columns are left out; the chart's alt text states every figure shown.
    Returns ``None`` when there is nothing to draw.
    """
    from evaluation.compute import charts

    if not isinstance(compared, pd.DataFrame) or not isinstance(title, str):
        raise ParamsError(
            "chart() ritar en jämförelse med en rubrik: chart(compare([rapport_a, rapport_b], \"resultat\", "
            "\"andel\"), \"Resultat\"). Den fick " + f"{kind_of(compared)} och {kind_of(title)}."
        )
    data = _numeric(compared)
    text = [str(c) for c in data.columns if not pd.api.types.is_numeric_dtype(data[c])
            and pd.to_numeric(data[c].dropna(), errors="coerce").isna().any()]
    if text or not len(data.columns):
        raise ParamsError(
            "chart() ritar en tabell från compare(...): kategorierna som rader och en kolumn med andelar per "
            f"rapport, t.ex. chart(compare([rapport_a, rapport_b], \"resultat\", \"andel\"), \"Resultat\"). Den fick en "
            f"tabell med kolumnerna {', '.join(str(c) for c in data.columns) or '(inga)'}"
            + (f", där {', '.join(text)} inte är tal." if text else ".")
            + " Har du en tabell med en kolumn kategori, gör den till rader med .set_index(\"kategori\") och välj "
            "andelarna, t.ex. [[\"andel\"]].")
    if isinstance(data.index, pd.MultiIndex):
        data.index = pd.Index([" – ".join(str(part) for part in key) for key in data.index], name="kategori")
    label = data.index.name if data.index.name not in (None, "insats", "andel") else "kategori"
    # built by hand, not melt(): a column named like the label or "andel" (a table's own) is no clash
    long = pd.DataFrame([(str(key), str(column), pd.to_numeric(value, errors="coerce"))
                         for column in data.columns for key, value in data[column].items()],
                        columns=[label, "insats", "andel"])
    long = long.dropna(subset=["andel"])
    return charts.grouped_share_bars(long, label, "andel", "insats", title)
