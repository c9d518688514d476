"""Which sections a report can have, their Swedish titles, default order per report type,
and where each section's inputs, tables and content come from.

A feature (surveys, interviews, goals, ...) plugs in here with its loader, its tables and its
section builders; :mod:`evaluation.report` only walks these registries.
"""
from __future__ import annotations

from typing import Callable

from . import participants

TITLES = {
    "sammanfattning": "Sammanfattning",
    "bakgrund": "Bakgrund och syfte",
    "omvarld": "Omvärldsbevakning",
    "organisation": "Organisation",
    "metod": "Arbetssätt och metod",
    "mal": "Mål och uppföljning",
    "enkater": "Enkäter",
    "intervjuer": "Intervjuer",
    "utmaningar": "Utmaningar",
    "resultat": "Resultat",
    "effekter": "Effekter över tid",
    "trend": "Utveckling över perioder",
    "matriser": "Kartläggning",
    "slutsatser": "Slutsatser",
    "rekommendationer": "Rekommendationer",
}

REPORT_TYPES = {
    "arsrapport": "Årsrapport",
    "delrapport": "Delrapport",
    "helarsrapport": "Helårsrapport",
    "slutrapport": "Slutrapport",
    "processkartlaggning": "Processkartläggning",
}

_EVALUATOR = [
    "sammanfattning", "bakgrund", "omvarld", "organisation", "metod", "mal", "enkater",
    "intervjuer", "utmaningar", "resultat", "effekter", "trend",
]
DEFAULT_SECTIONS = {
    "arsrapport": _EVALUATOR,
    "delrapport": _EVALUATOR,
    "helarsrapport": _EVALUATOR,
    "slutrapport": _EVALUATOR,
    "processkartlaggning": [
        "sammanfattning", "bakgrund", "metod", "omvarld", "matriser", "slutsatser", "rekommendationer",
    ],
}

#: Inputs, loaded in this order; each loader gets the parameters and what is loaded so far,
#: and returns ``None`` when its input does not exist.
LOADERS: dict[str, Callable] = {
    "register": participants.load_register_input,
    "followups": participants.load_followup_input,
}

#: Functions ``(report) -> list[Table]``; together they give every table of a report.
TABLES: list[Callable] = [
    participants.register_tables,
]

#: Section builders ``(report) -> Section | None`` (``None``: no input for this section).
BUILDERS: dict[str, Callable] = {
    "resultat": participants.resultat_section,
}


def prose(report, section_id: str):
    """The evaluator's text for a section (``texter/<section>.md``), or ``None``."""
    try:
        from . import texts
    except ImportError:  # pragma: no cover - texts arrives with the prose feature
        return None
    return texts.prose(report, section_id)
