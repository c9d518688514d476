"""Everything the command line prints is Swedish: click's own help and errors, plurals, and the
scaffold's comments say what really happens."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from evaluation.core import fmt
from evaluation.core.vocab import MARK
from evaluation.tools import cli_swedish, scaffold
from evaluation.tools.cli import main

ENGLISH = ("Show this message", "Usage:", "Options:", "Commands:", "default:", "[required]", "Error:",
           "Try '", "No such", "Missing", "Invalid value", "is not one of", "is not in the range",
           "Did you mean", " PATH", " FILE", " DIRECTORY", " TEXT", " INTEGER", "[OPTIONS]", "COMMAND",
           "Got unexpected", "requires an argument", "none", "None")


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), prog_name="evaluation")
    return result.output


@pytest.mark.parametrize("args", [
    ["--help"], *[[name, "--help"] for name in ("render", "validate", "demo", "new", "template", "overview")],
])
def test_help_is_swedish(args):
    out = run(*args)
    assert "Visa den här hjälpen och avsluta." in out and "Användning: evaluation" in out and "Flaggor:" in out
    assert not [word for word in ENGLISH if word in out], out


@pytest.mark.parametrize("args, swedish", [
    (["nope"], "Fel: Kommandot 'nope' finns inte."),
    (["rendr"], "Menade du 'render'?"),
    (["render", "--jobs", "0", "x.yaml"], "0 ligger inte i intervallet"),
    (["template", "foo", "--out", "x.xlsx"], "'foo' är inte en av 'enkat', 'register', 'uppfoljning', 'matningar'."),
    (["new", "x"], "Fel: Flagga saknas '--period'."),
    (["validate"], "Fel: Argument saknas 'PARAMS...'."),
    (["render", "x.yaml", "--bogus"], "Flaggan '--bogus' finns inte."),
    (["validate", "x.yaml", "--rapport"], "Flaggan '--rapport' behöver ett värde."),
    (["render", "x.yaml", "--mall", "finns-inte.docx"], "Fil 'finns-inte.docx' finns inte."),
])
def test_usage_errors_are_swedish(args, swedish):
    out = run(*args)
    assert swedish in out, out
    assert out.startswith("Fel:") or ("Skriv 'evaluation" in out and "för hjälp." in out)
    assert not [word for word in ENGLISH if word in out], out


def test_plurals():
    assert [fmt.plural(n, "rapport", "rapporter") for n in (0, 1, 2)] == ["0 rapporter", "1 rapport", "2 rapporter"]
    assert fmt.plural(1, "varning", "varningar") == "1 varning"


def test_scaffold_says_how_hidden_cells_show(tmp_path):
    done = scaffold.create("testa", "2024", "arsrapport", tmp_path / "params", tmp_path / "data", None, "")
    text = done.params.read_text(encoding="utf-8")
    comment = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert f'visas som "{MARK}"' in comment
    assert "<min_cell" not in text
    stub = (tmp_path / "data" / "testa" / "texter" / "bakgrund.md").read_text(encoding="utf-8")
    assert "bakgrund.docx" in stub


def _doc_example(doc: str, start: str) -> str:
    """The inline-code example in ``doc`` that starts with ``start``, on one line."""
    text = (Path(__file__).parent.parent / "docs" / doc).read_text(encoding="utf-8")
    match = re.search(r"`(" + re.escape(start) + r"[^`]*)`", text)
    assert match, f"{doc} has no example starting {start!r}"
    return " ".join(match.group(1).replace("\n> ", "\n").split())


def test_namnrymd_examples_are_the_real_messages(tmp_path):
    from test_prose import project, write_text

    from evaluation.sections import texts
    from evaluation.core.errors import TemplateError
    from evaluation.build.report import open_report

    params = project(tmp_path)
    path = write_text(params, "metod", "Första raden.\n\nDeltagare: {{ antal.deltgare }}.\n")
    with pytest.raises(TemplateError) as info:
        texts.prose(open_report(params), "metod")
    real = str(info.value).replace(str(path), "texter/metod.md")
    assert _doc_example("namnrymd.md", "texter/metod.md, rad 3") in real
    write_text(params, "metod", "Hej.\n")
    path = write_text(params, "sammanfattning", "Inledning.\n\nHela 15 (46 %) är pågående.\n")
    [warning] = open_report(params).warnings
    real = warning.describe().removeprefix("Varning: ").replace(str(path), "texter/sammanfattning.md")
    real = real.replace("\u00a0", " ")
    example = _doc_example("namnrymd.md", "texter/sammanfattning.md, rad 3").removesuffix("…").rstrip()
    assert real.startswith(example)


@pytest.mark.parametrize("args", [
    ["new", "x", "--typ", "811218-9876", "--period", "2024"],
    ["new", "x", "--period", "811218-9876"],
    ["render", "--formats", "811218-9876", "x.yaml"],
    ["render", "--jobs", "811218-9876", "x.yaml"],
    ["validate", "--rapport", "anna@kommun.se", "x.yaml"],
    ["new", "Anna 811218-9876", "--period", "2024"],
])
def test_a_value_typed_on_the_command_line_is_never_printed_back(args):
    out = run(*args)
    assert out.count("Fel:") == 1 and ("[dolt]" in out or "visas inte)" in out)  # [dolt], (visas inte) or (värdet visas inte)
    assert "811218" not in out and "anna@" not in out


@pytest.mark.parametrize("option, value", [("INSATS", "anna-811218-9876"), ("--namn", "Anna 811218-9876"),
                                           ("--forbund", "kontakt anna@kommun.se")])
def test_new_refuses_personal_data_in_the_names_it_makes_folders_and_titles_of(tmp_path, option, value):
    args = ["new", value if option == "INSATS" else "framtiden", "--period", "2024",
            "--params-dir", str(tmp_path / "params"), "--data-dir", str(tmp_path / "data")]
    if option != "INSATS":
        args += [option, value]
    out = run(*args)
    assert f"Fel: Ogiltigt värde för {option}: ser ut att innehålla" in out and "(visas inte)" in out
    assert value not in out and not (tmp_path / "params").exists() and not (tmp_path / "data").exists()


def test_a_number_option_says_heltal():
    assert "'abc' är inte ett giltigt heltal." in run("render", "--jobs", "abc", "x.yaml")


def test_a_file_that_cannot_be_written_is_said_in_swedish(tmp_path):
    out = run("template", "register", "--out", str(tmp_path / "finns-inte" / "mall.xlsx"))
    assert "Fel: kunde inte skriva" in out and "(mappen eller filen finns inte)." in out
    assert "No such file" not in out


@pytest.mark.parametrize("args, said", [
    (["render", "x.yaml", "--out", ""], "Ogiltigt värde för --out: värdet är tomt; ange en mapp, till exempel output."),
    (["render", "x.yaml", "--out", "  "], "värdet är tomt"),
    (["demo", "--out", ""], "Ogiltigt värde för --out: värdet är tomt"),
    (["render", "--all", "--params-dir", ""], "--params-dir: värdet är tomt; ange en mapp, till exempel params."),
    (["overview", "--out", ""], "Ogiltigt värde för --out: värdet är tomt"),
])
def test_an_empty_folder_option_is_refused_not_taken_as_the_current_folder(tmp_path, monkeypatch, args, said):
    """``--out ""`` (an unset variable in a script) wrote every report into the current folder."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args, prog_name="evaluation")
    assert result.exit_code == 2 and said in result.output, result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["render", "x.yaml"], ["demo"], ["overview"], ["render", "--all"]])
def test_a_file_given_as_a_folder_is_refused_before_anything_runs(tmp_path, command):
    """A file as ``--out`` was said to be "a report that already exists" after the report had run."""
    afile = tmp_path / "rapporter.txt"
    afile.write_text("mina anteckningar", encoding="utf-8")
    option = "--params-dir" if command == ["render", "--all"] else "--out"
    result = CliRunner().invoke(main, [*command, option, str(afile)], prog_name="evaluation")
    assert result.exit_code == 2, result.output
    assert f"Ogiltigt värde för {option}: {afile} är en fil, inte en mapp: ange en mapp." in result.output
    assert afile.read_text(encoding="utf-8") == "mina anteckningar"


def test_a_parameters_file_named_twice_is_validated_once_and_that_is_said(tmp_path, monkeypatch):
    from evaluation.tools.cli import DEMO_PARAMS

    monkeypatch.chdir(DEMO_PARAMS)
    result = CliRunner().invoke(main, ["validate", "ungkraft/2024.yaml", str(DEMO_PARAMS / "ungkraft" / "2024.yaml"),
                                       "../params/ungkraft/2024.yaml"], prog_name="evaluation")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Obs: ungkraft/2024.yaml angavs 3 gånger; den körs en gång.") == 1
    assert result.stdout.count("OK   ungkraft/2024.yaml") == 1


@pytest.mark.parametrize("stopped, said", [(1, "Stoppade 1 kärna som hölls varm."), (2, "Stoppade 2 kärnor som hölls varma.")])
def test_stop_says_how_many_kernels_in_swedish(monkeypatch, stopped, said):
    from evaluation.run import keeper

    monkeypatch.setattr(keeper, "stop_all", lambda: (stopped, 0))
    assert run("stop").strip() == said


@pytest.mark.parametrize("args, said", [
    (["template", "register", "--out", ""], "Ogiltigt värde för --out: värdet är tomt; ange en Excelfil, till exempel mall.xlsx."),
    (["validate", "x.yaml", "--rapport", " "], "Ogiltigt värde för --rapport: värdet är tomt; ange en Excelfil, till "
                                                "exempel problem.xlsx."),
    (["template", "register", "--out", "."], "Ogiltigt värde för --out: . finns, men är en mapp; ange en Excelfil (.xlsx) att skriva."),
])
def test_an_empty_or_folder_workbook_option_is_refused(tmp_path, monkeypatch, args, said):
    """``template register --out ""`` said ".: filen måste sluta på .xlsx"."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args, prog_name="evaluation")
    assert result.exit_code == 2 and said in result.output, result.output
    assert list(tmp_path.iterdir()) == []


def _broken_project(tmp_path, register_ok: bool = False):
    """The hand-computed project with a goal file that is no YAML, a follow-up of a participant
    not in the register, and (unless ``register_ok``) a start date that is no date."""
    from conftest import FOLLOWUPS, ROWS, csv_text, write_params

    params = write_params(tmp_path, provtid_dagar=90)
    data = tmp_path / "data" / "testinsats"
    rows = [list(r) for r in ROWS]
    if not register_ok:
        rows[1][4] = "2019-13-01"  # row 3 of the file
    (data / "deltagare.csv").write_text(csv_text(rows), encoding="utf-8")
    (data / "uppfoljning.csv").write_text(FOLLOWUPS + "D99,6,Arbete,,\n", encoding="utf-8")
    (data / "mal.yaml").write_text("mal:\n  - id: x\n    text: [oj\n", encoding="utf-8")
    return params, data


def test_every_input_that_cannot_be_used_is_named_in_one_run_not_one_a_run(tmp_path):
    """An evaluator's probe: three broken files were shown one run at a time."""
    params, data = _broken_project(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(params)], prog_name="evaluation")
    said = result.output
    assert result.exit_code == 1 and "Traceback" not in said, said
    assert said.startswith("Fel: 2 av underlagets filer kan inte användas. Rätta dem och kör igen; ingen ny rapport har skrivits.")
    assert f"\n1. {data / 'deltagare.csv'}: 1 fel hittades.\n  - rad 3, kolumn 'startdatum': '2019-13-01'" in said
    assert f"\n2. {data / 'mal.yaml'}: ogiltig YAML på rad 3" in said
    assert said.count("ingen ny rapport har skrivits") == 1  # once, not once a file
    # the follow-ups are read against the register: they wait for it, and that is said
    assert "D99" not in said
    assert said.rstrip().endswith("\n\nuppfoljning.csv läses mot deltagarregistret och kontrolleras mot det när registret går att använda.")


def test_with_the_register_right_the_follow_ups_are_checked_beside_the_other_broken_file(tmp_path):
    import evaluation
    from evaluation.core.errors import InputErrors

    params, data = _broken_project(tmp_path, register_ok=True)
    with pytest.raises(InputErrors) as caught:
        evaluation.validate(params)
    first, second = caught.value.errors
    assert str(first).startswith(f"{data / 'uppfoljning.csv'}: 1 fel hittades.") and "'D99'" in str(first)
    assert str(second).startswith(f"{data / 'mal.yaml'}: ogiltig YAML")
    assert "läses mot deltagarregistret" not in str(caught.value)


def test_one_input_that_cannot_be_used_is_said_as_before(tmp_path):
    import evaluation
    from evaluation.core.errors import InputErrors, ValidationError

    params, data = _broken_project(tmp_path, register_ok=True)
    (data / "mal.yaml").unlink()
    with pytest.raises(ValidationError) as caught:
        evaluation.validate(params)
    assert not isinstance(caught.value, InputErrors) and str(caught.value).startswith(f"{data / 'uppfoljning.csv'}:")


def test_a_broken_register_alone_keeps_its_kind_and_says_what_waits_for_it(tmp_path):
    import evaluation
    from evaluation.core.errors import InputErrors, ValidationError

    params, data = _broken_project(tmp_path)
    (data / "mal.yaml").unlink()
    with pytest.raises(ValidationError) as caught:
        evaluation.validate(params)
    assert not isinstance(caught.value, InputErrors) and caught.value.violations[0].row == 3
    assert str(caught.value).endswith(
        "ingen ny rapport har skrivits.\n\nuppfoljning.csv läses mot deltagarregistret och kontrolleras mot det när registret går att använda.")


def test_each_broken_file_of_a_folder_is_named_not_only_the_first(tmp_path):
    """A hostile probe: seven broken interviews and two broken surveys were '2 av underlagets filer'."""
    import evaluation
    from evaluation.core.errors import InputErrors
    from evaluation.tools import problems

    params, data = _broken_project(tmp_path, register_ok=True)
    (data / "uppfoljning.csv").unlink()
    folder = data / "intervjuer"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.md").write_text("---\ndatum: 2020-03-01\nroll: Handläggare\nlangd_min: lång\n---\n\nText.\n",
                                           encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        evaluation.validate(params)
    named = [str(error).split(": ")[0] for error in caught.value.errors]
    assert named == [str(folder / "a.md"), str(folder / "b.md"), str(data / "mal.yaml")]  # one list, not nested
    assert str(caught.value).startswith("3 av underlagets filer kan inte användas")
    found = problems.collect(params)
    assert list(dict.fromkeys(p.fil for p in found)) == ["intervjuer/a.md", "intervjuer/b.md", "mal.yaml"], found


def test_a_batch_names_the_parameters_file_of_each_report_that_failed(tmp_path):
    """A hostile probe: one data folder's error was printed once for each of its periods, never
    saying which report it was."""
    from conftest import write_params

    first = write_params(tmp_path, slug="2020")
    second = write_params(tmp_path, slug="2021", period="{start: 2021-01-01, slut: 2021-12-31}")
    for path in (first, second):  # bad parameters: refused before any kernel starts
        path.write_text(path.read_text(encoding="utf-8") + "min_cell: tre\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", "--all", "--params-dir", str(tmp_path / "params"),
                                       "--out", str(tmp_path / "ut"), "--formats", "html"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [f"{'FEL':<11}{first}", f"{'FEL':<11}{second}"], result.stdout
    assert "Rapporter" not in result.stderr  # no progress bar in what is no terminal (a log): a probe's log was full of it


def test_what_waits_for_the_register_is_still_checked_for_what_needs_no_register(tmp_path):
    """A probe: a personnummer in uppfoljning.csv waited for the register to be fixed, an extra
    round with the insats. The file's own checks (its columns, personal data) run at once."""
    import evaluation
    from evaluation.core.errors import InputErrors

    params, data = _broken_project(tmp_path)
    (data / "mal.yaml").unlink()
    (data / "uppfoljning.csv").write_text("deltagar_id,manader_efter_avslut,status\n811218-9876,6,Arbete\n",
                                          encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        evaluation.validate(params)
    register, followups = caught.value.errors
    assert str(register).startswith(f"{data / 'deltagare.csv'}: 1 fel hittades.")
    assert str(followups).startswith(f"{data / 'uppfoljning.csv'}: 1 fel hittades.\n  - rad 2, kolumn 'deltagar_id': "
                                     "innehåller något som ser ut som ett personnummer")  # once: as a cell
    assert "9876" not in str(caught.value)
    assert str(caught.value).endswith("uppfoljning.csv läses mot deltagarregistret och kontrolleras mot det när registret "
                                      "går att använda.")


def test_ctrl_c_in_a_command_is_avbrutet_and_130_not_clicks_1(monkeypatch):
    """click answers Ctrl-C with "Aborted!" and exit 1, which reads as a failure; the group says
    "Avbrutet." and exits 130, as a shell does for Ctrl-C."""
    from evaluation.run import render as _render

    def interrupted(path):
        raise KeyboardInterrupt

    monkeypatch.setattr(_render, "validate", interrupted)
    result = CliRunner().invoke(main, ["validate", "x.yaml"], prog_name="evaluation")
    assert (result.exit_code, result.output.strip()) == (130, "Avbrutet.")


def test_ctrl_c_while_the_command_line_loads_is_avbrutet_without_a_traceback():
    """The program's entry (``evaluation.tools.command``) catches a Ctrl-C that comes while the
    command line is still being imported (here made to come then, by an import hook)."""
    import subprocess
    import sys

    code = ("import sys\n"
            "class Interrupting:\n"
            "    def find_spec(self, name, path, target=None):\n"
            "        if name == 'evaluation.tools.cli':\n"
            "            raise KeyboardInterrupt\n"
            "sys.meta_path.insert(0, Interrupting())\n"
            "from evaluation.tools.command import entry\n"
            "entry()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr, done.stdout) == (130, "Avbrutet.\n", "")
