"""Register tables (contract §6) as pure functions: DataFrame in, DataFrame out.

Each function takes the validated register (see :func:`evaluation.inputs.register.load_register`)
and the period, and returns the table with the contract's column ids, shares as fractions.

Period membership (contract §2): an enrolment is *in* the period when enrolled on any day of
it; *new* when it started in it; *ended* when it ended in it; *ongoing* when it had no end on
the period's last day. Anonymous enrolments count only in :func:`deltagare_kon`.
"""
from __future__ import annotations

import collections
import datetime as dt
from typing import Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd

from evaluation.compute import catalogue
from evaluation.core import perframe, vocab


class Window(NamedTuple):
    """The reporting period, both days included."""

    start: dt.date
    end: dt.date


def _ts(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


def _on(reg: pd.DataFrame, mask: np.ndarray) -> pd.Series:
    return pd.Series(mask, index=reg.index, dtype=bool)


# The period's tests compare the date columns' arrays: a report asks them some 40 times, and
# pandas comparisons took 3 times as long (ended_in 0.12 CPU-ms a bench register, this 0.04).
def in_period(reg: pd.DataFrame, w: Window) -> pd.Series:
    start, end = reg["startdatum"].to_numpy(), reg["slutdatum"].to_numpy()
    return _on(reg, (start <= np.datetime64(w.end)) & (np.isnat(end) | (end >= np.datetime64(w.start))))


def new_in(reg: pd.DataFrame, w: Window) -> pd.Series:
    start = reg["startdatum"].to_numpy()
    return _on(reg, (start >= np.datetime64(w.start)) & (start <= np.datetime64(w.end)))


def ended_in(reg: pd.DataFrame, w: Window) -> pd.Series:
    end = reg["slutdatum"].to_numpy()
    return _on(reg, (end >= np.datetime64(w.start)) & (end <= np.datetime64(w.end)))


def ongoing_at_end(reg: pd.DataFrame, w: Window) -> pd.Series:
    end = reg["slutdatum"].to_numpy()
    return in_period(reg, w) & _on(reg, np.isnat(end) | (end > np.datetime64(w.end)))


def _distinct_count(ids: pd.Series, mask: np.ndarray) -> int:
    """How many distinct ids the rows in ``mask`` have (through the codes of a categorical)."""
    if isinstance(ids.dtype, pd.CategoricalDtype):
        codes_ = ids.cat.codes.to_numpy()[mask]
        codes_ = codes_[codes_ >= 0]
        return int(np.count_nonzero(np.bincount(codes_, minlength=1))) if len(codes_) else 0
    return ids[mask].nunique()


def _counts_of(reg: pd.DataFrame, inside: np.ndarray, w: Window) -> dict:
    """The counts of ``deltagare_kon`` for the enrolments in ``inside`` (all in the period)."""
    start, end = reg["startdatum"].to_numpy()[inside], reg["slutdatum"]
    end = end.to_numpy()[inside]
    first, last = np.datetime64(w.start), np.datetime64(w.end)
    # As new_in, ended_in and ongoing_at_end of the enrolments in the period (NaT compares False).
    return {
        "unika": _distinct_count(reg["deltagar_id"], inside),
        "inskrivningar": int(inside.sum()),
        "nya": int(((start >= first) & (start <= last)).sum()),
        "avslutade": int(((end >= first) & (end <= last)).sum()),
        "pagaende": int((np.isnat(end) | (end > last)).sum()),
    }


def period_counts(reg: pd.DataFrame, w: Window) -> dict:
    """The counts of :func:`deltagare_kon`'s ``Totalt`` row, without the table."""
    return _counts_of(reg, in_period(reg, w).to_numpy(dtype=bool), w)


def deltagare_kon(reg: pd.DataFrame, w: Window) -> pd.DataFrame:
    """Participants by gender: unique people, enrolments, new, ended, ongoing; with a total.

    ``Uppgift saknas`` appears only when someone has it. Anonymous enrolments are included.
    """
    inside = in_period(reg, w).to_numpy(dtype=bool)
    rows = []
    for gender in vocab.GENDERS:
        mask = inside & (reg["kon"] == gender).to_numpy(dtype=bool)
        if gender == "Uppgift saknas" and not mask.any():
            continue
        rows.append({"kon": gender, **_counts_of(reg, mask, w)})
    rows.append({"kon": "Totalt", **_counts_of(reg, inside, w)})
    return pd.DataFrame(rows)


def _is_true(values: pd.Series) -> pd.Series:
    """``v is True`` per cell, each distinct value tested once."""
    codes_, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    truth = np.array([u is True for u in uniques], dtype=bool)
    return pd.Series(truth[codes_], index=values.index, dtype=bool)


def _tuples(values: pd.Series) -> pd.Series:
    """The cells as tuples (``()`` for anything else), each distinct value converted once."""
    codes_, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    converted = np.empty(len(uniques), dtype=object)
    for i, u in enumerate(uniques):
        converted[i] = u if isinstance(u, tuple) else ()
    return pd.Series(converted[codes_], index=values.index, dtype=object)


def _named(reg: pd.DataFrame) -> pd.DataFrame:
    return reg[~reg["anonym"]]


def started(reg: pd.DataFrame, w: Window) -> pd.DataFrame:
    """Non-anonymous enrolments that started in the period (the base of background tables)."""
    return reg[~reg["anonym"] & new_in(reg, w)]


def ended(reg: pd.DataFrame, w: Window) -> pd.DataFrame:
    """Non-anonymous enrolments that ended in the period: selected once a register and period
    (:func:`evaluation.core.perframe.once`), each caller given its own copy (shallow: pandas copies
    on write). A bench report asks 12 times for 4 selections: 9.7 CPU-ms, now 3.3."""
    return perframe.once(reg, ("ended", w), lambda: reg[~reg["anonym"] & ended_in(reg, w)]).copy(deep=False)


def _distribution(values: pd.Series, labels: list[str], name: str) -> pd.DataFrame:
    counts = values.value_counts()
    total = int(counts.sum())
    frame = pd.DataFrame({name: labels, "antal": [int(counts.get(label, 0)) for label in labels]})
    frame["andel"] = frame["antal"] / total if total else float("nan")
    return frame


def age_labels(edges: list[int]) -> list[str]:
    """Band labels from edges ``[a, b)``: ``[15, 30, 45]`` → ``['15–29', '30–44']`` (a range's en dash)."""
    return [f"{a}–{b - 1}" for a, b in zip(edges, edges[1:])]


def age_band(age, edges: list[int]) -> str:
    if age is None or pd.isna(age):
        return vocab.AGE_UNKNOWN
    if age < edges[0]:
        return f"Under {edges[0]}"
    for a, b in zip(edges, edges[1:]):
        if a <= age < b:
            return f"{a}–{b - 1}"
    return f"{edges[-1]} eller äldre"


def alder(reg: pd.DataFrame, w: Window, edges: list[int]) -> pd.DataFrame:
    """Age bands at start of those who started in the period (``Saknas`` only when present)."""
    ages = started(reg, w)["alder"]
    distinct = ages.drop_duplicates()
    bands = ages.map(dict(zip(distinct, (age_band(a, edges) for a in distinct))))
    present = set(bands.unique())
    below, above = f"Under {edges[0]}", f"{edges[-1]} eller äldre"
    labels = [below] * (below in present) + age_labels(edges)
    labels += [label for label in (above, vocab.AGE_UNKNOWN) if label in present]
    return _distribution(bands, labels, "intervall")


def utbildning(reg: pd.DataFrame, w: Window) -> pd.DataFrame:
    """Education level of those who started in the period (every level of the code list)."""
    return _distribution(started(reg, w)["utbildningsniva"], list(vocab.EDUCATION), "niva")


def tid_i_forsorjning(reg: pd.DataFrame, w: Window) -> pd.DataFrame:
    """Time in public support at start of those who started in the period."""
    return _distribution(started(reg, w)["tid_i_forsorjning"], list(vocab.TIME_IN_SUPPORT), "tid")


def aktivt_arbetssokande_start(reg: pd.DataFrame, w: Window) -> pd.DataFrame:
    """Registered as actively seeking work at start, of those who started in the period."""
    values = started(reg, w)["aktivt_arbetssokande_start"]
    yes, no, unknown = vocab.SEEKING_AT_START
    answers = pd.Series(np.where(_is_true(values), yes, np.where(values.eq(False).fillna(False), no, unknown)),
                        index=values.index)
    return _distribution(answers, list(vocab.SEEKING_AT_START), "uppgift")


def in_trial(reg: pd.DataFrame, trial_days: int) -> pd.Series:
    """Ended fewer than ``trial_days`` days after start (0 = no trial period)."""
    end = reg["slutdatum"].to_numpy()  # whole days fewer than trial_days: less time than that many days
    return _on(reg, ~np.isnat(end) & (end - reg["startdatum"].to_numpy() < np.timedelta64(trial_days, "D")))


class ResultBase(NamedTuple):
    """Who is in the result denominator, and who is left out and why."""

    base: pd.DataFrame  # enrolments counted
    excluded: pd.DataFrame  # ended in the trial period or 'Utan mätning'
    population: int  # ended (avslutade) or enrolled (alla_inskrivna) before exclusions
    counted_in: bool = False  # those left out were too few to show apart, and are in the base


#: The columns of the result base (the enrolments, without what the outcome does not read).
_RESULT_COLUMNS = ["rad", "deltagar_id", "kon", "startdatum", "slutdatum", "avslutsanledning", "aktivt_arbetssokande"]


def result_base(reg: pd.DataFrame, w: Window, mode: str, trial_days: int, min_cell: int = 0) -> ResultBase:
    """Who the result counts. Those it leaves out (ended in the trial period, or ``Utan mätning``)
    are counted in it when they are 1 … ``min_cell`` − 1: everyone before the exclusions less the
    base would give their number back (the total is shown beside the base), and hiding either
    would hide a report's headline; in the base they are a row to protect like any other."""
    pool = reg.loc[~reg["anonym"] & (ended_in(reg, w) if mode == "avslutade" else in_period(reg, w)),
                   [c for c in _RESULT_COLUMNS if c in reg.columns]]
    left_out = (ended_in(pool, w) & in_trial(pool, trial_days)) | (pool["avslutsanledning"] == vocab.NOT_MEASURED)
    if min_cell > 1 and 0 < int(left_out.sum()) < min_cell:
        return ResultBase(pool, pool.iloc[:0], len(pool), counted_in=True)
    return ResultBase(pool[~left_out], pool[left_out], len(pool))


#: ``frame.attrs`` key of table ``resultat``: those the result leaves out were counted in it
#: (too few to show apart, :func:`result_base`).
COUNTED_IN_ATTR = "uteslutna_i_basen"


#: ``frame.attrs`` key of table ``resultat`` holding its user groups (name → member rows), so
#: disclosure control knows that a group row is the sum of its members.
GROUPS_ATTR = catalogue.GROUPS_ATTR


def resultat(reg: pd.DataFrame, w: Window, mode: str = "avslutade", trial_days: int = 0,
             groups: Mapping[str, Sequence[str]] | None = None, min_cell: int = 0) -> pd.DataFrame:
    """Outcome at exit, as shares of the result base.

    ``mode`` ``avslutade``: base = ended in the period; ``alla_inskrivna``: base = everyone
    enrolled in the period (those still enrolled at its end are ``Pågående``). Enrolments that
    ended within the trial period, and exits ``Utan mätning``, are never in the base: they are
    the row ``Ej i resultatet`` (its base is everyone before exclusions). ``Aktivt
    arbetssökande (överlappande)`` counts those in the base flagged actively seeking work (or
    with that exit reason) who did not go to work or studies; it overlaps the other rows.
    ``groups`` (parameter ``resultatgrupper``) adds one row per group after ``Arbete eller
    studier``: the sum of its member rows (exit reasons, or ``Pågående``), shown even when 0.
    The groups are kept in ``frame.attrs[GROUPS_ATTR]``. With ``min_cell``, those left out are
    counted in the base when they are too few to show apart (:func:`result_base`; exits ``Utan
    mätning`` are then a row of their own), said in ``frame.attrs[COUNTED_IN_ATTR]``.
    """
    rb = result_base(reg, w, mode, trial_days, min_cell)
    base = rb.base
    n = len(base)
    exits = base[ended_in(base, w)]
    reasons = exits["avslutsanledning"].value_counts()
    rows = [{"kategori": reason, "antal": int(reasons[reason])}
            for reason in vocab.EXIT_REASONS if reasons.get(reason, 0)]
    work = _to_work_or_studies(exits)
    flagged = _is_true(exits["aktivt_arbetssokande"])
    seeking = (flagged | (exits["avslutsanledning"] == vocab.ACTIVELY_SEEKING)) & ~work
    ongoing = int(ongoing_at_end(base, w).sum()) if mode == "alla_inskrivna" else 0
    rows.append({"kategori": "Arbete eller studier", "antal": int(work.sum())})
    for name, members in (groups or {}).items():
        count = int(exits["avslutsanledning"].isin(list(members)).sum()) + (ongoing if "Pågående" in members else 0)
        rows.append({"kategori": name, "antal": count})
    rows.append({"kategori": "Aktivt arbetssökande (överlappande)", "antal": int(seeking.sum())})
    if mode == "alla_inskrivna":
        rows.append({"kategori": "Pågående", "antal": ongoing})
    frame = pd.DataFrame(rows, columns=["kategori", "antal"])
    frame["bas"] = n
    excluded = {"kategori": "Ej i resultatet", "antal": len(rb.excluded), "bas": rb.population}
    frame = pd.concat([frame, pd.DataFrame([excluded])], ignore_index=True)
    # one base per share column: "Ej i resultatet" is outside the result base, so it has no share
    # (its count is stated in the table's base text)
    frame["andel"] = [a / b if b and k != vocab.NOT_IN_RESULT_ROW else float("nan")
                      for a, b, k in zip(frame["antal"], frame["bas"], frame["kategori"])]
    frame.attrs[GROUPS_ATTR] = {name: tuple(members) for name, members in (groups or {}).items()}
    frame.attrs[COUNTED_IN_ATTR] = rb.counted_in
    return frame


def _to_work_or_studies(enrolments: pd.DataFrame) -> pd.Series:
    return enrolments["avslutsanledning"].isin(vocab.WORK_OR_STUDIES)


def work_or_studies(reg: pd.DataFrame, w: Window, mode: str = "avslutade", trial_days: int = 0,
                    min_cell: int = 0) -> tuple[int, int]:
    """The count and base of :func:`resultat`'s row ``Arbete eller studier``, without the table: what
    each row of a trend reads (the table took 7.2 CPU-ms a period of the bench reports, this 3.3).
    """
    base = result_base(reg, w, mode, trial_days, min_cell).base
    return int((ended_in(base, w) & _to_work_or_studies(base)).sum()), len(base)


def avslutsanledning_kon(reg: pd.DataFrame, w: Window) -> pd.DataFrame:
    """Exit reasons by gender of those who ended in the period (shares of all ended)."""
    sub = ended(reg, w)
    total = len(sub)
    # every pair counted in one pass: comparing both columns for each of the 27 pairs took 4.0 CPU-ms a bench report, this 0.9
    pairs = collections.Counter(zip(sub["avslutsanledning"], sub["kon"]))
    rows = [{"avslutsanledning": reason, "kon": gender, "antal": n, "andel": n / total}
            for reason in vocab.EXIT_REASONS for gender in vocab.GENDERS if (n := pairs[reason, gender])]
    return pd.DataFrame(rows, columns=["avslutsanledning", "kon", "antal", "andel"])


def forsorjning_fore_efter(reg: pd.DataFrame, w: Window) -> pd.DataFrame:
    """Sources of support before and after, for those who ended in the period.

    A participant may have several sources, so the columns can add up to more than the
    number of participants. ``Uppgift saknas`` counts participants with no source recorded.
    ``forandring_procent`` is the change as a fraction of ``fore`` (empty when ``fore`` is 0).
    ``bas`` is the number who ended (every row), ``andel_fore`` and ``andel_efter`` the
    shares of it that had the source before and after.
    """
    sub = ended(reg, w)
    labels = list(vocab.SUPPORT_SOURCES) + ["Uppgift saknas"]

    def count(column: str) -> dict:
        # Each distinct combination of sources once, with the number of participants who have it.
        combinations = _tuples(sub[column])
        many = combinations.value_counts()
        tally = {label: int(sum(n for s, n in many.items() if label in s)) for label in vocab.SUPPORT_SOURCES}
        tally["Uppgift saknas"] = int(sum(n for s, n in many.items() if len(s) == 0))
        return tally

    before, after = count("forsorjning_fore"), count("forsorjning_efter")
    rows = [
        {"kalla": label, "fore": before[label], "efter": after[label]}
        for label in labels
        if before[label] or after[label]
    ]
    frame = pd.DataFrame(rows, columns=["kalla", "fore", "efter"])
    frame["forandring"] = frame["efter"] - frame["fore"]
    frame["forandring_procent"] = [
        (e - f) / f if f else float("nan") for f, e in zip(frame["fore"], frame["efter"])
    ]
    base = len(sub)
    frame["bas"] = base
    frame["andel_fore"] = frame["fore"] / base if base else float("nan")
    frame["andel_efter"] = frame["efter"] / base if base else float("nan")
    return frame


def uppfoljning(followups: pd.DataFrame, w: Window) -> pd.DataFrame:
    """Follow-ups made in the period, by months after exit and status (shares per month group)."""
    made = followups[followups["datum"].between(_ts(w.start), _ts(w.end))]
    rows = []
    for months in sorted(made["manader"].unique()):
        group = made[made["manader"] == months]
        for status in vocab.FOLLOWUP_STATUSES:
            n = int((group["status"] == status).sum())
            if n:
                rows.append({"manader": int(months), "status": status, "antal": n, "andel": n / len(group)})
    return pd.DataFrame(rows, columns=["manader", "status", "antal", "andel"])


def delinsatser(reg: pd.DataFrame, w: Window) -> pd.DataFrame:
    """Participants per sub-insats (enrolments with an empty ``delinsats`` are left out)."""
    sub = reg[reg["delinsats"].fillna("") != ""]
    rows = []
    for name in sorted(sub["delinsats"].unique()):
        counts = period_counts(sub[sub["delinsats"] == name], w)
        rows.append({"delinsats": name, **{k: counts[k] for k in ("unika", "nya", "avslutade", "pagaende")}})
    return pd.DataFrame(rows, columns=["delinsats", "unika", "nya", "avslutade", "pagaende"])


def gemensam_planering(reg: pd.DataFrame, w: Window) -> pd.DataFrame | None:
    """Enrolments in the period (not anonymous) with a jointly agreed plan: rows ``Ja`` and
    ``Nej`` (``svar``, ``antal``, ``andel`` of those with ja/nej); ``None`` when nobody has a value.

    The figures ``antal/andel.gemensam_planering`` are read from this table once it is protected.
    """
    inside = reg[in_period(reg, w) & ~reg["anonym"]]
    answered = inside["gemensam_planering"].dropna()
    if answered.empty:
        return None
    yes = int(_is_true(answered).sum())
    return _distribution(pd.Series([vocab.YES] * yes + [vocab.NO] * (len(answered) - yes), dtype=object),
                         [vocab.YES, vocab.NO], "svar")
