"""The one typeface of every report: Source Sans Pro, shipped with the package.

The font files come from the registry package ``font-source-sans-pro`` (SIL Open Font Licence
1.1), so the PDF, the HTML page, the chart images and the Word column widths use the same
metrics on every machine, whatever fonts fontconfig happens to find. Source Sans Pro is a
narrow humanist sans with tabular figures and full Swedish and typographic coverage (``–``,
``…``, ``≥``, non-breaking spaces), which keeps wide tables inside an A4 page.

- :func:`font_face_css` gives ``@font-face`` rules: file URLs for WeasyPrint (with the fallback
  :data:`FALLBACK` for the few glyphs the face lacks, from matplotlib's own files), or a subset of
  the Latin glyphs as WOFF data URIs for the self-contained HTML page (≈ 35 kB a face).
- :func:`use_in_matplotlib` registers the files with matplotlib's font manager.
- :func:`text_width` measures a text in points with the font's own advance widths (Word
  column widths are set from it).

>>> FAMILY
'Source Sans Pro'
>>> round(text_width("Arbetsförmedlingen", 10), 1)
83.5
>>> text_width("Kvinnor", 10, bold=True) > text_width("Kvinnor", 10)
True
"""
from __future__ import annotations

import base64
import io
from functools import lru_cache
from pathlib import Path

from evaluation.core.errors import Notice

#: The family name used in CSS, matplotlib and Word styles.
FAMILY = "Source Sans Pro"
#: CSS font stack: the shipped face first; the rest only for glyphs it lacks.
CSS_STACK = f'"{FAMILY}", "DejaVu Sans", sans-serif'

#: (CSS weight, CSS style) → file name stem inside the package.
_FACES = {
    (400, "normal"): "SourceSansPro-Regular",
    (400, "italic"): "SourceSansPro-It",
    (700, "normal"): "SourceSansPro-Bold",
    (700, "italic"): "SourceSansPro-BoldIt",
}
#: Faces embedded in the HTML page (bold italic is rare and left to the browser's synthesis).
_HTML_FACES = ((400, "normal"), (400, "italic"), (700, "normal"))

#: Code points kept in the HTML subset: Basic Latin, Latin-1, Latin Extended-A, general
#: punctuation (dashes, quotes, ellipsis, thin and narrow spaces) and a few signs.
_SUBSET = (list(range(0x20, 0x7F)) + list(range(0xA0, 0x180)) + list(range(0x2010, 0x2050))
           + [0x20AC, 0x2190, 0x2191, 0x2192, 0x2193, 0x2212, 0x2264, 0x2265, 0x2248, 0x2260])


def _folder() -> Path:
    import font_source_sans_pro

    return Path(font_source_sans_pro.font_directory)


def path(weight: int = 400, style: str = "normal") -> Path:
    """The TTF file of one face.

    >>> path(700).name
    'SourceSansPro-Bold.ttf'
    """
    return _folder() / f"{_FACES[(weight, style)]}.ttf"


def font_face_css(embed: bool = False) -> str:
    """``@font-face`` rules for :data:`FAMILY`.

    ``embed=False``: ``file://`` URLs of the shipped TTFs (WeasyPrint embeds a subset in the
    PDF). ``embed=True``: WOFF data URIs, so the page stays one file that makes no requests.

    >>> 'src: url("file://' in font_face_css()
    True
    >>> font_face_css(embed=True).count("data:font/woff;base64,")
    3
    """
    rules = []
    for weight, style in (_HTML_FACES if embed else _FACES):
        src = (f'url("data:font/woff;base64,{_woff_base64(weight, style)}") format("woff")' if embed
               else f'url("{path(weight, style).as_uri()}") format("truetype")')
        rules.append(f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; '
                     f'font-style: {style}; src: {src}; }}')
    if not embed:  # the fallback too is a file of ours, not the machine's
        rules += [f'@font-face {{ font-family: "{FALLBACK}"; font-weight: {weight}; font-style: {style}; '
                  f'src: url("{fallback_path(weight, style).as_uri()}") format("truetype"); }}'
                  for weight, style in _FACES]
    return "\n".join(rules)


#: The face for a glyph Source Sans Pro lacks (✔, arrows, Greek beyond the basics): DejaVu Sans,
#: as matplotlib ships it, so a PDF never takes it from the machine's own fonts.
FALLBACK = "DejaVu Sans"
_FALLBACK_FILES = {(400, "normal"): "DejaVuSans", (400, "italic"): "DejaVuSans-Oblique",
                   (700, "normal"): "DejaVuSans-Bold", (700, "italic"): "DejaVuSans-BoldOblique"}


def fallback_path(weight: int = 400, style: str = "normal") -> Path:
    """The TTF file of one face of :data:`FALLBACK`, from matplotlib's own data.

    >>> fallback_path(700).name
    'DejaVuSans-Bold.ttf'
    """
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / f"{_FALLBACK_FILES[(weight, style)]}.ttf"


@lru_cache(maxsize=None)
def _woff_base64(weight: int, style: str) -> str:
    """A Latin subset of one face as base64 WOFF (read once a process, :func:`kept_subset`)."""
    return base64.b64encode(kept_subset(weight, style, "woff")).decode("ascii")


def kept_subset(weight: int, style: str, flavor: str | None = None) -> bytes:
    """:func:`subset`, made once a machine and kept in the user's cache (:mod:`evaluation.core.usercache`).

    Making the subsets took half a second for the HTML page's three WOFF faces, and a second for
    the four TrueType faces ``rapport.docx`` embeds, in every process that writes a page or a
    Word file (each worker of a batch, the command writing the index, a single render). The kept
    file is named by what it is made from: the font file's bytes, fontTools' version, the code
    points, the flavour and :func:`subset`'s own code; a change of any of them makes a new one.
    Where the cache cannot be written the subset is made each time, as before.
    """
    import hashlib
    import os
    import tempfile

    import fontTools

    from evaluation.core import usercache

    source = path(weight, style)
    made_from = hashlib.sha256(source.read_bytes())
    made_from.update(f"{fontTools.version} {_SUBSET} {flavor} {subset.__code__.co_consts}".encode()
                     + subset.__code__.co_code)
    name = f"{source.stem}-{made_from.hexdigest()[:16]}.{flavor or 'ttf'}"
    try:
        kept = usercache.folder("typsnitt") / name
    except OSError:  # no cache to keep it in
        return subset(weight, style, flavor)
    if kept.is_file():
        return kept.read_bytes()
    data, out = subset(weight, style, flavor), None
    try:
        with tempfile.NamedTemporaryFile(dir=kept.parent, prefix=".", suffix=".tmp", delete=False) as out:
            out.write(data)
        os.replace(out.name, kept)  # whole or not at all: a batch's workers may make it at once
    except OSError:  # kept next time, then
        if out is not None:
            Path(out.name).unlink(missing_ok=True)
    return data


def subset(weight: int, style: str, flavor: str | None = None) -> bytes:
    """The Latin subset of one face (``flavor`` ``"woff"`` or ``None`` for TrueType); deterministic.

    >>> subset(400, "normal")[:4] == b"\\x00\\x01\\x00\\x00"
    True
    """
    from fontTools import subset as subsetting
    from fontTools.ttLib import TTFont

    options = subsetting.Options()
    options.flavor = flavor
    options.layout_features = ["kern", "liga", "tnum", "lnum"]
    options.hinting = flavor is None  # hints help Word's screen rendering; browsers ignore them
    options.name_IDs = ["*"]
    font = TTFont(path(weight, style), recalcTimestamp=False)
    subsetter = subsetting.Subsetter(options)
    subsetter.populate(unicodes=_SUBSET)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def use_in_matplotlib() -> None:
    """Register the shipped faces with matplotlib (idempotent) so charts draw in :data:`FAMILY`."""
    _register_matplotlib()


@lru_cache(maxsize=1)
def _register_matplotlib() -> None:
    from matplotlib import font_manager

    for weight, style in _FACES:
        font_manager.fontManager.addfont(str(path(weight, style)))


@lru_cache(maxsize=4)
def _metrics(bold: bool):
    from fontTools.ttLib import TTFont

    font = TTFont(path(700 if bold else 400), lazy=True)
    cmap = font.getBestCmap()
    advances = font["hmtx"].metrics
    return cmap, {code: advances[name][0] for code, name in cmap.items()}, font["head"].unitsPerEm


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` in points at ``size`` points (advance widths; no kerning).

    A character the font lacks counts as wide as an ``M``.

    >>> text_width("", 10)
    0.0
    """
    cmap, advances, units = _metrics(bold)
    wide = advances[ord("M")]
    return sum(advances.get(ord(c), wide) for c in text) * size / units


@lru_cache(maxsize=1)
def _fallback_cmap() -> frozenset[int]:
    """The code points of the shipped fallback (read only when a text needs it: 0.15 s)."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(fallback_path(), lazy=True).getBestCmap())


def uncovered(text: str) -> list[tuple[int, str]]:
    """``(line, characters)`` for each line (1-based) with a character neither the report's font nor
    its fallback has (an emoji pasted from a chat, a rare symbol): a PDF shows it as an empty box,
    or takes it from whatever font the machine has. Spaces and invisible characters are not counted.

    >>> uncovered("Klart ✓ och ≥ 50 %\\nBra ✅")
    [(2, '✅')]
    """
    import unicodedata

    own = _metrics(False)[0]
    if all(ord(c) in own or c in "\n\t" for c in set(text)):
        return []
    out = []
    for n, line in enumerate(text.split("\n"), start=1):
        missing = "".join(dict.fromkeys(c for c in line if ord(c) not in own and ord(c) not in _fallback_cmap()
                                        and unicodedata.category(c)[0] not in "CZ"))
        if missing:
            out.append((n, missing))
    return out


def named(chars: str) -> str:
    """Characters as a message names them, with their code points.

    >>> named("✅"), named("👍✅")
    ('tecknet ✅ (U+2705)', 'tecknen 👍 ✅ (U+1F44D, U+2705)')
    """
    return (f"{'tecknet' if len(chars) == 1 else 'tecknen'} {' '.join(chars)} "
            f"({', '.join(f'U+{ord(c):04X}' for c in chars)})")


def unprintable(path: Path, text: str, first_line: int | None = 1) -> list[Notice]:
    """A character no shipped font has (an emoji pasted from a chat) in a file the evaluator typed:
    the PDF shows an empty box for it. One notice a line; ``first_line`` is the file's line of the
    text's first line (``None``: a Word text, which has no lines to name).

    >>> [n.describe() for n in unprintable(Path("x.md"), "Bra\\nKlart ✅", 3)][0][:42]
    'Varning: x.md, rad 4: tecknet ✅ (U+2705) f'
    """
    return [Notice(path, None if first_line is None else first_line + line - 1, (
        f"{named(chars)} finns inte i rapportens typsnitt och blir en tom ruta "
        "i PDF:en (eller ett annat typsnitt på en annan dator). Skriv med ord, eller med ett vanligt tecken "
        "(✓ i stället för ✅)."))
        for line, chars in uncovered(text)]
