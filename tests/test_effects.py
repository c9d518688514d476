"""Effects over time: outcome at exit beside follow-ups (``effekter``) and key figures per period (``trend``).

The tiny register below is worked out by hand; period 2024 unless a test says otherwise.

==== ===== ========== ========== =========================  =========
id   kön   start      slut       avslutsanledning           in period
==== ===== ========== ========== =========================  =========
P01  K     2023-01-10 2023-06-30 Arbete                     2023
P02  M     2023-02-01 2023-05-31 Sjukdom                    2023
P03  M     2023-03-01 2023-08-31 Fortsatt rehabilitering    2023
P04  K     2023-04-01 2023-12-15 Studier                    2023
P05  M     2024-01-15 2024-06-30 Arbete                     2024
P06  K     2024-02-01 2024-09-30 Aktivt arbetssökande       2024
P07  M     2024-03-01 2024-10-31 Flyttat                    2024
P08  K     2024-03-15 2024-11-30 Utan mätning               2024
P09  M     2024-05-01 (ongoing)                             2024
P10  K     2022-06-01 2022-12-31 Övrigt                     2022
==== ===== ========== ========== =========================  =========
"""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from conftest import write_params
from evaluation.build.report import open_report
from evaluation.compute import periods
from evaluation.compute.tables import Window
from evaluation.sections import effects

REGISTER = """deltagar_id,kon,fodelsear,startdatum,slutdatum,avslutsanledning
P01,Kvinna,1999,2023-01-10,2023-06-30,Arbete
P02,Man,1998,2023-02-01,2023-05-31,Sjukdom
P03,Man,1990,2023-03-01,2023-08-31,Fortsatt rehabilitering
P04,Kvinna,2001,2023-04-01,2023-12-15,Studier
P05,Man,1995,2024-01-15,2024-06-30,Arbete
P06,Kvinna,1997,2024-02-01,2024-09-30,Aktivt arbetssökande
P07,Man,1985,2024-03-01,2024-10-31,Flyttat
P08,Kvinna,1980,2024-03-15,2024-11-30,Utan mätning
P09,Man,2000,2024-05-01,,
P10,Kvinna,1975,2022-06-01,2022-12-31,Övrigt
"""
# In 2024: 6 months P01 Arbete, P02 Ej nådd, P03 Fortsatt rehabilitering, P04 Studier (4);
# 18 months P10 Sjukdom (2022-12-31 + 18 mån = 2024-06-30), P01 Arbete (2024-12-30),
# P02 Aktivt arbetssökande (2024-11-30) (3). P05's follow-up is dated 2025: not in 2024.
FOLLOWUPS = """deltagar_id,manader_efter_avslut,status,datum
P01,6,Arbete,2024-01-05
P02,6,Ej nådd,2024-02-01
P03,6,Fortsatt rehabilitering,2024-03-01
P04,6,Studier,2024-06-15
P10,18,Sjukdom,
P01,18,Arbete,
P02,18,Aktivt arbetssökande,
P05,6,Arbete,2025-01-15
"""


def make(tmp_path, followups: str | None = FOLLOWUPS, **params):
    path = write_params(tmp_path, slug="2024", period="{start: 2024-01-01, slut: 2024-12-31}", **params)
    data = tmp_path / "data" / "testinsats"
    (data / "deltagare.csv").write_text(REGISTER, encoding="utf-8")
    if followups is not None:
        (data / "uppfoljning.csv").write_text(followups, encoding="utf-8")
    return open_report(path)


def row(frame: pd.DataFrame, group: str) -> pd.Series:
    return frame.set_index("grupp").loc[group]


# -- effekter --------------------------------------------------------------------------------------
def test_effekter_exit_and_followup_shares(tmp_path):
    frame = make(tmp_path).table("effekter").frame
    assert frame["grupp"].tolist() == [
        "Arbete eller studier", "Aktivt arbetssökande", "Fortsatt rehabilitering", "Sjukdom", "Övrigt",
        "Ej nådd", "Totalt",
    ]
    # at exit: P05 Arbete, P06 Aktivt arbetssökande, P07 Flyttat (→ Övrigt); P08 Utan mätning is out
    assert row(frame, "Totalt")["antal_avslut"] == 3
    assert row(frame, "Arbete eller studier")["andel_avslut"] == 1 / 3
    assert row(frame, "Aktivt arbetssökande")["andel_avslut"] == 1 / 3
    assert row(frame, "Övrigt")["andel_avslut"] == 1 / 3
    assert row(frame, "Sjukdom")["andel_avslut"] == 0
    assert row(frame, "Ej nådd")["antal_avslut"] is None and math.isnan(row(frame, "Ej nådd")["andel_avslut"])
    # 6 months: Arbete + Studier of 4, one not reached, one in rehabilitation
    assert row(frame, "Totalt")["antal_6_man"] == 4
    assert row(frame, "Arbete eller studier")["antal_6_man"] == 2
    assert row(frame, "Arbete eller studier")["andel_6_man"] == 2 / 4
    assert row(frame, "Ej nådd")["andel_6_man"] == 1 / 4
    assert row(frame, "Fortsatt rehabilitering")["andel_6_man"] == 1 / 4
    # 18 months: Sjukdom, Arbete, Aktivt arbetssökande, one each of 3
    assert row(frame, "Totalt")["antal_18_man"] == 3
    for group in ("Arbete eller studier", "Aktivt arbetssökande", "Sjukdom"):
        assert row(frame, group)["andel_18_man"] == 1 / 3
    assert row(frame, "Totalt")["andel_18_man"] == 1.0


def test_effekter_reuses_the_uppfoljning_counts(tmp_path):
    report = make(tmp_path)
    upp = report.table("uppfoljning").frame
    frame = report.table("effekter").frame
    for months in (6, 18):
        assert row(frame, "Totalt")[f"antal_{months}_man"] == upp.loc[upp["manader"] == months, "antal"].sum()


def test_effekter_with_all_enrolled_has_an_ongoing_row(tmp_path):
    frame = make(tmp_path, resultat_bas="alla_inskrivna").table("effekter").frame
    # base: P05, P06, P07, P09 (P08 Utan mätning left out); P09 still enrolled
    assert row(frame, "Totalt")["antal_avslut"] == 4
    assert row(frame, "Pågående")["andel_avslut"] == 1 / 4
    assert row(frame, "Arbete eller studier")["andel_avslut"] == 1 / 4
    assert math.isnan(row(frame, "Pågående")["andel_6_man"])


def test_other_follow_up_months_get_their_own_column():
    upp = pd.DataFrame({"manader": [12, 12], "status": ["Arbete", "Övrigt"], "antal": [1, 1]})
    res = pd.DataFrame({"kategori": ["Arbete eller studier"], "antal": [0], "bas": [0]})
    frame = effects.effekter(res, upp)
    assert [c for c in frame.columns if c.startswith("andel_")] == ["andel_avslut", "andel_6_man", "andel_12_man", "andel_18_man"]
    assert row(frame, "Övrigt")["andel_12_man"] == 1 / 2
    assert math.isnan(row(frame, "Totalt")["andel_6_man"])


def test_effekter_section(tmp_path):
    report = make(tmp_path)
    section = next(s for s in report.sections if s.id == "effekter")
    html = section.to_html()
    # 1 of 3 followed up after 18 months: whole percents under 10 (issue 15)
    assert "Efter 18 mån, andel" in html and "33\u00a0%" in html and "33,3" not in html
    assert "<img" in html  # the chart


def test_no_followups_no_effekter(tmp_path):
    report = make(tmp_path, followups=None)
    assert "effekter" not in report.table_map
    assert "effekter" not in [s.id for s in report.sections]


# -- trend -----------------------------------------------------------------------------------------
def test_earlier_windows_calendar_aligned():
    year = Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert periods.earlier_windows(year, dt.date(2022, 6, 1)) == [
        Window(dt.date(2022, 1, 1), dt.date(2022, 12, 31)), Window(dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
    ]
    may = Window(dt.date(2024, 5, 1), dt.date(2025, 4, 30))
    assert periods.earlier_windows(may, dt.date(2023, 5, 1)) == [Window(dt.date(2023, 5, 1), dt.date(2024, 4, 30))]
    assert periods.earlier_windows(may, dt.date(2024, 5, 1)) == []
    odd = Window(dt.date(2024, 1, 10), dt.date(2024, 1, 19))  # 10 days, not whole months
    assert periods.earlier_windows(odd, dt.date(2024, 1, 9)) == [Window(dt.date(2023, 12, 31), dt.date(2024, 1, 9))]
    assert periods.earlier_windows(odd, dt.date(2023, 12, 30)) == [
        Window(dt.date(2023, 12, 21), dt.date(2023, 12, 30)), Window(dt.date(2023, 12, 31), dt.date(2024, 1, 9)),
    ]


def test_period_labels():
    assert periods.period_label(Window(dt.date(2023, 1, 1), dt.date(2023, 12, 31))) == "2023"
    assert periods.period_label(Window(dt.date(2023, 5, 1), dt.date(2024, 4, 30))) == "2023-05 – 2024-04"
    assert periods.period_label(Window(dt.date(2023, 5, 2), dt.date(2023, 5, 9))) == "2023-05-02 – 2023-05-09"


def test_trend_by_hand(tmp_path):
    frame = make(tmp_path, followups=None).table("trend").frame
    assert list(frame.columns) == ["period", "start", "slut", "deltagare", "nya", "avslutade",
                                   "antal_arbete_studier", "bas_arbete_studier", "andel_arbete_studier"]
    assert frame["period"].tolist() == ["2022", "2023", "2024"]
    assert frame[["start", "slut"]].iloc[0].tolist() == ["2022-01-01", "2022-12-31"]
    # 2022: P10 only, ended Övrigt → 0 of 1
    assert frame.iloc[0][["deltagare", "nya", "avslutade"]].tolist() == [1, 1, 1]
    assert frame.iloc[0]["andel_arbete_studier"] == 0 / 1
    # 2023: P01-P04, all new and ended; Arbete (P01) + Studier (P04) of 4
    assert frame.iloc[1][["deltagare", "nya", "avslutade"]].tolist() == [4, 4, 4]
    assert frame.iloc[1]["andel_arbete_studier"] == 2 / 4
    assert frame.iloc[1][["antal_arbete_studier", "bas_arbete_studier"]].tolist() == [2, 4]
    # 2024: P05-P09; P09 ongoing; P08 Utan mätning out of the base → Arbete (P05) of 3
    assert frame.iloc[2][["deltagare", "nya", "avslutade"]].tolist() == [5, 5, 4]
    assert frame.iloc[2]["andel_arbete_studier"] == 1 / 3


def test_trend_uses_the_trial_period_of_the_parameters(tmp_path):
    frame = make(tmp_path, followups=None, provtid_dagar=200).table("trend").frame
    # 2023 with a 200-day trial: P01 (171 days), P02 (119), P03 (183) left out; P04 Studier of 1
    assert frame.iloc[1]["andel_arbete_studier"] == 1 / 1


def test_trend_section_has_table_and_charts(tmp_path):
    section = next(s for s in make(tmp_path, followups=None).sections if s.id == "trend")
    html = section.to_html()
    assert 'id="tabell-trend"' in html and html.count("<img") == 2


def test_no_earlier_period_no_trend(tmp_path):
    path = write_params(tmp_path, slug="2022", period="{start: 2022-01-01, slut: 2022-12-31}")
    (tmp_path / "data" / "testinsats" / "deltagare.csv").write_text(REGISTER, encoding="utf-8")
    report = open_report(path)
    assert "trend" not in report.table_map
    assert "trend" not in [s.id for s in report.sections]
