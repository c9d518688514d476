"""The input contract lives in the project (docs/indatakontrakt.md) and names everything the code accepts."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from evaluation.compute import goals
from evaluation.core import vocab
from evaluation.inputs import costs, measurements, register
from evaluation.inputs.params import REPORT_TYPES, SECTIONS
from evaluation.sections import interviews, matrices, omvarld, organisation, surveys
from evaluation.tools import scaffold

REPO = Path(__file__).resolve().parent.parent
CONTRACT = (REPO / "docs" / "indatakontrakt.md").read_text(encoding="utf-8")


def quoted(name: str) -> bool:
    """``name`` appears in the contract as code (backticks), alone or inside a list."""
    return re.search(r"`[^`]*(?<![\w-])" + re.escape(name) + r"(?![\w-])[^`]*`", CONTRACT) is not None


@pytest.mark.parametrize("names", [
    pytest.param(scaffold.model_keys() + ["resultatgrupper", "mall"], id="parameter keys"),
    pytest.param(list(REPORT_TYPES), id="report types"),
    pytest.param(list(SECTIONS), id="section ids"),
    pytest.param(list(register.REQUIRED + register.OPTIONAL), id="register columns"),
    pytest.param(list(register.FOLLOWUP_REQUIRED + register.FOLLOWUP_OPTIONAL), id="follow-up columns"),
    pytest.param(list(vocab.GENDERS + vocab.EXIT_REASONS + vocab.EDUCATION + vocab.SUPPORT_SOURCES
                      + vocab.FOLLOWUP_STATUSES), id="code lists"),
    pytest.param(["Upp till 1 år", "Upp till 9 år", "9 år eller mer", "ja", "nej"], id="time and yes/no"),
    pytest.param(list(surveys.YAML_KEYS + surveys.QUESTION_KEYS + surveys.QUESTION_TYPES + surveys.FIXED_COLUMNS)
                 + list(surveys.BUILTIN_SETS), id="surveys"),
    pytest.param(list(surveys.FORMS_METADATA + surveys.SET_KEYS) + ["fragebatterier/", "texter/<sektion>.docx",
                                                                     "aktivt_arbetssokande_start"],
                 id="survey exports, question sets, Word texts"),
    pytest.param(list(interviews.REQUIRED_KEYS + interviews.OPTIONAL_KEYS + tuple(interviews.ROLES)
                      + interviews.GENDERS + tuple(interviews.FORMS)), id="interviews"),
    pytest.param(list(omvarld.REQUIRED_KEYS + omvarld.OPTIONAL_KEYS), id="omvarld"),
    pytest.param(list(goals.KEYS + tuple(goals.LEVELS) + tuple(goals.INDICATORS) + goals.STATUSES) + ["status"],
                 id="goals"),
    pytest.param(list(organisation.KEYS + organisation.STAFF_KEYS + organisation.DEVIATION_KEYS), id="organisation"),
    pytest.param(list(matrices.COMMON_KEYS + matrices.KINDS) + [k for ks in matrices.KIND_KEYS.values() for k in ks],
                 id="matrices"),
    pytest.param(list(measurements.COLUMNS + measurements.INSTRUMENT_KEYS + measurements.APPLIES_TO)
                 + ["matningar.csv", "instrument.yaml", "min", "max"], id="measurements"),
    pytest.param(list(costs.KEYS + costs.ENTRY_KEYS + costs.PAYERS) + ["kostnader.yaml"], id="costs"),
    pytest.param(["tabell(", "[^id]", "bilder/figur.png", "min_cell", "--rapport", "--formats", "--jobs", "--force",
                  "--scheduler", "evaluation new", "evaluation template", "evaluation overview"], id="additions"),
])
def test_the_contract_names_everything_the_code_accepts(names):
    missing = [n for n in names if not quoted(n)]
    assert not missing


def test_readme_and_guide_link_the_contract_inside_the_repository():
    for doc in ("README.md", "docs/anvandarguide.md", "params/README.md"):
        text = (REPO / doc).read_text(encoding="utf-8")
        assert "indatakontrakt.md" in text, doc
        assert "../shared" not in text and "shared/spec" not in text, doc
    guide = (REPO / "docs" / "anvandarguide.md").read_text(encoding="utf-8")
    assert "## 2. Starta en ny insats" in guide and "evaluation new" in guide


def test_relative_links_in_the_docs_resolve():
    for doc in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = re.sub(r"```.*?```|`[^`]*`", "", doc.read_text(encoding="utf-8"), flags=re.DOTALL)
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            assert (doc.parent / target).exists(), (doc.name, target)


#: A word each numbered section of the Swedish contract is about, as the messages that point to it say it.
SUBJECTS = {1: ("param",), 2: ("regist",), 3: ("uppf",), 4: ("enkät",),
            5: ("organisation", "intervju", "matris", "omvärld", "text"), 8: ("disposition",),
            9: ("mätning", "instrument"), 10: ("kostnad",)}


def test_every_message_points_to_the_contract_section_it_is_about():
    headings = {int(n): title for n, title in re.findall(r"^## (\d+)\. (.+)$", CONTRACT, re.M)}
    pointer = re.compile(r"(?:indatakontrakt(?:et|\.md)?|datakontraktet),? ?(?:avsnitt|§) ?(\d+)")
    found = []
    for path in sorted((REPO / "evaluation").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            for section in map(int, pointer.findall(line)):
                near = " ".join(lines[max(0, number - 4):number + 1]).lower()
                found.append((path.name, section))
                assert section in headings, f"{path.name}:{number + 1} points to §{section}, which is not there"
                assert any(word in near for word in SUBJECTS[section]), \
                    f"{path.name}:{number + 1} points to §{section} ({headings[section]})"
    assert len(found) >= 10  # the pointers are found at all
