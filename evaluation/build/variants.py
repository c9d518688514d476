"""The same report for another period or for a sub-group of the register.

:func:`period_params` and :func:`group_inputs` give the parameters (and inputs) of the new
report; ``Report.for_period`` and ``Report.for_group`` build it through every stage again
(tables, disclosure control, key figures, goals), so a sub-group or a half year is protected as
any report is. :mod:`evaluation.analysis.explore` offers them to the analyst.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from evaluation.core import vocab
from evaluation.core.errors import ParamsError, cut_list, kind_of, quote
from evaluation.inputs.params import Period, ReportParams
from evaluation.inputs.years import year_problem

#: Register columns a sub-group can be chosen by, with their Swedish names.
GROUP_COLUMNS = {
    "kon": "kön", "delinsats": "delinsats", "remittent": "remittent",
    "utbildningsniva": "utbildningsnivå", "tid_i_forsorjning": "tid i försörjning",
}
_CODED = {"kon": vocab.GENDERS, "utbildningsniva": vocab.EDUCATION, "tid_i_forsorjning": vocab.TIME_IN_SUPPORT}


# -- the same report for another period or a sub-group -------------------------------------------
def _day(value, what: str, source) -> dt.date:
    """``value`` as a date whose year is sane (:func:`evaluation.inputs.years.year_problem`)."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ParamsError(f"{source}: {what} {quote(value)} är inget datum; skriv det som ÅÅÅÅ-MM-DD, "
                              "t.ex. 2024-01-01.") from None
    problem = year_problem(day)
    if problem:
        raise ParamsError(f"{source}: {what} {day.isoformat()}: {problem}.")
    return day


def period_params(params: ReportParams, start, slut) -> ReportParams:
    """``params`` for the period ``start`` – ``slut`` (dates or ``ÅÅÅÅ-MM-DD``), both days included."""
    where = params.source or params.insats
    first, last = _day(start, "startdatumet", where), _day(slut, "slutdatumet", where)
    if last < first:
        raise ParamsError(f"{where}: perioden {first} – {last} slutar innan den börjar; ange startdagen först.")
    period = Period(start=first, slut=last)
    return params.model_copy(update={"period": period, "period_slug": f"{first}--{last}"})


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
        allowed = cut_list(written) if written else "(inga värden i perioden)"
        raise ParamsError(
            f"{where}: delgruppen {column} = {cut_list(quote(u) for u in unknown)} finns inte i registret. "
            f"Värden i registret: {allowed}."
        )
    return chosen


def group_inputs(params: ReportParams, inputs, **filters) -> tuple[ReportParams, dict]:
    """The parameters (named for the sub-group) and inputs of the sub-group ``filters`` chooses:
    the register rows, the follow-ups of the people kept, and no surveys (anonymous answers
    cannot be split)."""
    where = params.source or params.insats
    if not filters:
        raise ParamsError(f"{where}: ange delgruppen, t.ex. for_group(rapport, kon=\"Kvinna\"). "
                          f"Kolumner att välja på: {', '.join(GROUP_COLUMNS)}.")
    unknown = [c for c in filters if c not in GROUP_COLUMNS]
    if unknown:
        raise ParamsError(f"{where}: delgrupper kan inte väljas på {cut_list(quote(c) for c in unknown)}. "
                          f"Kolumner att välja på: {', '.join(GROUP_COLUMNS)}.")
    register = inputs.get("register")
    if register is None:
        raise ParamsError(f"{where}: rapporten har inget deltagarregister att välja en delgrupp ur.")
    keep = pd.Series(True, index=register.index)
    labels = []
    for column, wanted in filters.items():
        values = (wanted,) if isinstance(wanted, str) else tuple(wanted) if isinstance(wanted, (list, tuple, set)) else None
        if not values or not all(isinstance(v, str) for v in values):
            given = ("en tom lista" if values == () else "en lista med annat än text" if values
                     else kind_of(wanted))
            example = _CODED[column][0] if column in _CODED else "…"
            raise ParamsError(f"{where}: delgruppen {column}: ange värdet som text, t.ex. {column}=\"{example}\", "
                              f"eller en lista av texter; här står {given}.")
        chosen = _matcher(column, values, register[column], where)
        keep &= register[column].isin(chosen)
        shown = [v for v in _CODED.get(column, sorted(chosen)) if v in chosen]
        labels.append(f"{GROUP_COLUMNS[column]}: {', '.join(shown)}")
    inputs = dict(inputs)
    inputs["register"] = register[keep].reset_index(drop=True)
    followups = inputs.get("followups")
    if followups is not None:
        kept = set(inputs["register"]["deltagar_id"])
        inputs["followups"] = followups[followups["deltagar_id"].isin(kept)].reset_index(drop=True)
    inputs["surveys"] = None
    return params.model_copy(update={"namn": f"{params.namn} – {'; '.join(labels)}"}), inputs
