"""Figures for prose and goals, against numbers worked out by hand from REGISTER (period 2020).

In the period: P1, P2, P3 (twice), P4, P5 and P7 (anonymous); P6 ended 2019.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import write_params

from evaluation.build.report import open_report
from evaluation.compute import figures

REGISTER = """deltagar_id,kon,fodelsear,startdatum,slutdatum,avslutsanledning,aktivt_arbetssokande,gemensam_planering,anonym
P1,Kvinna,1995,2019-06-01,2020-03-01,Arbete,nej,ja,nej
P2,Man,1990,2020-02-01,2020-06-01,Studier,nej,ja,nej
P3,Man,1990,2020-03-01,2020-09-01,Sjukdom,ja,nej,nej
P3,Man,1990,2020-10-01,,,,ja,nej
P4,Kvinna,1985,2020-04-01,,,,ja,nej
P5,Kvinna,1999,2020-05-01,2020-07-01,Utan mätning,nej,,nej
P6,Man,1980,2018-01-01,2019-12-31,Arbete,nej,ja,nej
P7,Kvinna,1988,2020-06-01,2020-11-01,Aktivt arbetssökande,ja,nej,ja
"""

SURVEY_YAML = """titel: Deltagarenkät
antal_tillfragade: 8
fragor:
  q1: {text: Har du fått stöd som är till nytta?}
  q2: {text: Har du fått hjälp att planera?}
"""
SURVEY_CSV = """respondent_id,datum,q1,q2
R1,2020-10-01,Helt och hållet,
R2,2020-10-02,Till mycket stor del,
R3,2020-10-03,Till viss del,
R4,2020-10-04,Inte alls,
"""


def make_project(tmp_path: Path, register: str | None = REGISTER, survey: bool = False, **params) -> Path:
    """A params file (period 2020) and its data folder; returns the params path."""
    path = write_params(tmp_path, **params)
    data = tmp_path / "data" / "testinsats"
    if register is not None:
        (data / "deltagare.csv").write_text(register, encoding="utf-8")
    if survey:
        (data / "enkater").mkdir()
        (data / "enkater" / "nns-test.yaml").write_text(SURVEY_YAML, encoding="utf-8")
        (data / "enkater" / "nns-test.csv").write_text(SURVEY_CSV, encoding="utf-8")
    return path


def test_register_figures_read_from_the_tables(tmp_path):
    raw = figures.raw(open_report(make_project(tmp_path)))
    # enrolments in 2020: P1 P2 P3a P3b P4 P5 P7 = 7; people: P1 P2 P3 P4 P5 P7 = 6
    assert raw["antal"]["deltagare"] == 6
    assert raw["antal"]["inskrivningar"] == 7
    assert raw["antal"]["nya"] == 6  # all but P1
    assert raw["antal"]["avslutade"] == 5  # P1 P2 P3a P5 P7
    assert raw["antal"]["pagaende"] == 2  # P3b P4
    assert (raw["antal"]["kvinnor"], raw["antal"]["man"]) == (4, 2)
    # result base: ended, not anonymous, P5 'Utan mätning' left out → P1 P2 P3a
    assert raw["antal"]["resultatbas"] == 3
    assert raw["antal"]["arbete_studier"] == 2
    assert raw["antal"]["ej_i_resultatet"] == 1
    assert raw["andel"]["arbete_studier"] == 2 / 3
    assert raw["andel"]["aktivt_arbetssokande"] == 1 / 3  # P3a flagged, not to work or studies


def test_joint_planning_share_among_answered_non_anonymous(tmp_path):
    raw = figures.raw(open_report(make_project(tmp_path)))
    # in period, not anonymous: P1 ja, P2 ja, P3a nej, P3b ja, P4 ja, P5 empty → 4 of 5
    assert raw["andel"]["gemensam_planering"] == 4 / 5
    assert raw["antal"]["gemensam_planering"] == 4


def test_joint_planning_none_when_column_absent(tmp_path):
    register = "\n".join(line.rsplit(",", 2)[0] + "," + line.rsplit(",", 1)[1] for line in REGISTER.splitlines())
    raw = figures.raw(open_report(make_project(tmp_path, register=register + "\n")))
    assert raw["andel"]["gemensam_planering"] is None
    assert "gemensam_planering" not in figures.namespace(open_report(make_project(tmp_path, register=register + "\n"))).andel


def test_period_and_insats(tmp_path):
    raw = figures.raw(open_report(make_project(tmp_path)))
    assert raw["period"] == {"start": dt.date(2020, 1, 1), "slut": dt.date(2020, 12, 31)}
    assert raw["insats"]["namn"] == "Testinsatsen"


def test_namespace_is_formatted_in_swedish(tmp_path):
    ns = figures.namespace(open_report(make_project(tmp_path)))
    assert ns.antal.deltagare == "6"
    assert ns.andel.arbete_studier == "67\u00a0%"  # 2/3, whole percent
    assert ns.period.start == "1 januari 2020"
    assert ns.period.slut == "31 december 2020"
    assert ns["antal"]["nya"] == "6"


def test_formatted_counts_shares_and_missing_values():
    ns = figures.formatted({"antal.deltagare": 1234, "andel.arbete_studier": 75 / 156, "andel.gemensam_planering": None})
    assert ns.antal.deltagare == "1\u00a0234"
    assert ns.andel.arbete_studier == "48\u00a0%"
    assert "gemensam_planering" not in ns.andel
    assert figures.names(ns) == ["andel.arbete_studier", "antal.deltagare"]


def test_unknown_name_is_an_attribute_error():
    ns = figures.formatted({"antal.deltagare": 3})
    with pytest.raises(AttributeError, match="antal.deltgare"):
        ns.antal.deltgare  # noqa: B018


def test_no_register_leaves_register_figures_out(tmp_path):
    # a report without register sections needs no register (with them it is an error: test_notices)
    report = open_report(make_project(tmp_path, register=None, sektioner="[bakgrund, metod]"))
    raw = figures.raw(report)
    assert "antal" not in raw and "andel" not in raw
    assert raw["insats"]["namn"] == "Testinsatsen"
    assert "antal" not in figures.namespace(report)


def test_survey_figures(tmp_path):
    ns = figures.namespace(open_report(make_project(tmp_path, survey=True)))
    survey = ns.enkat.nns_test  # '-' becomes '_' in names
    assert (survey.svarande, survey.tillfragade) == ("4", "8")
    assert survey.svarsfrekvens == "50\u00a0%"  # 4 of 8
    assert survey.topp.q1 == "50\u00a0%"  # top two labels: 2 of 4
    assert "q2" not in survey.topp  # nobody answered: no value


def test_goal_counts(tmp_path):
    path = make_project(tmp_path)
    (path.parent.parent.parent / "data" / "testinsats" / "mal.yaml").write_text(
        "- {id: a, niva: overgripande, text: A, mal: '>= 50 %', indikator: andel_arbete_studier}\n"
        "- {id: b, niva: insatsmal, text: B, mal: '>= 10', indikator: antal_deltagare}\n"
        "- {id: c, niva: insatsmal, text: C, mal: '>= 10', utfall: }\n",
        encoding="utf-8",
    )
    raw = figures.raw(open_report(path))
    # a: 2/3 ≥ 50 % met; b: 6 < 10 not met; c: no outcome
    assert raw["mal"] == {"totalt": 3, "uppfyllda": 1, "delvis_uppfyllda": 0, "ej_uppfyllda": 1, "ej_matbara": 1}
