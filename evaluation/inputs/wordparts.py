"""What a Word text holds that pandoc would publish against the writer's intent, or leave out
unsaid: text formatted as hidden (refused), tracked changes (a notice), and the parts the report
never shows (header, footer, comments, old-style text boxes, simple fields: a personnummer there is
refused, for it travels with the file; anything else is a notice). Never quoted.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree

from evaluation.core import fmt, pii
from evaluation.core.collector import note
from evaluation.core.errors import InputError, Notice
from evaluation.inputs import ooxml


def check_unpublished(path: Path, package: zipfile.ZipFile) -> dict[str, str]:
    """Hidden text refused, tracked changes said; the text of the parts the report leaves out, by
    where a reader finds them (for :func:`say_left_out`)."""
    left_out: dict[str, str] = {}
    if "word/document.xml" in package.namelist():
        document = package.read("word/document.xml")
        styles = package.read("word/styles.xml") if "word/styles.xml" in package.namelist() else None
        _refuse_hidden_text(path, document, styles)
        _say_tracked_changes(path, document)
        left_out.update(_dropped_in_body(document))
        left_out.update(_title_block(document, styles))
    _refuse_personal_properties(path, package)
    _refuse_in_codes(path, package)
    for info in package.infolist():
        where = place(info.filename)
        if where:
            left_out[where] = left_out.get(where, "") + "\n" + paragraphs(package.read(info.filename))
    return {where: text for where, text in left_out.items() if text.strip()}


def _refuse_personal_properties(path: Path, package: zipfile.ZipFile) -> None:
    """A personnummer in the document's properties (title, subject, tags: Arkiv → Info), which
    travel with the file; an author's name there is Word's own doing, and is not said."""
    if pii.holds_pnr(ooxml.properties_text(package)):
        raise InputError(f"{path}: Word-textens egenskaper (Arkiv → Info: titel, ämne, taggar …) innehåller något som "
                         "ser ut som ett personnummer eller samordningsnummer (visas inte). Det kommer inte med i "
                         "rapporten, men följer med filen: ta bort det och kör igen.")


_CODES = "fältkoder, innehållskontroller, länkars skärmtips eller kommentarers författare"
_BLOCKS = "byggblocken (Infoga → Snabbdelar)"
_BOUND = "data kopplade till texten (customXml)"


def _refuse_in_codes(path: Path, package: zipfile.ZipFile) -> None:
    """A personnummer where Word keeps what no page shows: field codes (``{ QUOTE … }``, also
    deleted ones), a content control's title, tag and list, a link's tooltip, a comment's author,
    the building blocks (Quick Parts), document variables and the data bound to the text
    (``customXml``). Only refused: these places hold ordinary codes in every text (PAGE, TOC)."""
    texts: dict[str, list[str]] = {_CODES: [], _BLOCKS: [], _BOUND: []}
    for name in package.namelist():
        if not name.endswith(".xml"):
            continue
        if name.startswith("word/glossary/"):
            xml = package.read(name)
            texts[_BLOCKS] += [paragraphs(xml), _codes_of(xml)]
        elif name.startswith("word/"):
            texts[_CODES].append(_codes_of(package.read(name)))
        elif re.fullmatch(r"customXml/item\d*\.xml", name):
            texts[_BOUND] += [t.strip() for t in ElementTree.fromstring(package.read(name)).itertext() if t.strip()]
    refused = [where for where, found in texts.items()
               if pii.holds_pnr("\n\n".join(found))]
    if refused:
        raise InputError(f"{path}: {' och '.join(refused)} i Word-texten innehåller något som ser ut som ett "
                         "personnummer eller samordningsnummer (visas inte). Det kommer inte med i rapporten, men "
                         "följer med filen: ta bort det och kör igen.")


#: Attributes of Word's XML that hold a writer's text no page shows: a simple field's code, a
#: content control's title, tag and list entries, a link's tooltip, a comment's or a change's
#: author, a document variable's value, a list's number text (``lvlText``: Word shows it, pandoc not).
_CODED_ATTRIBUTES = ("instr", "val", "displayText", "value", "tooltip", "author", "initials", "name")
_CODED_ELEMENTS = ("alias", "tag", "listItem", "fldSimple", "hyperlink", "comment", "docVar", "lvlText", "ins", "del",
                   "moveFrom", "moveTo")


def _codes_of(xml: bytes) -> str:
    """The text of a Word part's field codes (a paragraph's pieces joined, a line a paragraph), of
    the attributes of :data:`_CODED_ELEMENTS` (a value a line), of rubies and of drawings' old copies."""
    root = ElementTree.fromstring(xml)
    lines = ["".join(t.text or "" for t in p.iter() if t.tag in (f"{_W}instrText", f"{_W}delInstrText"))
             for p in root.iter(f"{_W}p")]
    for tag in _CODED_ELEMENTS:
        for element in root.iter(f"{_W}{tag}"):
            lines += [element.get(f"{_W}{attribute}") or "" for attribute in _CODED_ATTRIBUTES]
    # a ruby's annotation (above its words in Word, dropped by pandoc); the old copy of a drawing
    for element in (*root.iter(f"{_W}rt"), *root.iter(_MC_FALLBACK)):
        lines += [_paragraphs_of(element) or "".join(t.text or "" for t in element.iter(f"{_W}t"))]
    return "\n\n".join(line for line in lines if line.strip())


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: The parts of a Word file that pandoc does not convert (and the report's template does not
#: carry over, but for its header and footer), as a reader names them.
_PART = re.compile(r"word/(header|footer|comments)\d*\.xml")
_PLACE = {"header": "sidhuvudet", "footer": "sidfoten", "comments": "kommentarerna"}


def place(name: str) -> str | None:
    """Where in a Word file the package part ``name`` is, for a reader (``None``: the body or other)."""
    match = _PART.fullmatch(name)
    return _PLACE[match.group(1)] if match else None


def paragraphs(xml: bytes) -> str:
    """The text of a part of a Word file, a line a paragraph."""
    return _paragraphs_of(ElementTree.fromstring(xml))


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _dropped_in_body(xml: bytes) -> dict[str, str]:
    """The text in the body of a Word file that pandoc drops, by where a reader finds it: a text
    box drawn the old way (VML alone; a box of today, which pandoc shows, carries a VML copy of
    itself as its fallback) and the shown result of a simple field (``w:fldSimple``)."""
    root = ElementTree.fromstring(xml)
    copies = {id(box) for fallback in root.iter(_MC_FALLBACK) for box in fallback.iter(f"{_W}txbxContent")}
    boxes = [box for pict in root.iter(f"{_W}pict") for box in pict.iter(f"{_W}txbxContent") if id(box) not in copies]
    found = {"textrutorna": "\n".join(_paragraphs_of(box) for box in boxes),
             "fälten": "\n".join("".join(t.text or "" for t in field.iter(f"{_W}t"))
                                  for field in root.iter(f"{_W}fldSimple"))}
    return {place: text for place, text in found.items() if text.strip()}


#: The styles (Word's own names, whatever the language of its menus) of the paragraphs at the top
#: of a text that pandoc reads as the document's title, author and so on, and leaves out of the text.
_TITLE_STYLES = {"title", "subtitle", "author", "date", "abstract"}
#: How a reader finds them: Word's Swedish names of the first two. They are scanned with the text
#: (:func:`evaluation.inputs.textread.read_docx`): the report leaves them out, but a reader of the
#: file reads the title over its first paragraph.
TITLE_PLACE = "titelraderna överst (formatmallen Rubrik, Underrubrik, Author, Date eller Abstract)"


def _title_block(xml: bytes, styles: bytes | None) -> dict[str, str]:
    """The text of the paragraphs at the top of a Word text in a title style (Rubrik, Underrubrik),
    empty ones between them skipped, as pandoc takes them out of the text.

    >>> W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    >>> def p(text, style=""):
    ...     pstyle = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    ...     return f"<w:p>{pstyle}<w:r><w:t>{text}</w:t></w:r></w:p>"
    >>> names = f'<w:styles {W}><w:style w:styleId="Rubrik"><w:name w:val="Title"/></w:style></w:styles>'.encode()
    >>> body = f'<w:document {W}><w:body>{p("Min titel", "Rubrik")}{p("")}{p("Text.")}{p("Sen", "Rubrik")}</w:body></w:document>'
    >>> _title_block(body.encode(), names)
    {'titelraderna överst (formatmallen Rubrik, Underrubrik, Author, Date eller Abstract)': 'Min titel'}
    """
    names = {}
    if styles:
        for style in ElementTree.fromstring(styles).iter(f"{_W}style"):
            name = style.find(f"{_W}name")
            names[style.get(f"{_W}styleId")] = (name.get(f"{_W}val", "") if name is not None else "").lower()
    body = ElementTree.fromstring(xml).find(f"{_W}body")
    found = []
    for element in body if body is not None else ():
        if element.tag != f"{_W}p":
            break
        text = "".join(t.text or "" for t in element.iter(f"{_W}t"))
        style = element.find(f"{_W}pPr/{_W}pStyle")
        style_id = "" if style is None else style.get(f"{_W}val", "")
        if names.get(style_id, style_id.lower()) in _TITLE_STYLES:
            found.append(text)
        elif text.strip():
            break
    return {TITLE_PLACE: "\n".join(found)} if "".join(found).strip() else {}


def _paragraphs_of(element) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(f"{_W}t")) for p in element.iter(f"{_W}p"))


def say_left_out(path: Path, left_out: dict[str, str], scanned: tuple[str, ...] = ()) -> None:
    """The header, footer and comments of a Word text, which the report never shows: a personnummer
    there is refused (it travels with the file), and what they hold is a notice, never quoted.
    The places in ``scanned`` are said but scanned with the text (:data:`TITLE_PLACE`)."""
    kinds = {place: sorted({kind for _, kind in pii.text_hits(text)}) if place not in scanned else []
             for place, text in left_out.items()}
    refused = [place for place, found in kinds.items() if pii.PNR in found]
    if refused:
        raise InputError(f"{path}: {' och '.join(refused)} i Word-texten innehåller något som ser ut som ett "
                         "personnummer eller samordningsnummer (visas inte). Det kommer inte med i rapporten, men "
                         "följer med filen: ta bort det och kör igen.")
    if left_out:
        found = sorted({kind for place in kinds.values() for kind in place})
        said = f" (det ser ut att finnas {' och '.join(pii.with_article(k) for k in found)} där; visas inte)" if found else ""
        note(Notice(path, None, (f"{' och '.join(left_out)} i Word-texten visas inte i rapporten{said}: bara texten, "
                                 "dess fotnoter och bilder tas med. Ska något därifrån synas, skriv det i texten.")))


#: The values of an on/off property of Word that turn it off (``<w:vanish w:val="0"/>``).
_OFF = {"0", "false", "off"}


def _on(prop) -> bool | None:
    """An on/off property of Word: ``None`` when not set here (what a style gives counts)."""
    return None if prop is None else prop.get(f"{_W}val", "1").lower() not in _OFF


def _hidden_styles(styles: bytes | None) -> set[str]:
    """The ids of the styles that hide their text, also through the style they are based on."""
    if not styles:
        return set()
    own, base = {}, {}
    for style in ElementTree.fromstring(styles).iter(f"{_W}style"):
        name = style.get(f"{_W}styleId")
        own[name] = _on(style.find(f"{_W}rPr/{_W}vanish"))
        based = style.find(f"{_W}basedOn")
        base[name] = None if based is None else based.get(f"{_W}val")

    def hides(name, depth=0) -> bool:
        if name not in own or depth > 20:
            return False
        return own[name] if own[name] is not None else hides(base[name], depth + 1)

    return {name for name in own if hides(name)}


def _refuse_hidden_text(path: Path, xml: bytes, styles: bytes | None = None) -> None:
    """Text formatted as hidden (Word's *Dold*, ``w:vanish``), on the words or through their
    character or paragraph style: pandoc publishes it, though the writer hid it, so it is refused,
    counted and never quoted. The paragraph mark's own (a hidden pilcrow) hides no words."""
    root = ElementTree.fromstring(xml)
    hiding = _hidden_styles(styles)
    paragraph_of = {}
    for paragraph in root.iter(f"{_W}p"):  # an inner paragraph (a text box) comes later: it wins
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        for run in paragraph.iter(f"{_W}r"):
            paragraph_of[run] = None if style is None else style.get(f"{_W}val")
    hidden = 0
    for run, paragraph_style in paragraph_of.items():
        if not any((t.text or "").strip() for t in run.findall(f"{_W}t")):
            continue
        own = _on(run.find(f"{_W}rPr/{_W}vanish"))
        character = run.find(f"{_W}rPr/{_W}rStyle")
        by_style = (character is not None and character.get(f"{_W}val") in hiding) or paragraph_style in hiding
        hidden += own if own is not None else by_style
    if hidden:
        raise InputError(f"{path}: Word-texten har dold text (formatet Dold) på {fmt.plural(hidden, 'ställe', 'ställen')}. "
                         "Den skulle synas i rapporten, fast den är dold i Word. Visa den (Arkiv → Alternativ → "
                         "Visning → Dold text) och ta bort den, eller gör den synlig om den ska med (markera den, "
                         "öppna Teckensnitt med Ctrl+D och avmarkera Dold, också i formatmallen om den är dold "
                         "där); spara och kör igen.")


def _say_tracked_changes(path: Path, xml: bytes) -> None:
    """Tracked changes not yet accepted or rejected: the report shows the text as if accepted
    (pandoc's way), and says so; a personnummer in the deleted text is refused, for it travels
    with the file though the report never shows it."""
    root = ElementTree.fromstring(xml)
    changes = sum(1 for tag in ("ins", "del", "moveFrom", "moveTo") for _ in root.iter(f"{_W}{tag}"))
    if not changes:
        return
    moved = [t for moved in root.iter(f"{_W}moveFrom") for t in moved.iter(f"{_W}t")]  # moved away: deleted here
    deleted = "\n".join(t.text or "" for t in (*root.iter(f"{_W}delText"), *moved))
    found = sorted({kind for _, kind in pii.text_hits(deleted)})
    if pii.PNR in found:
        raise InputError(f"{path}: borttagen text i Word-textens spårade ändringar innehåller något som ser ut som ett "
                         "personnummer eller samordningsnummer (visas inte). Det kommer inte med i rapporten, men följer "
                         "med filen: godkänn ändringarna i Word (Granska → Godkänn alla ändringar), spara och kör igen.")
    said = (f" (det ser ut att finnas {' och '.join(pii.with_article(k) for k in found)} i den borttagna texten; "
            "visas inte)") if found else ""
    note(Notice(path, None, (f"Word-texten har {changes} spårade ändringar som inte är godkända; rapporten visar texten "
                             f"som om de vore godkända (infogad text med, borttagen text borta){said}. Godkänn eller "
                             "avvisa dem i Word (Granska → Godkänn/Avvisa) så att filen är den text du menar.")))
