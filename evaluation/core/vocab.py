"""The report's vocabulary, in one place: report types, sections and their titles, the code
lists of the data contract (labels exactly as the contract writes them) and the labels of
computed rows.

Everything else reads these names from here; no module spells a label of its own.
"""
from __future__ import annotations

import re
import unicodedata

#: Report types: id -> Swedish name.
REPORT_TYPES = {
    "arsrapport": "Årsrapport",
    "delrapport": "Delrapport",
    "helarsrapport": "Helårsrapport",
    "slutrapport": "Slutrapport",
    "processkartlaggning": "Processkartläggning",
}

#: Every section a report can have: id -> Swedish title.
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
    "delinsatser": "Delinsatser",
    "uppgifter": "Uppgifter om insatsen",
    "resurser": "Resurser",
    "syfte": "Syfte",
    "insatstid": "Insatstid",
    "malgrupp": "Målgrupp",
    "deltagare": "Deltagare",
    "implementering": "Tillvaratagande i ordinarie verksamhet",
    "avvikelser": "Avvikelser",
    "reflektioner": "Framgångsfaktorer och utmaningar",
    "underskrift": "Underskrifter",
    "matningar": "Förändring över tid",
    "samverkan": "Samverkan enligt processtrappan",
    "samhallsnytta": "Samhällsnytta och återbetalning",
}
SECTIONS = tuple(TITLES)
#: What a section is made from, for the sections that come from an input (``evaluation validate``
#: names it when the section is left out for want of it); a section of the evaluator's text
#: alone needs ``texter/<id>.md``.
NEEDS = {
    "omvarld": "omvarld i parametrarna",
    "organisation": "organisation.yaml",
    "mal": "mal.yaml",
    "enkater": "en enkät i enkater/",
    "intervjuer": "en intervju i intervjuer/",
    "resultat": "deltagare.csv",
    "delinsatser": "kolumnen delinsats i deltagarregistret",
    "effekter": "uppfoljning.csv",
    "trend": "deltagare som började före perioden",
    "matriser": "en matris i matriser/",
    "matningar": "matningar.csv",
    "samverkan": "matningar.csv",
    "samhallsnytta": "kostnader.yaml",
}

_EVALUATOR = (
    "sammanfattning", "bakgrund", "omvarld", "organisation", "metod", "mal", "enkater",
    "intervjuer", "utmaningar", "resultat", "delinsatser", "effekter", "matningar", "samverkan",
    "samhallsnytta", "trend",
)
#: The sections of each report type, in order (``sektioner`` in the parameters may change it).
DEFAULT_SECTIONS = {
    "arsrapport": _EVALUATOR,
    "delrapport": _EVALUATOR,
    "helarsrapport": _EVALUATOR,
    "slutrapport": (  # the förbund's final-report form, in its order (see evaluation.sections.slutrapport)
        "uppgifter", "resurser", "syfte", "mal", "insatstid", "malgrupp", "deltagare", "matningar",
        "samverkan", "samhallsnytta", "metod",
        "implementering", "avvikelser", "reflektioner", "underskrift",
    ),
    "processkartlaggning": (
        "sammanfattning", "bakgrund", "metod", "omvarld", "matriser", "samverkan", "slutsatser",
        "rekommendationer",
    ),
}

#: The report notebook of each report type (in ``notebooks/``, shipped as ``evaluation.notebooks``).
NOTEBOOKS = {
    "arsrapport": "rapport.ipynb",
    "delrapport": "rapport.ipynb",
    "helarsrapport": "rapport.ipynb",
    "slutrapport": "slutrapport.ipynb",
    "processkartlaggning": "processkartlaggning.ipynb",
}

#: Labels of computed rows (they are the row keys of the contract's tables).
TOTAL = "Totalt"
WORK_OR_STUDIES_ROW = "Arbete eller studier"
ACTIVELY_SEEKING_ROW = "Aktivt arbetssökande (överlappande)"
NOT_IN_RESULT_ROW = "Ej i resultatet"
#: Rows of table ``gemensam_planering`` (a jointly agreed plan, or not).
YES, NO = "Ja", "Nej"
ONGOING_ROW = "Pågående"

GENDERS = ("Kvinna", "Man", "Uppgift saknas")

EXIT_REASONS = (
    "Arbete", "Subventionerat arbete", "Studier", "Aktivt arbetssökande",
    "Fortsatt rehabilitering", "Sjukdom", "Flyttat", "Utan mätning", "Övrigt",
)
WORK_OR_STUDIES = ("Arbete", "Subventionerat arbete", "Studier")
ACTIVELY_SEEKING = "Aktivt arbetssökande"
NOT_MEASURED = "Utan mätning"

EDUCATION = (
    "Grundskola", "Gymnasium", "Högskola/universitet upp till 1 år",
    "Högskola/universitet upp till 3 år", "Högskola/universitet mer än 3 år", "Saknas/okänd",
)
UNKNOWN_EDUCATION = "Saknas/okänd"

TIME_IN_SUPPORT = tuple(f"Upp till {n} år" for n in range(1, 10)) + ("9 år eller mer", "Saknas/okänd")
UNKNOWN_TIME = "Saknas/okänd"

#: The source that small sources are merged into (:mod:`evaluation.compute.recode`).
OTHER_SOURCE = "Annan"
SUPPORT_SOURCES = (
    "A-kassa", "Aktivitetsersättning", "Aktivitetsstöd", "Etableringsersättning",
    "Försörjningsstöd", "Ingen offentlig försörjning", "Sjukersättning",
    "Sjukpenning/Rehabpenning", "Studiestöd/Studiemedel", OTHER_SOURCE,
)

FOLLOWUP_STATUSES = (
    "Arbete", "Studier", "Aktivt arbetssökande", "Fortsatt rehabilitering", "Sjukdom",
    "Övrigt", "Ej nådd",
)

YES_NO = {"ja": True, "nej": False}
#: Rows of table ``aktivt_arbetssokande_start`` (register column ``aktivt_arbetssokande_start``).
SEEKING_AT_START = ("Ja", "Nej", "Uppgift saknas")

DEFAULT_AGE_EDGES = (15, 30, 45, 60, 75)
AGE_UNKNOWN = "Saknas"


def lookup(labels: tuple[str, ...]) -> dict[str, str]:
    """Case- and space-insensitive lookup from written value to contract label."""
    return {" ".join(label.lower().split()): label for label in labels}


def canonical(value: str, table: dict[str, str]) -> str | None:
    return table.get(" ".join(str(value).lower().split()))


def row_slug(label: str) -> str:
    """A row label as a name part of the figures: ``'Arbete totalt'`` → ``'arbete_totalt'``.

    >>> row_slug("Aktivt arbetssökande (överlappande)")
    'aktivt_arbetssokande_overlappande'
    """
    folded = str(label).lower().translate(str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"}))
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")

#: Status of a goal followed without a target (``mal:`` left out): its outcome is shown, not judged.
GOAL_NOT_ASSESSED = "Ej bedömt"

#: Longest slug of a sub-insats name (table ids and file names stay short).
MAX_SLUG = 40

def slug(name: str) -> str:
    """A table-id part from a sub-insats name: lower case, å/ä/ö → a/a/o, ``_`` between words."""
    folded = unicodedata.normalize("NFKD", str(name)[:4 * MAX_SLUG].lower()).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", folded)[:MAX_SLUG].strip("_") or "delinsats"


def slugs(names: list[str]) -> dict[str, str]:
    """A unique slug per name (``_2``, ``_3`` … when two names fold to the same slug)."""
    out: dict[str, str] = {}
    for name in names:
        base = candidate = slug(name)
        n = 1
        while candidate in out.values():
            n += 1
            candidate = f"{base}_{n}"
        out[name] = candidate
    return out


#: A goal's status (table ``mal``), best first.
GOAL_MET, GOAL_PARTLY, GOAL_NOT_MET, GOAL_NOT_MEASURABLE = "Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej mätbart"
GOAL_STATUSES = (GOAL_MET, GOAL_PARTLY, GOAL_NOT_MET, GOAL_NOT_MEASURABLE)

#: The mark of a hidden cell in every output (disclosure control).
MARK = ".."
#: A value that does not apply (no amount, no target, no answer): never a hidden one.
DASH = "–"
