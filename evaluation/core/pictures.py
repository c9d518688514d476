"""Pictures in a report: those an input brings (a text's images, a Word template's logo), without
the metadata that may say who took them, where or when, and within a size a report can decode;
the PNG every chart is saved as (:func:`plain_png`); and which links of a Word file Word follows by
itself when the file opens (:func:`fetched_by_word`).

Used by the readers of texts (:mod:`evaluation.inputs.textread`), by the Word renderer for the
pictures of an evaluator's template, and by :func:`evaluation.compute.charts.draw`.
"""
from __future__ import annotations

import io
import struct
import warnings
import zlib

#: How the pictures a report embeds begin: PNG and JPEG.
IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


#: Most pixels a picture may have (a 48-megapixel phone photo fits). A small file can hold a
#: huge picture that would take gigabytes to decode (a decompression bomb).
MAX_IMAGE_PIXELS = 80_000_000


class TooManyPixels(ValueError):
    """A picture larger than :data:`MAX_IMAGE_PIXELS`; the message says so in Swedish."""


#: What a PNG or JPEG may carry besides its pixels and stay published: how to show them
#: (resolution, colour profile, gamma, transparency). Everything else is dropped: Exif (the
#: camera's owner, the place a photo was taken, the time), XMP, IPTC, comments and text chunks.
_SHOWING = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "adobe", "adobe_transform", "progressive",
            "progression", "icc_profile", "gamma", "srgb", "chromaticity", "transparency", "aspect", "interlace"}


def without_metadata(data: bytes) -> bytes:
    """A PNG or JPEG image without the metadata that may say who took it, where or when.

    A photo from a phone carries the place it was taken and often its owner's name; a report
    would publish them with the picture. An image without such metadata is returned as it is;
    one with it is saved again with its pixels only, turned upright first when the camera
    recorded it turned (the turn is itself Exif). An upright JPEG keeps its own quality tables.
    Other image types (from Word) are returned as they are.

    >>> import PIL.Image, PIL.PngImagePlugin
    >>> info = PIL.PngImagePlugin.PngInfo(); info.add_text("Author", "A")
    >>> out = io.BytesIO(); PIL.Image.new("RGB", (4, 2)).save(out, format="PNG", pnginfo=info)
    >>> clean = without_metadata(out.getvalue())
    >>> PIL.Image.open(io.BytesIO(clean)).info, without_metadata(clean) == clean
    ({}, True)
    """
    from PIL import ExifTags, Image, ImageOps

    if not any(data.startswith(magic) for magic in IMAGE_MAGIC):
        return data
    with warnings.catch_warnings():  # Pillow's own bomb check warns, then refuses: ours says it
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            opened = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError:
            opened = None
    if opened is None or opened.width * opened.height > MAX_IMAGE_PIXELS:
        size = "" if opened is None else f" ({opened.width} × {opened.height})"
        raise TooManyPixels(f"har fler bildpunkter{size} än de {MAX_IMAGE_PIXELS // 1_000_000} miljoner som får "
                            "bäddas in; spara den i lägre upplösning.")
    with opened as image:
        if set(image.info) <= _SHOWING:
            return data
        kept = {key: image.info[key] for key in ("icc_profile", "dpi", "transparency") if key in image.info}
        kept.update(exif=b"", xmp=b"", comment=b"")  # Pillow would copy the last two from the original
        out = io.BytesIO()
        if image.format == "PNG":
            ImageOps.exif_transpose(image).save(out, format="PNG", **kept)
        elif image.getexif().get(ExifTags.Base.Orientation, 1) == 1:
            image.save(out, format="JPEG", quality="keep", subsampling="keep", **kept)
        else:
            ImageOps.exif_transpose(image).save(out, format="JPEG", quality=92, **kept)
    return out.getvalue()


_PNG = b"\x89PNG\r\n\x1a\n"
#: ISA-L's deflate level of a chart's pixels (0–3; 1 compresses nearly as well as 3, faster).
PNG_LEVEL = 1


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))


def plain_png(rgb, dpi: int) -> bytes:
    """An 8-bit RGB PNG of ``rgb`` (a height × width × 3 array: a drawn chart, its alpha already
    left out), at ``dpi``, its rows unfiltered.

    Pillow tries every PNG row filter on every row (adaptive filtering): for a chart's flat
    colours that costs more time than it saves bytes. Here each row is stored as it is and
    compressed once, with ISA-L's deflate (python-isal) at its level 1 (:data:`PNG_LEVEL`): the
    same zlib stream format, five to eight times as fast as zlib's own. For the 61 charts of 12
    bench reports 0.7 ms a chart instead of 6.2 with zlib at level 3 (and Pillow's 14 ms at its
    fastest level), 77 KiB instead of 74; a chart drawn whole took 3 CPU-ms less (36 → 33). The
    PDF renderer embeds these bytes as they are (:func:`evaluation.renderers.pdf.plain_rgb_idat`).

    >>> import numpy as np, PIL.Image
    >>> pixels = np.full((2, 3, 3), 255, np.uint8); pixels[1, 2] = (200, 0, 10)
    >>> image = PIL.Image.open(io.BytesIO(plain_png(pixels, 200)))
    >>> image.mode, image.size, image.getpixel((2, 1)), image.getpixel((0, 0)), round(image.info["dpi"][0])
    ('RGB', (3, 2), (200, 0, 10), (255, 255, 255), 200)
    """
    import numpy as np
    from isal import isal_zlib  # only where charts are drawn: not at import (validate, the CLI)

    height, width = rgb.shape[:2]
    rows = np.empty((height, width * 3 + 1), np.uint8)  # each row: its filter type, 0 (none), then its pixels
    rows[:, 0] = 0
    rows[:, 1:] = np.asarray(rgb).reshape(height, width * 3)  # whole rows: a copy as fast as memory
    per_metre = round(dpi / 0.0254)
    return b"".join((
        _PNG,
        _chunk(b"IHDR", struct.pack("!IIBBBBB", width, height, 8, 2, 0, 0, 0)),  # 8 bits, RGB, not interlaced
        _chunk(b"pHYs", struct.pack("!IIB", per_metre, per_metre, 1)),
        _chunk(b"IDAT", isal_zlib.compress(rows, PNG_LEVEL)),
        _chunk(b"IEND", b""),
    ))


def fetched_by_word(reltype: str, external: bool) -> bool:
    """Whether Word follows a relationship by itself when a document opens: an external one that is
    not a hyperlink (a picture linked from a web address or a share, a template on a server, a
    linked object). A published report must hold none: each tells its owner when and where the
    report is read.

    >>> fetched_by_word("http://schemas.openxmlformats.org/officeDocument/2006/relationships/image", True)
    True
    >>> fetched_by_word("http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink", True)
    False
    """
    return external and not reltype.endswith("/hyperlink")
