"""Personal data in a workbook besides the table read: on its other sheets and in their names,
in its cells' comments and links, in its defined names, table names and cell styles, and in
number formats that write digits of their own.

Never read into a report, but handed on with the file, so refused like a cell of the table
(:func:`evaluation.inputs.files.read_table`). Never quoted.
"""
from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree as SafeET

from evaluation.core import pii
from evaluation.core.pii import quote
from evaluation.inputs import ooxml
from evaluation.inputs.xlsxread import column_letter, from_a1, worksheets

#: Most places named in a message about what a workbook holds besides its table.
_LISTED_CELLS = 10

#: The parts of a workbook that hold its cells' comments (notes) and threaded comments: Excel's
#: ``xl/comments1.xml`` and ``xl/threadedComments/threadedComment1.xml``, openpyxl's ``xl/comments/comment1.xml``.
_COMMENTS = re.compile(r"xl/(?:[^/]*/)?(?:threaded)?comments?\d*\.xml", re.I)


def personal_data_elsewhere(path: Path, other_sheets: bool = True) -> list[tuple[str, str]]:
    """``(place, kind)`` of personal data in a workbook where the table is not: on the sheets after
    the one read (a key from codes to personnummer, a contact list), in the cells' comments, the
    defined names, the number formats and the document's properties.
    Never read into a report, but in the file that is handed on, so refused like a cell of the
    table. At most :data:`_LISTED_CELLS` places; a number cell is read as its digits (``8112189876``).
    ``other_sheets=False``: the workbook has one sheet (not opened again: its shared strings may be large).
    """
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    book = CalamineWorkbook.from_path(str(path)) if other_sheets else None
    sheets = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet][1:] if book else []
    found = []
    for meta in sheets:
        for r, row in enumerate(from_a1(book.get_sheet_by_name(meta.name)), start=1):
            for c, cell in enumerate(row):
                text = (cell if isinstance(cell, str) else f"{int(cell)}" if isinstance(cell, float) and cell.is_integer()
                        else str(cell) if isinstance(cell, int) else None)
                kind = text and pii.value_kind(text)
                if kind:
                    found.append((f"bladet {quote(meta.name)}, cell {column_letter(c)}{r}", kind))
                    if len(found) == _LISTED_CELLS:
                        return found
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        notes = [name for name in names if _COMMENTS.fullmatch(name)]
        texts = "\n".join(t.text or "" for name in notes for t in SafeET.fromstring(package.read(name)).iter()
                          if t.tag.endswith(("}t", "}text", "}author")))
        named = "\n\n".join(_named(package, names))
        defined = "\n".join(f"{n.get('name', '')}\n{n.text or ''}" for n in _parts(package, "xl/workbook.xml", "definedName"))
        formats = [n.get("formatCode", "") for n in _parts(package, "xl/styles.xml", "numFmt")]
        properties = ooxml.properties_text(package)
        sheets_named = worksheets(package)
        for name, part in sheets_named:  # a sheet's header and footer, its drop-down lists, its links
            tail = _after_cells(package, part) + "\n\n" + _links(package, part)
            if pii.holds_pnr(tail):
                found.append((f"bladet {quote(name)}: sidhuvudet, sidfoten, en listruta eller dess meddelanden "
                              "(Data → Dataverifiering) eller en länk", pii.PNR))
    if pii.holds_pnr(" ".join(name for name, _ in sheets_named), luhn=True):
        found.append(("bladens namn (ett namn, eller två flikar intill varandra)", pii.PNR))
    if pii.holds_pnr(named):
        found.append(("ett tabellnamn eller en cellformatmall i arbetsboken", pii.PNR))
    found += [("en kommentar i arbetsboken", kind) for kind in sorted({kind for _, kind in pii.text_hits(texts)})]
    found += [("arbetsbokens egenskaper (Arkiv → Info: titel, ämne, taggar, författare …)", kind)
              for kind in sorted({kind for _, kind in pii.text_hits(properties)})]
    found += [("ett namn i arbetsboken (Formler → Namnhanteraren)", kind)
              for kind in sorted({kind for _, kind in pii.text_hits(defined)})]
    if any(_writes_digits(code) for code in formats):  # 811218 shown as 811218-9876
        found.append(("ett talformat i arbetsboken som skriver fyra siffror efter talet", pii.PNR))
    return found[:_LISTED_CELLS]


_END_OF_CELLS = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>|<(?:[A-Za-z_][\w.-]*:)?sheetData\s*/>")


def _after_cells(package: zipfile.ZipFile, part: str, size: int = 1 << 20, most: int = 1 << 22) -> str:
    """The text of a sheet's XML after its cells (``</sheetData>``): its header and footer and its
    validation lists, tags and entities out. Read a MiB at a time; the cells (scanned as cells)
    are not kept, and of what follows them at most ``most`` bytes.

    >>> import io
    >>> book = io.BytesIO()
    >>> with zipfile.ZipFile(book, "w") as z:
    ...     z.writestr("s.xml", "<x:sheetData><c>1</c></x:sheetData><oddHeader>&amp;L811218</oddHeader>")
    >>> _after_cells(zipfile.ZipFile(book), "s.xml", size=7).split()
    ['&L811218']
    """
    kept, carry = None, b""
    with package.open(part) as sheet:
        while chunk := sheet.read(size):
            if kept is not None:
                kept = (kept + chunk)[:most]
                if len(kept) == most:
                    break
                continue
            window = carry + chunk
            end = _END_OF_CELLS.search(window)
            if end:
                kept = window[end.end():][:most]
            carry = window[-64:]
    if not kept:
        return ""
    said = b"\n\n".join(_SAID.findall(kept))  # a validation's messages, a link's tooltip and shown text
    return html.unescape((re.sub(rb"<[^>]*>", b"\n", kept) + b"\n\n" + said).decode("utf-8", "replace"))


#: Attributes after a sheet's cells that hold a writer's words: a data validation's input and error
#: messages, a link's tooltip and shown text.
_SAID = re.compile(rb"""\b(?:promptTitle|prompt|errorTitle|error|tooltip|display)\s*=\s*["']([^"']*)["']""")


def _links(package: zipfile.ZipFile, part: str) -> str:
    """The addresses a sheet's links go to (its relationships' targets outside the workbook)."""
    folder, _, file = part.rpartition("/")
    rels = f"{folder}/_rels/{file}.rels"
    return "\n\n".join(html.unescape(r.get("Target", "")) for r in _parts(package, rels, "Relationship")
                         if r.get("TargetMode") == "External")


def _named(package: zipfile.ZipFile, names: list[str]) -> list[str]:
    """The names a writer gave to the workbook's tables (Infoga → Tabell) and cell styles."""
    tables = [t.get(attribute, "") for name in names if re.fullmatch(r"xl/tables/[^/]*\.xml", name)
              for t in _parts(package, name, "table") for attribute in ("name", "displayName")]
    return tables + [style.get("name", "") for style in _parts(package, "xl/styles.xml", "cellStyle")]


def _writes_digits(code: str) -> bool:
    r"""Whether a number format writes four digits of its own (not the placeholders ``0000``):
    ``0"-9876"`` and ``0\-9876`` show the number 811218 as 811218-9876.

    >>> [_writes_digits(c) for c in ('0"-9876"', r'0\-9\8\7\6', '0" kr"', '#,##0', '000000"-"0000', 'yyyy-mm-dd')]
    [True, True, False, False, False, False]
    >>> [_writes_digits(c) for c in ('[$-10041D]d mmmm yyyy', '[>=10000]0" kr";0', r'0\-[$9876-41D]', '[$kr-41D] 0')]
    [False, False, True, False]
    """
    # [$9876-41D] writes its text (a currency's sign); not [$-10041D], [>=10000], [Red]
    literal = re.sub(r"\[\$([^\]-]*)[^\]]*\]|\[[^\]]*\]", r"\1", code).replace('"', "").replace("\\", "")
    return any(run.strip("0") for run in re.findall(r"\d{4,}", literal))


def _parts(package: zipfile.ZipFile, name: str, tag: str) -> list:
    """The ``tag`` elements of the part ``name`` of a workbook (none when it has no such part)."""
    if name not in package.namelist():
        return []
    return [e for e in SafeET.fromstring(package.read(name)).iter() if e.tag.endswith("}" + tag)]
