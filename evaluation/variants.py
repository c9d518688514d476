"""The same report for another period or for a sub-group of the register.

Both build a new :class:`evaluation.report.Report` and go through every stage again (tables,
disclosure control, key figures, goals), so a sub-group or a half year is protected as any
report is. :mod:`evaluation.explore` offers them to the analyst; ``Report.for_period`` and
``Report.for_group`` call them.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from . import vocab
from .errors import ParamsError
from .params import Period
from .report import Report, open_report

#: Register columns a sub-group can be chosen by, with their Swedish names.
GROUP_COLUMNS = {
    "kon": "kön", "delinsats": "delinsats", "remittent": "remittent",
    "utbildningsniva": "utbildningsnivå", "tid_i_forsorjning": "tid i försörjning",
}
_CODED = {"kon": vocab.GENDERS, "utbildningsniva": vocab.EDUCATION, "tid_i_forsorjning": vocab.TIME_IN_SUPPORT}


def _report(source: Report | Path | str) -> Report:
    return source if isinstance(source, Report) else open_report(source)


# -- the same report for another period or a sub-group -------------------------------------------
def _day(value, what: str, source) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParamsError(f"{source}: {what} '{value}' är inget datum; skriv det som ÅÅÅÅ-MM-DD, t.ex. 2024-01-01.") from None


def for_period(source: Report | Path | str, start, slut) -> Report:
    """The same report (or parameters file) for the period ``start`` – ``slut``, both days included.

    Dates are ``datetime.date`` or text ``ÅÅÅÅ-MM-DD``. The inputs are read and validated again,
    as for any report; nothing is written.

    >>> from evaluation.explore import demo_params
    >>> for_period(demo_params("steget"), "2024-05-01", "2024-01-01")
    Traceback (most recent call last):
    ...
    evaluation.errors.ParamsError: ...: perioden 2024-05-01 – 2024-01-01 slutar innan den börjar; ange startdagen först.
    """
    params = source.params if isinstance(source, Report) else _report_params(source)
    where = params.source or params.insats
    first, last = _day(start, "startdatumet", where), _day(slut, "slutdatumet", where)
    if last < first:
        raise ParamsError(f"{where}: perioden {first} – {last} slutar innan den börjar; ange startdagen först.")
    period = Period(start=first, slut=last)
    changed = params.model_copy(update={"period": period, "period_slug": f"{first}--{last}"})
    return Report(changed, today=source.today if isinstance(source, Report) else None)


def _report_params(path: Path | str):
    from .params import load_params

    return load_params(path)


def _matcher(column: str, values: tuple[str, ...], present: pd.Series, where) -> set[str]:
    """The register values chosen by ``values`` (coded columns in any case, free text ignoring case)."""
    written = sorted({str(v).strip() for v in present.dropna() if str(v).strip()})
    table = {" ".join(v.lower().split()): v for v in written}
    chosen, unknown = set(), []
    for value in values:
        label = table.get(" ".join(str(value).lower().split()))
        if label is None:
            unknown.append(str(value))
        else:
            chosen.add(label)
    if unknown:
        allowed = ", ".join(written) if written else "(inga värden i perioden)"
        raise ParamsError(
            f"{where}: delgruppen {column} = {', '.join(unknown)} finns inte i registret. "
            f"Värden i registret: {allowed}."
        )
    return chosen


def for_group(source: Report | Path | str, **filters) -> Report:
    """The same report for a sub-group of the register, e.g. ``kon="Kvinna"``, ``delinsats="Hälsospåret"``
    or ``remittent=["Arbetsförmedlingen", "Försäkringskassan"]``.

    Only the register (and the follow-ups of the people kept) is filtered; every table, key
    figure, goal and the disclosure control are computed on the sub-group as in any report.
    Survey answers are anonymous and cannot be split, so the sub-group's report has no surveys.
    The report's name says which sub-group it is. Columns: see :data:`GROUP_COLUMNS`.

    >>> from evaluation.explore import open_demo
    >>> for_group(open_demo("steget"), kon="Okänd")
    Traceback (most recent call last):
    ...
    evaluation.errors.ParamsError: ...: delgruppen kon = Okänd finns inte i registret. Värden i registret: Kvinna, Man, Uppgift saknas.
    """
    report = _report(source)
    where = report.params.source or report.params.insats
    if not filters:
        raise ParamsError(f"{where}: ange delgruppen, t.ex. for_group(rapport, kon=\"Kvinna\"). "
                          f"Kolumner att välja på: {', '.join(GROUP_COLUMNS)}.")
    unknown = [c for c in filters if c not in GROUP_COLUMNS]
    if unknown:
        raise ParamsError(f"{where}: delgrupper kan inte väljas på {', '.join(unknown)}. "
                          f"Kolumner att välja på: {', '.join(GROUP_COLUMNS)}.")
    register = report.inputs.get("register")
    if register is None:
        raise ParamsError(f"{where}: rapporten har inget deltagarregister att välja en delgrupp ur.")
    keep = pd.Series(True, index=register.index)
    labels = []
    for column, wanted in filters.items():
        values = (wanted,) if isinstance(wanted, str) else tuple(wanted)
        chosen = _matcher(column, values, register[column], where)
        keep &= register[column].isin(chosen)
        shown = [v for v in _CODED.get(column, sorted(chosen)) if v in chosen]
        labels.append(f"{GROUP_COLUMNS[column]}: {', '.join(shown)}")
    inputs = dict(report.inputs)
    inputs["register"] = register[keep].reset_index(drop=True)
    followups = inputs.get("followups")
    if followups is not None:
        kept = set(inputs["register"]["deltagar_id"])
        inputs["followups"] = followups[followups["deltagar_id"].isin(kept)].reset_index(drop=True)
    inputs["surveys"] = None
    p = report.params
    params = p.model_copy(update={"namn": f"{p.namn} – {'; '.join(labels)}"})
    return Report(params, today=report.today, inputs=inputs)
