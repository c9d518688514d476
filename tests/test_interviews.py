"""Interviews (data contract §5): loader, body parsing, method and theme tables, anonymous quotes."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import dedent, write_params
from evaluation.build.report import open_report
from evaluation.core.errors import InputError, ValidationError
from evaluation.inputs import checks
from evaluation.sections import interviews


def interview(folder: Path, name: str, body: str = "", **meta) -> Path:
    """Write ``intervjuer/<name>`` with the given front matter keys (``None`` leaves a key out)."""
    folder.mkdir(parents=True, exist_ok=True)
    base = {"datum": "2020-03-10", "roll": "deltagare", "kon": "kvinna", "form": "fysisk",
            "langd_min": "30", "intervjuare": "Test Person"}
    base.update(meta)
    front = "".join(f"{k}: {v}\n" for k, v in base.items() if v is not None)
    path = folder / name
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return path


@pytest.fixture
def period_interviews(tmp_path):
    """Four interviews in 2020 and one before it; the tables are worked out by hand below."""
    params = write_params(tmp_path, sektioner="[intervjuer]")
    folder = tmp_path / "data" / "testinsats" / "intervjuer"
    interview(folder, "a.md", "## Bemötande\nAnteckning A.\n> Citat A1.\n## Framtid\n",
              datum="2020-03-10", roll="deltagare", kon="kvinna", form="fysisk", langd_min=30)
    interview(folder, "b.md", "## bemötande\n> Citat B1.\n## Praktik\n",
              datum="2020-04-02", roll="deltagare", kon="man", form="digital", langd_min=45)
    interview(folder, "c.md", "## Samverkan\n> Citat C1.\n## Bemötande\n",
              datum="2020-05-20", roll="personal", kon=None, form="telefon", langd_min=60)
    interview(folder, "d.md", "## Framtid\n> Citat D1.\n",
              datum="2020-06-01", roll="deltagare", kon="annat", form="fysisk", langd_min=20)
    interview(folder, "e.md", "## Styrning\n> Citat E1 utanför perioden.\n",
              datum="2019-12-31", roll="styrgrupp", kon="man", form="fysisk", langd_min=90)
    return params


# -- loader: good input ------------------------------------------------------------------------

def test_loads_front_matter_and_body(tmp_path):
    path = interview(tmp_path, "x.md", "# Titel\n## Stöd\nNotes.\n> Rad ett\n> rad två.\n\n> Andra citatet.\n",
                     kon="Kvinna", langd_min="42,5")
    loaded = interviews.load_interview(path)
    assert loaded.datum == dt.date(2020, 3, 10)
    assert (loaded.roll, loaded.kon, loaded.form, loaded.langd_min) == ("deltagare", "kvinna", "fysisk", 42.5)
    assert loaded.themes == ("Stöd",)
    assert [q.text for q in loaded.quotes] == ["Rad ett rad två.", "Andra citatet."]


def test_gender_is_optional_and_unknown_when_left_out(tmp_path):
    assert interviews.load_interview(interview(tmp_path, "x.md", kon=None)).kon == "okänt"


def test_no_folder_or_no_files_is_no_input(tmp_path):
    assert interviews.load_interviews(tmp_path / "intervjuer") is None
    (tmp_path / "intervjuer").mkdir()
    assert interviews.load_interviews(tmp_path / "intervjuer") is None


def test_parse_body_quotes_before_a_theme_and_fences():
    themes, quotes = interviews.parse_body("> Tidigt citat.\n## Tema\n```\n> inte ett citat\n```\n> Sent.\n")
    assert themes == ("Tema", "Övrigt")
    assert [(q.theme, q.text) for q in quotes] == [("Övrigt", "Tidigt citat."), ("Tema", "Sent.")]


# -- loader: bad input, one test per kind of error ---------------------------------------------

def test_bad_role_names_file_line_key_value_and_allowed(tmp_path):
    path = interview(tmp_path, "bad.md", roll="chef")
    with pytest.raises(ValidationError) as err:
        interviews.load_interview(path)
    message = str(err.value)
    assert str(path) in message and "rad 3" in message and "nyckeln 'roll'" in message and "'chef'" in message
    assert "deltagare, personal, samverkanspart, styrgrupp, arbetsgivare" in message


def test_missing_form_names_key(tmp_path):
    path = interview(tmp_path, "bad.md", form=None)
    with pytest.raises(ValidationError, match=r"nyckeln 'form': krävs men saknas") as err:
        interviews.load_interview(path)
    assert str(path) in str(err.value)


def test_bad_date_names_line_and_key(tmp_path):
    path = interview(tmp_path, "bad.md", datum="10/3 2020")
    with pytest.raises(ValidationError, match=r"rad 2, nyckeln 'datum': '10/3 2020' är inte ett datum") as err:
        interviews.load_interview(path)
    assert str(path) in str(err.value)


def test_bad_length_names_key(tmp_path):
    path = interview(tmp_path, "bad.md", langd_min="en timme")
    with pytest.raises(ValidationError, match=r"rad 6, nyckeln 'langd_min': 'en timme' är inget tal"):
        interviews.load_interview(path)
    path = interview(tmp_path, "long.md", langd_min="1000000000")  # was a billion minutes in the method table
    with pytest.raises(ValidationError, match=r"rad 6, nyckeln 'langd_min': 1000000000 ligger utanför det tillåtna; "
                                              r"ange ett tal från 1 till 1\s440"):
        interviews.load_interview(path)


def test_bad_gender_lists_allowed_values(tmp_path):
    path = interview(tmp_path, "bad.md", kon="k")
    with pytest.raises(ValidationError, match=r"nyckeln 'kon': 'k' är inte tillåtet; använd ett av: kvinna, man, annat, okänt"):
        interviews.load_interview(path)


def test_unknown_key_is_named(tmp_path):
    path = interview(tmp_path, "bad.md", roller="deltagare")
    with pytest.raises(ValidationError, match=r"rad 8, nyckeln 'roller': okänd nyckel"):
        interviews.load_interview(path)


def test_no_front_matter(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("## Tema\n> Citat\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"front matter\); börja filen med en rad '---'") as err:
        interviews.load_interview(path)
    assert str(path) in str(err.value)


def test_every_problem_of_a_file_is_listed(tmp_path):
    path = interview(tmp_path, "bad.md", roll="x", form="brev")
    with pytest.raises(ValidationError) as err:
        interviews.load_interview(path)
    assert "nyckeln 'roll'" in str(err.value) and "nyckeln 'form'" in str(err.value)


# -- tables, computed by hand ----------------------------------------------------------------

def test_method_table_counts_by_hand(period_interviews):
    frame = open_report(period_interviews).table("intervjuer_metod").frame.set_index("roll")
    assert list(frame.index) == ["Deltagare", "Personal", "Totalt"]  # styrgrupp was before 2020
    deltagare = frame.loc["Deltagare"]
    assert (deltagare["antal"], deltagare["kvinna"], deltagare["man"], deltagare["annat_okant"]) == (3, 1, 1, 1)
    assert (deltagare["fysisk"], deltagare["digital"], deltagare["telefon"]) == (2, 1, 0)
    assert deltagare["median_min"] == 30  # 20, 30, 45
    assert (deltagare["forsta_datum"], deltagare["sista_datum"]) == (dt.date(2020, 3, 10), dt.date(2020, 6, 1))
    # one Personal interview (< 3, the threshold when min_cell is 0): only its count is shown
    personal = frame.loc["Personal"]
    assert personal["antal"] == 1
    # hidden, and marked as every hidden cell of the report (a probe: "–", which means "does not apply")
    assert all(personal[c] == ".." for c in ("kvinna", "man", "annat_okant", "fysisk", "digital", "telefon",
                                             "median_min", "forsta_datum", "sista_datum"))
    # Totalt minus Deltagare would give Personal's gender, form and date back: left empty too
    total = frame.loc["Totalt"]
    assert total["antal"] == 4
    assert all(total[c] == ".." for c in ("kvinna", "annat_okant", "telefon", "median_min", "forsta_datum"))


def test_method_table_threshold_follows_min_cell(tmp_path):
    params = write_params(tmp_path, sektioner="[intervjuer]", min_cell=4)
    folder = tmp_path / "data" / "testinsats" / "intervjuer"
    for n in range(3):
        interview(folder, f"{n}.md", datum=f"2020-03-1{n}", roll="deltagare", kon="man")
    frame = open_report(params).table("intervjuer_metod").frame.set_index("roll")
    # 3 < 4: the number of interviews describes the evaluation and is shown (issue 15); the
    # gender breakdown of so few is not
    assert frame.loc["Deltagare", "antal"] == 3 and frame.loc["Deltagare", "man"] == ".."
    assert interviews.anonymity_threshold(0) == interviews.anonymity_threshold(1) == 3
    assert interviews.anonymity_threshold(2) == 2


def made(roll: str, kon: str, day: int, form: str = "fysisk", length: float = 30) -> interviews.Interview:
    return interviews.Interview(Path(f"{roll}{day}.md"), dt.date(2020, 3, day), roll, kon, form, length, "", (), ())


def test_roles_left_empty_together_at_least_threshold_show_the_total():
    # Deltagare 3 shown; Personal 1 and Styrgrupp 2 left empty, together 3 (= threshold): Totalt
    # minus Deltagare describes a group of three, so Totalt is shown.
    group = [made("deltagare", "kvinna", 1), made("deltagare", "kvinna", 2), made("deltagare", "man", 3, "digital"),
             made("personal", "man", 4, "telefon", 60), made("styrgrupp", "kvinna", 5), made("styrgrupp", "okänt", 6)]
    frame = interviews.method_table(group, threshold=3).set_index("roll")
    assert (frame.loc["Deltagare", "kvinna"], frame.loc["Deltagare", "man"], frame.loc["Deltagare", "digital"]) == (2, 1, 1)
    assert frame.loc["Personal", "man"] == ".." and frame.loc["Styrgrupp", "kvinna"] == ".."
    assert (frame.loc["Totalt", "kvinna"], frame.loc["Totalt", "man"], frame.loc["Totalt", "annat_okant"]) == (3, 2, 1)
    assert frame.loc["Totalt", "telefon"] == 1 and frame.loc["Totalt", "median_min"] == 30
    assert (frame.loc["Totalt", "forsta_datum"], frame.loc["Totalt", "sista_datum"]) == (dt.date(2020, 3, 1), dt.date(2020, 3, 6))
    # every role at least the threshold: nothing left empty, whole numbers stay integers
    full = interviews.method_table(group[:3], threshold=3)
    assert full["kvinna"].tolist() == [2, 2] and full["kvinna"].dtype.kind == "i"


def test_quote_gender_only_when_every_gender_group_of_the_role_is_large_enough():
    three_women = [made("deltagare", "kvinna", d) for d in (1, 2, 3)]
    one_man = [made("deltagare", "man", 4)]
    assert interviews.roles_with_gender(three_women, 3) == {"deltagare"}
    # with one man beside them, "Deltagare" without gender would point at him: no gender at all
    assert interviews.roles_with_gender(three_women + one_man, 3) == set()
    assert interviews.roles_with_gender(three_women + [made("personal", "man", 5)], 3) == {"deltagare"}


def test_theme_table_by_hand(period_interviews):
    """3 deltagare and 1 personal (threshold 3): no role is named (1 personal alone would be pointed
    out), so there is no column per role; "Samverkan 0 / 1" told that its quote was the personal's."""
    frame = open_report(period_interviews).table("intervjuer_teman").frame
    assert list(frame.columns) == ["tema", "totalt"]
    rows = dict(zip(frame["tema"], frame["totalt"]))
    assert rows == {"Bemötande": 3, "Framtid": 2, "Praktik": 1, "Samverkan": 1}  # first appearance; case folded


def test_theme_table_names_only_the_roles_the_quotes_name_and_pools_the_rest(tmp_path):
    """4 deltagare, 3 personal, 1 styrgrupp (threshold 3): the styrgrupp alone would be a pool of 1,
    so the smallest named role (personal) joins it and only Deltagare is named, in the quotes and
    in the theme table alike; "Styrning: Styrgrupp 1" told whose the neutral quote was."""
    params = write_params(tmp_path, sektioner="[intervjuer]")
    folder = tmp_path / "data" / "testinsats" / "intervjuer"
    for n in range(4):
        interview(folder, f"d{n}.md", "## Stöd\n> Deltagarcitat.\n", roll="deltagare", datum=f"2020-03-1{n}")
    for n in range(3):
        interview(folder, f"p{n}.md", "## Stöd\n", roll="personal", datum=f"2020-04-1{n}")
    interview(folder, "s.md", "## Styrning\n> Styrgruppens citat.\n", roll="styrgrupp", datum="2020-05-01")
    report = open_report(params)
    frame = report.table("intervjuer_teman").frame
    assert frame.to_dict("records") == [{"tema": "Stöd", "deltagare": 4, "ovriga": 3, "totalt": 7},
                                        {"tema": "Styrning", "deltagare": 0, "ovriga": 1, "totalt": 1}]
    themes = report.table("intervjuer_teman").to_html()
    assert '<th scope="col" class="count">Övriga roller</th>' in themes and "Styrgrupp" not in themes
    assert "<footer>Intervjuperson</footer>" in report.sections[0].to_html()


def test_quotes_are_grouped_per_theme_and_period(period_interviews):
    html = open_report(period_interviews).sections[0].to_html()
    assert html.index("Citat A1.") < html.index("Citat B1.") < html.index("Citat D1.")
    assert "Citat E1" not in html  # dated before the period
    assert "Anteckning A." not in html  # notes are raw material, never shown


def test_no_interviews_in_period_leaves_section_out(tmp_path):
    params = write_params(tmp_path, sektioner="[intervjuer]")
    interview(tmp_path / "data" / "testinsats" / "intervjuer", "a.md", "## T\n> Q\n", datum="2021-02-01")
    report = open_report(params)
    assert report.sections == () and "intervjuer_metod" not in report.table_map


# -- anonymity -------------------------------------------------------------------------------

def test_quotes_never_show_file_name_or_interviewer(tmp_path):
    params = write_params(tmp_path, sektioner="[intervjuer]")
    folder = tmp_path / "data" / "testinsats" / "intervjuer"
    body = dedent("""
        ## Bemötande
        Kalle berättade länge om sin handläggare.
        > Jag blev sedd här.
    """)
    interview(folder, "intervju-kalle.md", body, intervjuare="Anna Andersson", roll="deltagare", kon="kvinna")
    interview(folder, "personal.md", "## Samverkan\n> Vi ses varje vecka.\n", roll="personal", kon=None)
    interview(folder, "personal-2.md", "## Samverkan\nInga citat.\n", roll="personal", kon=None)
    html = open_report(params).sections[0].to_html()
    assert "Anna Andersson" not in html and "Andersson" not in html
    assert "kalle" not in html.lower()
    # fewer than 3 interviewees per role: neither role nor gender (both would point to one person)
    assert html.count("<footer>Intervjuperson</footer>") == 2 and "kvinna</footer>" not in html
    assert "<footer>Deltagare" not in html and "<footer>Personal" not in html


def test_quote_names_a_role_only_with_enough_interviewees(tmp_path):
    # min_cell 3: 3 deltagare are named; 1 personal + 1 styrgrupp (2 together, fewer than 3) would
    # point to two people, so the smallest named role, deltagare, is pooled with them as well
    params = write_params(tmp_path, sektioner="[intervjuer]", min_cell=3)
    folder = tmp_path / "data" / "testinsats" / "intervjuer"
    for n in range(3):
        interview(folder, f"d{n}.md", f"## Stöd\n> Citat {n}.\n", datum=f"2020-03-1{n}", roll="deltagare", kon="kvinna")
    interview(folder, "p.md", "## Stöd\n> Personalcitat.\n", roll="personal", kon="man")
    html = open_report(params).sections[0].to_html()
    assert "<footer>Deltagare" not in html and "<footer>Personal" not in html
    assert html.count("<footer>Intervjuperson</footer>") == 4
    # a third role member makes the pool 3 (personal 1 + styrgrupp 2): deltagare are named again
    interview(folder, "s1.md", "## Stöd\n> S1.\n", roll="styrgrupp", kon="man")
    interview(folder, "s2.md", "## Stöd\n> S2.\n", roll="styrgrupp", kon="kvinna")
    html = open_report(params).sections[0].to_html()
    assert html.count("<footer>Deltagare, kvinna</footer>") == 3
    assert html.count("<footer>Intervjuperson</footer>") == 3


def test_quotes_show_gender_for_a_large_enough_group(tmp_path):
    params = write_params(tmp_path, sektioner="[intervjuer]")
    folder = tmp_path / "data" / "testinsats" / "intervjuer"
    for n in range(3):
        interview(folder, f"{n}.md", f"## Stöd\n> Citat {n}.\n", datum=f"2020-03-1{n}", roll="deltagare", kon="kvinna")
    html = open_report(params).sections[0].to_html()
    assert html.count("<footer>Deltagare, kvinna</footer>") == 3


def test_rare_gender_is_not_shown_with_a_quote():
    one = interviews.Interview(Path("x.md"), dt.date(2020, 1, 1), "deltagare", "annat", "fysisk", 30, "", (), ())
    assert interviews.attribution(one) == "Deltagare"


def test_quote_html_is_escaped(tmp_path):
    params = write_params(tmp_path, sektioner="[intervjuer]")
    for name in ("b.md", "c.md"):
        interview(tmp_path / "data" / "testinsats" / "intervjuer", name, "## T\nInga citat.\n")
    interview(tmp_path / "data" / "testinsats" / "intervjuer", "a.md", "## T\n> <script>alert(1)</script>\n")
    html = open_report(params).sections[0].to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_quote_that_names_someone_by_full_name_is_said_with_its_line_never_the_name(tmp_path):
    """A quote is published as said: "Anna Svensson" in it named a person in every format, unsaid.
    A first name alone, and a note (never published), are left alone."""
    params = write_params(tmp_path, sektioner="[intervjuer]")
    folder = tmp_path / "data" / "testinsats" / "intervjuer"
    path = interview(folder, "a.md", "## Stöd\nAnna Svensson är handläggare.\n> Anna ringde varje vecka.\n"
                                     "> Sedan tog Anna Svensson över.\n", roll="deltagare")
    report = open_report(params)
    said = [n for n in report.notices if n.path == path]
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "tog Anna" in text)
    assert [(n.line, n.message[:57]) for n in said] == [(line, "raden ser ut att nämna någon med för- och efternamn (namn")]
    assert "Svensson" not in said[0].describe()


def test_quotes_of_fewer_interviewees_than_the_threshold_are_not_published_and_that_is_said(tmp_path):
    """A förbund reviewer's finding: one participant and one partner interviewed (the method table
    says so), and a quote signed Intervjuperson spoke of 'min handläggare': whose it was, was plain."""
    params = write_params(tmp_path, sektioner="[intervjuer]", min_cell=3)
    folder = tmp_path / "data" / "testinsats" / "intervjuer"
    interview(folder, "d.md", "## Stöd\n> Min handläggare lyssnade.\n> Det hjälpte.\n", roll="deltagare", kon="kvinna")
    interview(folder, "s.md", "## Stöd\n> Vi samarbetar bra.\n", roll="samverkanspart", kon="man")
    report = open_report(params)
    html = report.sections[0].to_html()
    assert "handläggare" not in html and "samarbetar" not in html and "<blockquote" not in html
    assert ("Citat återges inte: färre än 3 personer intervjuades under perioden, och ett citat skulle då kunna "
            "knytas till den som sa det.") in html
    said = [n.describe() for n in report.notices if n.path == folder]
    assert said == [f"Varning: {folder}: 2 citat visas inte: under perioden gjordes bara 2 intervjuer, färre än 3, "
                    "och ett citat skulle kunna knytas till den som sa det, också utan roll. Återge det som sades med "
                    "egna ord i en text, eller vänta med citaten tills fler har intervjuats."]


# -- shared key checks -----------------------------------------------------------------------

def test_key_lines_and_descriptions():
    lines = checks.yaml_key_lines("a: 1\nlista:\n  - {x: 2}\n  - y: 3\n", first_line=2)
    assert lines[("lista", 1, "y")] == 5
    assert checks.describe_key(("lista", 1, "y")) == "lista post 2, nyckeln 'y'"


def test_an_emoji_in_an_interview_an_omvarld_file_or_a_matrix_is_said_with_its_line(tmp_path):
    """Each shows it as an empty box in the PDF; the texts and surveys said so, these did not."""
    from types import SimpleNamespace

    from evaluation.inputs import notices
    from evaluation.sections import matrices, omvarld
    from test_omvarld import project

    with notices.collecting() as found:
        interviews.load_interview(interview(tmp_path, "a.md", "## Stöd\nAnteckning 🙂 (visas aldrig)\n> Toppen 👍\n"))
        omvarld.load_project(project(tmp_path / "omvarld", "x", body="Text.\n\nBra ✅."))
        (tmp_path / "matriser").mkdir()
        (tmp_path / "matriser" / "m.yaml").write_text("titel: T\ntyp: rangordning\nposter: [Ett, Två 🚀]\n",
                                                     encoding="utf-8")
        matrices.load_matrices(SimpleNamespace(data=tmp_path), {})
    said = [(n.path.name, n.line, n.message.split(" (U+")[0]) for n in found]
    # the interview's front matter is lines 1-8, its quote line 11 (a note is never shown: no notice)
    assert said == [("a.md", 11, "tecknet 👍"), ("x.md", 14, "tecknet ✅"), ("m.yaml", 3, "tecknet 🚀")]


def test_an_emoji_in_any_yaml_file_or_the_parameters_is_said_with_its_line(tmp_path):
    """Every YAML file is read by one reader, which says so; the parameters (read before a report
    collects notices) are checked again when it does: the title of every page had an empty box."""
    from conftest import write_params
    from evaluation.inputs import notices
    from evaluation.sections.organisation import load_organisation

    organisation = tmp_path / "organisation.yaml"
    organisation.write_text("# Utkast ✏️\ninsatsagare: Kommunen\navvikelser:\n  - {datum: 2020-03-01, beskrivning: Sent ⏰}\n",
                            encoding="utf-8")
    with notices.collecting() as found:
        load_organisation(organisation)
    assert [(n.line, n.message.split(" (U+")[0]) for n in found] == [(4, "tecknet ⏰")]  # not the comment
    params = write_params(tmp_path, namn='"Insatsen 🚀"', sektioner="[intervjuer]")
    said = [n for n in open_report(params).notices if n.path == params and n.message.startswith("tecknet")]
    assert [(n.line, n.message.split(" (U+")[0]) for n in said] == [(2, "tecknet 🚀")]


def test_template_syntax_in_a_quote_or_a_theme_is_an_error_with_its_line_and_a_note_may_hold_it(tmp_path):
    """A quote '{{ antal.deltagare }} och {% if true %}ja{% endif %}' was published as typed; the
    omvärld files, matrices and YAML files refuse it. A note is never shown: it may hold braces."""
    from evaluation.core.errors import ValidationError

    path = interview(tmp_path, "a.md", "## Stöd {{ x }}\nAnteckning {{ y }}\n> {{ antal.deltagare }} och "
                                       "{% if true %}ja{% endif %}\n")
    with pytest.raises(ValidationError) as info:
        interviews.load_interview(path)
    message = str(info.value)
    # front matter lines 1-8: the theme is line 9, the note line 10, the quote line 11
    assert "rad 9: '{{' räknas bara i texterna i texter/" in message and "rad 11: '{{'" in message
    assert "rad 10" not in message and "2 fel" in message
    ok = interview(tmp_path, "b.md", "## Stöd\nAnteckning {{ y }}\n> Bra stöd.\n")
    assert interviews.load_interview(ok).quotes[0].text == "Bra stöd."


def test_template_syntax_is_looked_for_in_what_the_report_publishes_and_only_there(tmp_path):
    """A theme written '##<tab>Tema {{ x }}' was published with its braces and not refused; a '> {{'
    line inside a code fence (a note, never shown) was refused."""
    path = interview(tmp_path, "a.md", "## Stöd\n```\n> {{ mall }} (anteckning)\n```\n##\tTema {{ x }}\n> Bra.\n")
    with pytest.raises(ValidationError) as info:
        interviews.load_interview(path)
    # front matter lines 1-8: the fence is lines 10-12, the theme line 13
    assert str(info.value).split("\n")[1:3] == [
        "  - rad 13: '{{' räknas bara i texterna i texter/ och i mal.yaml (text och kommentar); här skulle variabeln "
        "eller villkoret stå kvar som det är skrivet. Skriv siffran eller meningen utan det.",
        "Rätta filen och kör igen; ingen ny rapport har skrivits."]


def test_markdown_in_a_quote_is_said_for_a_quote_is_shown_as_written(tmp_path):
    """'> Läs mer på [Finsam](https://finsam.se)' stood in the report with its brackets, unsaid."""
    from evaluation.inputs import notices

    path = interview(tmp_path, "a.md", "## Stöd\nAnteckning **fet** (visas aldrig)\n> Läs mer på "
                                       "[Finsam](https://finsam.se).\n> Det var **bra**.\n")
    with notices.collecting() as found:
        loaded = interviews.load_interview(path)
    assert [(n.line, n.message) for n in found] == [
        (11, "'[Finsam](https://finsam.se)' visas som det står skrivet: ett citat eller tema återges utan Markdown. "
             "Skriv orden utan tecknen."),
        (12, "'**bra**' visas som det står skrivet: ett citat eller tema återges utan Markdown. Skriv orden utan "
             "tecknen.")]
    assert loaded.quotes[0].text == "Läs mer på [Finsam](https://finsam.se). Det var **bra**."


def test_the_sentence_above_the_quotes_says_how_they_are_signed(tmp_path):
    """'Citaten återges med intervjupersonens roll och … kön' stood above quotes all signed
    'Intervjuperson' (a förbund reviewer read it as a promise the page broke)."""
    one = [interview(tmp_path, "a.md", "## Stöd\n> Bra.\n")]
    three = [interview(tmp_path, f"d{i}.md", "## Stöd\n> Bra.\n") for i in range(3)]
    alone = interviews.quotes_by_theme([interviews.load_interview(p) for p in one], 3)
    named = interviews.quotes_by_theme([interviews.load_interview(p) for p in three + one], 3)
    assert {who for _, items in alone for who, _ in items} == {"Intervjuperson"}
    assert interviews.quote_note(alone, 3).startswith("Citaten återges utan intervjupersonens roll: ingen roll har "
                                                      "minst 3 intervjuer")
    assert {who for _, items in named for who, _ in items} == {"Deltagare, kvinna"}
    assert interviews.quote_note(named, 3).startswith("Citaten återges med intervjupersonens roll och, där det "
                                                      "angetts, kön, för roller med minst 3 intervjuer")


def test_validate_says_the_interviews_are_there_but_none_is_dated_within_the_period(period_interviews):
    """Not 'Intervjuer (en intervju i intervjuer/)', as if there were none: five are there, dated outside."""
    from evaluation.run.render import absent_sections

    later = write_params(period_interviews.parent.parent.parent, slug="2021", sektioner="[intervjuer]",
                         period="{start: 2021-01-01, slut: 2021-12-31}")
    assert absent_sections(open_report(later)) == \
        "Intervjuer (5 intervjuer i intervjuer/, ingen daterad inom perioden 2021-01-01 – 2021-12-31)"
    assert absent_sections(open_report(period_interviews)) == ""
