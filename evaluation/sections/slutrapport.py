"""The sections of a final report (``rapporttyp: slutrapport``) that follow the förbund's form.

A final report answers the form a samordningsförbund hands the insats at its end, in this
order (see ``sections.DEFAULT_SECTIONS["slutrapport"]``):

======================  =========================================================  =================
section id              content                                                    input
======================  =========================================================  =================
``uppgifter``           name, sub-insatser, diarienummer, förbund, owner, partners parameters
``resurser``            staffing per role and per financing                         organisation.yaml
``syfte``               purpose                                                    texter/syfte.md
``mal``                 goal fulfilment per level                                  mal.yaml
``insatstid``           start and end date                                         parameters
``malgrupp``            target group                                               texter/malgrupp.md
``deltagare``           participants by gender, a sentence, per sub-insats         register
``metod``               methods and activities                                     texter/metod.md
``implementering``      how the results enter regular operations                   texter/implementering.md
``avvikelser``          deviations submitted during the insats                     organisation.yaml
``reflektioner``        success factors and challenges                             texter/reflektioner.md
``underskrift``         lines to sign for the owner and each partner               parameters
======================  =========================================================  =================

``mal`` and ``metod`` have their own modules; the prose-only sections here (``syfte``,
``malgrupp``, ``implementering``, ``reflektioner``) are the evaluator's text alone, through
:func:`evaluation.sections.texts.prose_builder`.

>>> participants_sentence("insatsen", {"Totalt": 156, "Man": 100, "Kvinna": 56})
'I insatsen har 156 personer deltagit, varav 100 män och 56 kvinnor.'
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from evaluation.core.vocab import MARK
from evaluation.core import fmt
from evaluation.core.model import Facts, Section, Signature, paragraph
from evaluation.sections import subinsatser, texts

if TYPE_CHECKING:
    from evaluation.build.report import Report

#: Sections that hold only the evaluator's text (``texter/<id>.md``).
PROSE_SECTIONS = ("syfte", "malgrupp", "implementering", "reflektioner")
SIGNATURE_LINES = ("Underskrift", "Organisation och datum", "Namnförtydligande", "E-post")
_GENDER_WORDS = {"Man": ("man", "män"), "Kvinna": ("kvinna", "kvinnor"),
                 "Uppgift saknas": ("person utan uppgift om kön", "personer utan uppgift om kön")}


# -- pure ------------------------------------------------------------------------------------------

def _count(n, singular: str, plural: str) -> str:
    shown = MARK if n == MARK else fmt.number(n)
    return f"{shown} {singular if shown == '1' else plural}"


def participants_sentence(where: str, unique: dict) -> str:
    """The form's sentence on participants, from unique people per gender and ``Totalt``.

    ``where`` completes "I …": ``insatsen`` or a sub-insats's name. Genders with nobody are
    left out; the breakdown is left out when only one gender is known, or when disclosure control
    hides a count of it (the table below shows what is hidden; a sentence reads "..", which the
    guide asks evaluators never to write, as a number left out). A hidden total is said so.
    """
    total = unique.get("Totalt", 0)
    if total == MARK:
        return f"Antalet som deltagit i {where} visas inte, för att skydda enskilda personer."
    genders = [g for g in ("Man", "Kvinna", "Uppgift saknas") if unique.get(g)]
    sentence = f"I {where} har {_count(total, 'person', 'personer')} deltagit"
    if len(genders) > 1 and all(unique[g] != MARK for g in genders):
        sentence += ", varav " + fmt.swedish_list([_count(unique[g], *_GENDER_WORDS[g]) for g in genders])
    return sentence + "."


def facts_table(rows: list[tuple[str, str]]) -> Facts:
    """Labels and values, like the fields of a form (empty values left out when shown)."""
    return Facts(tuple(rows))


def signature_block(role: str, organisation: str, insats: str) -> Signature:
    """Empty lines to sign for one party, as on the förbund's form."""
    return Signature(f"{role}: {organisation}", insats, tuple(SIGNATURE_LINES))


# -- helpers reading the report --------------------------------------------------------------------

def _owner_and_partners(report: "Report") -> tuple[str, list[str]]:
    """Owner and partners: ``organisation.yaml`` when it names them, else the parameters."""
    p, org = report.params, report.inputs.get("organisation")
    owner = getattr(org, "insatsagare", "") or p.insatsagare
    partners = list(getattr(org, "samverkansparter", ()) or p.samverkansparter)
    return owner, partners


def _unique_by_gender(frame) -> dict[str, int]:
    return {row["kon"]: row["unika"] if row["unika"] == MARK else int(row["unika"]) for _, row in frame.iterrows()}


# -- section builders ------------------------------------------------------------------------------

def uppgifter_section(report: "Report") -> Section:
    """Section ``uppgifter``: the form's head fields."""
    p = report.params
    owner, partners = _owner_and_partners(report)
    subs = report.subinsatser
    rows = [
        ("Insatsens namn", p.namn),
        ("Delinsatser", ", ".join(subs)),
        ("Diarienummer", p.diarienummer),
        ("Samordningsförbund", p.forbund),
        ("Insatsägare", owner),
        ("Samverkansparter", ", ".join(partners)),
        ("Utvärderare", p.utvarderare),
    ]
    return Section("uppgifter", report.title_of("uppgifter"), (facts_table(rows),))


def resurser_section(report: "Report") -> Section | None:
    """Section ``resurser``: staffing per role and its totals per financing (``organisation.yaml``)."""
    t = report.table_map
    if "bemanning" not in t:
        return None
    blocks = [t["bemanning"], t.get("bemanning_summa")]
    return Section("resurser", report.title_of("resurser"), tuple(b for b in blocks if b is not None))


def insatstid_section(report: "Report") -> Section:
    """Section ``insatstid``: the start and end date of the insats (the report's period)."""
    p = report.params
    rows = [("Startdatum", fmt.iso(p.period.start)), ("Slutdatum", fmt.iso(p.period.slut))]
    return Section("insatstid", report.title_of("insatstid"), (facts_table(rows),))


def deltagare_section(report: "Report") -> Section | None:
    """Section ``deltagare``: how many took part, by gender, in the insats and each sub-insats."""
    t = report.table_map
    if "deltagare_kon" not in t:
        return None
    blocks: list = [paragraph(participants_sentence("insatsen", _unique_by_gender(t["deltagare_kon"].frame)))]
    for name, people, _ in subinsatser.subinsats_pairs(report):
        blocks.append(paragraph(participants_sentence(name, _unique_by_gender(people.frame))))
    blocks.append(t["deltagare_kon"])
    if "delinsatser" in t:
        blocks.append(t["delinsatser"])
    return Section("deltagare", report.title_of("deltagare"), tuple(blocks))


def avvikelser_section(report: "Report") -> Section | None:
    """Section ``avvikelser``: the deviations dated in the period (``organisation.yaml``)."""
    org = report.inputs.get("organisation")
    if org is None:
        return None
    table = report.table_map.get("avvikelser")
    block = table if table is not None else paragraph("Inga avvikelser har lämnats in under insatstiden.")
    return Section("avvikelser", report.title_of("avvikelser"), (block,))


def underskrift_section(report: "Report") -> Section:
    """Section ``underskrift``: lines to sign for the owner and for each partner."""
    owner, partners = _owner_and_partners(report)
    name = report.params.namn
    subs = report.subinsatser
    if subs:
        name = f"{name}, {', '.join(subs)}"
    blocks = [paragraph("Rapporten undertecknas av insatsägaren och varje samverkanspart.")]
    if owner:
        blocks.append(signature_block("Insatsägare", owner, name))
    blocks += [signature_block("Samverkanspart", partner, name) for partner in partners]
    return Section("underskrift", report.title_of("underskrift"), tuple(blocks))


#: Builders of this module by section id (registered in :data:`evaluation.sections.registry.BUILDERS`).
BUILDERS = {
    "uppgifter": uppgifter_section,
    "resurser": resurser_section,
    "insatstid": insatstid_section,
    "deltagare": deltagare_section,
    "avvikelser": avvikelser_section,
    "underskrift": underskrift_section,
    **{section_id: texts.prose_builder(section_id) for section_id in PROSE_SECTIONS},
}
