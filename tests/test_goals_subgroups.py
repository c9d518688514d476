"""Goals as förbund write them (group labels, indicators per sub-insats, indicators without a
target) and the fact check scoped to the sub-insats a sentence names.

The register is conftest's, with D01, D03, D04 and D05 in the sub-insats Hälsoverket and the
rest in Ung Framtid. By hand (provtid 90 days, result base = ended in 2020):
- whole insats: ended D01 (Arbete), D03 (19 days: trial), D04 (Studier), D05 (Sjukdom),
  D06 (Fortsatt rehabilitering), D08 (Utan mätning), D12 (anonymous) → base D01, D04, D05, D06
  = 4; work or studies D01, D04 = 2 → 50 %.
- Hälsoverket: base D01, D04, D05 = 3 (D03 in trial); work or studies 2 → 2/3 = 66,7 %;
  participants D01, D03, D04, D05 = 4.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.core.vocab import MARK

from conftest import HEADER, ROWS, csv_text, dedent, write_params
from evaluation.build.report import Report
from evaluation.core import vocab
from evaluation.core.errors import InputError
from evaluation.inputs.params import load_params

HALSOVERKET = {"D01", "D03", "D04", "D05"}

GOALS = dedent("""
    - id: arbete
      niva: overgripande
      grupp: Ung Framtid
      text: Hälften går till arbete eller studier.
      mal: ">= 50 %"
      indikator: andel_arbete_studier
    - id: arbete-hv
      niva: overgripande
      grupp: Hälsoverket
      text: Sex av tio i Hälsoverket går till arbete eller studier.
      mal: ">= 60 %"
      indikator: andel_arbete_studier
      delinsats: Hälsoverket
    - id: deltagare-hv
      niva: insatsmal
      grupp: Hälsoverket
      text: Deltagare i Hälsoverket.
      indikator: antal_deltagare
      delinsats: Hälsoverket
""")


def _project(tmp_path: Path, goals: str = GOALS, **extra) -> Path:
    params = write_params(tmp_path, provtid_dagar=90, **extra)
    data = tmp_path / "data" / "testinsats"
    rows = [row + ["Hälsoverket" if row[0] in HALSOVERKET else "Ung Framtid"] for row in ROWS]
    (data / "deltagare.csv").write_text(csv_text(rows, HEADER + ["delinsats"]), encoding="utf-8")
    if goals:
        (data / "mal.yaml").write_text(goals, encoding="utf-8")
    return params


def test_goals_per_sub_insats_grouped_and_without_target(tmp_path):
    report = Report(load_params(_project(tmp_path)))
    frame = report.table("mal").frame.set_index("id")
    assert frame.loc["arbete", "utfall"] == pytest.approx(2 / 4)          # the whole insats
    assert frame.loc["arbete-hv", "utfall"] == pytest.approx(2 / 3)       # Hälsoverket's own table
    assert frame.loc["deltagare-hv", "utfall"] == 4                       # Hälsoverket's participants
    assert frame["status"].tolist() == ["Uppfyllt", "Uppfyllt", vocab.GOAL_NOT_ASSESSED]
    assert vocab.GOAL_NOT_ASSESSED == "Ej bedömt"
    shown = report.table("mal").shown.set_index("text")
    assert shown.loc["Deltagare i Hälsoverket.", "mal_visning"] == "–"
    assert shown.loc["Deltagare i Hälsoverket.", "utfall_visning"] == "4"

    section = report.section("mal")
    assert section.blocks[0].text == "Av 3 mål är 2 uppfyllda och 1 ej bedömt."
    heads = [(b.text, b.level) for b in section.blocks if type(b).__name__ == "Heading"]
    assert heads == [("Övergripande mål", 3), ("Ung Framtid", 4), ("Hälsoverket", 4),
                     ("Insatsmål", 3), ("Hälsoverket", 4)]
    assert list(section.tables) == ["mal_overgripande_ung_framtid", "mal_overgripande_halsoverket",
                                    "mal_insatsmal_halsoverket"]
    assert section.table("mal_overgripande_halsoverket").cells()[0][2] == "67\xa0%"


def test_sub_insats_indicator_reads_the_protected_table(tmp_path):
    # min_cell 3: Hälsoverket's 2 to work or studies is hidden, so is its share: not measurable
    report = Report(load_params(_project(tmp_path, min_cell=3)))
    frame = report.table("mal").frame.set_index("id")
    assert frame.loc["arbete-hv", "status"] == "Ej mätbart"
    # Hälsoverket's 4 participants: a table shown nowhere (all its counts hidden) still has its few
    # (2 to work or studies) protected, and in a register of twelve that hides its total as well
    assert report.table("deltagare_kon_halsoverket").frame.set_index("kon").loc["Totalt", "unika"] == MARK
    assert frame.loc["deltagare-hv", "utfall"] is None  # not measurable (a goal without a target: "Ej bedömt")


def test_unknown_sub_insats_names_the_goal_and_near_match(tmp_path):
    report = Report(load_params(_project(tmp_path, goals=GOALS.replace("delinsats: Hälsoverket", "delinsats: Halsoverket", 1))))
    with pytest.raises(InputError) as err:
        report.tables  # noqa: B018
    message = str(err.value)
    assert "mal.yaml: målet 'arbete-hv' (mål 2), nyckeln 'delinsats': registret har ingen delinsats 'Halsoverket'." in message
    assert "Menade du 'Hälsoverket'?" in message and "Delinsatser: 'Hälsoverket', 'Ung Framtid'." in message


def test_a_register_of_many_sub_insatser_is_listed_cut_with_a_count():
    """Every sub-insats of the register was listed: a register with a value per row listed them all."""
    from evaluation.compute.goals import Goal, indicator_value
    goal = Goal(id="x", niva="effektmal", text="T", target=None, indikator="arbete_andel", delinsats="Saknas", number=1)
    with pytest.raises(InputError) as err:
        indicator_value(goal, {}, Path("mal.yaml"), {f"D{i}": {} for i in range(500)})
    assert "Delinsatser: 'D0', 'D1', 'D2'" in str(err.value) and "'D19' … och 480 till." in str(err.value)


@pytest.mark.parametrize("goal, expected", [
    ("- id: a\n  niva: effektmal\n  text: T\n  utfall: 3\n  delinsats: Hälsoverket\n",
     "nyckeln 'delinsats': gäller bara ett mål med 'indikator'"),
    ("- id: a\n  niva: effektmal\n  text: T\n  indikator: enkat.x.q1\n  delinsats: Hälsoverket\n",
     "nyckeln 'delinsats': 'enkat.x.q1' är en enkätfråga"),
    ("- id: a\n  niva: effektmal\n  text: T\n", "nyckeln 'mal': saknas"),
    ("- id: a\n  niva: effektmal\n  text: T\n  indikator: antal_deltagare\n  delvis: '>= 3'\n",
     "nyckeln 'delvis': ett delvis-värde kräver ett målvärde 'mal'"),
    ("- id: a\n  niva: effektmal\n  text: T\n  status: Uppfyllt\n  delinsats: Hälsoverket\n",
     "målet 'a' (mål 1), nyckeln 'delinsats': ett mål med 'status' bedöms"),
])
def test_goal_key_errors(tmp_path, goal, expected):
    with pytest.raises(InputError) as err:
        Report(load_params(_project(tmp_path, goals=goal)))
    assert expected in str(err.value)


def test_fact_check_compares_with_the_sub_insats_the_sentence_names(tmp_path):
    params = _project(tmp_path, goals="")
    texts = tmp_path / "data" / "testinsats" / "texter"
    texts.mkdir()
    (texts / "resultat.md").write_text(
        "I Hälsoverket gick 65 % till arbete eller studier.\n\n"   # Hälsoverket 66,7 %: warned
        "I Hälsoverket gick 52 % till arbete eller studier.\n\n"   # far from 66,7 %: not the insats's 50 %
        "I hela insatsen gick 52 % till arbete eller studier.\n",  # the insats's 50,0 %: warned
        encoding="utf-8")
    report = Report(load_params(params))
    found = sorted((w.line, w.message) for w in report.warnings)
    assert [line for line, _ in found] == [1, 5]
    assert found[0][1].startswith("'65 %' stämmer inte med Arbete eller studier – Hälsoverket "
                                  "(tabellen resultat_halsoverket, andel): 66,7\xa0%.")
    assert 'tabell("resultat_halsoverket", "Arbete eller studier", "andel")' in found[0][1]
    assert found[1][1].startswith("'52 %' stämmer inte med Arbete eller studier (tabellen resultat, andel): 50,0\xa0%.")


# -- variables and tabell() in goal texts and comments -------------------------------------------
GOAL_TEXTS = dedent("""
    - id: arbete
      niva: overgripande
      text: "Hälften går till arbete eller studier ({{ andel.arbete_studier }} i år)."
      mal: ">= 50 %"
      indikator: andel_arbete_studier
      kommentar: 'I Hälsoverket {{ tabell("resultat_halsoverket", "Arbete eller studier", "andel") }}.'
    - id: deltagare
      niva: insatsmal
      text: Deltagare.
      indikator: antal_deltagare
      kommentar: I Hälsoverket gick 65 % till arbete eller studier.
""")


def test_variables_in_goal_texts_are_rendered_and_fact_checked(tmp_path):
    report = Report(load_params(_project(tmp_path, goals=GOAL_TEXTS)))
    shown = report.table("mal").shown
    assert shown["text"].tolist() == ["Hälften går till arbete eller studier (50\xa0% i år).", "Deltagare."]
    assert shown["kommentar"].tolist()[0] == "I Hälsoverket 67\xa0%."  # a share of fewer than 10: whole percent
    (warning,) = [n for n in report.notices if Path(n.path).name == "mal.yaml"]
    assert warning.line == 11  # the kommentar of goal 2, line 11 of mal.yaml
    assert warning.message.startswith("målet 'deltagare', nyckeln 'kommentar': '65 %' stämmer inte med Arbete "
                                      "eller studier – Hälsoverket (tabellen resultat_halsoverket, andel): 66,7\xa0%.")


@pytest.mark.parametrize("bad, expected", [
    ("{{ andel.arbete_studie }}", "mal.yaml, rad 3: "),
    ("{{ andel.arbete_studier", "mal.yaml, rad 3: fel i mallsyntaxen"),
    ('{{ tabell(\\"resultat\\", \\"Arbete\\", \\"andelen\\") }}', "mal.yaml, rad 3: "),
])
def test_a_failing_variable_in_a_goal_names_file_and_line(tmp_path, bad, expected):
    goals = GOAL_TEXTS.replace("({{ andel.arbete_studier }} i år)", bad)
    report = Report(load_params(_project(tmp_path, goals=goals)))
    from evaluation.core.errors import TemplateError

    with pytest.raises(TemplateError) as err:
        report.tables  # noqa: B018
    assert expected in str(err.value)
