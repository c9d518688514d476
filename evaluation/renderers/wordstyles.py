"""The Word document a report is written into, and the styles the Word renderer uses.

Without a template: python-docx's default document on A4 with tuned, high-contrast styles.
With the evaluator's own template (``mall``): that document with its body cleared, so its
styles, header, logo, footer and page setup are kept. Styles the renderer needs and the
document lacks are added (built-in ones copied from python-docx's default document).
"""
from __future__ import annotations

import copy
import io
from functools import lru_cache
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from evaluation.core import fonts
from evaluation.core.pictures import fetched_by_word, without_metadata

# Paragraph styles the renderer uses beyond Word's built-in ones; a template may define them
# (same names) to change their look.
TABLE_TEXT = "Tabelltext"
NOTE = "Anmärkning"
CAUTION = "Varning"
ATTRIBUTION = "Citatkälla"
#: Header rows of tables: dark text on light blue.
HEADER_FILL = "DCE6F0"


def open_document(template: Path | None):
    """The document to write the report into, with every style the renderer uses
    (:func:`ensure_styles`)."""
    if template is None:
        return docx.Document(io.BytesIO(_blank()))
    document = docx.Document(str(template))
    _drop_foreign_core_properties(document)
    _drop_template_traces(document)
    _drop_external_fetches(document)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    ensure_styles(document)
    return document


@lru_cache(maxsize=1)
def _blank() -> bytes:
    """python-docx's default document, tuned and with the renderer's styles, saved once a process:
    opening these bytes takes 6 ms, making it again 24 ms a report."""
    document = docx.Document()
    _tune_default(document)
    _drop_template_traces(document)  # python-docx's own: a blank page as preview, "Macintosh Word"
    ensure_styles(document)
    saved = io.BytesIO()
    document.save(saved)
    return saved.getvalue()


def _drop_foreign_core_properties(document) -> None:
    """Forget core properties under a relationship type python-docx does not recognise
    (LibreOffice writes ``.../officedocument/2006/...``), so one ``docProps/core.xml`` is written."""
    rels = document.part.package.rels
    for rel_id, rel in list(rels.items()):
        if rel.reltype.lower().endswith("/metadata/core-properties") and rel.reltype != RT.CORE_PROPERTIES:
            del rels[rel_id]
            rels._target_parts_by_rId.pop(rel_id, None)


#: Parts of a template that the report does not use and that may carry who wrote or reviewed it:
#: comments and their authors, building blocks, the thumbnail of its first page, custom properties
#: and custom XML (a document library's metadata: owner, case officer).
_TRACES = ("/comments", "/commentsExtended", "/commentsIds", "/commentsExtensible", "/people",
           "/glossaryDocument", "/metadata/thumbnail", "/custom-properties", "/customXml")
#: The extended properties written instead of a template's (its company, manager, heading titles).
APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
           b'"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           b'<Application>evaluation</Application></Properties>')


def _drop_template_traces(document) -> None:
    """Leave out of the report what of the template it does not use and that may say who made
    it (:data:`_TRACES`), its extended properties (company, manager, its own heading titles), and
    the metadata of its pictures (a logo's designer, a photo's place and camera owner)."""
    for rels in (document.part.rels, document.part.package.rels):
        for rel_id, rel in list(rels.items()):
            if rel.reltype.endswith(_TRACES):
                del rels[rel_id]
                rels._target_parts_by_rId.pop(rel_id, None)
            elif rel.reltype.endswith("/extended-properties") and not rel.is_external:
                rel.target_part._blob = APP_XML
    for part in document.part.package.iter_parts():
        if part.content_type in ("image/png", "image/jpeg"):
            part._blob = without_metadata(part.blob)  # the template was checked (evaluation.inputs.textread)


#: What carries a fetched link in a part's XML, and so goes with it: a picture (DrawingML or VML),
#: a linked object, the attached template. Anything else that names the link goes alone.
_CARRIERS = {qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:attachedTemplate")}
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _drop_external_fetches(document) -> None:
    """Leave out what of the template Word would fetch from elsewhere when the report is opened: a
    picture linked (not embedded) from a web address or a file share, an attached template on a
    server, a linked object. In a published report such a link tells its owner when and where the
    report is read, and a share's path names the evaluator's network (Word may send the reader's
    login to it). The elements that use the link go with it; hyperlinks, which a reader follows,
    stay. :func:`evaluation.inputs.textread.check_template` says how many were found."""
    for part in document.part.package.iter_parts():
        dropped = {rel_id for rel_id, rel in part.rels.items() if fetched_by_word(rel.reltype, rel.is_external)}
        if not dropped:
            continue
        root = getattr(part, "element", None)
        loaded = root is not None  # python-docx's own parts; any other is XML kept as bytes (or no XML)
        if not loaded and part.content_type.endswith("xml"):
            root = parse_xml(part.blob)
        using = [] if root is None else [e for e in root.iter() if any(
            k.startswith(_R) and v in dropped for k, v in e.attrib.items())]
        for element in using:
            carrier = element if element.tag in _CARRIERS else next(
                (a for a in element.iterancestors() if a.tag in _CARRIERS), element)
            if carrier.getparent() is not None:
                carrier.getparent().remove(carrier)
        if using and not loaded:
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        for rel_id in dropped:
            del part.rels[rel_id]


def _tune_default(document) -> None:
    """A4, 2,5 cm margins and quiet, high-contrast styles for python-docx's default document."""
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
        section.header_distance = section.footer_distance = Cm(1.2)
        section.different_first_page_header_footer = True  # a clean title page
    styles = document.styles
    normal = styles["Normal"]
    _font(normal, fonts.FAMILY)
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    dark = RGBColor(0x1F, 0x38, 0x64)
    for name, size, before in (("Heading 1", 18, 24), ("Heading 2", 14, 16), ("Heading 3", 12, 12)):
        style = styles[name]
        _font(style, fonts.FAMILY)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = dark
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6)
    title = styles["Title"]
    _font(title, fonts.FAMILY)
    title.font.size = Pt(32)
    title.font.color.rgb = dark
    subtitle = styles["Subtitle"]
    _font(subtitle, fonts.FAMILY)
    subtitle.font.size = Pt(16)
    subtitle.font.italic = False
    subtitle.font.color.rgb = RGBColor(0x40, 0x40, 0x40)
    subtitle.paragraph_format.space_before = Pt(150)
    caption = styles["Caption"]
    caption.font.size = Pt(10)
    caption.font.bold = True
    caption.font.color.rgb = RGBColor(0x1F, 0x1F, 0x1F)
    caption.paragraph_format.space_before = Pt(10)
    caption.paragraph_format.space_after = Pt(4)
    quote = styles["Quote"]
    quote.paragraph_format.left_indent = Cm(1)
    quote.paragraph_format.right_indent = Cm(1)
    quote.paragraph_format.space_after = Pt(2)
    quote.font.color.rgb = RGBColor(0x26, 0x26, 0x26)
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(9)
        styles[name].font.color.rgb = RGBColor(0x50, 0x50, 0x50)
    toc_heading = styles["TOC Heading"]
    toc_heading.paragraph_format.page_break_before = False


def _font(style, name: str) -> None:
    """Set a style's font, dropping theme fonts (which Word would show instead)."""
    style.font.name = name
    fonts = style.element.rPr.rFonts
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)


def ensure_styles(document) -> None:
    """Add every style the renderer uses that the document lacks (a template may lack some)."""
    default = None
    styles = document.styles
    names = {s.name for s in styles}
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Caption", "Quote",
                 "List Paragraph", "TOC Heading", "Header", "Footer", "Table Grid"):
        if name in names:
            continue
        default = default or docx.Document()
        _copy_style(default, name, document)
    names = {s.name for s in styles}
    for level in (4, 5, 6):
        if f"Heading {level}" not in names:
            default = default or docx.Document()
            _copy_style(default, f"Heading {level}", document)
    names = {s.name for s in styles}
    if "Hyperlink" not in names:
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        link.font.underline = True
        link.unhide_when_used = True
    for level in (1, 2, 3):
        if f"toc {level}" not in names:
            toc = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            toc.base_style = styles["Normal"]
            toc.paragraph_format.left_indent = Cm(0.5 * (level - 1))
            toc.paragraph_format.space_before = Pt(4 if level == 1 else 0)
            toc.paragraph_format.space_after = Pt(0)
            toc.paragraph_format.line_spacing = 1.0
            if level > 1:
                toc.font.size = Pt(10)
            toc.unhide_when_used = True
    custom = {
        TABLE_TEXT: dict(size=9, after=0, line=1.0),
        NOTE: dict(size=9, after=6, line=1.0, color=RGBColor(0x40, 0x40, 0x40)),
        CAUTION: dict(size=11, after=6, line=1.15, bold=True),
        ATTRIBUTION: dict(size=9, after=10, line=1.0, indent=1, color=RGBColor(0x40, 0x40, 0x40)),
    }
    for name, look in custom.items():
        if name in names:
            continue
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size = Pt(look["size"])
        style.font.bold = look.get("bold")
        if "color" in look:
            style.font.color.rgb = look["color"]
        style.paragraph_format.space_after = Pt(look["after"])
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.line_spacing = look["line"]
        if "indent" in look:
            style.paragraph_format.left_indent = Cm(look["indent"])


def _copy_style(source, name: str, document) -> None:
    """Copy a style from python-docx's default document, pointing its links at existing styles."""
    element = copy.deepcopy(source.styles[name].element)
    by_name = {s.name: s.style_id for s in document.styles}
    source_names = {s.style_id: s.name for s in source.styles}
    for tag in ("w:basedOn", "w:next", "w:link"):
        ref = element.find(qn(tag))
        if ref is None:
            continue
        name = source_names.get(ref.get(qn("w:val")))
        if name in by_name:
            ref.set(qn("w:val"), by_name[name])
        else:
            element.remove(ref)
    document.styles.element.append(element)
