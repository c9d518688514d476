"""Register tables against numbers worked out by hand from conftest.ROWS (period 2020).

In the period: D01–D09 and D12 (D10 ended 2019-12-31, D11 starts 2021). D12 is anonymous.
"""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from evaluation.compute import tables
from evaluation.compute.tables import Window
from evaluation.inputs.register import load_followups, load_register

W = Window(dt.date(2020, 1, 1), dt.date(2020, 12, 31))


@pytest.fixture
def reg(project):
    return load_register(project.parent.parent.parent / "data" / "testinsats" / "deltagare.csv")


def row(frame: pd.DataFrame, column: str, value) -> dict:
    match = frame[frame[column] == value]
    assert len(match) == 1, f"{value!r} not once in {frame[column].tolist()}"
    return match.iloc[0].to_dict()


def test_deltagare_kon(reg):
    t = tables.deltagare_kon(reg, W)
    assert t["kon"].tolist() == ["Kvinna", "Man", "Uppgift saknas", "Totalt"]
    # Kvinna: D01 D03 D06 D08 D12; new D03 D06 D08 D12; ended D01 D03 D06 D08 D12; none ongoing
    assert row(t, "kon", "Kvinna") == {"kon": "Kvinna", "unika": 5, "inskrivningar": 5, "nya": 4, "avslutade": 5, "pagaende": 0}
    # Man: D02 D04 D05 D09; new D04 D05 D09; ended D04 D05; ongoing D02, D09 (ends 2021)
    assert row(t, "kon", "Man") == {"kon": "Man", "unika": 4, "inskrivningar": 4, "nya": 3, "avslutade": 2, "pagaende": 2}
    assert row(t, "kon", "Totalt") == {"kon": "Totalt", "unika": 10, "inskrivningar": 10, "nya": 8, "avslutade": 7, "pagaende": 3}


def test_uppgift_saknas_row_only_when_present(reg):
    t = tables.deltagare_kon(reg[reg["kon"] != "Uppgift saknas"], W)
    assert "Uppgift saknas" not in t["kon"].tolist()


def test_unique_people_with_two_enrolments(reg):
    extra = reg[reg["deltagar_id"] == "D04"].assign(startdatum=pd.Timestamp("2020-11-01"), slutdatum=pd.NaT)
    t = tables.deltagare_kon(pd.concat([reg, extra], ignore_index=True), W)
    total = row(t, "kon", "Totalt")
    assert (total["unika"], total["inskrivningar"], total["nya"]) == (10, 11, 9)


def test_alder_default_bands(reg):
    # started in 2020, not anonymous: D03 20, D04 30, D05 50, D06 58, D07 21, D08 40 (stated), D09 19
    t = tables.alder(reg, W, [15, 30, 45, 60, 75])
    assert t["intervall"].tolist() == ["15–29", "30–44", "45–59", "60–74"]
    assert t["antal"].tolist() == [3, 2, 2, 0]
    assert t["andel"].tolist() == pytest.approx([3 / 7, 2 / 7, 2 / 7, 0])


def test_alder_custom_bands_and_missing(reg):
    reg = reg.copy()
    reg.loc[reg["deltagar_id"] == "D05", "alder"] = pd.NA
    t = tables.alder(reg, W, [18, 25, 65])
    # 20, 30, 58, 21, 40, 19 in bands; D05 unknown
    assert dict(zip(t["intervall"], t["antal"])) == {"18–24": 3, "25–64": 3, "Saknas": 1}


def test_utbildning(reg):
    t = tables.utbildning(reg, W)
    counts = dict(zip(t["niva"], t["antal"]))
    assert counts["Grundskola"] == 2 and counts["Gymnasium"] == 3
    assert counts["Högskola/universitet upp till 3 år"] == 1 and counts["Saknas/okänd"] == 1  # D05 empty
    assert t["andel"].sum() == pytest.approx(1.0)
    assert row(t, "niva", "Gymnasium")["andel"] == pytest.approx(3 / 7)


def test_tid_i_forsorjning(reg):
    t = tables.tid_i_forsorjning(reg, W)
    counts = dict(zip(t["tid"], t["antal"]))
    # D03 2 år, D04 1 år, D05 9+, D06 9+, D07 saknas, D08 3 år, D09 1 år
    assert counts["Upp till 1 år"] == 2 and counts["9 år eller mer"] == 2 and counts["Saknas/okänd"] == 1
    assert sum(counts.values()) == 7


def test_resultat_avslutade_with_trial_period(reg):
    t = tables.resultat(reg, W, "avslutade", trial_days=90)
    # ended, not anonymous: D01 D03 D04 D05 D06 D08 = 6; out: D03 (19 days) and D08 (Utan mätning)
    assert t["kategori"].tolist() == ["Arbete", "Studier", "Fortsatt rehabilitering", "Sjukdom",
                                      "Arbete eller studier", "Aktivt arbetssökande (överlappande)", "Ej i resultatet"]
    assert row(t, "kategori", "Arbete") == {"kategori": "Arbete", "antal": 1, "bas": 4, "andel": 1 / 4}
    assert row(t, "kategori", "Arbete eller studier")["andel"] == 2 / 4
    assert row(t, "kategori", "Aktivt arbetssökande (överlappande)")["antal"] == 2  # D05, D06
    excluded = row(t, "kategori", "Ej i resultatet")
    # outside the result base of 4: no share in the column of shares of 4 (one base per column)
    assert {k: excluded[k] for k in ("antal", "bas")} == {"antal": 2, "bas": 6} and pd.isna(excluded["andel"])


def test_resultat_without_trial_period(reg):
    t = tables.resultat(reg, W, "avslutade", trial_days=0)
    assert row(t, "kategori", "Arbete") == {"kategori": "Arbete", "antal": 2, "bas": 5, "andel": 2 / 5}
    assert row(t, "kategori", "Ej i resultatet")["antal"] == 1  # only Utan mätning


def test_resultat_alla_inskrivna(reg):
    t = tables.resultat(reg, W, "alla_inskrivna", trial_days=90)
    # enrolled, not anonymous: 9; out: D03, D08 → base 7; ongoing at end: D02 D07 D09
    assert row(t, "kategori", "Pågående") == {"kategori": "Pågående", "antal": 3, "bas": 7, "andel": 3 / 7}
    assert row(t, "kategori", "Arbete eller studier")["andel"] == 2 / 7
    assert row(t, "kategori", "Ej i resultatet")["bas"] == 9


@pytest.mark.parametrize("mode,trial_days,min_cell", [("avslutade", 90, 0), ("avslutade", 0, 3),
                                                      ("alla_inskrivna", 90, 0), ("alla_inskrivna", 90, 3)])
def test_period_counts_and_work_or_studies_are_the_tables_rows(reg, mode, trial_days, min_cell):
    """What a trend row reads without the tables is their Totalt and Arbete eller studier rows."""
    for w in (W, Window(dt.date(2020, 7, 1), dt.date(2021, 6, 30)), Window(dt.date(2030, 1, 1), dt.date(2030, 12, 31))):
        assert tables.period_counts(reg, w) == {k: v for k, v in row(tables.deltagare_kon(reg, w), "kon", "Totalt").items()
                                                if k != "kon"}
        work = row(tables.resultat(reg, w, mode, trial_days, min_cell=min_cell), "kategori", "Arbete eller studier")
        assert tables.work_or_studies(reg, w, mode, trial_days, min_cell) == (work["antal"], work["bas"])


def test_avslutsanledning_kon(reg):
    t = tables.avslutsanledning_kon(reg, W)
    assert t["antal"].sum() == 6
    assert row(t[t["kon"] == "Kvinna"], "avslutsanledning", "Arbete")["antal"] == 2  # D01, D03
    assert row(t[t["kon"] == "Kvinna"], "avslutsanledning", "Arbete")["andel"] == 2 / 6
    assert "Aktivt arbetssökande" not in t["avslutsanledning"].tolist()  # D12 is anonymous


def test_forsorjning_fore_efter(reg):
    t = tables.forsorjning_fore_efter(reg, W)
    fs = row(t, "kalla", "Försörjningsstöd")  # before D01 D03 D06; after D03
    assert (fs["fore"], fs["efter"], fs["forandring"]) == (3, 1, -2)
    assert fs["forandring_procent"] == pytest.approx(-2 / 3)
    sp = row(t, "kalla", "Sjukpenning/Rehabpenning")
    assert (sp["fore"], sp["efter"], sp["forandring_procent"]) == (2, 1, -0.5)
    ingen = row(t, "kalla", "Ingen offentlig försörjning")
    assert (ingen["fore"], ingen["efter"]) == (0, 1) and math.isnan(ingen["forandring_procent"])
    assert row(t, "kalla", "Uppgift saknas")["efter"] == 2  # D06, D08
    assert "A-kassa" not in t["kalla"].tolist()
    # shares of those who ended in the period (every row's bas)
    n = len(tables.ended(reg, W))
    assert set(t["bas"]) == {n}
    assert (fs["andel_fore"], fs["andel_efter"]) == (pytest.approx(3 / n), pytest.approx(1 / n))


def test_uppfoljning_made_in_period(project, reg):
    fu = load_followups(project.parent.parent.parent / "data" / "testinsats" / "uppfoljning.csv", reg)
    t = tables.uppfoljning(fu, W)
    # in 2020: D01 6 m (datum), D10 6 m (2019-12-31 + 6 m), D02 18 m (datum); D10 18 m and D04 fall in 2021
    assert t.to_dict("records") == [
        {"manader": 6, "status": "Arbete", "antal": 1, "andel": 0.5},
        {"manader": 6, "status": "Studier", "antal": 1, "andel": 0.5},
        {"manader": 18, "status": "Arbete", "antal": 1, "andel": 1.0},
    ]


def test_delinsatser(reg):
    reg = reg.assign(delinsats=["Hälsa" if i in ("D03", "D04", "D02") else "" for i in reg["deltagar_id"]])
    t = tables.delinsatser(reg, W)
    assert t.to_dict("records") == [{"delinsats": "Hälsa", "unika": 3, "nya": 2, "avslutade": 2, "pagaende": 1}]


def test_period_membership_boundaries(reg):
    w = Window(dt.date(2020, 3, 1), dt.date(2020, 3, 1))
    inside = reg[tables.in_period(reg, w)]["deltagar_id"].tolist()
    assert "D01" in inside and "D04" in inside  # ends / starts on the only day
    assert tables.ended_in(reg, w).sum() == 1 and tables.new_in(reg, w).sum() == 1


def test_alder_outside_the_bands(reg):
    t = tables.alder(reg, W, [20, 30, 50])
    # 20, 30, 50, 58, 21, 40, 19 → under 20: D09; 20-29: D03 D07; 30-49: D04 D08; 50+: D05 D06
    assert dict(zip(t["intervall"], t["antal"])) == {"Under 20": 1, "20–29": 2, "30–49": 2, "50 eller äldre": 2}


def test_ended_is_selected_once_a_register_and_each_caller_has_its_own(reg):
    """tables.ended keeps its selection while the register lives (evaluation.core.perframe):
    the same rows each time, and a caller that changes what it got changes no other's."""
    from evaluation.core import perframe

    w = W
    first = tables.ended(reg, w)
    assert len(first)
    first["avslutsanledning"] = "ändrad"
    again = tables.ended(reg, w)
    assert again is not first and "ändrad" not in set(again["avslutsanledning"])
    assert again.equals(reg[~reg["anonym"] & tables.ended_in(reg, w)])
    copy = reg.copy()
    tables.ended(copy, w)
    kept = len(perframe._KEPT)
    del copy  # a frame freed takes what was kept for it
    assert len(perframe._KEPT) == kept - 1
