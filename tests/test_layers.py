"""The one-way flow is a structure: layer subpackages, an import contract, builders that see
only protected data, and modules small enough to read at once."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import evaluation
from evaluation.build.report import open_report
from evaluation.sections import registry
from evaluation.sections.context import SectionContext

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "evaluation"
LAYERS = ("core", "inputs", "compute", "sections", "build", "renderers", "analysis", "run", "tools")
MAX_LINES = 400


def test_every_module_lives_in_a_layer():
    flat = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert flat == []
    assert sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()) == sorted(LAYERS)


def test_the_import_contract_holds():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "3 kept, 0 broken" in result.stdout


def test_a_module_over_400_lines_says_why_in_its_docstring():
    unexplained = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_LINES and "Longer than 400 lines:" not in (ast.get_docstring(ast.parse(text)) or ""):
            unexplained.append(path.relative_to(ROOT).as_posix())
    assert unexplained == []


def test_builders_get_protected_tables_and_no_raw_counts(monkeypatch):
    seen = {}
    for section_id, build in list(registry.BUILDERS.items()):
        def spy(context, build=build, section_id=section_id):
            seen[section_id] = context
            return build(context)
        monkeypatch.setitem(registry.BUILDERS, section_id, spy)
    report = open_report(evaluation.demo_params("samordningsteamet", "2024"))
    report.sections  # noqa: B018 - builds every section
    assert {"resultat", "enkater", "effekter"} <= set(seen)
    for context in seen.values():
        assert isinstance(context, SectionContext)
        assert not hasattr(context, "register") and set(context.inputs) <= {
            "texts", "organisation", "omvarld", "interviews", "matrices", "goals", "surveys",
            "measurements", "costs"}
        assert context.table_map is report.table_map  # the protected tables, after disclosure control
    # the survey reaches its builder with its free-text answers only (its counts are in its tables)
    survey = next(iter(seen["enkater"].inputs["surveys"].values()))
    full = next(iter(report.inputs["surveys"].values()))
    assert list(survey.answers.columns) == [q.id for q in full.questions if q.typ == "fritext"]
    assert len(full.answers.columns) > len(survey.answers.columns)


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_says_what_it_is(layer):
    assert (ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text(encoding="utf-8"))) or "").strip()


#: Writes in run/ and analysis/ that are not publish's own, each inside something publish made (or no output).
WRITES_INSIDE_PUBLISH = {
    ("run/fingerprint.py", "write_text"),  # into the staging folder of publish.staging
    ("run/cluster.py", "write_bytes"),     # a Dask worker's files, into publish.staging
    ("analysis/overview.py", "save"),      # the workbook, called through publish.replace_file
    ("run/keeper.py", "write_text"),       # not an output: the kept kernel's process id, in the user's cache
}


def test_publish_is_the_only_writer_of_outputs():
    found = set()
    for layer in ("run", "analysis"):
        for path in sorted((PACKAGE / layer).glob("*.py")):
            if path.name == "publish.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in ("write_text", "write_bytes", "save", "open")):
                    found.add((f"{layer}/{path.name}", node.func.attr))
    assert found == WRITES_INSIDE_PUBLISH
