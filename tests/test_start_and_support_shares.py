"""Register additions of issue 16: ``aktivt_arbetssokande_start`` (an extension of contract §2)
and the shares in ``forsorjning_fore_efter``, with numbers worked out from conftest's register."""
from __future__ import annotations

import pytest
from conftest import HEADER, ROWS, csv_text, write_params

from evaluation.build.report import open_report

#: At start, by participant (conftest's register); counted only for those who started in 2020
#: and are not anonymous: D03 D04 D05 D06 D07 D08 D09.
AT_START = {"D01": "ja", "D03": "ja", "D04": "nej", "D05": "ja", "D06": "", "D07": "ja", "D08": "nej",
            "D09": "", "D12": "ja"}


def project(tmp_path, min_cell=0):
    params = write_params(tmp_path, min_cell=min_cell)
    rows = [row + [AT_START.get(row[0], "")] for row in ROWS]
    (params.parent.parent.parent / "data" / "testinsats" / "deltagare.csv").write_text(
        csv_text(rows, HEADER + ["aktivt_arbetssokande_start"]), encoding="utf-8")
    return params


def test_actively_seeking_work_at_start(tmp_path):
    report = open_report(project(tmp_path))
    table = report.table("aktivt_arbetssokande_start")
    frame = table.frame.set_index("uppgift")
    # Ja: D03 D05 D07; Nej: D04 D08; Uppgift saknas: D06 D09 (D01 started 2019, D12 is anonymous)
    assert frame["antal"].tolist() == [3, 2, 2]
    assert frame["andel"].tolist() == pytest.approx([3 / 7, 2 / 7, 2 / 7])
    assert table.base.startswith("Andel av 7 som började under perioden")
    section = next(s for s in report.sections if s.id == "resultat")
    assert table in section.blocks


def test_without_the_column_there_is_no_table(tmp_path):
    params = write_params(tmp_path)
    (params.parent.parent.parent / "data" / "testinsats" / "deltagare.csv").write_text(csv_text(), encoding="utf-8")
    assert "aktivt_arbetssokande_start" not in open_report(params).table_map


def test_support_before_and_after_as_shares_of_those_who_ended(tmp_path):
    table = open_report(project(tmp_path)).table("forsorjning_fore_efter")
    frame = table.frame.set_index("kalla")
    # ended in 2020, not anonymous: D01 D03 D04 D05 D06 D08 = 6; Försörjningsstöd before D01 D03 D06, after D03
    assert frame.loc["Försörjningsstöd", ["fore", "efter"]].tolist() == [3, 1]
    assert frame.loc["Försörjningsstöd", ["andel_fore", "andel_efter"]].tolist() == pytest.approx([3 / 6, 1 / 6])
    assert list(table.columns)[:5] == ["kalla", "fore", "andel_fore", "efter", "andel_efter"]
    assert "bas" not in table.columns  # the base is named in the note
    assert table.base.startswith("Andel av 6 avslutade under perioden")


def test_shares_hidden_with_their_counts(tmp_path):
    table = open_report(project(tmp_path, min_cell=3)).table("forsorjning_fore_efter")
    frame = table.frame.set_index("kalla")
    # Försörjningsstöd after is 1 (< 3): the source is merged into Annan before suppression (issue 15),
    # and the note says so; no count of 1 or 2 is shown
    assert "Försörjningsstöd" not in frame.index and "försörjningsstöd" in table.note
    shown = [v for v in frame[["fore", "efter"]].to_numpy().ravel() if v != ".."]
    assert not any(v in (1, 2) for v in shown)