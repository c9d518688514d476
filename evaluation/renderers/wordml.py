"""Small WordprocessingML pieces python-docx has no API for: fields, hyperlinks, bookmarks,
list numbering, document language and settings (tables: :mod:`.wordtables`).

Each function takes python-docx objects and changes their XML in place; none reads or
writes files.
"""
from __future__ import annotations

import re

from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.text.run import Run

#: Characters XML 1.0 does not allow (control characters other than tab, newline, return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Link schemes that become clickable; any other link is kept as plain text.
LINK_SCHEMES = ("http://", "https://", "mailto:")


def clean(text) -> str:
    """Text that XML can hold: control characters are dropped.

    >>> clean("a\\x0bb\\tc")
    'ab\\tc'
    """
    return _NOT_XML.sub("", "" if text is None else str(text))


def is_link(url: str) -> bool:
    """Whether ``url`` may become a hyperlink (http, https or mailto only).

    >>> is_link("https://example.org"), is_link("javascript:alert(1)"), is_link("data/x.png")
    (True, False, False)
    """
    return url.strip().lower().startswith(LINK_SCHEMES)


# -- runs and paragraph styles ---------------------------------------------------------------
#: What python-docx's ``run.text = …`` writes as elements of their own: a tab (``w:tab``), a line
#: break (``\r`` or ``\n``: ``w:br``).
_BREAKS = re.compile(r"([\t\r\n])")


def run_content(text: str) -> list[tuple[str, str]]:
    """The elements (tag, text) of a run holding ``text``, as python-docx's ``run.text = text`` writes them.

    >>> run_content("a\\tb \\nc")
    [('w:t', 'a'), ('w:tab', ''), ('w:t', 'b '), ('w:br', ''), ('w:t', 'c')]
    """
    pieces = []
    for part in _BREAKS.split(text):
        if part == "\t":
            pieces.append(("w:tab", ""))
        elif part in ("\r", "\n"):
            pieces.append(("w:br", ""))
        elif part:
            pieces.append(("w:t", part))
    return pieces


def add_run(paragraph, text: str = "") -> Run:
    """``paragraph.add_run(text)``, the same XML made at once: python-docx empties the new run by an
    XPath query and writes the text one character at a time (run text was 13 % of writing a report)."""
    r = OxmlElement("w:r")
    for tag, part in run_content(text):
        element = OxmlElement(tag)
        if part:
            element.text = part
            if part.strip() != part:
                element.set(qn("xml:space"), "preserve")
        r.append(element)
    paragraph._p.append(r)
    return Run(r, paragraph)


def set_paragraph_style(paragraph, style_id: str) -> None:
    """Give the paragraph the style ``style_id``. ``w:pStyle`` is the first of ``w:pPr``'s elements,
    so it goes there directly (python-docx looks for each of the 33 that may follow it first)."""
    ppr = paragraph._p.get_or_add_pPr()
    style = ppr.pStyle
    if style is None:
        style = OxmlElement("w:pStyle")
        ppr.insert(0, style)
    style.set(qn("w:val"), style_id)


# -- fields ---------------------------------------------------------------------------------
def _field_char(kind: str, dirty: bool = False):
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if dirty:
        char.set(qn("w:dirty"), "true")
    run.append(char)
    return run


def field_start(instruction: str, dirty: bool = False) -> list:
    """The runs that open a complex field: ``begin``, the instruction and ``separate``."""
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run.append(instr)
    return [_field_char("begin", dirty), run, _field_char("separate")]


def field_begin(paragraph, instruction: str, dirty: bool = False) -> None:
    """Open a complex field at the paragraph's end."""
    for run in field_start(instruction, dirty):
        paragraph._p.append(run)


def field_begin_at_start(paragraph, instruction: str, dirty: bool = False) -> None:
    """Open a complex field before the paragraph's content."""
    position = 1 if paragraph._p.pPr is not None else 0
    for offset, run in enumerate(field_start(instruction, dirty)):
        paragraph._p.insert(position + offset, run)


def field_end(paragraph) -> None:
    paragraph._p.append(_field_char("end"))


def add_field(paragraph, instruction: str, result: str = "", dirty: bool = False):
    """A whole field (``PAGE``, ``SEQ Tabell``, ...) whose shown result is ``result`` until
    Word updates it; returns the result's run so it can be formatted."""
    field_begin(paragraph, instruction, dirty)
    run = add_run(paragraph, clean(result))
    field_end(paragraph)
    return run


# -- links and bookmarks ----------------------------------------------------------------------
def hyperlink(paragraph, url: str = "", anchor: str = ""):
    """An empty ``w:hyperlink`` at the paragraph's end, to an address or a bookmark."""
    link = OxmlElement("w:hyperlink")
    if url:
        rel_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
        link.set(qn("r:id"), rel_id)
    if anchor:
        link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    paragraph._p.append(link)
    return link


def bookmark_name(anchor: str) -> str:
    """A valid bookmark name (a letter first, letters, digits and ``_``, at most 40).

    >>> bookmark_name("omvarld-kalla-2")
    'omvarld_kalla_2'
    """
    name = re.sub(r"[^A-Za-z0-9_]", "_", anchor)
    if not name[:1].isalpha() and not name.startswith("_"):
        name = "b_" + name
    return name[:40]


def bookmark(paragraph, name: str, bookmark_id: int) -> None:
    """Wrap the paragraph's content in a bookmark."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    p = paragraph._p
    ppr = p.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


# -- list numbering ------------------------------------------------------------------------
_BULLETS = ("\u2022", "\u2013", "\u25aa")
_ORDERED = (("decimal", "%{n}."), ("lowerLetter", "%{n}."), ("lowerRoman", "%{n}."))


def _abstract_xml(abstract_id: int, ordered: bool) -> str:
    levels = []
    for level in range(9):
        if ordered:
            fmt, text = _ORDERED[level % 3]
            text = text.format(n=level + 1)
        else:
            fmt, text = "bullet", _BULLETS[level % 3]
        left = 567 * (level + 1)
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="340"/></w:pPr></w:lvl>'
        )
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="multilevel"/>{"".join(levels)}</w:abstractNum>')


class Numbering:
    """The document's list definitions: one bullet and one numbered style, and a fresh
    numbering instance per list so every numbered list starts at its own first number."""

    def __init__(self, document):
        part = document.part
        try:
            numbering = part.part_related_by(RT.NUMBERING)
        except KeyError:
            numbering = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING,
                                      parse_xml(f'<w:numbering {nsdecls("w")}/>'), part.package)
            part.relate_to(numbering, RT.NUMBERING)
        self._root = numbering.element
        used = [int(a.get(qn("w:abstractNumId"))) for a in self._root.findall(qn("w:abstractNum"))]
        first = max(used, default=-1) + 1
        self._abstract = {False: first, True: first + 1}
        for ordered, abstract_id in self._abstract.items():
            element = parse_xml(_abstract_xml(abstract_id, ordered))
            nums = self._root.findall(qn("w:num"))
            if nums:
                nums[0].addprevious(element)
            else:
                self._root.append(element)

    def new_list(self, ordered: bool, start: int = 1) -> int:
        """A new numbering instance (its ``numId``); a numbered list restarts at ``start``."""
        num = self._root.add_num(self._abstract[ordered])
        if ordered:
            for level in range(9):
                override = parse_xml(
                    f'<w:lvlOverride {nsdecls("w")} w:ilvl="{level}">'
                    f'<w:startOverride w:val="{start if level == 0 else 1}"/></w:lvlOverride>')
                num.append(override)
        return num.numId


def number_paragraph(paragraph, num_id: int, level: int = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = ppr.get_or_add_numPr()
    numpr.get_or_add_ilvl().val = level
    numpr.get_or_add_numId().val = num_id


# -- language and settings -----------------------------------------------------------------
def set_language(document, lang: str) -> None:
    """Make ``lang`` (e.g. ``sv-SE``) the language of the defaults and of every style."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _lang(rpr, lang)
    for style in styles.findall(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:lang")) is not None or style.get(qn("w:styleId")) == "Normal":
            _lang(style.get_or_add_rPr(), lang)
    settings = document.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), lang)


def _lang(rpr, lang: str) -> None:
    element = rpr.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        # w:lang comes late in rPr; only w:eastAsianLayout, w:specVanish, w:oMath follow it
        for tag in ("w:eastAsianLayout", "w:specVanish", "w:oMath"):
            later = rpr.find(qn(tag))
            if later is not None:
                later.addprevious(element)
                break
        else:
            rpr.append(element)
    element.set(qn("w:val"), lang)


#: Settings elements that must come after ``w:updateFields`` (schema order).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
    "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)


def update_fields_on_open(document) -> None:
    """Ask Word to update every field (contents, page numbers, captions) when the file opens."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    later_tags = set()
    for tag in _AFTER_UPDATE_FIELDS:
        try:
            later_tags.add(qn(tag))
        except KeyError:  # a namespace prefix python-docx does not know
            continue
    for child in settings:
        if child.tag in later_tags or not child.tag.startswith("{http://schemas.openxmlformats.org/wordprocessingml"):
            child.addprevious(element)
            return
    settings.append(element)


def package_entries(document) -> list[tuple[str, bytes]] | None:
    """The files of ``document``'s package, (name, bytes) in the order ``document.save`` writes them,
    without making the zip: :func:`evaluation.renderers.write_stable_zip` compresses them once (a
    saved zip was read back and compressed again, 0.04 s a report). ``None`` where python-docx has
    no package writer of this shape: then save it as usual."""
    from docx.opc.pkgwriter import PackageWriter

    steps = ("_write_content_types_stream", "_write_pkg_rels", "_write_parts")
    if not all(hasattr(PackageWriter, step) for step in steps):
        return None
    package = document.part.package

    class Collected(list):  # python-docx's physical writer, as PackageWriter.write uses it
        def write(self, pack_uri, blob):
            self.append((pack_uri.membername, blob))

    for part in package.parts:  # as Package.save does
        part.before_marshal()
    entries = Collected()
    PackageWriter._write_content_types_stream(entries, package.parts)
    PackageWriter._write_pkg_rels(entries, package.rels)
    PackageWriter._write_parts(entries, package.parts)
    return list(entries)
