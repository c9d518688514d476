"""Surveys (data contract §4): loader, built-in sets, arithmetic, section and figures."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import evaluation
from evaluation.build.report import open_report
from evaluation.core.errors import InputError, ValidationError
from evaluation.core.vocab import MARK
from evaluation.sections import surveys

SCALE = list(surveys.DEFAULT_SCALE)
DEMO = Path(evaluation.__file__).parent / "demo" / "data"

SMALL_YAML = """\
titel: Styrgruppsenkät
antal_tillfragade: 5
fragor:
  q1: {text: Har styrgruppen en gemensam bild av målen?}
  q2: {text: Vad bör utvecklas?, typ: fritext}
  q3: {text: Vilken part företräder du?, typ: val}
"""
SMALL_CSV = """\
respondent_id,datum,q1,q2,q3
RESP-1,2024-10-01,Helt och hållet,Tydligare mål,Kommunen
RESP-2,2024-10-02,Till mycket stor del,,kommunen
RESP-3,2024-10-03,Till viss del,<script>alert(1)</script>,Regionen
"""


def write_survey(folder: Path, stem: str, yaml_text: str, csv_text: str | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.yaml").write_text(yaml_text, encoding="utf-8")
    if csv_text is not None:
        (folder / f"{stem}.csv").write_text(csv_text, encoding="utf-8")
    return folder


def rows(n: int, answer: str = "Helt och hållet") -> str:
    return "respondent_id,datum,q1\n" + "".join(f"R{i},2024-03-01,{answer}\n" for i in range(n))


def make_report(tmp_path: Path, start="2024-01-01", slut="2024-12-31", min_cell=0):
    """A report of the surveys in ``tmp_path/data``; ``min_cell`` 0 (written) checks the arithmetic."""
    params = tmp_path / "params" / "demo" / "2024.yaml"
    params.parent.mkdir(parents=True, exist_ok=True)
    params.write_text(
        "insats: demo\nnamn: DEMO\nforbund: Samordningsförbundet Test\n"
        f"period: {{start: {start}, slut: {slut}}}\ndata: {tmp_path / 'data'}\n"
        f"sektioner: [enkater]\nmin_cell: {min_cell}\n",
        encoding="utf-8",
    )
    (tmp_path / "data").mkdir(exist_ok=True)
    return open_report(params)


# -- loader: good input ---------------------------------------------------------------------------
def test_loads_a_survey_with_mapping(tmp_path):
    folder = write_survey(tmp_path / "enkater", "styrgrupp", SMALL_YAML, SMALL_CSV)
    loaded = surveys.load_surveys(folder)
    s = loaded["styrgrupp"]
    assert list(loaded) == ["styrgrupp"]
    assert s.titel == "Styrgruppsenkät" and s.antal_tillfragade == 5 and s.svarande == 3
    assert s.skala == tuple(SCALE) and s.topp == 2
    assert [(q.id, q.typ) for q in s.questions] == [("q1", "skala"), ("q2", "fritext"), ("q3", "val")]
    assert list(s.answers["q1"]) == ["Helt och hållet", "Till mycket stor del", "Till viss del"]
    assert s.dates[0] == dt.date(2024, 10, 1)
    assert "respondent_id" not in s.answers.columns


def test_an_emoji_in_free_text_answers_is_said_once_a_question_and_the_answer_is_kept(tmp_path):
    """An emoji in a respondent's answer was an empty box in the PDF, unsaid."""
    from evaluation.inputs import notices

    csv = SMALL_CSV.replace("Tydligare mål", "Tydligare mål 👍").replace(",,kommunen", ",Bra 👍 och ✅,kommunen")
    folder = write_survey(tmp_path / "enkater", "styrgrupp", SMALL_YAML, csv)
    with notices.collecting() as found:
        loaded = surveys.load_surveys(folder)
    said = [n.describe() for n in found]
    assert said == [f"Varning: {folder / 'styrgrupp.csv'}: svaren på 'q2' innehåller tecken som rapportens typsnitt "
                    "saknar (👍 ✅); de blir tomma rutor i PDF:en. Svaren återges som de skrevs: vill du byta ut "
                    "tecknen (t.ex. 👍 mot \"(tumme upp)\"), gör det i svarsfilen."]
    assert surveys.free_text(loaded["styrgrupp"], "q2")[:2] == ["Tydligare mål 👍", "Bra 👍 och ✅"]


def test_scale_answers_match_ignoring_case_and_spaces(tmp_path):
    folder = write_survey(tmp_path / "e", "s", "titel: T\nantal_tillfragade: 2\nfragor: {q1: {text: F?}}\n",
                          "respondent_id,datum,q1\n1,,  helt OCH hållet \n2,,till  viss del\n")
    s = surveys.load_surveys(folder)["s"]
    assert list(s.answers["q1"]) == ["Helt och hållet", "Till viss del"]


def test_contract_example_with_question_mark_in_braces_parses(tmp_path):
    # PyYAML alone refuses '?' inside {...}; the contract writes questions exactly so.
    yaml_text = ("titel: Deltagarenkät vid avslut\nantal_tillfragade: 12\n"
                 "skala: [Inte alls, Till liten del, Till viss del, Till stor del, Till mycket stor del, Helt och hållet]\n"
                 "topp: 2\nfragor:\n"
                 "  q1: {text: Har du fått stöd på ett sätt som är till stor nytta för dig?}\n"
                 "  q8: {text: Vad har varit bäst?, typ: fritext}\n")
    folder = write_survey(tmp_path / "e", "avslut", yaml_text, "respondent_id,datum,q1,q8\n1,2024-01-02,Till stor del,Allt\n")
    s = surveys.load_surveys(folder)["avslut"]
    assert s.questions[0].text == "Har du fått stöd på ett sätt som är till stor nytta för dig?"
    assert (s.questions[1].text, s.questions[1].typ) == ("Vad har varit bäst?", "fritext")


def test_a_description_that_parses_only_repaired_is_read_once_while_its_bytes_stay(tmp_path, monkeypatch):
    # read_yaml keeps only a file that parses: the repaired one was parsed again for every report
    text = "titel: T\nantal_tillfragade: 2\nfragor: {q1: {text: Får du stöd?}}\n"
    folder = write_survey(tmp_path / "e", "s", text, "respondent_id,datum,q1\n1,2024-01-02,Till stor del\n")
    parsed = []
    monkeypatch.setattr(surveys, "load_yaml_text", lambda source, path: parsed.append(path) or surveys.yaml.safe_load(source))
    first, again = surveys.load_surveys(folder)["s"], surveys.load_surveys(folder)["s"]
    assert first.questions[0].text == again.questions[0].text == "Får du stöd?" and len(parsed) == 1
    (folder / "s.yaml").write_text(text.replace("stöd?", "hjälp?"), encoding="utf-8")
    assert surveys.load_surveys(folder)["s"].questions[0].text == "Får du hjälp?" and len(parsed) == 2


@pytest.mark.parametrize("name, count", [("nns-pagaende", 7), ("nns-avslut", 10)])
def test_builtin_question_sets(tmp_path, name, count):
    ids = [f"q{i}" for i in range(1, count + 1)]
    csv_text = "respondent_id,datum," + ",".join(ids) + "\n1,2024-05-01," + ",".join(["Till stor del"] * count) + "\n"
    folder = write_survey(tmp_path / "e", name, f"titel: NNS\nantal_tillfragade: 3\nfragor: {name}\n", csv_text)
    s = surveys.load_surveys(folder)[name]
    assert [q.id for q in s.questions] == ids
    assert all(q.typ == "skala" for q in s.questions)
    first = {"nns-pagaende": "Får du stöd på ett sätt som är till stor nytta för dig?",
             "nns-avslut": "Har du fått stöd på ett sätt som är till stor nytta för dig?"}[name]
    assert s.questions[0].text == first


def test_builtin_constants():
    assert len(surveys.NNS_PAGAENDE) == 7 and len(surveys.NNS_AVSLUT) == 10
    assert surveys.NNS_AVSLUT[9] == "Kommer det som är planerat att påbörjas inom rimlig tid?"


# -- loader: errors -------------------------------------------------------------------------------
def test_answer_off_the_scale_names_file_row_and_question(tmp_path):
    csv_text = ("respondent_id,datum,q1,q2\n"
                "1,2024-01-01,Helt och hållet,Bra\n"
                "2,2024-01-02,Ganska mycket,\n"
                "3,2024-01-03,Till stor del,\n"
                "4,2024-01-04,Jättebra,\n")
    yaml_text = "titel: T\nantal_tillfragade: 9\nfragor:\n  q1: {text: A}\n  q2: {text: B, typ: fritext}\n"
    folder = write_survey(tmp_path / "e", "avslut", yaml_text, csv_text)
    with pytest.raises(ValidationError) as info:
        surveys.load_surveys(folder)
    message = str(info.value)
    assert "avslut.csv" in message
    assert "rad 3" in message and "rad 5" in message  # all bad answers, rows as in the file
    assert "'q1'" in message and "'Ganska mycket'" in message and "'Jättebra'" in message
    assert ", ".join(SCALE) in message
    assert len(info.value.violations) == 2


def test_two_questions_with_one_text_are_refused(tmp_path):
    """A copied question: an answers file headed by question texts could not tell them apart."""
    yaml_text = "titel: T\nantal_tillfragade: 2\nfragor:\n  q1: {text: Bra stöd}\n  q2: {text: ' bra  STÖD'}\n"
    folder = write_survey(tmp_path / "e", "s", yaml_text, "respondent_id,datum,q1,q2\nR1,2024-03-01,,\n")
    with pytest.raises(InputError, match=r"nyckeln 'fragor.q2': samma text som frågan 'q1'; ge varje fråga en egen text"):
        surveys.load_surveys(folder)


def test_a_scale_of_more_than_eleven_is_refused_and_eleven_is_taken(tmp_path):
    """A scale of 100 alternatives became a table of 104 columns (and its message listed them)."""
    def survey(n: int, answer: str):
        scale = ", ".join(f"S{i}" for i in range(n))
        yaml_text = f"titel: T\nantal_tillfragade: 2\nskala: [{scale}]\ntopp: 2\nfragor:\n  q1: {{text: A}}\n"
        return write_survey(tmp_path / str(n), "s", yaml_text, f"respondent_id,datum,q1\nR1,2024-03-01,{answer}\n")

    assert surveys.load_surveys(survey(11, "S10"))["s"].skala[-1] == "S10"
    with pytest.raises(InputError) as info:
        surveys.load_surveys(survey(100, "Bra"))
    message = str(info.value)
    assert "s.yaml" in message and "nyckeln 'skala': skalan har 100 svarsalternativ; högst 11 (som 0–10)" in message
    assert "S50" not in message and "typ: val" in message


def test_an_answer_off_an_eleven_step_scale_lists_every_alternative(tmp_path):
    scale = ", ".join(f"Alternativ {i}" for i in range(11))
    yaml_text = f"titel: T\nantal_tillfragade: 2\nskala: [{scale}]\ntopp: 2\nfragor:\n  q1: {{text: A}}\n"
    folder = write_survey(tmp_path / "e", "s", yaml_text, "respondent_id,datum,q1\nR1,2024-03-01,Bra\n")
    with pytest.raises(ValidationError) as info:
        surveys.load_surveys(folder)
    assert "Tillåtet: Alternativ 0, Alternativ 1," in str(info.value) and "Alternativ 10" in str(info.value)


def test_a_title_of_more_than_200_characters_is_refused(tmp_path):
    folder = write_survey(tmp_path / "e", "s", f"titel: {'T' * 201}\nantal_tillfragade: 2\nfragor: nns-avslut\n", rows(1))
    with pytest.raises(InputError, match=r"nyckeln 'titel': rubriken har 201 tecken; högst 200"):
        surveys.load_surveys(folder)


def test_unknown_yaml_key(tmp_path):
    folder = write_survey(tmp_path / "e", "s", "titel: T\nantal_tillfragade: 2\nfarg: blå\nfragor: nns-avslut\n", rows(1))
    with pytest.raises(InputError) as info:
        surveys.load_surveys(folder)
    message = str(info.value)
    assert "s.yaml" in message and "'farg'" in message and "okänd nyckel" in message
    assert "antal_tillfragade" in message  # lists the allowed keys


def test_unknown_question_key_and_type(tmp_path):
    yaml_text = "titel: T\nantal_tillfragade: 2\nfragor:\n  q1: {text: A, typ: betyg, farg: x}\n"
    folder = write_survey(tmp_path / "e", "s", yaml_text, rows(1))
    with pytest.raises(InputError) as info:
        surveys.load_surveys(folder)
    message = str(info.value)
    assert "s.yaml" in message and "fragor.q1" in message and "'farg'" in message and "'betyg'" in message


def test_missing_csv(tmp_path):
    folder = write_survey(tmp_path / "e", "styrgrupp", SMALL_YAML, None)
    with pytest.raises(InputError) as info:
        surveys.load_surveys(folder)
    message = str(info.value)
    assert "styrgrupp.yaml" in message and "styrgrupp.csv" in message and "missing" in message


def test_csv_without_description(tmp_path):
    folder = tmp_path / "e"
    folder.mkdir()
    (folder / "lost.csv").write_text(rows(1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        surveys.load_surveys(folder)
    assert "lost.csv" in str(info.value) and "lost.yaml" in str(info.value)


def test_column_not_described(tmp_path):
    folder = write_survey(tmp_path / "e", "s", "titel: T\nantal_tillfragade: 2\nfragor: {q1: {text: A}}\n",
                          "respondent_id,datum,q1,q9\n1,,Till stor del,x\n")
    with pytest.raises(ValidationError) as info:
        surveys.load_surveys(folder)
    message = str(info.value)
    assert "s.csv" in message and "rad 1" in message and "kolumn 'q9'" in message and "s.yaml" in message


def test_described_question_missing_from_csv(tmp_path):
    folder = write_survey(tmp_path / "e", "s", "titel: T\nantal_tillfragade: 2\nfragor: nns-pagaende\n",
                          "respondent_id,datum,q1\n1,,Till stor del\n")
    with pytest.raises(ValidationError) as info:
        surveys.load_surveys(folder)
    message = str(info.value)
    assert "s.csv" in message and "rad 1" in message and "kolumn 'q2'" in message and "kolumn 'q7'" in message


def test_more_responses_than_asked(tmp_path):
    folder = write_survey(tmp_path / "e", "s", "titel: T\nantal_tillfragade: 2\nfragor: {q1: {text: A}}\n", rows(3))
    with pytest.raises(InputError) as info:
        surveys.load_surveys(folder)
    message = str(info.value)
    assert "s.yaml" in message and "'antal_tillfragade'" in message and "3 svar" in message


def test_bad_topp_and_missing_title(tmp_path):
    folder = write_survey(tmp_path / "e", "s", "antal_tillfragade: 2\ntopp: 7\nfragor: {q1: {text: A}}\n", rows(1))
    with pytest.raises(InputError) as info:
        surveys.load_surveys(folder)
    message = str(info.value)
    assert "s.yaml" in message and "'topp'" in message and "(det står '7')" in message and "'titel'" in message


def test_bad_date_and_duplicate_respondent(tmp_path):
    folder = write_survey(tmp_path / "e", "s", "titel: T\nantal_tillfragade: 5\nfragor: {q1: {text: A}}\n",
                          "respondent_id,datum,q1\n1,2024-13-01,Till stor del\n1,2024-01-01,Till stor del\n")
    with pytest.raises(ValidationError) as info:
        surveys.load_surveys(folder)
    message = str(info.value)
    assert "rad 2, kolumn 'datum'" in message and "'2024-13-01'" in message
    assert "rad 3, kolumn 'respondent_id'" in message and "rad 2" in message


# -- pure functions -------------------------------------------------------------------------------
def test_response_rate_and_sentence(tmp_path):
    s = surveys.load_surveys(write_survey(tmp_path / "e", "styrgrupp", SMALL_YAML, SMALL_CSV))["styrgrupp"]
    assert surveys.response_rate(s) == 3 / 5
    assert surveys.response_sentence(s).replace("\xa0", " ") == "3 av 5 tillfrågade svarade (60 %)."


def test_scale_summary_counts_only_those_answering(tmp_path):
    answers = ["Helt och hållet", "Till mycket stor del", "Till viss del", ""]
    csv_text = "respondent_id,datum,q1\n" + "".join(f"{i},,{a}\n" for i, a in enumerate(answers))
    s = surveys.load_surveys(write_survey(tmp_path / "e", "s", "titel: T\nantal_tillfragade: 10\nfragor: {q1: {text: A}}\n", csv_text))["s"]
    row = surveys.scale_summary(s).iloc[0]
    assert row["svar"] == 3
    assert row["andel_topp"] == 2 / 3
    assert (row["Helt och hållet"], row["Till mycket stor del"], row["Till viss del"], row["Inte alls"]) == (1, 1, 1, 0)


def test_topp_and_custom_scale(tmp_path):
    yaml_text = "titel: T\nantal_tillfragade: 4\nskala: [Nej, Delvis, Ja]\ntopp: 1\nfragor: {q1: {text: A}}\n"
    csv_text = "respondent_id,datum,q1\n1,,Ja\n2,,Delvis\n3,,ja\n4,,Nej\n"
    s = surveys.load_surveys(write_survey(tmp_path / "e", "s", yaml_text, csv_text))["s"]
    frame = surveys.scale_summary(s)
    assert list(frame.columns) == ["fraga", "text", "svar", "andel_topp", "Nej", "Delvis", "Ja"]
    assert frame.iloc[0]["andel_topp"] == 2 / 4


def test_question_nobody_answered_has_no_share(tmp_path):
    csv_text = "respondent_id,datum,q1,q2\n1,,Till stor del,\n"
    yaml_text = "titel: T\nantal_tillfragade: 1\nfragor: {q1: {text: A}, q2: {text: B}}\n"
    s = surveys.load_surveys(write_survey(tmp_path / "e", "s", yaml_text, csv_text))["s"]
    frame = surveys.scale_summary(s)
    assert frame.iloc[1]["svar"] == 0 and frame.iloc[1]["andel_topp"] != frame.iloc[1]["andel_topp"]  # NaN


def test_choice_counts_group_spellings(tmp_path):
    s = surveys.load_surveys(write_survey(tmp_path / "e", "styrgrupp", SMALL_YAML, SMALL_CSV))["styrgrupp"]
    frame = surveys.choice_counts(s, "q3")
    assert list(frame["svar"]) == ["Kommunen", "Regionen"]
    assert list(frame["antal"]) == [2, 1]
    assert list(frame["andel"]) == [2 / 3, 1 / 3]
    assert surveys.free_text(s, "q2") == ["Tydligare mål", "<script>alert(1)</script>"]


# -- report: tables, section, figures -------------------------------------------------------------
def test_no_enkater_folder_means_no_section(tmp_path):
    report = make_report(tmp_path)
    assert report.inputs["surveys"] is None
    assert report.sections == ()
    assert not [k for k in report.key_figures if k.startswith("enkat.")]


def test_table_columns_exactly_as_contract(tmp_path):
    write_survey(tmp_path / "data" / "enkater", "styrgrupp", SMALL_YAML, SMALL_CSV)
    report = make_report(tmp_path)
    table = report.table_map["enkat_styrgrupp"]
    assert list(table.frame.columns) == ["fraga", "text", "svar", "andel_topp", *SCALE]
    assert list(table.frame["fraga"]) == ["q1"]  # only scale questions are rows
    assert table.frame.iloc[0]["andel_topp"] == 2 / 3
    assert list(report.table_map["enkat_styrgrupp_q3"].frame.columns) == ["svar", "antal", "andel"]


def test_section_with_few_answers_has_caution_and_escaped_free_text(tmp_path):
    write_survey(tmp_path / "data" / "enkater", "styrgrupp", SMALL_YAML, SMALL_CSV)
    report = make_report(tmp_path)
    (section,) = report.sections
    html = section.to_html()
    assert section.id == "enkater"
    assert "<h3" in html and "Styrgruppsenkät" in html
    assert "3 av 5 tillfrågade svarade (60\xa0%)." in html
    assert 'class="caution"' in html and "Färre än 5 svar" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Tydligare mål" in html
    assert "RESP-" not in html  # respondent ids never reach the report
    assert 'class="chart"' in html


def test_two_who_answered_alike_are_not_told_in_the_section_or_its_chart(tmp_path):
    """A survey of two: the row was "0, 0, .." (both answered the top group), now every cell of it is
    hidden, and the question answered by four keeps its zeros."""
    yaml_text = "titel: T\nantal_tillfragade: 9\nfragor: {q1: {text: Fråga ett}, q2: {text: Fråga två}}\n"
    answers = ("respondent_id,datum,q1,q2\nR1,2024-03-01,Helt och hållet,Helt och hållet\n"
               "R2,2024-03-02,Helt och hållet,Helt och hållet\nR3,2024-03-03,,Helt och hållet\n"
               "R4,2024-03-04,,Helt och hållet\n")
    write_survey(tmp_path / "data" / "enkater", "s", yaml_text, answers)
    report = make_report(tmp_path, min_cell=3)
    frame = report.table_map["enkat_s"].frame.set_index("fraga")
    assert list(frame.loc["q1"].iloc[1:]) == [MARK] * 5  # svar, andel_topp, the three groups
    assert list(frame.loc["q2", ["svar", "andel_topp"]]) == [4, 1.0] and (frame.loc["q2"].iloc[3:] == [0, 0, 4]).all()
    html = report.section("enkater").to_html()
    assert "Fråga ett" in html and html.count(">0<") == 2  # q2's two zeros, and none of q1
    (alt,) = re.findall(r'alt="([^"]*)"', html)
    assert "Fråga ett: ..;" in alt and "Helt och hållet 4" in alt  # the chart tells q1 as nothing but a mark


def test_no_caution_from_five_answers(tmp_path):
    write_survey(tmp_path / "data" / "enkater", "s", "titel: T\nantal_tillfragade: 5\nfragor: {q1: {text: A}}\n", rows(5))
    html = make_report(tmp_path).sections[0].to_html()
    assert "caution" not in html and "Färre än 5" not in html


def test_figures_structure(tmp_path):
    write_survey(tmp_path / "data" / "enkater", "styrgrupp", SMALL_YAML, SMALL_CSV)
    flat = make_report(tmp_path).key_figures  # read from the tables enkater_svarande and enkat_styrgrupp
    assert {k: v for k, v in flat.items() if k.startswith("enkat.")} == {
        "enkat.styrgrupp.titel": "Styrgruppsenkät", "enkat.styrgrupp.svarande": 3, "enkat.styrgrupp.tillfragade": 5,
        "enkat.styrgrupp.svarsfrekvens": 3 / 5, "enkat.styrgrupp.topp.q1": 2 / 3}


def test_surveys_outside_the_period_are_left_out(tmp_path):
    folder = tmp_path / "data" / "enkater"
    write_survey(folder, "var2023", "titel: A\nantal_tillfragade: 5\nfragor: {q1: {text: A}}\n",
                 "respondent_id,datum,q1\n1,2023-03-01,Till stor del\n")
    write_survey(folder, "odaterad", "titel: B\nantal_tillfragade: 5\nfragor: {q1: {text: A}}\n",
                 "respondent_id,datum,q1\n1,,Till stor del\n")
    write_survey(folder, "var2024", "titel: C\nantal_tillfragade: 5\nfragor: {q1: {text: A}}\n",
                 "respondent_id,datum,q1\n1,2024-06-01,Till stor del\n")
    report = make_report(tmp_path)
    assert list(report.inputs["surveys"]) == ["odaterad", "var2024"]
    # a new evaluator's Forms export had no dates: the same answers came in every year's report, unsaid
    undated = [n for n in report.notices if "har inga daterade svar" in n.message]
    assert [(n.path, n.message.split(",")[0]) for n in undated] == [(folder, "enkäten 'odaterad' har inga daterade svar")]
    assert "tas med i varje periods rapport" in undated[0].message and "kolumnen datum" in undated[0].message


def test_demo_surveys_are_valid():
    loaded = {insats.name: surveys.load_surveys(insats / "enkater")
              for insats in sorted(DEMO.iterdir()) if (insats / "enkater").is_dir()}
    assert loaded, "the demo has survey inputs"
    all_surveys = [s for group in loaded.values() for s in group.values()]
    assert any(s.svarande >= 20 for s in all_surveys)
    assert any(s.svarande < surveys.FEW_RESPONSES for s in all_surveys)
    assert any(q.typ == "fritext" for s in all_surveys for q in s.questions)
    assert any(q.typ == "val" for s in all_surveys for q in s.questions)
    steering = loaded["ungkraft"]["styrgrupp"]
    assert surveys.response_rate(steering) == 3 / 5


@pytest.mark.parametrize("asked", ["0", "99999999999999999999", "'tolv'"])
def test_a_number_asked_no_survey_has_is_named_with_what_is_allowed(tmp_path, asked):
    folder = write_survey(tmp_path / "e", "s", f"titel: T\nantal_tillfragade: {asked}\nfragor: nns-avslut\n", rows(1))
    with pytest.raises(InputError) as info:  # 99999999999999999999 was 'Oväntat fel: OverflowError'
        surveys.load_surveys(folder)
    assert "nyckeln 'antal_tillfragade': antalet tillfrågade som ett heltal från 1 till 10" in str(info.value)


@pytest.mark.parametrize("asked", ['"42"', "'1 200'"])
def test_a_number_asked_written_in_quotes_is_the_number(tmp_path, asked):
    """A probe: '"42"' was refused as "krävs ... (det står '42')", while min_cell: "3" is read as 3."""
    folder = write_survey(tmp_path / "e", "s", f"titel: T\nantal_tillfragade: {asked}\nfragor: {{q1: {{text: F?}}}}\n",
                          rows(1))
    (survey,) = surveys.load_surveys(folder).values()
    assert survey.antal_tillfragade == int(asked.strip("'\"").replace(" ", ""))


def test_topp_that_counts_every_alternative_is_refused(tmp_path):
    """topp: 3 on a scale of 3 made every answer positive: a share of 100 % whatever was answered."""
    yaml_text = "titel: T\nantal_tillfragade: 4\nskala: [Nej, Delvis, Ja]\ntopp: 3\nfragor: {q1: {text: A}}\n"
    folder = write_survey(tmp_path / "e", "s", yaml_text, rows(1, "Ja"))
    with pytest.raises(InputError, match=r"nyckeln 'topp': .* ett heltal från 1 till 2, färre än skalans 3 alternativ"):
        surveys.load_surveys(folder)


def test_a_question_twice_in_an_export_is_refused_naming_both_places(tmp_path):
    """A form export with the same question text twice: the second column was renamed 'text.1' by the
    reader and then refused as a question 'text.1' that the file does not hold."""
    text = "Har styrgruppen en gemensam bild av målen?"
    export = f"ID,{text},Vad bör utvecklas?,{text}\n1,Helt och hållet,Mer tid,Till viss del\n"
    folder = write_survey(tmp_path / "enkater", "styrgrupp", SMALL_YAML, export)
    with pytest.raises(InputError) as err:
        surveys.load_surveys(folder)
    assert str(err.value).startswith(f"{folder / 'styrgrupp.csv'}: 1 fel hittades.\n  - rad 1: kolumnen '{text}' står "
                                     "två gånger, i kolumn 2 och 4. Ta bort den ena, eller ge den ett eget namn, och kör igen.")


def test_personal_data_in_an_answer_says_to_take_it_out_of_the_answer_not_to_give_a_code(tmp_path):
    """The register's advice, 'ersätt personen med en kod (t.ex. D0001)', fits no survey answer."""
    from evaluation.inputs.register import load_register

    csv = SMALL_CSV.replace("Tydligare mål", "Ring mig på 070-123 45 67")
    folder = write_survey(tmp_path / "enkater", "styrgrupp", SMALL_YAML, csv)
    with pytest.raises(ValidationError) as info:
        surveys.load_surveys(folder)
    [said] = [v for v in info.value.violations if "telefonnummer" in v.problem]
    assert (said.row, said.column) == (2, "q2")
    assert said.problem == ("innehåller något som ser ut som ett telefonnummer (värdet visas inte). Indata får inte "
                            "innehålla personuppgifter: ta bort uppgiften ur svaret i svarsfilen (resten av svaret "
                            "kan stå kvar), eller ta bort hela svaret om inget annat finns i det. (Radens andra "
                            "värden kontrolleras när cellen är rättad.)")
    assert "070" not in str(info.value) and "D0001" not in str(info.value)
    # the register keeps its own advice: a code for the person
    register = tmp_path / "deltagare.csv"
    register.write_text("deltagar_id,kon,startdatum\n070-123 45 67,Kvinna,2024-01-01\nD2,Man,2024-01-01\n",
                        encoding="utf-8")
    with pytest.raises(ValidationError, match=r"ersätt personen med en kod \(t\.ex\. D0001\)"):
        load_register(register)
