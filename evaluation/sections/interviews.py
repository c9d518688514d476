"""Interviews (data contract §5): ``<data>/intervjuer/*.md``, their tables and their section.

One Markdown file per interview. The front matter describes the interview, the body holds the
evaluator's notes under ``## <tema>`` headings, with verbatim quotes as ``> `` lines::

    ---
    datum: 2024-03-12
    roll: deltagare          # deltagare | personal | samverkanspart | styrgrupp | arbetsgivare
    kon: kvinna              # optional: kvinna | man | annat | okänt (left out = okänt)
    form: fysisk             # fysisk | digital | telefon
    langd_min: 35
    intervjuare: Namn Efternamn   # optional; never shown in a report
    ---
    ## Bemötande
    Anteckningar (visas aldrig i rapporten).
    > Jag blev lyssnad på för första gången.

What reaches a report is only aggregated: counts per role, gender and form, the median length
and the date range (table ``intervjuer_metod``), which themes came up for which roles (table
``intervjuer_teman``) and the quotes, grouped per theme and attributed only as role and gender
("Deltagare, kvinna"; role alone when the gender is ``annat``, ``okänt`` or left out, so that a
rare answer cannot point out a person).

Small groups (:func:`anonymity_threshold`: ``min_cell``, or 3 when ``min_cell`` is 0 or 1): a
role with fewer interviewees than the threshold shows only its number of interviews; its gender,
form, median length and dates are left empty, and so are those of the ``Totalt`` row unless the
roles left empty together have at least the threshold (else Totalt minus the shown roles would
give them back). A quote names its role only when the role has at least the threshold of
interviewees (else "Intervjuperson", see :func:`named_roles`), and carries the gender only when
every gender group of its role is empty or at least the threshold, so no attribution, and no "role only" attribution by elimination,
points to fewer people than that. File names, interviewers, dates of single interviews and
the paragraphs of the notes never reach the HTML. A report uses the interviews whose ``datum``
falls in its period.

Front matter is checked key by key with :class:`evaluation.inputs.checks.KeyChecker`.

Longer than 400 lines: loader, method and theme tables and the quotes section of one input; the quote rules (roles gated by min_cell) read best next to the tables they depend on.
"""
from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from evaluation.core import fmt, fonts, markup, names, vocab
from evaluation.core import model
from evaluation.core.errors import Notice, Violation, read_each
from evaluation.core.pii import quote
from evaluation.core.model import Section, Table, heading, paragraph
from evaluation.inputs import notices
from evaluation.inputs.checks import check_front_matter
from evaluation.inputs.paths import files_ending
from evaluation.inputs.textread import read_markdown

if TYPE_CHECKING:
    from evaluation.inputs.params import ReportParams
    from evaluation.build.report import Report

#: Contract code -> Swedish label, in the order tables show them.
ROLES = {
    "deltagare": "Deltagare",
    "personal": "Personal",
    "samverkanspart": "Samverkanspart",
    "styrgrupp": "Styrgrupp",
    "arbetsgivare": "Arbetsgivare",
}
#: Allowed ``kon`` values. ``annat`` and ``okänt`` are counted together and never shown per quote.
GENDERS = ("kvinna", "man", "annat", "okänt")
GENDER_ALIASES = {"okant": "okänt", "annat/okänt": "okänt", "annat/okant": "okänt"}
UNKNOWN_GENDER = "okänt"
FORMS = {"fysisk": "Fysisk", "digital": "Digital", "telefon": "Telefon"}

REQUIRED_KEYS = ("datum", "roll", "form", "langd_min")
OPTIONAL_KEYS = ("kon", "intervjuare")
#: Smallest group whose gender, form, length and dates are shown when ``min_cell`` is 0 or 1.
DEFAULT_ANONYMITY = 3
#: A quote that stands before the first ``## <tema>`` heading is listed under this theme.
NO_THEME = "Övrigt"


@dataclass(frozen=True)
class Quote:
    theme: str
    text: str


@dataclass(frozen=True)
class Interview:
    """A validated interview. ``source`` and ``intervjuare`` are kept for audit, never shown."""

    source: Path
    datum: dt.date
    roll: str
    kon: str
    form: str
    langd_min: float
    intervjuare: str
    themes: tuple[str, ...]
    quotes: tuple[Quote, ...]


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _theme(stripped: str) -> str | None:
    """The theme a (stripped) line names when it is a ``## <tema>`` heading (``##`` and a tab too)."""
    match = _HEADING.match(stripped)
    return " ".join(match.group(2).split()) if match and len(match.group(1)) == 2 and match.group(2) else None


def published(text: str) -> str:
    """``text`` with only the lines a report shows kept, the quotes and the theme headings outside a
    code fence; the others (notes) blank, so that a line keeps its number. What is checked as shown
    (template syntax, Markdown, characters) is what :func:`parse_body` publishes.

    >>> published("## Stöd\\nnotes {{ x }}\\n> Bra.\\n```\\n> kod\\n```\\n##\\tTema")
    '## Stöd\\n\\n> Bra.\\n\\n\\n\\n##\\tTema'
    """
    lines, fenced = text.split("\n"), False
    for number, line in enumerate(lines):
        fence = bool(_FENCE.match(line))
        fenced ^= fence
        stripped = line.strip()
        if fence or fenced or not (stripped.startswith(">") or _theme(stripped)):
            lines[number] = ""
    return "\n".join(lines)


def parse_body(body: str) -> tuple[tuple[str, ...], tuple[Quote, ...]]:
    """Themes (``## `` headings, in order) and quotes (runs of ``> `` lines) of an interview body.

    Paragraphs are notes and are dropped; deeper headings belong to the theme above them.

    >>> parse_body("## Stöd\\nnotes\\n> Bra\\n> stöd.\\n")
    (('Stöd',), (Quote(theme='Stöd', text='Bra stöd.'),))
    """
    themes: list[str] = []
    quotes: list[Quote] = []
    theme, current, fenced = None, [], False

    def close() -> None:
        text = " ".join(" ".join(current).split())
        if text:
            quotes.append(Quote(theme or NO_THEME, text))
        current.clear()

    for line in body.splitlines():
        if _FENCE.match(line):
            close()
            fenced = not fenced
            continue
        if fenced:
            continue
        stripped = line.strip()
        if stripped.startswith(">"):
            current.append(stripped.lstrip(">").strip())
            continue
        close()
        if named := _theme(stripped):
            theme = named
            if theme not in themes:
                themes.append(theme)
    close()
    if any(q.theme == NO_THEME for q in quotes) and NO_THEME not in themes:
        themes.append(NO_THEME)
    return tuple(themes), tuple(quotes)


def load_interview(path: Path) -> Interview:
    """Read and validate one interview file; every bad key is listed with its line."""
    doc = read_markdown(path)
    check, meta = check_front_matter(doc, REQUIRED_KEYS + OPTIONAL_KEYS)
    datum = check.date(meta, ("datum",))
    roll = check.choice(meta, ("roll",), tuple(ROLES))
    kon = check.choice(meta, ("kon",), GENDERS, GENDER_ALIASES, required=False) or UNKNOWN_GENDER
    form = check.choice(meta, ("form",), tuple(FORMS))
    length = check.number(meta, ("langd_min",), 1, 24 * 60)  # minutes; no interview lasts a day
    interviewer = check.text(meta, ("intervjuare",), required=False) or ""
    shown = published(Path(path).read_text(encoding="utf-8-sig"))  # only quotes and themes reach the report
    for problem in markup.template_problems(shown):  # an interview is no template: shown as typed
        check.violations.append(Violation(problem.line + 1, None, f"{problem.message}."))
    check.raise_if_any()
    notices.note(*fonts.unprintable(path, shown))
    notices.note(*(Notice(path, problem.line + 1, f"{quote(problem.written)} visas som det står skrivet: ett citat "
                          "eller tema återges utan Markdown. Skriv orden utan tecknen.")
                   for problem in markup.typed_markdown(shown)))
    notices.note(*(Notice(path, line, "raden ser ut att nämna någon med för- och efternamn (namnet visas inte här). "
                          "Ett citat återges som det sades: skriv en roll i stället (\"min handläggare\") eller ta "
                          "bort namnet.") for line in names.name_lines(shown)))
    themes, quotes = parse_body(doc.body)
    return Interview(Path(path), datum, roll, kon, form, length, interviewer, themes, quotes)


def load_interviews(folder: Path) -> list[Interview] | None:
    """Every ``*.md`` (or ``.MD``) in ``folder``, by date then file name; ``None`` when there are none.
    Hidden files and Office lock files (``~$...``) are passed over, as everywhere."""
    folder = Path(folder)
    if not folder.is_dir():
        return None
    paths = files_ending(folder, (".md",))
    if not paths:
        return None
    return sorted(read_each(paths, load_interview), key=lambda i: (i.datum, i.source.name))


def load_interviews_input(params: "ReportParams", inputs: dict) -> list[Interview] | None:
    """Loader for :data:`evaluation.sections.registry.LOADERS`: ``<data>/intervjuer/``."""
    return load_interviews(Path(params.data) / "intervjuer")


# -- pure computations -----------------------------------------------------------------------

def in_window(interviews, start: dt.date, end: dt.date) -> list[Interview]:
    """The interviews held from ``start`` to ``end`` (both days included)."""
    return [i for i in interviews or () if start <= i.datum <= end]


def anonymity_threshold(min_cell: int) -> int:
    """The smallest group of interviewees whose details are shown: ``min_cell``, or
    :data:`DEFAULT_ANONYMITY` (3) when ``min_cell`` is 0 or 1 (no count suppression).

    >>> anonymity_threshold(0), anonymity_threshold(5)
    (3, 5)
    """
    return min_cell if min_cell > 1 else DEFAULT_ANONYMITY


def _gender_group(kon: str) -> str:
    return kon if kon in ("kvinna", "man") else UNKNOWN_GENDER


def roles_with_gender(interviews: list[Interview], threshold: int = DEFAULT_ANONYMITY) -> set[str]:
    """Roles whose quotes may carry the gender: every gender group of the role is at least
    ``threshold`` (groups: ``kvinna``, ``man``, and ``annat``/``okänt`` together)."""
    out = set()
    for code in ROLES:
        groups = [_gender_group(i.kon) for i in interviews if i.roll == code]
        if groups and all(groups.count(g) >= threshold for g in set(groups)):
            out.add(code)
    return out


#: Attribution of a quote whose role has too few interviewees to be named.
NEUTRAL = "Intervjuperson"


def named_roles(interviews: list[Interview], threshold: int = DEFAULT_ANONYMITY) -> set[str]:
    """Roles a quote may name: those with at least ``threshold`` interviewees. The others are
    attributed :data:`NEUTRAL`; when those together are fewer than ``threshold``, the smallest
    named roles join them (like secondary suppression), so that a neutral quote cannot point,
    by elimination, to fewer people than that.

    >>> i = lambda roll: Interview(Path("x.md"), dt.date(2024, 1, 1), roll, "kvinna", "fysisk", 30, "", (), ())
    >>> sorted(named_roles([i("deltagare")] * 4 + [i("personal")] * 3 + [i("styrgrupp")], 3))
    ['deltagare']
    """
    sizes = {code: sum(i.roll == code for i in interviews) for code in ROLES}
    named = {code for code, n in sizes.items() if n >= threshold}
    pooled = sum(n for code, n in sizes.items() if code not in named)
    while 0 < pooled < threshold and named:
        smallest = min(named, key=lambda code: (sizes[code], code))
        named.discard(smallest)
        pooled += sizes[smallest]
    return named


def attribution(interview: Interview, with_gender: bool = True, with_role: bool = True) -> str:
    """How a quote is attributed: role, and gender when it is ``kvinna`` or ``man`` and
    ``with_gender`` (see :func:`roles_with_gender`).

    >>> attribution(Interview(Path("x.md"), dt.date(2024, 1, 1), "deltagare", "kvinna", "fysisk", 30, "", (), ()))
    'Deltagare, kvinna'
    """
    if not with_role:
        return NEUTRAL
    label = ROLES[interview.roll]
    return f"{label}, {interview.kon}" if with_gender and interview.kon in ("kvinna", "man") else label


_DETAILS = ("kvinna", "man", "annat_okant", *FORMS, "median_min", "forsta_datum", "sista_datum")


def _method_row(label: str, group: list[Interview], shown: bool = True) -> dict:
    genders = [i.kon for i in group]
    row = {
        "roll": label,
        "antal": len(group),
        "kvinna": genders.count("kvinna"),
        "man": genders.count("man"),
        "annat_okant": sum(g in ("annat", "okänt") for g in genders),
        **{form: sum(i.form == form for i in group) for form in FORMS},
        "median_min": float(statistics.median(i.langd_min for i in group)),
        "forsta_datum": min(i.datum for i in group),
        "sista_datum": max(i.datum for i in group),
    }
    # left out: marked hidden (vocab.MARK) by method_table, as every hidden cell of the report
    return row if shown else {**row, **{column: None for column in _DETAILS}}


#: The splits of the interviews shown as a whole: by gender and by form.
_SPLITS = (("kvinna", "man", "annat_okant"), tuple(FORMS))


def _blank_small_splits(rows: list[dict], threshold: int) -> None:
    """Leave a row's split by gender (or form) empty when a part of it is 1 … ``threshold`` − 1:
    the number of interviews stays, and no small group of interviewees is shown. ``Totalt`` (the
    last row) is left empty too when the roles left empty together have such a small part, as
    Totalt minus the shown roles would give it."""
    *roles, total = rows
    for columns in _SPLITS:
        for row in roles:
            if row[columns[0]] is not None and any(0 < row[c] < threshold for c in columns):
                row.update({c: None for c in columns})
        if total[columns[0]] is None:
            continue
        rest = [total[c] - sum(r[c] for r in roles if r[c] is not None) for c in columns]
        if any(0 < total[c] < threshold for c in columns) or any(0 < v < threshold for v in rest):
            total.update({c: None for c in columns})


def method_table(interviews: list[Interview], threshold: int = DEFAULT_ANONYMITY, small_splits: bool = True) -> pd.DataFrame:
    """How the interviews were made: one row per role present, then ``Totalt``.

    Columns: ``roll`` (Swedish label), ``antal`` interviews; by the interviewee's gender
    ``kvinna``, ``man``, ``annat_okant`` (``annat`` or ``okänt``/not given); by form ``fysisk``,
    ``digital``, ``telefon``; ``median_min`` the median length in minutes; ``forsta_datum`` and
    ``sista_datum`` the first and last interview date. A role with fewer than ``threshold``
    interviews has only ``antal``; the other cells are hidden, ``..`` (:data:`evaluation.core.vocab.MARK`,
    as every hidden cell of the report: ``–`` means "does not apply"). So are ``Totalt``'s when the
    roles left empty have together 1 … ``threshold`` − 1 interviews. Without ``small_splits``
    (a report with ``min_cell``) a split by gender or form with a part under ``threshold`` is
    hidden too (:func:`_blank_small_splits`).
    """
    groups = [(label, [i for i in interviews if i.roll == code]) for code, label in ROLES.items()]
    groups = [(label, group) for label, group in groups if group]
    rows = [_method_row(label, group, len(group) >= threshold) for label, group in groups]
    left_out = sum(len(group) for _, group in groups if len(group) < threshold)
    rows.append(_method_row("Totalt", list(interviews), left_out == 0 or left_out >= threshold))
    if not small_splits:  # disclosure control (min_cell): no split with a small part
        _blank_small_splits(rows, threshold)
    for row in rows:
        row.update({c: vocab.MARK for c in _DETAILS if row[c] is None})
    frame = pd.DataFrame(rows)
    if any(row[c] == vocab.MARK for row in rows for c in _DETAILS):  # keep whole numbers whole
        for column in _DETAILS:
            frame[column] = pd.Series([row[column] for row in rows], dtype=object)
    return frame


def _theme_key(theme: str) -> str:
    return " ".join(theme.casefold().split())


def themes_in_order(interviews: list[Interview]) -> dict[str, str]:
    """Theme key → label as first written, in the order the themes first appear."""
    out: dict[str, str] = {}
    for interview in interviews:
        for theme in interview.themes:
            out.setdefault(_theme_key(theme), theme)
    return out


#: The column of the theme table that pools the roles a quote does not name (:func:`named_roles`).
OTHER_ROLES = "ovriga"


def theme_table(interviews: list[Interview], threshold: int = DEFAULT_ANONYMITY) -> pd.DataFrame:
    """Which themes came up for which roles.

    One row per theme (``tema``), one column per role a quote names (:func:`named_roles`; contract
    codes: ``deltagare``, ``personal``, ...) counting the interviews in that role that have the
    theme, :data:`OTHER_ROLES` for the other roles together (only beside a named role), and
    ``totalt``. A column per small role would undo the quotes' neutral attribution: a theme
    counted once, for the one styrgrupp interviewee, tells whose its "Intervjuperson" quote is.

    >>> i = lambda roll, theme: Interview(Path("x.md"), dt.date(2024, 1, 1), roll, "kvinna", "fysisk", 30, "", (theme,), ())
    >>> theme_table([i("deltagare", "Stöd")] * 3 + [i("styrgrupp", "Styrning")], 3).to_dict("records")
    [{'tema': 'Stöd', 'totalt': 3}, {'tema': 'Styrning', 'totalt': 1}]
    >>> list(theme_table([i("deltagare", "Stöd")] * 4 + [i("personal", "Stöd")] * 3 + [i("styrgrupp", "Stöd")], 3))
    ['tema', 'deltagare', 'ovriga', 'totalt']
    """
    named = named_roles(interviews, threshold)
    roles = [code for code in ROLES if code in named]
    pooled = [OTHER_ROLES] if roles and any(i.roll not in named for i in interviews) else []
    rows = []
    for key, label in themes_in_order(interviews).items():
        having = [i for i in interviews if key in {_theme_key(t) for t in i.themes}]
        row = {"tema": label, **{code: sum(i.roll == code for i in having) for code in roles}}
        if pooled:
            row[OTHER_ROLES] = sum(i.roll not in named for i in having)
        row["totalt"] = len(having)
        rows.append(row)
    return pd.DataFrame(rows, columns=["tema", *roles, *pooled, "totalt"])


def quotes_by_theme(interviews: list[Interview], threshold: int = DEFAULT_ANONYMITY) -> list[tuple[str, list[tuple[str, str]]]]:
    """``[(theme, [(attribution, quote), ...]), ...]`` for the themes that have quotes.

    The role is named only for :func:`named_roles` (else :data:`NEUTRAL`), the gender only for
    :func:`roles_with_gender` among those.
    """
    named = named_roles(interviews, threshold)
    gendered = roles_with_gender(interviews, threshold) & named
    grouped: dict[str, list[tuple[str, str]]] = {key: [] for key in themes_in_order(interviews)}
    for interview in interviews:
        for quote in interview.quotes:
            grouped[_theme_key(quote.theme)].append(
                (attribution(interview, interview.roll in gendered, interview.roll in named), quote.text))
    labels = themes_in_order(interviews)
    return [(labels[key], items) for key, items in grouped.items() if items]


def quote_note(grouped: list[tuple[str, list[tuple[str, str]]]], threshold: int) -> str:
    """What the quotes' signatures say, as they are: a sentence promising role and gender stood
    above quotes all signed *Intervjuperson*.

    >>> quote_note([("Stöd", [(NEUTRAL, "Bra.")])], 3)[:44]
    'Citaten återges utan intervjupersonens roll:'
    """
    if all(who == NEUTRAL for _, items in grouped for who, _ in items):
        return (f"Citaten återges utan intervjupersonens roll: ingen roll har minst {threshold} intervjuer, och med "
                f"färre skulle ett citat kunna knytas till en viss person. De är därför undertecknade {NEUTRAL}.")
    return (f"Citaten återges med intervjupersonens roll och, där det angetts, kön, för roller med minst {threshold} "
            f"intervjuer; övriga är undertecknade {NEUTRAL}, så att ett citat inte kan knytas till en viss person.")


# -- report tables and section ---------------------------------------------------------------

def _period_interviews(report: "Report") -> list[Interview]:
    return in_window(report.inputs.get("interviews"), report.window.start, report.window.end)


def interview_tables(report: "Report") -> list[Table]:
    """Tables ``intervjuer_metod`` and ``intervjuer_teman`` (none without interviews in the period)."""
    interviews = _period_interviews(report)
    if not interviews:
        return []
    w, m = report.window, report.params.min_cell
    period = f"Intervjuer med datum {fmt.iso(w.start)} – {fmt.iso(w.end)}."
    method = Table(
        id="intervjuer_metod", title="Genomförda intervjuer", frame=method_table(interviews, anonymity_threshold(m), small_splits=m < 2),
       
        columns={
            "roll": ("Roll", "text"), "antal": ("Antal", "count"), "kvinna": ("Kvinnor", "count"),
            "man": ("Män", "count"), "annat_okant": ("Annat/okänt kön", "count"),
            "fysisk": ("Fysiska", "count"), "digital": ("Digitala", "count"), "telefon": ("Telefon", "count"),
            "median_min": ("Medianlängd (min)", "number"), "forsta_datum": ("Första", "text"),
            "sista_datum": ("Sista", "text"),
        },
        total_row=True, base=period,
        note="Kön enligt intervjupersonens uppgift; Annat/okänt omfattar intervjuer där kön inte angetts. "
             f"Kön, form, längd och datum visas bara för roller med minst {anonymity_threshold(m)} intervjuer"
             + (f", och fördelningen på kön eller form bara när varje del har minst {m}" if m > 1 else "")
             + f"; annars står {vocab.MARK} i cellen.",
    )
    threshold = anonymity_threshold(m)
    themes = theme_table(interviews, threshold)
    theme_columns = {"tema": ("Tema", "text")}
    theme_columns.update({code: (ROLES[code], "count") for code in themes.columns if code in ROLES})
    if OTHER_ROLES in themes.columns:
        theme_columns[OTHER_ROLES] = ("Övriga roller", "count")
    theme_columns["totalt"] = ("Totalt", "count")
    split = len(themes.columns) > 2
    unshown = set(i.roll for i in interviews) - set(themes.columns)  # roles too small to stand alone
    note = "Antal intervjuer där temat togs upp" + (", per intervjupersonens roll." if split else ".")
    if unshown:
        note += (" Roller med få intervjuer visas inte för sig" + (" (Övriga roller)" if OTHER_ROLES in themes.columns else "")
                 + ", som vid citaten, så att ett citat inte kan knytas till den som sa det.")
    topics = Table(id="intervjuer_teman", title="Teman i intervjuerna", frame=themes, columns=theme_columns,
                   base=period, note=note)
    return [method, topics]


def quote_block(attributed: str, text: str) -> model.Quote:
    """One quote with its attribution."""
    return model.Quote(text, attributed)


def interview_blocks(report: "Report") -> list:
    """The blocks of the interview section (empty without interviews in the period)."""
    interviews = _period_interviews(report)
    if not interviews:
        return []
    t = report.table_map
    blocks: list = [heading("Genomförande", 3), t["intervjuer_metod"], heading("Teman", 3), t["intervjuer_teman"]]
    threshold = anonymity_threshold(report.params.min_cell)
    grouped = quotes_by_theme(interviews, threshold)
    if grouped and len(interviews) < threshold:  # a quote, even unsigned, points to fewer people than that
        said = sum(len(items) for _, items in grouped)
        notices.note(Notice(interviews[0].source.parent, None, (
            f"{said} citat visas inte: under perioden gjordes bara {len(interviews)} "
            f"{'intervju' if len(interviews) == 1 else 'intervjuer'}, färre än {threshold}, "
            "och ett citat skulle kunna knytas till den som sa det, också utan roll. Återge det som sades med egna "
            "ord i en text, eller vänta med citaten tills fler har intervjuats.")))
        blocks += [heading("Citat", 3), paragraph(
            f"Citat återges inte: färre än {threshold} personer intervjuades under perioden, och ett citat skulle då "
            "kunna knytas till den som sa det.")]
    elif grouped:
        blocks += [heading("Citat", 3), paragraph(quote_note(grouped, threshold))]
        for theme, items in grouped:
            blocks.append(heading(theme, 4))
            blocks += [quote_block(who, text) for who, text in items]
    return blocks


def intervjuer_section(report: "Report") -> Section | None:
    """Section ``intervjuer``: method table, theme overview and anonymised quotes per theme."""
    blocks = interview_blocks(report)
    if not blocks:
        return None
    return Section("intervjuer", report.title_of("intervjuer"), tuple(blocks))

