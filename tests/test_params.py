"""Parameters: every kind of bad input is refused naming the file and the key."""
from __future__ import annotations

import re

import pytest

from evaluation import ParamsError, load_params

from conftest import write_params


def test_valid_params_resolve_data_folder(tmp_path):
    path = write_params(tmp_path)
    p = load_params(path)
    assert p.insats == "testinsats" and p.period_slug == "2020"
    assert p.data == (tmp_path / "data" / "testinsats").resolve()
    assert p.alder_intervall == [15, 30, 45, 60, 75] and p.resultat_bas == "avslutade"
    assert p.omvarld_dir == (tmp_path / "omvarld").resolve()


@pytest.mark.parametrize("extra, key, words", [
    ({"okand_nyckel": 1}, "okand_nyckel", "okänd nyckel"),
    ({"provtid_dagar": "tre"}, "provtid_dagar", "ska vara ett heltal (det står 'tre')"),
    ({"period": "{start: 2021-01-01, slut: 2020-12-31}"}, "period", "innan den börjar"),
    # year 1 or 9999 stopped the report's date arithmetic with an internal error
    ({"period": "{start: 0001-01-01, slut: 2020-12-31}"}, "period.start",
     "året 1 är inte rimligt; datum ska ligga mellan år 1900 och"),
    ({"period": "{start: 2020-01-01, slut: 9999-12-31}"}, "period.slut", "(det står 9999-12-31)"),
    # a name stands in the title, the running header and the index: one line
    ({"namn": '"Test\\ninsatsen"'}, "namn", "ska stå på en rad: ta bort radbrytningen eller tabben (i YAML"),
    ({"forbund": '"Förbund\\tTest"'}, "forbund", "ska stå på en rad"),
    ({"samverkansparter": '["Arbetsförmedlingen", "Region\\nTest"]'}, "samverkansparter", "ska stå på en rad"),
    ({"rapporttyp": "kvartalsrapport"}, "rapporttyp", "arsrapport"),
    ({"insats": "Min Insats"}, "insats", "slug"),
    ({"alder_intervall": "[30, 15]"}, "alder_intervall", "stigande ordning"),
    ({"sektioner": "[resultat, okand]"}, "sektioner", "okand"),
    ({"resultat_bas": "alla"}, "resultat_bas", "alla_inskrivna"),
])
def test_bad_values_name_file_and_key(tmp_path, extra, key, words):
    path = write_params(tmp_path, **extra)
    with pytest.raises(ParamsError) as err:
        load_params(path)
    message = str(err.value)
    assert str(path) in message and f"'{key}" in message and words in message


def test_a_name_written_as_a_yaml_block_keeps_one_line(tmp_path):
    """YAML's '>' folds a long name into one line (with a final line break, dropped); '|' keeps its breaks."""
    assert load_params(write_params(tmp_path / "a", namn=">\n  Lång\n  insats")).namn == "Lång insats"
    with pytest.raises(ParamsError, match="nyckeln 'namn': ska stå på en rad"):
        load_params(write_params(tmp_path / "b", namn="|\n  Lång\n  insats"))


@pytest.mark.parametrize("key", ["namn", "forbund", "utvarderare", "samverkansparter"])
def test_a_name_longer_than_a_heading_is_refused_with_its_length(tmp_path, key):
    """A name of 220 000 characters was the title of every page (18 s to render)."""
    long = "x" * 201
    with pytest.raises(ParamsError) as err:
        load_params(write_params(tmp_path, **{key: f"[{long}]" if key == "samverkansparter" else long}))
    assert f"nyckeln '{key}" in str(err.value) and "har 201 tecken; högst 200 går in i titeln" in str(err.value)
    assert load_params(write_params(tmp_path / "ok", namn="x" * 200)).namn == "x" * 200


def test_a_number_in_quotes_is_read_as_the_number(tmp_path):
    """Decided: min_cell: "3" is the number 3 (as YAML writers often quote); text is still an error."""
    assert load_params(write_params(tmp_path, min_cell='"3"')).min_cell == 3
    with pytest.raises(ParamsError, match="nyckeln 'min_cell'"):
        load_params(write_params(tmp_path / "b", min_cell='"tre"'))


def test_missing_required_key(tmp_path):
    path = write_params(tmp_path)
    path.write_text("\n".join(l for l in path.read_text().splitlines() if not l.startswith("forbund")))
    with pytest.raises(ParamsError, match="nyckeln 'forbund': krävs men saknas"):
        load_params(path)


def test_missing_data_folder(tmp_path):
    path = write_params(tmp_path, data="../../finns-inte")
    with pytest.raises(ParamsError, match="nyckeln 'data': mappen .*finns-inte finns inte"):
        load_params(path)
    (tmp_path / "fil.csv").write_text("x", encoding="utf-8")
    path = write_params(tmp_path / "b", data=str(tmp_path / "fil.csv"))
    with pytest.raises(ParamsError, match=r"nyckeln 'data': .*fil\.csv är en fil, inte en mapp\. Ange mappen"):
        load_params(path)


def test_bad_period_slug_in_file_name(tmp_path):
    path = write_params(tmp_path, slug="År 2020")
    with pytest.raises(ParamsError, match="filnamnet 'År 2020' duger inte som periodens slug"):  # it was withheld
        load_params(path)


def test_a_parameters_file_ends_in_yaml_or_yml_and_all_finds_both(tmp_path):
    """'2024.txt' was read as parameters, and '2024.yaml.bak' was told its slug was wrong; '2024.yml'
    was read when named, but render --all passed it over without a word."""
    from evaluation.run.render import find_params
    path = write_params(tmp_path, slug="2020")
    for name in ("2020.txt", "2020.yaml.bak"):
        other = path.with_name(name)
        other.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        with pytest.raises(ParamsError, match=rf"{re.escape(name)}: en parameterfil är en YAML-fil som slutar på \.yaml eller \.yml"):
            load_params(other)
    path.rename(path.with_name("2021.YML"))
    assert [p.name for p in find_params(tmp_path / "params")] == ["2021.YML"]
    assert load_params(path.with_name("2021.YML")).period_slug == "2021"


def test_yaml_tags_never_execute(tmp_path):
    path = write_params(tmp_path)
    marker = tmp_path / "pwned"
    path.write_text(path.read_text() + f"extra: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(ParamsError, match="ogiltig YAML"):
        load_params(path)
    assert not marker.exists()


def test_not_a_mapping_and_missing_file(tmp_path):
    path = write_params(tmp_path)
    path.write_text("- bara\n- en lista\n")
    with pytest.raises(ParamsError, match="rader 'nyckel: värde', men filen innehåller en lista"):
        load_params(path)
    with pytest.raises(ParamsError, match="parameterfilen finns inte"):
        load_params(tmp_path / "nope.yaml")


def test_a_folder_given_for_a_parameters_file_names_the_files_in_it(tmp_path):
    """``render params/steget`` said the parameters file did not exist; it is a folder."""
    path = write_params(tmp_path)
    write_params(tmp_path, slug="2021")
    write_params(tmp_path, insats="annan")
    with pytest.raises(ParamsError) as caught:
        load_params(path.parent)
    assert str(caught.value) == (
        f"{path.parent}: är en mapp, inte en parameterfil. Ange en av filerna i den ('2020.yaml', "
        f"'2021.yaml'), eller skapa alla rapporter med evaluation render --all --params-dir {tmp_path / 'params'}.")
    with pytest.raises(ParamsError, match=r"Ange en av filerna i den \('annan/2020.yaml', 'testinsats/2020.yaml', "):
        load_params(tmp_path / "params")
    with pytest.raises(ParamsError, match=r"är en mapp, inte en parameterfil. Ange en fil params/<insats>/<period>.yaml.$"):
        load_params(tmp_path / "data")


@pytest.mark.parametrize("key, value, words", [
    ("provtid_dagar", "100000000000000000000", "får vara högst 3650"),
    ("min_cell", "1001", "får vara högst 1000"),
    ("alder_intervall", "[15, 200]", "ange tal från 0 till 120"),
])
def test_numbers_no_insats_has_are_refused_with_the_key(tmp_path, key, value, words):
    path = write_params(tmp_path, **{key: value})
    with pytest.raises(ParamsError, match=f"nyckeln '{key}': .*{words}"):
        load_params(path)


@pytest.mark.parametrize("key, value", [("omvarld", "[bryggan, ungvag, bryggan]"),
                                        ("samverkansparter", "[Arbetsförmedlingen, Kommunen, Arbetsförmedlingen]")])
def test_a_project_or_party_listed_twice_is_refused(tmp_path, key, value):
    """Was shown twice in the report."""
    path = write_params(tmp_path, **{key: value})
    twice = value.strip("[]").split(", ")[0]
    with pytest.raises(ParamsError, match=f"nyckeln '{key}': '{twice}' står två gånger i listan; ta bort den ena"):
        load_params(path)


@pytest.mark.parametrize("key, written", [("min_cell", "yes"), ("min_cell", "true"), ("provtid_dagar", "on"),
                                          ("alder_intervall", "[16, true, 30]")])
def test_true_or_false_is_no_number(tmp_path, key, written):
    """YAML reads yes/true/on as True, which a number field took as 1: min_cell: yes left counts of 1 visible."""
    path = write_params(tmp_path, **{key: written})
    with pytest.raises(ParamsError, match=rf"nyckeln '{key}': ska vara ett heltal, inte sant eller falskt"):
        load_params(path)


@pytest.mark.parametrize("written", ["''", "'   '"])
def test_a_blank_name_is_refused(tmp_path, written):
    """The name is the report's title (an empty förbund is allowed: `evaluation new` leaves it to fill in)."""
    path = write_params(tmp_path, namn=written)
    with pytest.raises(ParamsError, match=r"nyckeln 'namn': får inte vara tom"):
        load_params(path)


@pytest.mark.parametrize("key, written", [("data", "x" * 3000), ("mall", "x" * 3000 + ".docx"),
                                          ("disposition", "x" * 3000 + ".yaml")])
def test_a_path_too_long_to_look_up_names_its_key(tmp_path, key, written):
    """Was an unexpected error (OSError: File name too long), with the whole path."""
    path = write_params(tmp_path, **{key: written})
    with pytest.raises(ParamsError) as err:
        load_params(path)
    assert str(err.value) == (f"{path}: nyckeln '{key}': sökvägen '{'x' * 59}…' går inte att slå upp (namnet är "
                              "för långt). Ange en sökväg som finns, relativt parameterfilen eller som fullständig "
                              "sökväg.")


@pytest.mark.parametrize("period, said", [
    # a day that does not exist in 'slut' was said to be in 'start', the first key on the line
    ("{start: 2024-01-01, slut: 2024-31-12}", "rad 5, nyckeln 'slut': värdet ser ut som ett datum men finns inte"),
    # 'end' was answered with the parameter file's own keys, not the period's
    ("{start: 2024-01-01, end: 2024-12-31}", "nyckeln 'period.end': okänd nyckel. Under 'period' står start och slut; "
                                             "menade du 'slut'?"),
    ("förra året", "nyckeln 'period': ska vara ett år (period: 2024) eller periodens första och sista dag"),
])
def test_a_period_written_wrong_is_said_at_its_own_key(tmp_path, period, said):
    """A new evaluator's mistakes in 'period:' (a probe)."""
    path = write_params(tmp_path, period=period)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[4].startswith("period:")  # line 5 of the file
    with pytest.raises(ParamsError) as err:
        load_params(path)
    assert said in str(err.value)
    assert "Tillåtna nycklar: insats" not in str(err.value)


def test_a_period_written_as_a_year_is_that_calendar_year(tmp_path):
    """'period: 2024' (as 'evaluation new --period 2024' takes it) was refused as not 'nyckel: värde'."""
    import datetime as dt

    period = load_params(write_params(tmp_path, period="2024")).period
    assert (period.start, period.slut) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


@pytest.mark.parametrize("slug, period, said", [
    ("2023", "2024", "filnamnet '2023.yaml' säger perioden 2023-01-01 – 2023-12-31, men nyckeln 'period' säger "
                     "2024-01-01 – 2024-12-31"),
    ("2023-01-01--2023-12-31", "{start: 2023-01-01, slut: 2023-06-30}", "byt namn på filen till "
                                                                         "'2023-01-01--2023-06-30.yaml'"),
    ("2021-06", "{start: 2021-08-01, slut: 2021-08-31}", "säger perioden 2021-06-01 – 2021-06-30"),
])
def test_a_file_named_for_another_period_is_read_with_a_warning(tmp_path, slug, period, said):
    """The file's name says one period, its key 'period' another: warned (file, key, both periods), not refused."""
    from evaluation.inputs.params import period_named_otherwise

    params = load_params(write_params(tmp_path, slug=slug, period=period))
    [notice] = period_named_otherwise(params)
    assert notice.line == 5 and said in notice.message and "nyckeln 'period'" in notice.message
    assert str(notice.path).endswith(f"{slug}.yaml")


@pytest.mark.parametrize("slug, period", [
    ("2023", "2023"), ("2023-01-01--2023-12-31", "2023"), ("2020", "{start: 2020-05-01, slut: 2021-04-30}"),
    ("2022-2024", "{start: 2022-01-01, slut: 2024-12-31}"), ("2025-h1", "{start: 2025-01-01, slut: 2025-06-30}"),
    ("2021-06", "{start: 2021-06-01, slut: 2021-06-30}"), ("slutrapport", "2020"), ("2023-13", "2020"),
])
def test_a_file_named_for_its_own_period_or_no_period_gives_no_warning(tmp_path, slug, period):
    from evaluation.inputs.params import period_named_otherwise

    assert period_named_otherwise(load_params(write_params(tmp_path, slug=slug, period=period))) == []


def test_the_warning_about_the_period_named_otherwise_is_the_reports(project):
    from evaluation.build.report import Report

    renamed = project.rename(project.with_name("2019.yaml"))
    found = [n.message for n in Report(load_params(renamed)).notices if "filnamnet" in n.message]
    assert found and "'2019.yaml' säger perioden 2019-01-01 – 2019-12-31" in found[0]


def test_loading_parameters_does_not_import_pandas(tmp_path):
    """The command plans a batch from its parameters files: that must not cost pandas' import
    (~0.25 CPU-s, half of a no-op ``render --all``)."""
    import subprocess
    import sys

    path = write_params(tmp_path)
    code = ("import sys; from evaluation import load_params; load_params(sys.argv[1]); "
            "print(sorted(m for m in ('pandas', 'numpy') if m in sys.modules))")
    shown = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"
