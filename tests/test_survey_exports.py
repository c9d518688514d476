"""Survey exports as Microsoft Forms and Google Forms give them (data contract §10): question
texts as headers, the tools' metadata columns left unread, numbers on the scale, ``ordning:``
and shared question sets in ``fragebatterier/``. All data here is synthetic."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from evaluation.build.report import open_report
from evaluation.core.errors import InputError, ValidationError
from evaluation.renderers import html as html_renderer
from evaluation.sections import surveys

QUESTIONS_YAML = """\
titel: Deltagarenkät
antal_tillfragade: 10
fragor:
  q1: {text: "Har du fått stöd som är till nytta för dig?"}
  q2: {text: "Har du fått vara med och bestämma?"}
  q3: {text: "Vad har varit bäst?", typ: fritext}
"""
MS_HEADER = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
             "Har du fått stöd som är till nytta för dig?", "har du  fått vara med och bestämma? ",
             "Vad har varit bäst?"]
MS_ROWS = [
    [1, "3/4/24 9:01:12", "3/4/24 9:05:40", "anonymous", None, None, "Helt och hållet", "Till stor del", "Bemötandet"],
    [2, "3/5/24 13:10:02", "3/5/24 13:12:55", "testperson.ett@example.se", "Testperson Ett", None,
     "Till mycket stor del", "Till viss del", None],
    [3, "3/6/24 8:00:00", "3/6/24 8:03:10", "testperson.tva@example.se", "Testperson Två", None,
     "Till viss del", "helt och hållet", "Att någon lyssnade"],
]
GOOGLE_CSV = """\
Timestamp,Email Address,Har du fått stöd som är till nytta för dig?,Har du fått vara med och bestämma?,Vad har varit bäst?
2024/03/04 9:01:12 AM CET,test.tre@example.se,6,5,Allt
2024/03/05 1:10:02 PM CET,test.fyra@example.se,1,3,
2024/03/06 8:00:00 AM CET,test.fem@example.se,5,,Personalen
"""
SECRETS = ("example.se", "Testperson", "9:01:12", "test.tre")


def write_ms_forms(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(MS_HEADER)
    for row in MS_ROWS:
        sheet.append(row)
    book.save(path)
    return path


def project(tmp_path: Path) -> tuple[Path, Path]:
    params = tmp_path / "params" / "demo" / "2024.yaml"
    params.parent.mkdir(parents=True)
    params.write_text(
        "insats: demo\nnamn: DEMO\nforbund: Samordningsförbundet Test\n"
        f"period: {{start: 2024-01-01, slut: 2024-12-31}}\ndata: {tmp_path / 'data'}\nsektioner: [enkater]\n",
        encoding="utf-8")
    folder = tmp_path / "data" / "enkater"
    folder.mkdir(parents=True)
    return params, folder


def test_microsoft_forms_export_as_downloaded(tmp_path):
    params, folder = project(tmp_path)
    (folder / "deltagare.yaml").write_text(QUESTIONS_YAML, encoding="utf-8")
    write_ms_forms(folder / "deltagare.xlsx")
    report = open_report(params)
    survey = report.inputs["surveys"]["deltagare"]
    assert survey.svarande == 3  # no respondent_id: one row, one respondent
    assert list(survey.answers["q1"]) == ["Helt och hållet", "Till mycket stor del", "Till viss del"]
    assert list(survey.answers["q2"]) == ["Till stor del", "Till viss del", "Helt och hållet"]
    assert list(survey.answers["q3"]) == ["Bemötandet", "", "Att någon lyssnade"]
    assert list(survey.answers.columns) == ["q1", "q2", "q3"]
    summary = surveys.scale_summary(survey).set_index("fraga")
    # q1: top two labels (Till mycket stor del, Helt och hållet) 2 of 3
    assert summary.loc["q1", "svar"] == 3 and summary.loc["q1", "andel_topp"] == pytest.approx(2 / 3)
    [notice] = [n for n in report.notices if "metadata" in n.message]
    assert notice.path == folder / "deltagare.xlsx" and notice.line == 1
    for name in ("'ID'", "'Start time'", "'Completion time'", "'Email'", "'Name'", "'Last modified time'"):
        assert name in notice.message
    assert "Ta bort 'Email', 'Name' ur filen" in notice.message
    page = html_renderer.page(report.document)
    assert "Har du fått stöd som är till nytta för dig?" in page
    everything = page + "".join(n.describe() for n in report.notices)
    everything += "".join(t.frame.to_csv() for t in report.tables)
    for secret in SECRETS:
        assert secret not in everything


def test_google_forms_export_with_numbers_on_the_scale(tmp_path):
    params, folder = project(tmp_path)
    (folder / "google.yaml").write_text(QUESTIONS_YAML, encoding="utf-8")
    (folder / "google.csv").write_text(GOOGLE_CSV, encoding="utf-8")
    report = open_report(params)
    survey = report.inputs["surveys"]["google"]
    # 6 = Helt och hållet, 5 = Till mycket stor del, 1 = Inte alls, 3 = Till viss del
    assert list(survey.answers["q1"]) == ["Helt och hållet", "Inte alls", "Till mycket stor del"]
    assert list(survey.answers["q2"]) == ["Till mycket stor del", "Till viss del", ""]
    [notice] = [n for n in report.notices if "metadata" in n.message]
    assert "'Timestamp', 'Email Address'" in notice.message and "Ta bort 'Email Address'" in notice.message
    everything = html_renderer.page(report.document) + "".join(n.describe() for n in report.notices)
    for secret in SECRETS:
        assert secret not in everything


def test_a_number_outside_the_scale_is_an_error_naming_row_and_question(tmp_path):
    _, folder = project(tmp_path)
    (folder / "g.yaml").write_text(QUESTIONS_YAML, encoding="utf-8")
    (folder / "g.csv").write_text(GOOGLE_CSV.replace(",6,5,Allt", ",7,5,Allt"), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        surveys.load_surveys(folder)
    message = str(info.value)
    assert "rad 2" in message and "'7' finns inte på skalan" in message and "(eller 1–6)" in message
    assert "example.se" not in message


def test_only_the_named_metadata_columns_are_exempt(tmp_path):
    _, folder = project(tmp_path)
    (folder / "g.yaml").write_text(QUESTIONS_YAML, encoding="utf-8")
    (folder / "g.csv").write_text(GOOGLE_CSV.replace("Email Address", "Deltagarens e-post"), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        surveys.load_surveys(folder)
    assert "Deltagarens e-post" in str(info.value) and "personuppgifter" in str(info.value)
    assert "test.tre" not in str(info.value)


def test_an_unknown_question_text_header_is_an_error(tmp_path):
    _, folder = project(tmp_path)
    (folder / "g.yaml").write_text(QUESTIONS_YAML, encoding="utf-8")
    (folder / "g.csv").write_text(GOOGLE_CSV.replace("Vad har varit bäst?", "Vad var sämst?"), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        surveys.load_surveys(folder)
    assert "Vad var sämst?" in str(info.value) and "frågan 'q3'" in str(info.value)


def test_ordning_orders_the_surveys(tmp_path):
    _, folder = project(tmp_path)
    for stem, order in (("a-forst", 3), ("b-sedan", 1), ("c-utan", None)):
        extra = f"ordning: {order}\n" if order is not None else ""
        (folder / f"{stem}.yaml").write_text(QUESTIONS_YAML + extra, encoding="utf-8")
        (folder / f"{stem}.csv").write_text(GOOGLE_CSV, encoding="utf-8")
    assert list(surveys.load_surveys(folder)) == ["b-sedan", "a-forst", "c-utan"]
    (folder / "c-utan.yaml").write_text(QUESTIONS_YAML + "ordning: först\n", encoding="utf-8")
    with pytest.raises(InputError, match="nyckeln 'ordning'"):
        surveys.load_surveys(folder)


SET_YAML = """\
beskrivning: Styrgruppens frågor (förbundets egen formulering)
skala: [Nej, Delvis, Ja]
topp: 1
fragor:
  s1: {text: "Är målen tydliga?"}
  s2: {text: "Vad bör förbättras?", typ: fritext}
"""


@pytest.mark.parametrize("key, name", [("fragor", "styrgrupp.yaml"), ("fragebatteri", "styrgrupp.yaml"),
                                       ("fragebatteri", "styrgrupp.YML")])
def test_a_shared_question_set_beside_params(tmp_path, key, name):
    """A set saved as .yml was 'not in the library' (every other YAML input may end so)."""
    params, folder = project(tmp_path)
    library = tmp_path / "fragebatterier"
    library.mkdir()
    (library / name).write_text(SET_YAML, encoding="utf-8")
    (folder / "styr.yaml").write_text(f"titel: Styrgruppsenkät\nantal_tillfragade: 4\n{key}: styrgrupp\n",
                                      encoding="utf-8")
    (folder / "styr.csv").write_text("Är målen tydliga?,Vad bör förbättras?\nJa,Mer tid\n1,\n3,\n",
                                     encoding="utf-8")
    survey = open_report(params).inputs["surveys"]["styr"]
    assert survey.skala == ("Nej", "Delvis", "Ja") and survey.topp == 1
    assert [q.id for q in survey.questions] == ["s1", "s2"]
    assert list(survey.answers["s1"]) == ["Ja", "Nej", "Ja"]


def _misspelt_set(tmp_path, in_library: str) -> str:
    """The error of a survey asking for question set 'styrgrup' beside a library set ``in_library``."""
    params, folder = project(tmp_path)
    library = tmp_path / "fragebatterier"
    library.mkdir()
    (library / f"{in_library}.yaml").write_text(SET_YAML, encoding="utf-8")
    (folder / "styr.yaml").write_text("titel: S\nantal_tillfragade: 4\nfragor: styrgrup\n", encoding="utf-8")
    (folder / "styr.csv").write_text("Är målen tydliga?\nJa\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        open_report(params)
    return str(info.value)


def test_an_unknown_question_set_says_where_it_was_looked_for(tmp_path):
    message = _misspelt_set(tmp_path, "styrgrupp")
    library = tmp_path / "fragebatterier"
    assert f"sökte {library}/styrgrup.yaml" in message and "Menade du 'styrgrupp'?" in message
    assert "nns-pagaende" in message


def test_a_question_set_named_with_an_e_mail_address_is_never_suggested(tmp_path):
    """A suggestion must not show what the message may not: a question set in the library whose
    name is an e-mail address is neither matched nor suggested (it was "Menade du: styrgrupp@ex.se?",
    left to the error's redaction)."""
    message = _misspelt_set(tmp_path, "styrgrupp@ex.se")
    assert "frågebatteriet 'styrgrup' finns inte" in message and "Menade du" not in message and "ex.se" not in message
