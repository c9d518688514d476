"""How a block shows itself in a notebook (JupyterLab, papermill): outputs, not one HTML string.

A section is shown as its heading and blocks, with each chart as its own ``image/png`` output
(not base64 inside HTML), so an executed notebook stays small and a chart is a picture Lab can
show on a dark theme (the PNG has its own white background and margin). An empty section shows
nothing. Headings get the id JupyterLab gives them (the text with ``-`` for spaces), so the
contents' links work in Lab; text cells are left-aligned inline (Lab right-aligns every cell).

Every output carries ``metadata["evaluation"]`` naming what it shows; the report page made
from an executed notebook (:func:`evaluation.renderers.html.from_notebook`) replaces a
section's outputs by that section's report HTML, so the page is the same as before.

>>> from evaluation.core.model import Section, Paragraph
>>> [m["evaluation"] for _, m in outputs(Section("metod", "Metod", (Paragraph("Text."),)))]
[{'section': 'metod'}]
>>> outputs(Section("tom", "Tom", ()))
[]
>>> outputs(Section("avsnitt-4", "Organisation", (), number="4"))[0][0]["text/html"]
'<h2 id="4.-Organisation">4. Organisation</h2>'
"""
from __future__ import annotations

import base64
import re

from evaluation.core.model import Block, Chart, Contents, Section
from evaluation.renderers.html import NOTEBOOK_KEY as KEY

_TEXT_CELL = re.compile(r'<(td|th)( scope="(?:row|col)")? class="text"')


def lab_anchor(title: str) -> str:
    """The id JupyterLab gives a heading: its text with ``-`` for each space."""
    return title.replace(" ", "-")


def _left(html: str) -> str:
    """Text cells and captions left-aligned inline (Lab's stylesheet right-aligns table cells)."""
    html = _TEXT_CELL.sub(lambda m: f'<{m.group(1)}{m.group(2) or ""} class="text" style="text-align: left"', html)
    return html.replace("<caption>", '<caption style="text-align: left">')


def _html(block: Block) -> str:
    from evaluation.renderers import html

    return _left(html.block(block))


def _png(chart: Chart, what: dict) -> tuple[dict, dict]:
    png = chart.screen_png
    width = int.from_bytes(png[16:20], "big")  # from the PNG's header
    return ({"image/png": base64.b64encode(png).decode("ascii"), "text/plain": chart.alt},
            {KEY: {**what, "chart": chart.id}, "image/png": {"width": width}})


def outputs(block: Block) -> list[tuple[dict, dict]]:
    """The (data, metadata) pairs ``block`` shows as in a notebook."""
    if isinstance(block, Section):
        if not block.blocks and not block.number:  # a numbered outline heading shows, even alone
            return []
        what = {"section": block.id}
        level = 2 + block.depth
        out, html = [], [f'<h{level} id="{lab_anchor(block.heading)}">{block.heading}</h{level}>']
        for child in block.blocks:
            if isinstance(child, Chart):
                if html:
                    out.append(({"text/html": "\n".join(html)}, {KEY: dict(what)}))
                    html = []
                out.append(_png(child, what))
            else:
                html.append(_html(child))
        if html:
            out.append(({"text/html": "\n".join(html)}, {KEY: dict(what)}))
        return out
    if isinstance(block, Contents):
        items = "".join(f'<li><a href="#{lab_anchor(title)}">{title}</a></li>' for _, title in block.entries)
        nav = f'<nav class="toc"><h2 id="Innehåll">Innehåll</h2><ol>{items}</ol></nav>'
        return [({"text/html": nav}, {KEY: {"contents": True}})]
    if isinstance(block, Chart):
        return [_png(block, {})]
    return [({"text/html": _html(block)}, {KEY: {"block": type(block).__name__}})]


def show(block: Block) -> None:
    """Display ``block``'s outputs in the running kernel (IPython's ``_ipython_display_``)."""
    from IPython.display import display

    for data, metadata in outputs(block):
        display(data, raw=True, metadata=metadata)
