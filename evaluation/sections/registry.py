"""Where each section's inputs, tables and content come from (titles and the default order per
report type are in :mod:`evaluation.core.vocab`).

A feature (surveys, interviews, goals, ...) plugs in here with its loader, its tables and its
section builders; :mod:`evaluation.build.report` only walks these registries.
"""
from __future__ import annotations

import functools
from typing import Callable

from evaluation.compute import goals
from evaluation.core import fmt, vocab
from evaluation.core.errors import EvaluationError
from evaluation.inputs import files, textfiles, yamlread
from evaluation.sections import effects, matrices, slutrapport, subinsatser
from evaluation.sections import interviews, omvarld, organisation
from evaluation.sections import measurements, participants
from evaluation.sections import siblings, surveys
from evaluation.sections import texts

TITLES = vocab.TITLES
REPORT_TYPES = vocab.REPORT_TYPES
DEFAULT_SECTIONS = vocab.DEFAULT_SECTIONS

def _confined(load: Callable) -> Callable:
    """``load`` reading only inside the parameters' data folder and the shared libraries
    beside ``params/`` (omvärld, question sets)."""

    @functools.wraps(load)
    def run(params, inputs):
        with textfiles.confined(params.data, params.omvarld_dir, params.fragebatterier_dir):
            return load(params, inputs)

    return run


#: Inputs, loaded in this order; each loader gets the parameters and what is loaded so far,
#: and returns ``None`` when its input does not exist. Loaders read only inside the data
#: folder and the omvärld library (a link that leads out is refused).
LOADERS: dict[str, Callable] = {
    "register": participants.load_register_input,
    "followups": participants.load_followup_input,
    "interviews": interviews.load_interviews_input,
    "omvarld": omvarld.load_omvarld_input,
    "organisation": organisation.load_organisation_input,
    "surveys": surveys.load_input,
    "matrices": matrices.load_matrices,
    "texts": texts.load_texts_input,
    "goals": goals.load_input,
    "measurements": measurements.load_measurements_input,
    "costs": measurements.load_costs_input,
}
LOADERS = {name: _confined(load) for name, load in LOADERS.items()}
#: Inputs a loader reads from those loaded before it, and the files it reads. When one of them
#: cannot be used, the loader waits until it can: its own errors would only be about the missing one.
READS_FIRST: dict[str, tuple[str, tuple[str, ...]]] = {
    "followups": ("register", tuple(f"{participants.FOLLOWUPS}{suffix}" for suffix in files.TABLE_SUFFIXES)),
    "measurements": ("register", (*(f"{measurements.measurement_input.TABLE}{suffix}"
                                    for suffix in files.TABLE_SUFFIXES), measurements.measurement_input.INSTRUMENTS)),
}


def waiting_tables(params, name: str) -> list[str]:
    """The names of the files loader ``name`` would read that are in the data folder."""
    return [file for file in READS_FIRST[name][1] if (params.data / file).is_file()]


def checked_alone(params, name: str) -> list:
    """The errors of loader ``name``'s files found without the input it waits for: each file read
    as what it is (a table's columns, a YAML file's syntax) and scanned for personal data, so a
    personnummer in it is not left for the next run."""
    found = []
    with textfiles.confined(params.data):
        for file in waiting_tables(params, name):
            path = params.data / file
            try:
                yamlread.read_yaml(path) if path.suffix == ".yaml" else files.read_table(path)
            except EvaluationError as exc:
                found.append(exc)
    return found


def after_register(names: list[str]) -> str:
    """What a message says of tables that wait for the register.

    >>> after_register(["uppfoljning.csv", "matningar.xlsx", "instrument.yaml"])
    'uppfoljning.csv, matningar.xlsx och instrument.yaml läses mot deltagarregistret och kontrolleras mot det när registret går att använda.'
    """
    return f"{fmt.swedish_list(names)} läses mot deltagarregistret och kontrolleras mot det när registret går att använda."


#: What a message says when inputs failed and the evaluator's texts are there: their template
#: variables are the report's figures, checked only when the report can be computed.
TEXTS_LATER = ("Texterna i texter/ (deras variabler och mallar) kontrolleras när underlaget ovan går att "
               "använda: deras tal räknas ur det.")


#: The count tables of the insats's reports whose period lies within this one's (:mod:`evaluation.sections.siblings`).
overlapping = siblings.overlapping
keep_published, kept_published = siblings.keep_published, siblings.kept_published
#: Functions ``(report) -> list[Table]``; together they give every table of a report.
TABLES: list[Callable] = [
    participants.register_tables,
    omvarld.omvarld_tables,
    organisation.organisation_tables,
    interviews.interview_tables,
    surveys.tables,
    subinsatser.subinsats_tables,
    effects.effect_tables,
    matrices.matrix_tables,
    measurements.measurement_tables,
    measurements.cost_tables,
]
#: The builders of ``TABLES`` whose tables count the register's people and relate to one another
#: (:func:`evaluation.compute.links.table_links`): what the insats's other reports are protected
#: beside, as those publish them (:mod:`evaluation.sections.siblings`). The others relate to none of them.
REGISTER_TABLES: list[Callable] = [participants.register_tables, subinsatser.subinsats_tables, effects.effect_tables,
                                   measurements.cost_tables]
#: Functions ``(params, inputs, protected tables by id) -> list[Table]``: tables computed from the
#: protected counts after disclosure control (amounts that would need a hidden count are hidden).
DERIVED: list[Callable] = [measurements.derived_tables]
# Goal tables come after the key figures (see evaluation.build.report), not from this list.

#: Section builders ``(report) -> Section | None`` (``None``: no input for this section).
BUILDERS: dict[str, Callable] = {
    "resultat": participants.resultat_section,
    "intervjuer": interviews.intervjuer_section,
    "omvarld": omvarld.omvarld_section,
    "organisation": organisation.organisation_section,
    "enkater": surveys.section,
    "delinsatser": subinsatser.delinsatser_section,
    "effekter": effects.effekter_section,
    "trend": effects.trend_section,
    "matriser": matrices.matriser_section,
    **slutrapport.BUILDERS,
    "mal": goals.section,
    "matningar": measurements.matningar_section,
    "samverkan": measurements.samverkan_section,
    "samhallsnytta": measurements.samhallsnytta_section,
}
# Prose-only sections: the evaluator's text is the whole section (only where no builder exists).
for _section_id in texts.PROSE_ONLY:
    BUILDERS.setdefault(_section_id, texts.prose_builder(_section_id))


def prose(report, section_id: str):
    """The evaluator's text for a section (``texter/<section>.md``), or ``None``."""
    return texts.prose(report, section_id)
