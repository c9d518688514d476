"""Socio-economic payback from the register's försörjning before and after (contract §9).

The count table (people per category before and after) goes through disclosure control like any
count; every amount is then computed from its protected cells, so an amount that would need a
hidden count is hidden too. A person with several categories counts each category's full amount.

>>> payback_years(1_000_000, 400_000)
2.5
>>> years_and_months(2.5), years_and_months(None)
('2 år och 6 månader', 'ingen återbetalning')
>>> round(net_present_value(1_000_000, 400_000, 5, 0.035))
806021
"""
from __future__ import annotations

import math

import pandas as pd

from evaluation.core import vocab
from evaluation.core.vocab import MARK
from evaluation.inputs.costs import Costs

#: The dödvikt levels of the sensitivity table.
SENSITIVITY = (0.0, 0.25, 0.5)
#: Categories that cost nothing whatever the file says.
FREE = ("Ingen offentlig försörjning", "Annan")
#: A category the file gives no amount or payer (it counts as 0 kr, with a warning).
UNPRICED = vocab.DASH


def base(register: pd.DataFrame, start, end) -> pd.DataFrame:
    """Participants in the period with both ``forsorjning_fore`` and ``forsorjning_efter`` given
    (a person's latest enrolment in the period), as the input contract (§9) defines the base: also
    those still enrolled at the period's end, whose "after" is what the register holds for them
    (the section's limits say so; ``forsorjning_fore_efter`` counts those who ended)."""
    if register is None or not {"forsorjning_fore", "forsorjning_efter"} <= set(register.columns):
        return pd.DataFrame(columns=["deltagar_id", "forsorjning_fore", "forsorjning_efter"])
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    inside = register[(register["startdatum"] <= end) & (register["slutdatum"].isna() | (register["slutdatum"] >= start))]

    def given(values) -> pd.Series:
        return values.map(lambda v: isinstance(v, tuple) and len(v) > 0)

    inside = inside[given(inside["forsorjning_fore"]) & given(inside["forsorjning_efter"])]
    return inside.sort_values("startdatum").drop_duplicates("deltagar_id", keep="last")


def counts_table(people: pd.DataFrame, costs: Costs) -> pd.DataFrame:
    """Table ``samhallsnytta_underlag``: per category listed by anyone or priced in the file,
    its payer and yearly amount, and how many had it before and after; ``bas`` (every row) is
    the number of people counted, named in the table's base line."""
    def tally(column: str) -> dict:
        out: dict = {}
        for sources in people[column]:
            for source in sources:
                out[source] = out.get(source, 0) + 1
        return out

    before, after = tally("forsorjning_fore"), tally("forsorjning_efter")
    rows = []
    for category in vocab.SUPPORT_SOURCES:
        rate = costs.rates.get(category)
        if rate is None and not (before.get(category) or after.get(category)):
            continue
        amount = 0.0 if category in FREE else UNPRICED if rate is None else rate.amount
        rows.append({"kategori": category, "betalare": rate.payer if rate and category not in FREE else UNPRICED,
                     "belopp": amount, "antal_fore": before.get(category, 0), "antal_efter": after.get(category, 0),
                     "bas": len(people)})
    return pd.DataFrame(rows, columns=["kategori", "betalare", "belopp", "antal_fore", "antal_efter", "bas"])


def unpriced(people: pd.DataFrame, costs: Costs) -> list[str]:
    """Categories someone has that the file gives no amount (they cost 0: a warning)."""
    listed = {s for column in ("forsorjning_fore", "forsorjning_efter") for v in people[column] for s in v}
    return [c for c in vocab.SUPPORT_SOURCES if c in listed and c not in costs.rates and c not in FREE]


def unpriced_rising(counts: pd.DataFrame, merged: tuple = ()) -> tuple[list[str], bool]:
    """Categories without an amount (from the protected count table) that more people have after
    than before, or may have (a count is hidden): moving into them counts as a saving of the whole
    amount left, although the cost has moved to another payer, so the saving is overstated.
    ``merged`` are the sources without an amount counted in ``Annan`` (too few to show apart):
    when Annan rises, they are named. The flag says whether any name is one of those."""
    out, in_other = [], False
    for row in counts.itertuples(index=False):
        unpriced = isinstance(row.belopp, str) and row.belopp == UNPRICED
        if not (unpriced or (row.kategori == vocab.OTHER_SOURCE and merged)):
            continue
        fore, efter = _number(row.antal_fore), _number(row.antal_efter)
        if efter is None or (efter > 0 and (fore is None or efter > fore)):
            if unpriced:
                out.append(row.kategori)
            else:
                out += list(merged)
                in_other = True
    return out, in_other


def _priced(amount) -> bool:
    return not isinstance(amount, str) and amount > 0


def _number(value):
    return None if isinstance(value, str) and value == MARK else float(value)


def payer_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Per payer (from the protected count table): yearly cost before and after and the saving;
    ``..`` where a count it needs is hidden. A last row ``Totalt``."""
    rows = []
    payers = [p for p in dict.fromkeys(counts["betalare"]) if p != UNPRICED]
    for payer in [*payers, vocab.TOTAL]:
        mine = counts if payer == vocab.TOTAL else counts[counts["betalare"] == payer]
        mine = mine[[_priced(b) for b in mine["belopp"]]]
        row = {"betalare": payer}
        for side in ("fore", "efter"):
            cells = [_number(v) for v in mine[f"antal_{side}"]]
            row[f"kostnad_{side}"] = (MARK if any(c is None for c in cells)
                                      else float(sum(c * b for c, b in zip(cells, mine["belopp"]))))
        shown = MARK not in (row["kostnad_fore"], row["kostnad_efter"])
        row["besparing"] = row["kostnad_fore"] - row["kostnad_efter"] if shown else MARK
        rows.append(row)
    return pd.DataFrame(rows, columns=["betalare", "kostnad_fore", "kostnad_efter", "besparing"])


def payback_years(cost: float, saving: float) -> float | None:
    """Years until the attributable yearly ``saving`` has paid ``cost``; ``None``: no saving."""
    return None if saving <= 0 else cost / saving


def years_and_months(years: float | None) -> str:
    if years is None:
        return "ingen återbetalning"
    whole = int(years)
    months = int(round((years - whole) * 12))
    if months == 12:
        whole, months = whole + 1, 0
    parts = [f"{whole} år"] if whole else []
    if months or not parts:
        parts.append(f"{months} {'månad' if months == 1 else 'månader'}")
    return " och ".join(parts)


def net_present_value(cost: float, saving: float, horizon: int, rate: float) -> float:
    """Σ_{t=1..horizon} saving / (1 + rate)^t − cost."""
    return sum(saving / (1 + rate) ** t for t in range(1, horizon + 1)) - cost


def sensitivity_table(total_saving, costs: Costs) -> pd.DataFrame:
    """Per dödvikt (0, 25, 50 % and the file's own when it differs): the attributable yearly
    saving, the payback time and the net present value; ``..`` when the saving is hidden."""
    levels = sorted({*SENSITIVITY, costs.deadweight})
    rows = []
    for level in levels:
        if isinstance(total_saving, str):
            rows.append({"dodvikt": level, "besparing": MARK, "aterbetalningstid": MARK, "nuvarde": MARK})
            continue
        attributable = total_saving * (1 - level)
        years = payback_years(costs.cost, attributable)
        rows.append({"dodvikt": level, "besparing": attributable, "aterbetalningstid": years_and_months(years),
                     "nuvarde": net_present_value(costs.cost, attributable, costs.horizon, costs.rate)})
    return pd.DataFrame(rows, columns=["dodvikt", "besparing", "aterbetalningstid", "nuvarde"])


def is_finite(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)
