"""Change per participant over time: first and latest measurement, paired (contract §8).

Each participant's first measurement at or before the period's end is paired with their latest
measurement in the period; a participant with a single measurement is counted apart ("en
mätning") and is not in the change base. Improved and worsened: at least one step, or at least
the reliable change (any change when the scale has none). Recovered: reliably improved from the
clinical range (at or below the cut-off when higher is better) to outside it (Jacobson & Truax).

>>> from evaluation.inputs.measurements import Instrument
>>> ors = Instrument("ors", "ORS", "deltagare", scale=(0, 40), cutoff=25, reliable_change=5)
>>> pairs = pd.DataFrame({"forsta": [20.0, 30.0, 22.0], "senast": [27.0, 28.0, 24.0]})
>>> classify(pairs, ors)[["klass", "aterhamtad"]].values.tolist()
[['forbattrad', True], ['oforandrad', False], ['oforandrad', False]]
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.core import vocab
from evaluation.inputs.measurements import Instrument

#: The change classes, as table columns and as shown.
CLASSES = {"forbattrade": "Förbättrade", "oforandrade": "Oförändrade", "forsamrade": "Försämrade"}


def pairs(frame: pd.DataFrame, instrument_id: str, start, end, key: str = "deltagar_id") -> pd.DataFrame:
    """Per participant (or organisation, ``key="part"``) with a measurement in the period:
    ``forsta``, ``senast`` (values), ``datum_forsta``, ``datum_senast`` and ``matningar`` (how many
    at or before the period's end). ``senast`` is missing for those with one measurement."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    columns = [key, "forsta", "datum_forsta", "senast", "datum_senast", "matningar"]
    # in arrays, not pandas groupbys: 1.2–1.5 CPU-ms a call on a bench insats's 478 measurements, not 8.8
    own = ((frame["instrument"] == instrument_id) & (frame["datum"] <= end)).to_numpy(dtype=bool)
    when = frame["datum"].to_numpy()[own]
    order = np.argsort(when, kind="stable")  # row number: order of measuring
    when, value = when[order], frame["varde"].to_numpy()[own][order]
    codes, ids = pd.factorize(frame[key].to_numpy()[own][order])  # no id (-1): in no group

    def first_of(rows: np.ndarray) -> np.ndarray:
        """By id (code), the first of ``rows`` that is the id's; -1 when none is."""
        out = np.full(len(ids), -1)
        found, at = np.unique(codes[rows], return_index=True)
        out[found] = rows[at]
        return out

    first = first_of(np.flatnonzero(codes >= 0))
    latest = first_of(np.flatnonzero((when >= start.to_datetime64()) & (codes >= 0))[::-1])  # before only: not here
    found = np.flatnonzero(latest >= 0)
    if not len(found):  # typed as when found: a caller may read the dates (.dt) of no rows
        return pd.DataFrame({key: pd.Series(dtype=object), "forsta": pd.Series(dtype=float),
                             "datum_forsta": pd.Series(dtype="datetime64[ns]"), "senast": pd.Series(dtype=float),
                             "datum_senast": pd.Series(dtype="datetime64[ns]"), "matningar": pd.Series(dtype=int)},
                            columns=columns)
    found = found[np.argsort(ids[found], kind="stable")]
    first, last = first[found], latest[found]
    single = first == last  # the first is also the latest
    return pd.DataFrame({key: ids[found], "forsta": value[first], "datum_forsta": when[first],
                         "senast": np.where(single, np.nan, value[last]),
                         "datum_senast": np.where(single, np.datetime64("NaT"), when[last]),
                         "matningar": np.bincount(codes[codes >= 0], minlength=len(ids))[found]}, columns=columns)


def _clinical(values: pd.Series, instrument: Instrument) -> pd.Series:
    if instrument.higher_is_better:
        return values <= instrument.cutoff
    return values >= instrument.cutoff


def classify(paired: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """``paired`` (rows with both values) with ``forandring`` (latest − first), ``klass``
    (``forbattrad``, ``oforandrad``, ``forsamrad``) and, for a scale with a cut-off and a reliable
    change, ``aterhamtad`` (recovered)."""
    out = paired.copy()
    out["forandring"] = out["senast"] - out["forsta"]
    better = out["forandring"] * (1 if instrument.higher_is_better else -1)
    if instrument.is_steps:
        threshold = 1.0
    elif instrument.reliable_change is not None:
        threshold = instrument.reliable_change
    else:
        threshold = np.nextafter(0, 1)  # any change in the better or worse direction
    out["klass"] = np.select([better >= threshold, better <= -threshold], ["forbattrad", "forsamrad"], "oforandrad")
    if instrument.cutoff is not None and instrument.reliable_change is not None:
        out["aterhamtad"] = ((out["klass"] == "forbattrad") & _clinical(out["forsta"], instrument)
                             & ~_clinical(out["senast"], instrument))
    return out


def classified_pairs(frame: pd.DataFrame, instrument: Instrument, start, end) -> pd.DataFrame:
    """:func:`pairs` for ``instrument`` (by participant or organisation, as it applies to), the
    rows with two measurements classified (:func:`classify`), those with one after them with no
    class: what the tables count, one row per id (for the analyst's exploration)."""
    key = "deltagar_id" if instrument.applies_to == "deltagare" else "part"
    found = pairs(frame, instrument.id, start, end, key)
    both = found["senast"].notna()
    return pd.concat([classify(found[both], instrument), found[~both]]).sort_values(key, kind="stable")


def _genders(people: pd.Series, register: pd.DataFrame | None) -> pd.Series:
    if register is None or register.empty:
        return pd.Series(vocab.GENDERS[-1], index=people.index)
    first = register.sort_values("startdatum").drop_duplicates("deltagar_id").set_index("deltagar_id")["kon"]
    return people.map(first.astype(str)).fillna(vocab.GENDERS[-1])


def change_table(frame: pd.DataFrame, instrument: Instrument, start, end, register: pd.DataFrame | None) -> pd.DataFrame:
    """Table ``matning_<id>``: per gender and in total, the paired n, those with one measurement,
    mean at first and latest and mean change, the change classes and their share, and for a
    scale with a cut-off the recovered and those in the clinical range at first and at latest."""
    found = classified_pairs(frame, instrument, start, end)
    found["kon"] = _genders(found["deltagar_id"], register)
    both = found[found["senast"].notna()]
    cutoff = instrument.cutoff is not None
    rows = []
    genders = [g for g in vocab.GENDERS if g in set(found["kon"])]
    for label in [*genders, vocab.TOTAL]:
        mine = both if label == vocab.TOTAL else both[both["kon"] == label]
        alone = found[found["senast"].isna()] if label == vocab.TOTAL else found[found["senast"].isna() & (found["kon"] == label)]
        n = len(mine)
        row = {"kon": label, "parade": n, "en_matning": len(alone),
               "medel_forst": mine["forsta"].mean() if n else np.nan,
               "medel_senast": mine["senast"].mean() if n else np.nan,
               "medel_forandring": mine["forandring"].mean() if n else np.nan}
        for column, klass in zip(CLASSES, ("forbattrad", "oforandrad", "forsamrad")):
            row[column] = int((mine["klass"] == klass).sum())
        row["andel_forbattrade"] = row["forbattrade"] / n if n else np.nan
        if cutoff:
            if "aterhamtad" in mine.columns:
                row["aterhamtade"] = int(mine["aterhamtad"].sum())
            for side, values in (("forst", mine["forsta"]), ("senast", mine["senast"])):
                row[f"kliniska_{side}"] = int(_clinical(values, instrument).sum())
                row[f"andel_kliniska_{side}"] = row[f"kliniska_{side}"] / n if n else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def transitions_table(frame: pd.DataFrame, instrument: Instrument, start, end) -> pd.DataFrame:
    """Table ``matning_<id>_steg`` (steps only): participants by first step (rows) and latest
    step (columns ``steg_1`` … ``steg_N``), ``totalt`` per row and a ``Totalt`` row."""
    both = pairs(frame, instrument.id, start, end).dropna(subset=["senast"])
    n = len(instrument.steps)
    counts = np.zeros((n, n), dtype=int)
    for first, latest in zip(both["forsta"].astype(int), both["senast"].astype(int)):
        counts[first - 1, latest - 1] += 1
    out = pd.DataFrame(counts, columns=[f"steg_{j}" for j in range(1, n + 1)])
    out.insert(0, "forsta", list(instrument.steps))
    out["totalt"] = out[[f"steg_{j}" for j in range(1, n + 1)]].sum(axis=1)
    total = {"forsta": vocab.TOTAL, **{c: int(out[c].sum()) for c in out.columns if c != "forsta"}}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def parts_table(frame: pd.DataFrame, instrument: Instrument, start, end) -> pd.DataFrame:
    """Table ``samverkan_<id>`` (``galler: part``): each organisation's step at its first and
    latest measurement, with dates. Organisations, not persons: nothing is suppressed."""
    found = pairs(frame, instrument.id, start, end, key="part")
    label = {float(i): s for i, s in enumerate(instrument.steps, 1)}
    out = pd.DataFrame({
        "part": found["part"],
        "forsta": [f"{int(v)}. {label[v]}" if instrument.is_steps else v for v in found["forsta"]],
        "datum_forsta": found["datum_forsta"].dt.date,
        "senast": [("" if pd.isna(v) else f"{int(v)}. {label[v]}") if instrument.is_steps else v for v in found["senast"]],
        "datum_senast": [None if pd.isna(d) else d.date() for d in found["datum_senast"]],
        "forandring": found["senast"] - found["forsta"],
    })
    return out
