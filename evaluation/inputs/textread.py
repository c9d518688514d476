"""Reading the evaluator's prose: Markdown with YAML front matter, Word texts (through pandoc), and
the pictures they embed, without the metadata that says who took them, where and when.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from defusedxml import DefusedXmlException, ElementTree

from evaluation.core import fmt, markup, pii
from evaluation.core.errors import InputError, Notice
from evaluation.core.pictures import IMAGE_MAGIC, TooManyPixels, fetched_by_word, without_metadata
from evaluation.inputs.cells import CONTROL, composed
from evaluation.inputs import wordparts
from evaluation.inputs.textfiles import check_readable, confinement, read_text, text_read
from evaluation.inputs.readonce import read_once
from evaluation.inputs.paths import named_but_no_file, not_a_file, real_path, unreachable
from evaluation.inputs.xlsxread import COMPOUND_FILE
from evaluation.inputs.yamlread import (
    control_character,
    explain,
    load_yaml_text,
    refuse_personal_data_across_values,
    where_in,
)


@dataclass(frozen=True)
class MarkdownDoc:
    """A Markdown file split into its YAML front matter and body.

    A Word text (:func:`read_docx`) has no front matter and carries its embedded images
    (path as written in ``body`` → bytes) in ``images``.
    """

    path: Path
    meta: dict
    body: str
    body_first_line: int  # file line number of the body's first line
    images: tuple[tuple[str, bytes], ...] = ()
    linked: int = 0  # pictures a Word text links from elsewhere instead of holding (left out)


def _refuse_control_characters(path: Path, text: str) -> None:
    """A control character (a NUL, a bell, an escape), which no editor shows and no report can
    hold, is refused with its line, as the YAML reader refuses one (front matter and body alike)."""
    found = CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise InputError(f"{path}, rad {line}: {control_character(ord(found.group()))}")


@read_once(scope=confinement)
def read_markdown(path: Path) -> MarkdownDoc:
    """Read Markdown with optional ``---``-delimited YAML front matter (loaded safely)."""
    path = Path(path)
    text = read_text(path)
    _refuse_control_characters(path, text)
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return MarkdownDoc(path, {}, text, 1)
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "..."))
    except StopIteration:
        raise InputError(f"{path}: huvudet (front matter) som börjar på rad 1 avslutas aldrig; "
                         "lägg till en rad med bara '---' efter huvudet.") from None
    try:
        meta = load_yaml_text("\n".join(lines[1:end]), path, first_line=2) or {}
    except yaml.YAMLError as exc:
        mark = where_in(exc)
        where = f" på rad {mark.line + 2}" if mark else ""
        raise InputError(f"{path}: huvudet (front matter) är inte giltig YAML{where}: {explain(exc)} Skriv en "
                         "'nyckel: värde' per rad mellan raderna '---'.") from None
    if not isinstance(meta, dict):
        raise InputError(f"{path}: huvudet (front matter) ska bestå av rader 'nyckel: värde' mellan "
                         "raderna '---'.")
    refuse_personal_data_across_values(meta, path)  # a list shows them side by side
    return MarkdownDoc(path, meta, "\n".join(lines[end + 1:]), end + 2)


#: Largest image a text may embed (each is carried in the report and every output format).
MAX_IMAGE_BYTES = 10 * 1024 * 1024


def read_image(folder: Path, relative: str) -> bytes:
    """The bytes of the PNG or JPEG image ``relative`` (as written in a text) inside ``folder``.

    The image must be a file inside ``folder`` (the data folder): a path that leads out of it,
    a missing file, another file type or a file over :data:`MAX_IMAGE_BYTES` is an
    :class:`InputError` in Swedish naming the image.
    """
    folder = real_path(folder)
    path = real_path(folder / relative)
    if not path.is_relative_to(folder):
        raise InputError(f"bilden {pii.quote(relative)} ligger utanför datamappen {folder}; lägg den i datamappen, till exempel i bilder/.")
    reason = unreachable(path)
    if reason:
        raise InputError(f"bilden {pii.quote(relative)} går inte att slå upp ({reason}); kontrollera filnamnet.")
    if named_but_no_file(path):
        raise InputError(f"bilden {pii.quote(relative)} finns, men är {not_a_file(path)}; lägg bilden där som en "
                         "vanlig fil (PNG eller JPEG).")
    if not path.is_file():
        raise InputError(f"bilden {pii.quote(relative)} finns inte (sökte {path}); kontrollera filnamnet och att filen ligger i datamappen.")
    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise InputError(f"bilden {pii.quote(relative)} är större än {MAX_IMAGE_BYTES // (1024 * 1024)} MB; spara den i lägre upplösning.")
    data = path.read_bytes()
    if not any(data.startswith(magic) for magic in IMAGE_MAGIC):
        raise InputError(f"bilden {pii.quote(relative)} är inte en PNG- eller JPEG-bild; spara den som .png eller .jpg.")
    try:
        return without_metadata(data)
    except TooManyPixels as exc:
        raise InputError(f"bilden {pii.quote(relative)} {exc}") from None
    except (OSError, ValueError, SyntaxError):  # Pillow's errors for a damaged file
        raise InputError(f"bilden {pii.quote(relative)} går inte att läsa (filen är skadad); spara om den som "
                         ".png eller .jpg.") from None


#: Largest Word text read (its images included) and the largest it may unpack to (a zip).
MAX_DOCX_BYTES = 50 * 1024 * 1024
MAX_DOCX_UNPACKED = 200 * 1024 * 1024
#: Pandoc's Markdown close to :mod:`evaluation.core.markup`'s dialect: CommonMark with pipe tables
#: and footnotes; no attributes (``{width=..}``) or raw HTML, typographic quotes kept as typed; and
#: none of the syntax the report's Markdown does not read, which would show as typed: underlined or
#: highlighted words (``[ord]{.underline}``, written as emphasis and as plain words instead),
#: ``~~struken~~``, ``x^2^`` and ``H~2~O`` (plain, and ``x²``, ``H₂O``), a definition list, ``$x^2$``,
#: fenced divs and raw blocks. Lettered lists stay (``a.`` is kept as text rather than renumbered).
_PANDOC_MARKDOWN = ("commonmark_x-attributes-smart-raw_html-bracketed_spans-strikeout-superscript-subscript"
                    "-definition_lists-tex_math_dollars-fenced_divs-raw_attribute")
#: The pandoc filter that makes every table cell of a Word text one line (see the file).
_ONE_LINE_CELLS = Path(__file__).with_name("word_tables.lua")
#: A template tag; never across another opener of its kind (a text of openers is scanned once).
_TEMPLATE_TAG = re.compile(r"\{\{(?:(?!\{\{).)*?\}\}|\{%(?:(?!\{%).)*?%\}", re.S)
_CURLY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'", "\u00bb": '"'})


def read_docx(path: Path) -> MarkdownDoc:
    """A Word text (``.docx``) as Markdown, with the images it embeds.

    Pandoc (shipped in the ``pypandoc-binary`` wheel) converts headings, paragraphs, bold and
    italic, lists, tables, footnotes, links and images with their alt text (Word's *Alt Text*).
    A table cell's paragraphs and line breaks are joined into one line (a Markdown table cell is
    one line; pandoc wrote such a table as ``[TABLE]``).
    Inside ``{{ ... }}`` and ``{% ... %}`` the Markdown escapes pandoc adds (``\\>``) are
    removed and Word's typographic quotes (“…”) become straight ones, so a variable typed in
    Word works as in a ``.md`` file.
    """
    import pypandoc  # a 100 MB binary: loaded only for a Word text

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: filen finns inte. Kontrollera namnet och mappen.")
    check_readable(path, MAX_DOCX_BYTES, "ett Word-dokument")
    _not_compound(path, "dokumentet")
    not_word = InputError(f"{path}: filen kan inte öppnas som ett Word-dokument. Öppna den i Word och "
                          "spara den som Word-dokument (.docx), eller skriv texten som Markdown (.md).")
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            if sum(i.file_size for i in infos) > MAX_DOCX_UNPACKED:
                raise InputError(f"{path}: dokumentet packas upp till mer än "
                                 f"{MAX_DOCX_UNPACKED // 1024 // 1024} MB; spara bilderna i lägre upplösning.")
            media = {i.filename[len("word/"):]: i for i in infos if i.filename.startswith("word/media/")}
            images = {name: package.read(info) for name, info in media.items()}
            linked = sum(_fetched_links(package.read(i.filename), "/image") for i in infos if i.filename.endswith(".rels"))
            left_out = wordparts.check_unpublished(path, package)
    except (zipfile.BadZipFile, OSError, KeyError, ElementTree.ParseError, DefusedXmlException):
        raise not_word from None
    title = left_out.get(wordparts.TITLE_PLACE, "")
    wordparts.say_left_out(path, left_out, scanned=(wordparts.TITLE_PLACE,))
    try:
        markdown = pypandoc.convert_file(str(path), _PANDOC_MARKDOWN, format="docx",
                                         extra_args=["--wrap=none", f"--lua-filter={_ONE_LINE_CELLS}"])
    except (RuntimeError, OSError):
        raise not_word from None
    markdown = _TEMPLATE_TAG.sub(lambda m: markup.ESCAPED.sub(r"\1", m.group(0)).translate(_CURLY),
                                 markdown.replace("\r\n", "\n"))
    # the title lines are scanned as the headings over the text they stand over in Word, then left out
    above = composed("".join(f"# {line.strip()}\n\n" for line in title.splitlines() if line.strip()))
    body = text_read(path, above + markdown, lines=False, title=above.count("\n"))[len(above):]
    shown = {src for src in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", body)}
    try:
        pictures = tuple((s, without_metadata(images[s])) for s in sorted(shown) if s in images)
    except TooManyPixels as exc:
        raise InputError(f"{path}: en bild i dokumentet {exc}") from None
    except (OSError, ValueError, SyntaxError):  # Pillow's errors for a damaged picture
        raise InputError(f"{path}: en bild i dokumentet går inte att läsa (den är skadad); infoga den igen.") from None
    return MarkdownDoc(path, {}, body, 1, pictures, linked)


def _not_compound(path: Path, what: str) -> None:
    """Refuse a password-protected Word file or an old .doc (a compound file, not a zip), saying so."""
    with path.open("rb") as handle:
        if handle.read(8) == COMPOUND_FILE:
            raise InputError(f"{path}: {what} går inte att läsa, för filen är lösenordsskyddad eller sparad i Words "
                             "äldre format (.doc). Öppna den i Word, ta bort lösenordet (Arkiv → Info → Skydda "
                             "dokument → Kryptera med lösenord, töm fältet) och spara som Word-dokument (.docx).")


def check_template(path: Path) -> list:
    """Personal data in the headers and footers of the evaluator's Word template (``mall``),
    which every page of ``rapport.docx`` repeats: a personnummer is refused, an e-mail address or
    phone number (the evaluator's own contact details, perhaps) is a notice. The template's
    comments, building blocks and properties never reach the report (the Word renderer drops them),
    nor what Word would fetch from elsewhere when the report opens (a linked picture, a template on
    a server): a notice says how many, never where.

    Returns the notices; raises :class:`InputError` for a personnummer or a template that is no
    Word document. The value is never in the message.
    """
    path = Path(path)
    check_readable(path, MAX_DOCX_BYTES, "en Word-mall")
    _not_compound(path, "Word-mallen")
    found: dict[str, list[str]] = {}
    try:
        with zipfile.ZipFile(path) as package:
            _refuse_other_word_kinds(path, package)
            for name in sorted(n for n in package.namelist() if n.startswith("word/media/")):
                try:  # the renderer saves the template's pictures again without their metadata
                    without_metadata(package.read(name))
                except TooManyPixels as exc:
                    raise InputError(f"{path}: bilden {name.removeprefix('word/media/')} i Word-mallen {exc}") from None
                except (OSError, ValueError, SyntaxError):  # Pillow's errors for a damaged picture
                    raise InputError(f"{path}: en bild i Word-mallen går inte att läsa (den är skadad); infoga den "
                                     "igen.") from None
            for name in sorted(n for n in package.namelist() if wordparts.place(n) in ("sidhuvudet", "sidfoten")):
                for _, kind in pii.text_hits(wordparts.paragraphs(package.read(name))):
                    found.setdefault(kind, []).append(wordparts.place(name))
            fetched = sum(_fetched_links(package.read(name)) for name in package.namelist() if name.endswith(".rels"))
    except (zipfile.BadZipFile, OSError, KeyError, ElementTree.ParseError, DefusedXmlException):
        raise InputError(f"{path}: Word-mallen kan inte öppnas som ett Word-dokument. Öppna den i Word och spara "
                         "den som Word-dokument (.docx).") from None
    where = {kind: " och ".join(sorted(set(places))) for kind, places in found.items()}
    if pii.PNR in where:
        raise InputError(f"{path}: {where[pii.PNR]} i Word-mallen innehåller något som ser ut som ett personnummer "
                         "eller samordningsnummer (visas inte), och skulle stå på varje sida av rapporten. Ta bort "
                         "det ur mallen och kör igen.")
    notices = [Notice(path, None, (
        f"{places} i Word-mallen innehåller något som ser ut som {pii.with_article(kind)} (visas inte här), och det "
        "står på varje sida av rapporten. Om det är dina egna kontaktuppgifter som utvärderare kan det stå kvar; "
        "gäller det någon annan, ta bort det ur mallen.")) for kind, places in where.items()]
    if fetched:
        notices.append(Notice(path, None, (
            f"Word-mallen hämtar {fmt.plural(fetched, 'sak', 'saker')} utanför filen när den öppnas (en "
            "länkad bild från en webbadress, en mall eller ett objekt på en server; adresserna visas inte här). Det "
            "tas inte med i rapporten: en publicerad rapport ska inte tala om var och när den läses. Ska en bild "
            "vara med, infoga den i mallen (Infoga → Bilder) i stället för att länka till den.")))
    return notices


#: The main part of a Word file that is not a plain document, by its content type: what it is saved
#: as. python-docx, which writes the report on the template, opens plain documents only.
_OTHER_WORD_KINDS = {
    "application/vnd.ms-word.document.macroEnabled.main+xml": "ett dokument med makron (.docm)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "en Word-mall (.dotx)",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "en Word-mall med makron (.dotm)",
}


def _refuse_other_word_kinds(path: Path, package: zipfile.ZipFile) -> None:
    """Refuse a template saved as a Word template or with macros and then named .docx: the Word
    renderer could not open it, and said so only after the report had run (an unexpected error)."""
    types = ElementTree.fromstring(package.read("[Content_Types].xml"))
    for override in types:
        kind = _OTHER_WORD_KINDS.get(override.get("ContentType", ""))
        if kind:
            raise InputError(f"{path}: Word-mallen är sparad som {kind}, fast filen heter .docx. Öppna den i Word och "
                             "spara den som Word-dokument (.docx); rapporten tar varken makron eller mallfiler.")


def _fetched_links(rels_xml: bytes, kind: str = "") -> int:
    """How many relationships of a part Word follows by itself when the document opens
    (:func:`evaluation.core.pictures.fetched_by_word`; the Word renderer leaves them out of a
    template); with ``kind`` (``"/image"``) those of that type only."""
    root = ElementTree.fromstring(rels_xml)
    return sum(1 for rel in root if rel.get("Type", "").endswith(kind)
               and fetched_by_word(rel.get("Type", ""), rel.get("TargetMode") == "External"))
