"""The omvärld library (data contract §5) and the ``omvarld`` section built from it.

The library is the folder ``omvarld/`` beside the ``params/`` folder (``params.omvarld_dir``),
one ``<id>.md`` per comparable project, shared by every report; ``omvarld: [id, ...]`` in a
report's parameters selects projects, in that order::

    ---
    namn: Unga på väg
    huvudman: Exempelby kommun                   # required
    finansiar: Samordningsförbundet Exempelby
    period: 2019-2021                            # required
    malgrupp: Unga vuxna som varken arbetar eller studerar   # required
    alder: 18-29
    resultat: 45 % till arbete eller studier
    kallor:                                      # required, at least one http(s) URL
      - https://example.org/unga-pa-vag
      - {url: https://example.org/slutrapport.pdf, titel: Slutrapport 2021}
    taggar: [unga, psykisk hälsa]
    ---
    Beskrivning i Markdown (rå HTML visas som text).

``namn``, ``huvudman``, ``period``, ``malgrupp`` and ``kallor`` are required; ``finansiar``,
``alder``, ``resultat`` and ``taggar`` are optional (shown as "Uppgift saknas"). The section
shows each project with its description and facts, footnote markers after the project's name
pointing to one source list numbered across the whole section (a URL used twice keeps its
number), and the comparison table ``omvarld_jamforelse``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pandas as pd

from evaluation.core import fonts, markup, pii
from evaluation.core.errors import InputError, Violation, cut_list, read_each
from evaluation.core.model import Heading, Section, Sources, Table, bullet_list, markdown, paragraph
from evaluation.core.model import Source as SourceItem
from evaluation.core.pii import quote
from evaluation.inputs import notices
from evaluation.inputs.checks import KeyChecker, check_front_matter
from evaluation.inputs.paths import files_ending, first_no_file, named_but_no_file, no_file_message, not_a_file
from evaluation.inputs.textread import read_markdown

if TYPE_CHECKING:
    from evaluation.inputs.params import ReportParams
    from evaluation.build.report import Report

REQUIRED_KEYS = ("namn", "huvudman", "period", "malgrupp", "kallor")
OPTIONAL_KEYS = ("finansiar", "alder", "resultat", "taggar")
MISSING = "Uppgift saknas"
#: Facts shown under each project: key -> Swedish label.
FACTS = {
    "huvudman": "Huvudman", "finansiar": "Finansiär", "period": "Period",
    "malgrupp": "Målgrupp", "alder": "Ålder", "resultat": "Resultat",
}
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$", re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    url: str
    titel: str = ""


@dataclass(frozen=True)
class Project:
    """One comparable project of the library."""

    id: str
    namn: str
    huvudman: str
    finansiar: str
    period: str
    malgrupp: str
    alder: str
    resultat: str
    kallor: tuple[Source, ...]
    taggar: tuple[str, ...]
    beskrivning: str  # Markdown


def valid_url(url: str) -> bool:
    """``http(s)://host.domain...`` without spaces.

    >>> valid_url("https://example.org/a?b=1"), valid_url("www.example.org"), valid_url("https://exa mple.org")
    (True, False, False)
    """
    if any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(_HOST.match(host))


def _sources(check: KeyChecker, meta: dict) -> tuple[Source, ...]:
    value = meta.get("kallor")
    if value in (None, "", []):
        check.add(("kallor",), "krävs men saknas; ange minst en källa som webbadress, t.ex. [https://example.org/projekt]")
        return ()
    items = value if isinstance(value, list) else [value]
    out = []
    for i, item in enumerate(items):
        keys = ("kallor", i)
        if isinstance(item, dict):
            entry = check.mapping(item, keys, ("url", "titel"), required=("url",))
            url = check.text(entry, keys + ("url",), required=False)
            title = check.text(entry, keys + ("titel",), required=False) or ""
        else:
            url, title = check.text({i: item}, keys), ""
        if url is None:
            continue
        if not valid_url(url):
            check.add(keys, f"{quote(url)} är ingen webbadress; skriv den fullständigt som http(s)://värd/sökväg, t.ex. https://example.org/projekt")
            continue
        out.append(Source(url, title))
    return tuple(out)


def load_project(path: Path) -> Project:
    """Read and validate one library file; every bad key is listed with its line."""
    path = Path(path)
    doc = read_markdown(path)
    check, meta = check_front_matter(doc, REQUIRED_KEYS + OPTIONAL_KEYS)
    texts = {"namn": check.text(meta, ("namn",))}
    texts.update({key: check.text(meta, (key,), required=key in REQUIRED_KEYS) for key in FACTS})
    sources = _sources(check, meta)
    tags = check.text_list(meta, ("taggar",))
    for problem in markup.problems(doc.body, images=False):  # the description: a text's rules, no pictures
        check.violations.append(Violation(None if problem.line is None else doc.body_first_line + problem.line,
                                          None, f"{problem.message}."))
    written = path.read_text(encoding="utf-8-sig")
    for problem in markup.template_problems(written):  # not a template: no variables
        check.violations.append(Violation(problem.line + 1, None, f"{problem.message}."))
    check.raise_if_any()
    notices.note(*fonts.unprintable(path, written))
    return Project(
        id=path.stem, namn=texts["namn"],
        **{key: texts[key] or MISSING for key in FACTS},
        kallor=sources, taggar=tuple(tags), beskrivning=doc.body.strip(),
    )


def library_files(folder: Path) -> dict[str, Path]:
    """The library's files by id (the file name without ``.md``, which may be written ``.MD``), sorted."""
    return {p.stem: p for p in files_ending(folder, (".md",))}


def load_selection(folder: Path, ids: list[str], params_file: Path | None = None) -> list[Project]:
    """The selected projects, in the order of ``ids``.

    Raises :class:`InputError` for an id that is not in the library (listing the ids that are)
    and :class:`~evaluation.core.errors.ValidationError` for a bad project file.
    """
    folder = Path(folder)
    where = f"{params_file}: nyckeln 'omvarld'" if params_file else "nyckeln 'omvarld'"
    if not folder.is_dir():
        what = ("är en fil" if folder.is_file() else f"finns, men är {not_a_file(folder)}" if named_but_no_file(folder)
                else "finns inte")
        raise InputError(
            f"{where}: parametrarna väljer omvärldsprojekt ({cut_list(quote(i) for i in ids)}), men biblioteksmappen "
            f"{folder} {what}. Skapa den bredvid mappen params, med en <id>.md per projekt, eller "
            "ta bort 'omvarld' ur parametrarna."
        )
    available = library_files(folder)
    unknown = [i for i in ids if i not in available]
    special = first_no_file(folder / f"{i}.md" for i in unknown)
    if special is not None:
        raise InputError(no_file_message(special, "projektets text"))
    if unknown:
        listed = cut_list(available) if available else "(inga: mappen har inga .md-filer)"
        raise InputError(
            f"{where}: projektet {cut_list(quote(u) for u in unknown)} finns inte i omvärldsbiblioteket {folder}. "
            f"Tillgängliga id: {listed}. Använd ett av dem eller lägg till <id>.md i biblioteket."
        )
    seen: set[str] = set()
    projects = read_each([available[i] for i in ids if not (i in seen or seen.add(i))], load_project)
    _refuse_split_over_names(projects, available)
    return projects


def _refuse_split_over_names(projects: list[Project], files: dict[str, Path]) -> None:
    """A personnummer split over two projects' names, which the section's first sentence lists
    side by side ("Ung väg 811218, -9876 Hälsolotsen"): each file alone passed. Never quoted."""
    for first, second in zip(projects, projects[1:]):
        if pii.holds_pnr(f"{first.namn}, {second.namn}", luhn=True):
            raise InputError(
                f"{files[first.id]} och {files[second.id]}: projektens namn står intill varandra i rapporten och blir "
                f"tillsammans något som ser ut som {pii.with_article(pii.PNR)} (namnen visas inte). Skriv inga "
                "personuppgifter, inte heller delade på två filer.")


def load_omvarld_input(params: "ReportParams", inputs: dict) -> list[Project] | None:
    """Loader for :data:`evaluation.sections.registry.LOADERS`; ``None`` when nothing is selected."""
    if not params.omvarld:
        return None
    return load_selection(params.omvarld_dir, list(params.omvarld), params.source)


# -- pure computations -----------------------------------------------------------------------

def comparison_table(projects: list[Project]) -> pd.DataFrame:
    """One row per project: ``id``, ``namn``, ``huvudman``, ``period``, ``malgrupp``, ``alder``, ``resultat``."""
    columns = ["id", "namn", "huvudman", "period", "malgrupp", "alder", "resultat"]
    return pd.DataFrame([{c: getattr(p, c) for c in columns} for p in projects], columns=columns)


def number_sources(projects: list[Project]) -> tuple[dict[str, list[int]], list[Source]]:
    """Footnote numbers per project id and the numbered source list, across all projects.

    A URL that several projects cite keeps its first number.

    >>> a = Project("a", "A", "", "", "", "", "", "", (Source("https://x.se/1"), Source("https://x.se/2")), (), "")
    >>> b = Project("b", "B", "", "", "", "", "", "", (Source("https://x.se/2"), Source("https://x.se/3")), (), "")
    >>> number_sources([a, b])[0]
    {'a': [1, 2], 'b': [2, 3]}
    """
    numbers: dict[str, int] = {}
    listed: list[Source] = []
    markers: dict[str, list[int]] = {}
    for project in projects:
        marks = []
        for source in project.kallor:
            if source.url not in numbers:
                listed.append(source)
                numbers[source.url] = len(listed)
            marks.append(numbers[source.url])
        markers[project.id] = marks
    return markers, listed


# -- report tables and section ---------------------------------------------------------------

def omvarld_tables(report: "Report") -> list[Table]:
    """Table ``omvarld_jamforelse`` (none when no project is selected)."""
    projects = report.inputs.get("omvarld")
    if not projects:
        return []
    return [Table(
        id="omvarld_jamforelse", title="Jämförbara insatser", frame=comparison_table(projects),
        columns={"namn": ("Insats", "text"), "huvudman": ("Huvudman", "text"), "period": ("Period", "text"),
                 "malgrupp": ("Målgrupp", "text"), "alder": ("Ålder", "text"), "resultat": ("Resultat", "text")},
        base="Uppgifter enligt insatsernas egna källor; se källförteckningen.",
    )]


#: The level a description's top heading gets: under the project's own heading (level 3).
DESCRIPTION_HEADING = 4


def project_blocks(project: Project, marks: list[int]) -> list:
    """A project's heading with footnote marks, its description and its facts."""
    blocks: list = [Heading(project.namn, 3, f"omvarld-{project.id}", tuple(marks), "omvarld-kalla")]
    if project.beskrivning:
        blocks.append(markdown(markup.shift_headings(project.beskrivning, DESCRIPTION_HEADING)))
    blocks.append(bullet_list(f"{label}: {getattr(project, key)}" for key, label in FACTS.items()))
    return blocks


def source_list(sources: list[Source]) -> Sources:
    """The numbered source list that the footnote marks point to."""
    return Sources(tuple(SourceItem(n, s.titel or "", s.url) for n, s in enumerate(sources, start=1)),
                   anchor="omvarld-kalla")


def omvarld_blocks(report: "Report") -> list:
    """The blocks of the omvärld section (empty when no project is selected)."""
    projects = report.inputs.get("omvarld")
    if not projects:
        return []
    markers, sources = number_sources(projects)
    names = ", ".join(p.namn for p in projects)
    blocks: list = [paragraph(
        f"Omvärldsbevakningen beskriver {len(projects)} jämförbara insatser: {names}. "
        "Siffror i upphöjd stil hänvisar till källförteckningen sist i avsnittet."
    )]
    blocks += [b for p in projects for b in project_blocks(p, markers[p.id])]
    blocks += [report.table_map["omvarld_jamforelse"], source_list(sources)]
    return blocks


def omvarld_section(report: "Report") -> Section | None:
    """Section ``omvarld``: the selected projects, a comparison table and the sources."""
    blocks = omvarld_blocks(report)
    if not blocks:
        return None
    return Section("omvarld", report.title_of("omvarld"), tuple(blocks))
