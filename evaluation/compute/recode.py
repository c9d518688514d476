"""Global recoding before cell suppression (the first step of sdcMicro/sdcTable): small
categories are merged into a neighbouring band or into ``Övrigt``, so that fewer cells have to
be hidden. Pure functions; the table builders call them with the report's ``min_cell`` and say
in the table's note what was merged (:func:`merged_note`).

A category is *small* when it holds 1 … ``min_cell`` − 1 people. Merging never makes a table
less safe: the merged table is an ordinary count table, protected afterwards like any other.

>>> merge_ordered(["16–19", "20–24", "25–29"], [2, 5, 9], 3, age_join)
[('16–24', ('16–19', '20–24'), 7), ('25–29', ('25–29',), 9)]
>>> merge_ordered(["Grundskola", "Gymnasium"], [1, 8], 3)
[('Grundskola eller gymnasium', ('Grundskola', 'Gymnasium'), 9)]
"""
from __future__ import annotations

import re
from typing import Callable, Sequence

import pandas as pd

from evaluation.compute import catalogue
from evaluation.core import vocab

#: Exit reasons that may be merged into ``Övrigt`` when few: not the parts of the headline
#: (work or studies), not ``Aktivt arbetssökande`` (it feeds the overlapping row) and not
#: ``Utan mätning`` (outside the result).
MERGEABLE_EXIT_REASONS = ("Fortsatt rehabilitering", "Sjukdom", "Flyttat")
OTHER = "Övrigt"
MERGED_ATTR = catalogue.MERGED_ATTR


def small(count: int, min_cell: int) -> bool:
    """Whether ``count`` people would be hidden by the frequency rule (1 … ``min_cell`` − 1)."""
    return min_cell > 1 and 0 < count < min_cell


def or_join(labels: Sequence[str], word: str = "eller") -> str:
    """``['Grundskola', 'Gymnasium']`` → ``'Grundskola eller gymnasium'``; words the labels
    begin with in common are written once. ``word="och"`` for a list of what is merged (a label
    may hold "eller" itself: "30 eller äldre").

    >>> or_join(["Högskola/universitet upp till 3 år", "Högskola/universitet mer än 3 år"])
    'Högskola/universitet upp till 3 år eller mer än 3 år'
    >>> or_join(["25–29", "30 eller äldre"], "och")
    '25–29 och 30 eller äldre'
    """
    split = [label.split(" ") for label in labels]
    common = 0
    while len(labels) > 1 and all(len(w) > common + 1 for w in split) and len({tuple(w[:common + 1]) for w in split}) == 1:
        common += 1
    words = [labels[0]] + [" ".join(w[common:]) for w in split[1:]]
    words = [words[0]] + [(w[:1].lower() + w[1:]) if not common and not w[:2].isupper() else w for w in words[1:]]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {word} " + words[-1]


#: The label of the one band left when every age band is merged.
ALL_AGES = "Alla åldrar"


def _age_bounds(label: str) -> tuple[int | None, int | None]:
    if m := re.fullmatch(r"Under (\d+)", label):
        return None, int(m[1]) - 1
    if m := re.fullmatch(r"(\d+) eller äldre", label):
        return int(m[1]), None
    m = re.fullmatch(r"(\d+)[-–](\d+)", label)
    return int(m[1]), int(m[2])


def age_join(labels: Sequence[str]) -> str:
    """Adjacent age bands as one: ``['Under 16', '16–19']`` → ``'Under 20'``; every band as one
    (so few people that no two bands could stand apart) is every age.

    >>> age_join(["Under 16", "16–19"]), age_join(["30–64", "65 eller äldre"]), age_join(["Under 30", "30 eller äldre"])
    ('Under 20', '30 eller äldre', 'Alla åldrar')
    """
    low, high = _age_bounds(labels[0])[0], _age_bounds(labels[-1])[1]
    if low is None and high is None:
        return ALL_AGES
    if low is None:
        return f"Under {high + 1}"
    return f"{low} eller äldre" if high is None else f"{low}–{high}"


def education_join(labels: Sequence[str]) -> str:
    """Adjacent education levels as one, named short:

    >>> education_join(["Gymnasium", "Högskola/universitet upp till 1 år", "Högskola/universitet upp till 3 år",
    ...                 "Högskola/universitet mer än 3 år"])
    'Gymnasium eller högre'
    >>> education_join(["Högskola/universitet upp till 1 år", "Högskola/universitet upp till 3 år"])
    'Högskola/universitet upp till 1 år eller 3 år'
    >>> education_join(["Grundskola", "Gymnasium", "Högskola/universitet upp till 1 år"])
    'Grundskola till högskola/universitet upp till 1 år'
    """
    highest = vocab.EDUCATION[-2]  # the last is "Saknas/okänd"
    if len(labels) == 2:
        return or_join(labels)
    if all(label.startswith("Högskola/universitet") for label in labels):
        return "Högskola/universitet" if labels[-1] == highest and labels[0] == vocab.EDUCATION[2] else or_join(labels)
    if labels[-1] == highest:
        return f"{labels[0]} eller högre"
    return f"{labels[0]} till {labels[-1][:1].lower()}{labels[-1][1:]}"


def _time_index(label: str) -> int:
    return vocab.TIME_IN_SUPPORT.index(label)


def time_band(label: str) -> str:
    """A time band as a reader takes it, beside merged ones: ``'Upp till 6 år'`` (the contract's
    code: more than 5, at most 6 years) → ``'5–6 år'``; ``'Upp till 1 år'``, ``'9 år eller mer'``
    and ``'Saknas/okänd'`` as they are. "Upp till 6 år" under "1–3 år" read as if it held them.

    >>> [time_band(t) for t in ("Upp till 1 år", "Upp till 6 år", "9 år eller mer", "1–3 år")]
    ['Upp till 1 år', '5–6 år', '9 år eller mer', '1–3 år']
    """
    return time_join([label]) if label in vocab.TIME_IN_SUPPORT[1:-2] else label


def time_join(labels: Sequence[str]) -> str:
    """Adjacent time bands as one: ``['Upp till 2 år', 'Upp till 3 år']`` → ``'1–3 år'``."""
    low, high = _time_index(labels[0]), _time_index(labels[-1]) + 1
    if high == len(vocab.TIME_IN_SUPPORT) - 1:  # "9 år eller mer"
        return f"{low} år eller mer" if low else "Alla"
    return f"Upp till {high} år" if low == 0 else f"{low}–{high} år"


def merge_ordered(labels: Sequence[str], counts: Sequence[int], min_cell: int,
                  join: Callable[[Sequence[str]], str] = or_join) -> list[tuple[str, tuple, int]]:
    """Merge every small band of an ordered list into a neighbour until none is left (or one band).

    A small band joins the neighbour with fewer people (but some; the next one on a tie).
    Returns ``(label, member labels, count)`` per band, in order.
    """
    bands = [[(label,), int(n)] for label, n in zip(labels, counts)]
    while len(bands) > 1:
        at = next((i for i, (_, n) in enumerate(bands) if small(n, min_cell)), None)
        if at is None:
            break
        near = [j for j in (at - 1, at + 1) if 0 <= j < len(bands)]
        with_people = [j for j in near if bands[j][1] > 0]
        j = min(with_people or near, key=lambda k: (bands[k][1], -k))
        a, b = sorted((at, j))
        bands[a:b + 1] = [[bands[a][0] + bands[b][0], bands[a][1] + bands[b][1]]]
    return [(members[0] if len(members) == 1 else join(members), members, n) for members, n in bands]


def recode_distribution(frame: pd.DataFrame, label: str, min_cell: int, unordered: Sequence[str] = (),
                        join: Callable[[Sequence[str]], str] = or_join) -> tuple[pd.DataFrame, list[tuple]]:
    """A ``<label>, antal, andel`` table with its small ordered rows merged (rows named in
    ``unordered``, such as "Saknas", stay as they are, last). Returns the table and the merges
    ``(merged label, members)`` made."""
    ordered = frame[~frame[label].isin(unordered)]
    rest = frame[frame[label].isin(unordered)]
    bands = merge_ordered(list(ordered[label]), list(ordered["antal"]), min_cell, join)
    merged = [(name, members) for name, members, _ in bands if len(members) > 1]
    if not merged:
        return frame, []
    rows = [{label: name, "antal": n} for name, _, n in bands]
    rows += [{label: r[label], "antal": int(r["antal"])} for _, r in rest.iterrows()]
    out = pd.DataFrame(rows, columns=[label, "antal"])
    total = int(out["antal"].sum())
    out["andel"] = out["antal"] / total if total else float("nan")
    out.attrs[MERGED_ATTR] = tuple(m for _, members in merged for m in members)
    return out, merged


def merged_note(merged: Sequence[tuple]) -> str:
    """``[('16–24', ('16–19', '20–24'))]`` → a sentence for the table's note."""
    if not merged:
        return ""
    parts = [f"{or_join(members, 'och')} visas tillsammans som {name}" for name, members in merged]
    return "För att skydda enskilda personer är små grupper sammanslagna: " + "; ".join(parts) + "."


def small_exit_reasons(exits: pd.Series, min_cell: int) -> list[str]:
    """The mergeable exit reasons (:data:`MERGEABLE_EXIT_REASONS`) that few of ``exits`` have."""
    counts = exits.value_counts()
    return [r for r in MERGEABLE_EXIT_REASONS if small(int(counts.get(r, 0)), min_cell)]


def recode_exit_reasons(reg: pd.DataFrame, reasons: Sequence[str]) -> pd.DataFrame:
    """The register with the exit reasons ``reasons`` written as ``Övrigt`` (a copy; the input
    is never changed). Every table of the report reads the same recoded register, so no table
    can give a merged reason back."""
    if not reasons:
        return reg
    out = reg.copy()
    column = out["avslutsanledning"]
    if isinstance(column.dtype, pd.CategoricalDtype) and OTHER not in column.cat.categories:
        column = column.cat.add_categories([OTHER])
    out["avslutsanledning"] = column.where(~column.isin(list(reasons)), OTHER)
    return out


def exit_reasons_note(reasons: Sequence[str]) -> str:
    """The note of a table whose exit reasons were merged into ``Övrigt``."""
    if not reasons:
        return ""
    return f"För att skydda enskilda personer ingår {or_join(list(reasons), 'och')} i Övrigt."


#: Groups of exit reasons by gender (table ``avslutsanledning_kon``) when a reason has few of a gender.
WORK_GROUP = "Arbete eller studier"
OTHER_EXITS = "Övriga avslut"
#: ``frame.attrs`` key of ``avslutsanledning_kon``: its grouped rows, label → exit reasons.
GROUPS_ATTR = catalogue.EXIT_GROUPS_ATTR


def group_exit_reasons_by_gender(frame: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """``avslutsanledning_kon`` with every exit reason that has a small count for some gender
    merged into ``Arbete eller studier`` (arbete, subventionerat arbete, studier) or ``Övriga
    avslut`` (the others, not ``Utan mätning``); a group of one reason keeps the reason's name.
    Shares stay shares of everyone who ended. ``frame.attrs[GROUPS_ATTR]`` names the groups.

    >>> f = pd.DataFrame({"avslutsanledning": ["Arbete", "Studier", "Sjukdom", "Flyttat"],
    ...                   "kon": ["Kvinna", "Kvinna", "Man", "Man"], "antal": [5, 1, 4, 2]})
    >>> out = group_exit_reasons_by_gender(f.assign(andel=f["antal"] / 12), 3)
    >>> out[["avslutsanledning", "kon", "antal"]].values.tolist()
    [['Arbete eller studier', 'Kvinna', 6], ['Övriga avslut', 'Man', 6]]
    """
    if min_cell < 2 or frame.empty:
        return frame
    small_reasons = {r for r, n in zip(frame["avslutsanledning"], frame["antal"])
                     if small(int(n), min_cell) and r != vocab.NOT_MEASURED}
    groups: dict[str, list[str]] = {}
    for reason in vocab.EXIT_REASONS:
        if reason in small_reasons:
            groups.setdefault(WORK_GROUP if reason in vocab.WORK_OR_STUDIES else OTHER_EXITS, []).append(reason)
    # a group of one reason is that reason; a group may take in the reasons of its kind that are not small,
    # when it alone would stay small (so that merging helps)
    present = set(frame["avslutsanledning"])
    if WORK_GROUP in groups:  # "Arbete eller studier" means all three, as everywhere in the report
        groups[WORK_GROUP] = [r for r in vocab.WORK_OR_STUDIES if r in present]
    label_of: dict[str, str] = {}
    for name, members in groups.items():
        if len(members) == 1:
            kind = vocab.WORK_OR_STUDIES if name == WORK_GROUP else [r for r in vocab.EXIT_REASONS
                                                                      if r not in vocab.WORK_OR_STUDIES and r != vocab.NOT_MEASURED]
            others = [r for r in kind if r not in members and r in present]
            if not others:
                continue
            members.append(min(others, key=lambda r: frame.loc[frame["avslutsanledning"] == r, "antal"].sum()))
        label_of.update({m: name for m in members})
    if not label_of:
        return frame
    total = frame["antal"].sum() / frame["andel"].sum() if frame["andel"].sum() else 0
    # summed and sorted in plain Python: a pandas groupby and sort took 3.2 CPU-ms a bench report, this 1.1
    sums: dict = {}
    for reason, gender, n in zip(frame["avslutsanledning"], frame["kon"], frame["antal"]):
        key = (label_of.get(reason, reason), gender)
        sums[key] = sums.get(key, 0) + n
    order = {label_of.get(r, r): k for k, r in reversed(list(enumerate(vocab.EXIT_REASONS)))}
    genders = {g: k for k, g in enumerate(vocab.GENDERS)}
    last = len(vocab.EXIT_REASONS) + len(vocab.GENDERS)  # what the orders do not name comes last, as pandas puts NaN
    out = pd.DataFrame([(reason, gender, int(n)) for (reason, gender), n in
                        sorted(sums.items(), key=lambda kv: (order.get(kv[0][0], last), genders.get(kv[0][1], last)))],
                       columns=["avslutsanledning", "kon", "antal"])
    out["andel"] = out["antal"] / total if total else float("nan")
    out.attrs[GROUPS_ATTR] = {name: tuple(sorted({m for m, n in label_of.items() if n == name}, key=vocab.EXIT_REASONS.index))
                              for name in dict.fromkeys(label_of.values())}
    return out


def every_pair(frame: pd.DataFrame) -> pd.DataFrame:
    """``avslutsanledning_kon`` with a row for every exit reason (or group) and gender it has, 0 when
    none: a row left out tells as much as a row shown (the one of unknown gender, found only under
    *Arbete eller studier*, went to work or studies). Disclosure control hides the zeros of a small
    group with its counts (:attr:`evaluation.compute.suppression.Spec.answers`).

    >>> f = pd.DataFrame({"avslutsanledning": ["Arbete", "Sjukdom"], "kon": ["Kvinna", "Man"], "antal": [5, 4],
    ...                   "andel": [5 / 9, 4 / 9]})
    >>> every_pair(f)[["avslutsanledning", "kon", "antal"]].values.tolist()
    [['Arbete', 'Kvinna', 5], ['Arbete', 'Man', 0], ['Sjukdom', 'Kvinna', 0], ['Sjukdom', 'Man', 4]]
    """
    if frame.empty:
        return frame
    reasons, genders = list(dict.fromkeys(frame["avslutsanledning"])), list(dict.fromkeys(frame["kon"]))
    genders.sort(key=lambda g: vocab.GENDERS.index(g) if g in vocab.GENDERS else len(vocab.GENDERS))
    # the grid filled in plain Python: a pandas reindex on a MultiIndex took 2.8 CPU-ms a bench report, this 0.6
    others = [c for c in frame.columns if c not in ("avslutsanledning", "kon")]
    at = {(r, g): row for r, g, *row in zip(frame["avslutsanledning"], frame["kon"], *(frame[c] for c in others))}
    out = pd.DataFrame([(r, g, *at.get((r, g), [0] * len(others))) for r in reasons for g in genders],
                       columns=["avslutsanledning", "kon", *others])
    out["antal"] = out["antal"].astype(int)
    out.attrs = dict(frame.attrs)
    return out


def groups_note(groups: dict) -> str:
    """The note of ``avslutsanledning_kon`` when reasons were grouped."""
    if not groups:
        return ""
    parts = [f"{name} omfattar {or_join(list(members), 'och').lower()}" for name, members in groups.items()]
    return "För att skydda enskilda personer är några avslutsanledningar sammanslagna: " + "; ".join(parts) + "."


#: Support sources that are never merged: the outcome itself, and the row merged into.
KEPT_SOURCES = ("Ingen offentlig försörjning", vocab.OTHER_SOURCE)
OTHER_SOURCE = vocab.OTHER_SOURCE


def small_sources(frame: pd.DataFrame, min_cell: int) -> list[str]:
    """Sources of ``forsorjning_fore_efter`` with a small count before or after (not :data:`KEPT_SOURCES`)."""
    return [k for k, f, e in zip(frame["kalla"], frame["fore"], frame["efter"])
            if k in vocab.SUPPORT_SOURCES and k not in KEPT_SOURCES
            and (small(int(f), min_cell) or small(int(e), min_cell))]


def recode_sources(reg: pd.DataFrame, sources: Sequence[str]) -> pd.DataFrame:
    """The register with the support sources ``sources`` written as ``Annan`` (a copy): a person
    with several of them, or one of them and ``Annan``, counts once in ``Annan``.

    >>> reg = pd.DataFrame({"forsorjning_fore": [("A-kassa", "Annan"), ("Sjukersättning",)], "forsorjning_efter": [(), ()]})
    >>> recode_sources(reg, ["A-kassa", "Sjukersättning"])["forsorjning_fore"].tolist()
    [('Annan',), ('Annan',)]
    """
    if not sources:
        return reg
    merged = set(sources)

    def one(value):
        if not isinstance(value, tuple):
            return value
        return tuple(dict.fromkeys(OTHER_SOURCE if s in merged else s for s in value))

    out = reg.copy()
    for column in ("forsorjning_fore", "forsorjning_efter"):
        uniques = {v: one(v) for v in out[column].drop_duplicates() if isinstance(v, tuple)}
        out[column] = [uniques.get(v, v) if isinstance(v, tuple) else v for v in out[column]]
    return out


def sources_note(sources: Sequence[str]) -> str:
    if not sources:
        return ""
    return f"För att skydda enskilda personer ingår {or_join(list(sources), 'och')} i Annan."


#: Follow-up statuses that may be merged into ``Övrigt`` when few (not work, studies, actively
#: seeking work or not reached: the groups a reader compares with the exit).
MERGEABLE_FOLLOWUP_STATUSES = ("Fortsatt rehabilitering", "Sjukdom")


def small_followup_statuses(made: pd.DataFrame, min_cell: int) -> list[str]:
    """The mergeable statuses with a small count after some number of months in ``made``
    (the follow-ups of the period: ``manader``, ``status``)."""
    counts = made.groupby(["manader", "status"], observed=True).size()
    return [s for s in MERGEABLE_FOLLOWUP_STATUSES
            if any(small(int(n), min_cell) for (_, status), n in counts.items() if status == s)]


def recode_followups(followups: pd.DataFrame, statuses: Sequence[str]) -> pd.DataFrame:
    """The follow-ups with ``statuses`` written as ``Övrigt`` (a copy)."""
    if not statuses:
        return followups
    out = followups.copy()
    column = out["status"]
    if isinstance(column.dtype, pd.CategoricalDtype) and OTHER not in column.cat.categories:
        column = column.cat.add_categories([OTHER])
    out["status"] = column.where(~column.isin(list(statuses)), OTHER)
    return out
