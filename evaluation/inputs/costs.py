"""Costs for the socio-economic payback: ``<data>/kostnader.yaml`` (contract §9).

Amounts are kronor: the insats's cost for the report period, and per försörjning category of
the register (§2) the public cost per person and year, with who pays it and the source.

>>> Costs(1000, "Budget", {}).horizon, Costs(1000, "Budget", {}).rate
(5, 0.035)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evaluation.core import vocab
from evaluation.core.errors import InputError
from evaluation.core.pii import quote
from evaluation.inputs.checks import KeyChecker, yaml_key_lines
from evaluation.inputs.files import normalise_header
from evaluation.inputs.yamlread import read_yaml

FILE_NAME = "kostnader.yaml"
KEYS = ("insatsens_kostnad", "kalla", "forsorjning", "dodvikt", "horisont_ar", "diskonteringsranta")
#: The values of the optional keys when a file leaves them out or empty (contract §9).
DEFAULTS = {"dodvikt": 0.0, "horisont_ar": 5, "diskonteringsranta": 0.035}
ENTRY_KEYS = ("belopp", "betalare", "kalla")
PAYERS = ("Kommunen", "Försäkringskassan", "Arbetsförmedlingen", "Staten", "Regionen")


def _or(value, default):
    """``value``, or ``default`` when the key was left out or empty (``None``; never for a 0)."""
    return default if value is None else value


@dataclass(frozen=True)
class Rate:
    """One category's cost per person and year."""

    amount: float
    payer: str
    source: str = ""


@dataclass(frozen=True)
class Costs:
    """A validated ``kostnader.yaml``."""

    cost: float  # insatsens_kostnad, kronor for the report period
    source: str
    rates: dict  # category (as in vocab.SUPPORT_SOURCES) -> Rate
    deadweight: float = DEFAULTS["dodvikt"]
    horizon: int = DEFAULTS["horisont_ar"]
    rate: float = DEFAULTS["diskonteringsranta"]


def load_costs(path: Path) -> Costs:
    """Read and validate ``kostnader.yaml``; every bad key is listed with its line."""
    path = Path(path)
    data = read_yaml(path)
    check = KeyChecker(path, lambda: yaml_key_lines(path.read_text(encoding="utf-8-sig")))
    if not isinstance(data, dict):
        raise InputError(f"{path}: filen ska ha nycklarna insatsens_kostnad, kalla och forsorjning. "
                         "Se docs/indatakontrakt.md, avsnitt 10.")
    top = check.mapping(data, (), KEYS, ("insatsens_kostnad", "forsorjning"))
    cost = check.number(top, ("insatsens_kostnad",), 0, None, required=False)
    if cost == 0:  # the payback would read "0 månader"
        check.add(("insatsens_kostnad",), "0 kr ger återbetalningstiden 0 månader; ange vad insatsen kostade under "
                                          "perioden (större än 0)")
    source = check.text(top, ("kalla",), required=False) or ""
    # left out or left empty (``dodvikt:``): the contract's default
    deadweight = _or(check.number(top, ("dodvikt",), 0, 1, required=False), DEFAULTS["dodvikt"])
    horizon = _or(check.number(top, ("horisont_ar",), 1, 50, required=False), DEFAULTS["horisont_ar"])
    if not float(horizon).is_integer():
        check.add(("horisont_ar",), "ange ett helt antal år, t.ex. 5")
    rate = _or(check.number(top, ("diskonteringsranta",), 0, 0.5, required=False), DEFAULTS["diskonteringsranta"])
    categories = {normalise_header(c): c for c in vocab.SUPPORT_SOURCES}
    rates = {}
    entries = top.get("forsorjning")
    if entries is not None and not isinstance(entries, dict):
        check.add(("forsorjning",), "här ska stå en rad per försörjningskategori, t.ex. "
                                    "'Försörjningsstöd: {belopp: 162000, betalare: Kommunen, kalla: ...}'")
        entries = {}
    for key, entry in (entries or {}).items():
        category = categories.get(normalise_header(key))
        keys = ("forsorjning", str(key))
        if category is None:
            check.add(keys, f"{quote(key)} är ingen försörjningskategori; använd en av: {', '.join(vocab.SUPPORT_SOURCES)}")
            continue
        item = check.mapping(entry, keys, ENTRY_KEYS, ("belopp", "betalare"))
        amount = check.number(item, keys + ("belopp",), 0, None, required=False) if item else None
        payer = check.text(item, keys + ("betalare",), required=False) if item else None
        if payer is not None and payer not in PAYERS:
            folded = {p.lower(): p for p in PAYERS}
            payer = folded.get(payer.lower())
            if payer is None:
                check.add(keys + ("betalare",), f"använd en av: {', '.join(PAYERS)}")
        if amount is not None and payer:
            rates[category] = Rate(amount, payer, check.text(item, keys + ("kalla",), required=False) or "")
    check.raise_if_any()
    return Costs(cost, source, rates, deadweight, int(horizon), rate)


def find(data: Path) -> Path | None:
    path = Path(data) / FILE_NAME
    return path if path.is_file() else None
