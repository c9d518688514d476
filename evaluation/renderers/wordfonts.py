"""The report font embedded in ``rapport.docx``, so Word and LibreOffice lay it out alike.

Word shows a document in the fonts of the reader's machine; Source Sans Pro is rarely
installed, and a substitute of other widths would break the words the column widths were
measured for. The Office Open XML format lets a document carry its fonts (ECMA-376 Part 1,
§17.8.1): each face is an obfuscated TTF part (``word/fonts/fontN.odttf``, its first 32 bytes
XORed with a GUID key) related from the font table, with ``<w:embedRegular>`` and siblings
naming it. Word and LibreOffice use such fonts when they open the file. We embed the
Latin subset (≈ 50 kB a face), marked ``w:subsetted``.

>>> key = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
>>> _obfuscate(bytes(40), key)[:16].hex()
'ffeeddccbbaa99887766554433221100'
>>> _obfuscate(_obfuscate(b"x" * 40, key), key) == b"x" * 40
True
"""
from __future__ import annotations

import hashlib
import uuid
from functools import lru_cache

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from evaluation.core import fonts

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
#: (w: element, CSS weight, CSS style) of each embedded face.
_FACES = (("w:embedRegular", 400, "normal"), ("w:embedBold", 700, "normal"),
          ("w:embedItalic", 400, "italic"), ("w:embedBoldItalic", 700, "italic"))


def _obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes with the GUID's 16 bytes in reverse order (the same both ways)."""
    raw = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ raw[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


@lru_cache(maxsize=None)
def _subset_ttf(weight: int, style: str) -> bytes:
    """The Latin subset of one face as a TrueType file (deterministic, made once a machine:
    :func:`evaluation.core.fonts.kept_subset`)."""
    return fonts.kept_subset(weight, style)


def _key(weight: int, style: str) -> str:
    """A GUID fixed by the face, so the same report gives the same bytes."""
    digest = hashlib.sha1(f"{fonts.FAMILY}/{weight}/{style}".encode()).hexdigest()[:32]
    return "{" + str(uuid.UUID(digest)).upper() + "}"


def embed(document) -> None:
    """Embed the report font's faces in ``document`` (a python-docx Document)."""
    main = document.part
    table = next((rel.target_part for rel in main.rels.values() if rel.reltype == RT.FONT_TABLE), None)
    if table is None:
        return
    from lxml import etree

    root = etree.fromstring(table.blob)
    w = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for old in root.findall(f"{{{w}}}font"):
        if old.get(f"{{{w}}}name") == fonts.FAMILY:
            root.remove(old)
    font = parse_xml(f'<w:font {nsdecls("w", "r")} w:name="{fonts.FAMILY}"><w:charset w:val="00"/>'
                     '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>')
    for number, (tag, weight, style) in enumerate(_FACES, start=1):
        key = _key(weight, style)
        part = Part(PackURI(f"/word/fonts/font{number}.odttf"), OBFUSCATED_FONT,
                    _obfuscate(_subset_ttf(weight, style), key), main.package)
        rid = table.relate_to(part, RT.FONT)
        element = parse_xml(f'<{tag} {nsdecls("w", "r")} r:id="{rid}" w:fontKey="{key}" w:subsetted="1"/>')
        font.append(element)
    root.append(etree.fromstring(etree.tostring(font)))
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = document.settings.element
    if settings.find(qn("w:embedTrueTypeFonts")) is None:
        flag = parse_xml(f'<w:embedTrueTypeFonts {nsdecls("w")}/>')
        # schema order: after writeProtection, view, zoom, removePersonalInformation, removeDateAndTime,
        # doNotDisplayPageBoundaries, displayBackgroundShape, printPostScriptOverText,
        # printFractionalCharacterWidth, printFormsData; before everything else
        early = {qn(f"w:{t}") for t in ("writeProtection", "view", "zoom", "removePersonalInformation",
                                         "removeDateAndTime", "doNotDisplayPageBoundaries",
                                         "displayBackgroundShape", "printPostScriptOverText",
                                         "printFractionalCharacterWidth", "printFormsData")}
        position = 0
        for i, child in enumerate(settings):
            if child.tag in early:
                position = i + 1
        settings.insert(position, flag)

