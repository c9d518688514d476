"""The section registry is consistent with the parameters and the report types."""
from __future__ import annotations

from evaluation.inputs import params
from evaluation.sections import registry as sections


def test_every_section_id_has_a_title_and_is_allowed_in_params():
    assert set(params.SECTIONS) == set(sections.TITLES)


def test_every_report_type_has_default_sections_that_exist():
    assert set(sections.DEFAULT_SECTIONS) == set(params.REPORT_TYPES) == set(sections.REPORT_TYPES)
    for kind, ids in sections.DEFAULT_SECTIONS.items():
        assert set(ids) <= set(sections.TITLES), kind
        assert len(ids) == len(set(ids)), kind


def test_every_builder_is_a_known_section():
    assert set(sections.BUILDERS) <= set(sections.TITLES)
