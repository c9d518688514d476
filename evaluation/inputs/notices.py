"""Notices: what the inputs hold that the report does not use, said out loud.

A notice (:class:`evaluation.core.errors.Notice`) is a warning, not an error: the report can be
made, but something was ignored or looks wrong. The checks here are pure functions that
return notices; the loaders hand theirs to the collector (:func:`note`) that
:class:`evaluation.build.report.Report` holds open while it loads and builds (the same pattern as
:func:`evaluation.inputs.textfiles.confined`), so no loader's signature changes.

What is checked:

- the register (``deltagare.csv``/``.xlsx``) a report type needs, with near matches when it is
  missing (:func:`missing_table_error`), and two versions of one table (:func:`single_table`);
- columns outside the contract and workbooks with several sheets (:func:`table_notices`);
- files and folders of the data folder that the report's sections never show
  (:func:`unused_inputs`);
- parameters that switch disclosure control off, ``min_cell`` 0 or 1 (:func:`disclosure_off`).

Never noticed: the scaffold's ``exempel/`` folder, hidden files (``.gitignore``) and Office
lock files (``~$...``).
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from evaluation.core import fmt, vocab
from evaluation.core.markup import IMAGE_SUFFIXES
from evaluation.core.collector import collecting, note  # noqa: F401 - the loaders' one import
from evaluation.core.errors import MAX_LISTED, InputError, Notice, cut_list, nearest, quote
from evaluation.inputs.files import TABLE_SUFFIXES, RawTable, normalise_header
from evaluation.inputs.paths import PASSED_OVER, named_but_no_file, no_file_message, not_a_file

#: Sections that show the participant register: a report with one of them needs a register.
REGISTER_SECTIONS = ("resultat", "deltagare", "delinsatser", "effekter", "trend")
#: The scaffold's example folder (:data:`evaluation.tools.scaffold.EXAMPLES`): never read, never noticed.
EXAMPLES = "exempel"
#: The sheet of instructions in our own Excel templates (:data:`evaluation.tools.workbooks.INSTRUCTIONS`).
INSTRUCTIONS_SHEET = "Instruktioner"
#: Suffixes of files that look like a table someone meant as input (for near matches).
TABLE_LIKE = (*TABLE_SUFFIXES, ".xls", ".xlsm", ".ods", ".tsv", ".txt")



# -- finding a table ------------------------------------------------------------------------------
def _listing(folder: Path) -> list[str]:
    """Names in ``folder`` (empty when it is not a folder)."""
    folder = Path(folder)
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def single_table(folder: Path, stem: str) -> Path | None:
    """``folder/stem.csv`` or ``folder/stem.xlsx``; both at once is an error naming both."""
    folder = Path(folder)
    candidates = [folder / f"{stem}{suffix}" for suffix in TABLE_SUFFIXES]
    for path in candidates:
        if named_but_no_file(path):
            raise InputError(no_file_message(path, "tabellen"))
    found = [path for path in candidates if path.is_file()]
    if len(found) > 1:
        raise InputError(
            f"{folder}: både {found[0].name} och {found[1].name} finns, och bara en av dem kan läsas "
            f"({found[0]} och {found[1]}). Behåll den fil som gäller och flytta bort eller ta bort "
            "den andra, och kör igen."
        )
    return found[0] if found else None


def near_matches(names: Iterable[str], stem: str) -> list[str]:
    """Names that look like ``stem`` as a table but are not read: other case, other suffix,
    a longer or misspelt name (``Deltagare.CSV``, ``deltagare.xls``, ``deltagarregister.csv``).

    >>> near_matches(["Deltagare.CSV", "deltagarregister.csv", "deltagare.xls", "mal.yaml", "deltagare.csv"], "deltagare")
    ['Deltagare.CSV', 'deltagare.xls', 'deltagarregister.csv']
    """
    exact = {f"{stem}{suffix}" for suffix in TABLE_SUFFIXES}
    out = []
    for name in names:
        if name in exact or name.startswith(PASSED_OVER):
            continue
        path = Path(name)
        if path.suffix.lower() not in TABLE_LIKE:
            continue
        base = normalise_header(path.stem)
        prefix = stem[: max(len(stem) - 1, 4)]
        if (stem in base or base.startswith(prefix)
                or difflib.SequenceMatcher(None, base, stem).ratio() >= 0.75):
            out.append(name)
    return sorted(out, key=str.lower)


def missing_table_error(folder: Path, stem: str, what: str, why: str) -> InputError:
    """The error for a required table that is missing, listing near matches in ``folder``."""
    folder = Path(folder)
    close = near_matches(_listing(folder), stem)
    message = (f"{folder}: {what} saknas: varken {stem}.csv eller {stem}.xlsx finns i mappen. {why}")
    if close:
        message += (f" Filer med liknande namn som inte läses: {cut_list(close)}. Byt namn på den som är "
                    f"{what} till exakt {stem}.csv eller {stem}.xlsx (små bokstäver; en .xls-fil sparas "
                    "om som .xlsx i Excel).")
    else:
        message += f" Lägg {what} i mappen som {stem}.csv eller {stem}.xlsx (se docs/indatakontrakt.md)."
    return InputError(message)


def register_sections(section_ids: Iterable[str]) -> list[str]:
    """The sections among ``section_ids`` that show the register."""
    return [s for s in section_ids if s in REGISTER_SECTIONS]


def find_register(data: Path, section_ids: Iterable[str], report_type: str) -> Path | None:
    """The register file; an error when it is needed and missing, or given twice."""
    path = single_table(data, "deltagare")
    shown = register_sections(section_ids)
    if path is None and shown:
        titles = ", ".join(f"'{vocab.TITLES[s]}'" for s in shown)
        raise missing_table_error(data, "deltagare", "deltagarregistret", (
            f"Rapporttypen {report_type} visar {'avsnitten' if len(shown) > 1 else 'avsnittet'} {titles}, "
            "som bygger på registret."
            " Utan registret kan rapporten inte tas fram (vill du inte ha avsnitten, välj dem bort "
            "med 'sektioner' i parameterfilen)."
        ))
    return path


# -- what a table holds that is not read ----------------------------------------------------------
def table_notices(raw: RawTable, known: Iterable[str], what: str) -> list[Notice]:
    """Columns outside the contract (ignored) and the sheet read from a workbook with several.

    ``known`` are the contract's column ids (normalised), ``what`` names the file's kind in
    Swedish ("deltagarregistret"). A workbook's second sheet ``Instruktioner`` (our template's)
    is expected and not noticed.
    """
    known = tuple(known)
    out = []
    unknown = [c for c in raw.frame.columns if c not in known]
    if unknown:
        shown = []
        for column in unknown[:MAX_LISTED]:  # the rest are counted: a file may have thousands
            name = quote(raw.original_headers.get(column, column))
            near = nearest(column, known, 0.75)
            shown.append(f"{name} (menade du {quote(near)}?)" if near is not None else name)
        shown += [""] * (len(unknown) - len(shown))
        which = "Kolumnen" if len(unknown) == 1 else "Kolumnerna"
        out.append(Notice(raw.path, 1, (
            f"{which} {cut_list(shown)} finns inte i datakontraktet för {what} och lästes inte. "
            f"Rätta rubriken om den är felstavad, annars kan kolumnen tas bort. Kontraktets kolumner: "
            f"{', '.join(known)}."
        )))
    return out + sheet_notices(raw, what)


def sheet_notices(raw: RawTable, what: str) -> list[Notice]:
    """A workbook with several sheets: which one was read (our templates' ``Instruktioner`` aside);
    rows the sheet hides in Excel: that they were read."""
    sheets = tuple(getattr(raw, "sheets", ()) or ())
    others = [s for s in sheets[1:] if s != INSTRUCTIONS_SHEET]
    hidden = getattr(raw, "hidden_rows", 0)
    out = [Notice(raw.path, None, (
        f"arbetsboken har {len(sheets)} blad; bara det första, {quote(sheets[0])}, lästes "
        f"(inte {cut_list(quote(s) for s in others)}). Lägg {what} på första bladet, eller ta "
        "bort bladen som inte hör dit."
    ))] if others else []
    if hidden:
        out.append(Notice(raw.path, None, (
            f"{fmt.plural(hidden, 'rad', 'rader')} på bladet {'är dold' if hidden == 1 else 'är dolda'} i Excel (för hand, "
            "eller av ett filter som står kvar); de läses och räknas som alla andra rader. Ska de inte med, ta "
            "bort dem ur filen.")))
    return out


# -- the data folder: what the report never shows ----------------------------------------------------
#: Inputs of the data folder, and the sections that show them. Those marked with texts also give
#: text variables (``{{ antal.deltagare }}``), so a report with texts uses them.
_FILES: dict[str, tuple[tuple[str, ...], bool]] = {
    "deltagare": (REGISTER_SECTIONS + ("uppgifter", "underskrift", "mal"), True),
    "uppfoljning": (("resultat", "effekter", "mal"), True),
    "mal": (("mal",), True),
    "organisation": (("organisation", "uppgifter", "resurser", "avvikelser", "underskrift"), False),
    "matningar": (("matningar", "samverkan"), True),
    "instrument": (("matningar", "samverkan"), False),
    "kostnader": (("samhallsnytta",), False),
}
_FOLDERS: dict[str, tuple[tuple[str, ...], bool, tuple[str, ...]]] = {
    # folder: (sections, gives text variables, suffixes of the files it reads)
    "enkater": (("enkater", "mal"), True, (".yaml", ".yml", *TABLE_SUFFIXES)),
    "intervjuer": (("intervjuer",), False, (".md",)),
    "matriser": (("matriser",), False, (".yaml", ".yml")),
    "texter": ((), False, (".md", ".docx")),  # a text in Markdown or Word
    "bilder": ((), False, ()),
}
_FILE_NAMES = {
    "deltagare": tuple(f"deltagare{s}" for s in TABLE_SUFFIXES),
    "uppfoljning": tuple(f"uppfoljning{s}" for s in TABLE_SUFFIXES),
    "mal": ("mal.yaml", "mal.yml"),
    "organisation": ("organisation.yaml",),
    "matningar": tuple(f"matningar{s}" for s in TABLE_SUFFIXES),
    "instrument": ("instrument.yaml",),
    "kostnader": ("kostnader.yaml",),
}


def _ignored(name: str) -> bool:
    return name.startswith(PASSED_OVER) or name == EXAMPLES


def _sections_words(ids: Iterable[str]) -> str:
    return cut_list(quote(i) for i in ids)


def unused_inputs(data: Path, listing: Mapping[str, tuple[str, ...] | None], section_ids: Iterable[str],
                  report_type: str, text_names: Iterable[str] = (), outline: bool = False) -> list[Notice]:
    """Notices for what the data folder holds that the report never shows.

    ``listing`` maps each name at the top of the data folder to the names inside it (a
    folder) or ``None`` (a file). An input is unused when none of the sections that show it
    is in the report; inputs that also give text variables count as used when the report has
    texts. Unknown files and folders, and files an input folder does not read, are noticed
    too. ``exempel/``, hidden files and lock files never are. A text of a section the report
    leaves out is not noticed: one data folder often serves several report types (the demo's
    ``ungkraft`` has an annual report and a final report), each showing its own texts.
    ``text_names`` are further texts the report shows (those its outline names); ``outline``:
    the sections come from the parameters' ``disposition``.
    """
    data = Path(data)
    sections = list(section_ids)
    texts = [n for n in (listing.get("texter") or ()) if n.lower().endswith((".md", ".docx")) and not _ignored(n)]
    has_texts = any(Path(n).stem in sections or Path(n).stem in text_names for n in texts)
    out: list[Notice] = []

    def unused(path: Path, shown_in: tuple[str, ...]) -> Notice:
        where = (f"den visas bara i avsnitten {_sections_words(shown_in)}" if len(shown_in) > 1
                 else f"den visas bara i avsnittet '{shown_in[0]}'")
        if outline:
            return Notice(path, None, (
                f"används inte i rapporten: {where}, och dispositionen tar inte med något av dem "
                f"(avsnitt: {', '.join(sections) or 'inga'}). Lägg till 'avsnitt: <id>' i dispositionen, "
                f"eller flytta {path.name} till mappen {EXAMPLES}/ (som aldrig läses)."
            ))
        return Notice(path, None, (
            f"används inte i rapporten: {where}, och inget av dem ingår i rapporttypen {report_type} "
            f"(avsnitt: {', '.join(sections)}). Lägg till avsnittet med 'sektioner' i parameterfilen, "
            f"eller flytta {path.name} till mappen {EXAMPLES}/ (som aldrig läses)."
        ))

    known_files = {name: key for key, names in _FILE_NAMES.items() for name in names}
    for name, inside in sorted(listing.items()):
        if _ignored(name):
            continue
        path = data / name
        if inside is None and Path(name).suffix.lower() in IMAGE_SUFFIXES:
            continue  # a picture is read when a text shows it, from here as from bilder/
        if inside is None:  # a file
            key = known_files.get(name)
            if key is None:
                out.append(Notice(path, None, (
                    "okänd fil i datamappen; den läses inte. Datamappens filer är "
                    f"{', '.join(n for names in _FILE_NAMES.values() for n in names)} och mapparna "
                    f"{', '.join(f + '/' for f in _FOLDERS)}. Rätta namnet (se docs/indatakontrakt.md) "
                    f"eller flytta filen till {EXAMPLES}/."
                )))
                continue
            shown_in, variables = _FILES[key]
            if not any(s in sections for s in shown_in) and not (variables and has_texts):
                out.append(unused(path, shown_in))
            continue
        if name not in _FOLDERS:
            out.append(Notice(path, None, (
                f"okänd mapp i datamappen; den läses inte. Mapparna som läses är "
                f"{', '.join(f + '/' for f in _FOLDERS)}. Rätta namnet eller flytta mappen till {EXAMPLES}/."
            )))
            continue
        shown_in, variables, suffixes = _FOLDERS[name]
        entries = [n for n in inside if not _ignored(n)]
        if shown_in and entries and not any(s in sections for s in shown_in) and not (variables and has_texts):
            out.append(unused(path, shown_in))
            continue
        if suffixes:
            for entry in entries:
                if Path(entry).suffix.lower() not in suffixes:
                    out.append(Notice(path / entry, None, (
                        f"läses inte: mappen {name}/ läser bara filer som slutar på {', '.join(suffixes)}. "
                        f"Rätta filens namn, eller flytta den till {EXAMPLES}/."
                    )))
    return out


def folder_listing(data: Path) -> dict[str, tuple[str, ...] | None]:
    """The data folder's names: a folder maps to the names inside it, a file to ``None``. A name
    that is no file where one is read (:func:`entry_notices`) is left out."""
    data = Path(data)
    out: dict[str, tuple[str, ...] | None] = {}
    for path in sorted(data.iterdir()) if data.is_dir() else ():
        if path.is_dir():
            out[path.name] = tuple(sorted(p.name for p in path.iterdir() if not _unreadable(p, path.name)))
        elif not _unreadable(path):
            out[path.name] = None
    return out


def _unreadable(path: Path, folder: str | None = None) -> bool:
    """Whether ``path`` (in the input folder ``folder``, or at the top of the data folder) is where
    an input would be read from, but is no file: a broken link, a pipe, or a folder named as a file."""
    if folder is None:
        return not path.is_dir() and not path.is_file()
    suffixes = _FOLDERS.get(folder, ((), False, ()))[2]
    return path.suffix.lower() in suffixes and not path.is_file()


def data_entries(data: Path) -> Iterator[tuple[Path, str | None]]:
    """Each name at the top of the data folder, and in its input folders: ``(path, folder)``,
    ``folder`` ``None`` at the top. Hidden names, lock files and ``exempel/`` are passed over."""
    for path in sorted(data.iterdir()) if data.is_dir() else ():
        if _ignored(path.name):
            continue
        yield path, None
        if path.is_dir() and path.name in _FOLDERS:
            yield from ((p, path.name) for p in sorted(path.iterdir()) if not _ignored(p.name))


def entry_notices(data: Path) -> list[Notice]:
    """Notices for the data folder's names themselves: one an input would be read from that is no
    file (:func:`_unreadable`). A name that holds personal data is an error
    (:func:`evaluation.inputs.pathnames.data_name_errors`)."""
    found = []
    for path, folder in data_entries(Path(data)):
        if _unreadable(path, folder):
            found.append(Notice(path, None, f"finns, men är {not_a_file(path)}, och läses inte. Lägg en vanlig fil "
                                            "där, eller ta bort det."))
    return found


# -- disclosure ---------------------------------------------------------------------------------------
#: The one warning of a report whose parameters switch disclosure control off (``min_cell`` 0 or 1).
DISCLOSURE_OFF = (
    "min_cell är {min_cell}: små antal (1 och 2) visas i rapportens tabeller, texter, diagram och mål, så "
    "enskilda personer kan gå att identifiera. Statistikmyndigheter som SCB och Socialstyrelsen publicerar "
    "inte så små antal. Ta bort raden (då gäller min_cell: {default}) innan rapporten lämnas ut."
)


def disclosure_off(params) -> list[Notice]:
    """One notice when the parameters set ``min_cell`` below 2 (no protection), or above
    :data:`HIGH_MIN_CELL` (most of the report hidden: a typo, often), naming the line.

    ``min_cell`` defaults to 3, so a value below 2 was written on purpose; ``validate`` and
    ``render`` still say once per report that persons may be identifiable.
    """
    from evaluation.inputs.params import DEFAULT_MIN_CELL, key_line

    if 2 <= params.min_cell <= HIGH_MIN_CELL:
        return []
    source, line = params.source, key_line(params.source, "min_cell")
    said = DISCLOSURE_OFF if params.min_cell < 2 else DISCLOSURE_HIGH
    return [Notice(source or "parametrar", line, said.format(min_cell=params.min_cell, below=params.min_cell - 1,
                                                             default=DEFAULT_MIN_CELL))]


#: Above this ``min_cell`` hides most counts of an insats's report (SCB and Socialstyrelsen use 3–5).
HIGH_MIN_CELL = 10
DISCLOSURE_HIGH = (
    "min_cell är {min_cell}: varje antal från 1 till {below} döljs, i tabeller, texter, diagram och mål, "
    "så det mesta av en insats siffror visas inte. Statistikmyndigheter som SCB och Socialstyrelsen döljer antal "
    "under 3 till 5. Skriv ett lägre värde, eller ta bort raden (då gäller min_cell: {default})."
)
