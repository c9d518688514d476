"""Charts (matplotlib figures kept outside pyplot), returned as :class:`evaluation.model.Chart` blocks.

Charts never touch files. A chart block holds the data it shows, an alt text that states the
figures (a reader who cannot see the picture gets the same numbers) and how to make its
figure. The figure is made and drawn once, to PNG bytes at :data:`DPI` (sharp in print and
Word), when the chart is first shown: checking a report (``evaluation validate``) makes no
figure and does not even import matplotlib.
"""
from __future__ import annotations

import functools
import io
import math
import textwrap

import numpy as np
import pandas as pd

from . import fmt, vocab
from .model import Chart

PALETTE = ["#1f5f8b", "#c0620a", "#3d7a2a", "#8e3b79", "#6b6b6b", "#b02a3a"]  # each at least 3:1 on white (WCAG 1.4.11)

#: The house style (a white grid, grey frame, no tick marks), applied while a chart is made and
#: drawn, so that a user's own plots in JupyterLab keep theirs.
STYLE = {
    "font.size": 10.8, "axes.titlesize": 10.8, "axes.labelsize": 10.8, "xtick.labelsize": 9.9,
    "ytick.labelsize": 9.9, "legend.fontsize": 9.9, "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "sans-serif"],
    "text.color": "#262626", "axes.labelcolor": "#262626", "xtick.color": "#262626", "ytick.color": "#262626",
    "axes.facecolor": "white", "figure.facecolor": "white", "axes.edgecolor": "#cccccc", "axes.linewidth": 1.25,
    "axes.grid": True, "axes.axisbelow": True, "grid.color": "#cccccc", "grid.linewidth": 1.0,
    "xtick.bottom": False, "ytick.left": False, "lines.linewidth": 1.5, "patch.edgecolor": "white",
    "legend.frameon": True, "legend.edgecolor": "#cccccc",
    "axes.titley": 1.0,  # a fixed title position: no search among the axes' children at every draw
}


def theme() -> None:
    """Give your own matplotlib and seaborn plots the report's look, for the rest of the session:
    the house style :data:`STYLE` and the colours :data:`PALETTE` (the report's own charts keep
    theirs either way). With seaborn installed (``pip install 'evaluation[lab]'``) its theme is
    set too.

    >>> import matplotlib
    >>> with matplotlib.rc_context():  # restored afterwards (a session keeps it)
    ...     theme()
    ...     matplotlib.rcParams["axes.prop_cycle"].by_key()["color"][0] == PALETTE[0]
    True
    """
    import matplotlib
    from cycler import cycler

    matplotlib.rcParams.update(STYLE)
    matplotlib.rcParams["axes.prop_cycle"] = cycler(color=PALETTE)
    try:
        import seaborn
    except ImportError:
        return
    seaborn.set_theme(style="whitegrid", palette=PALETTE, rc={**STYLE, "axes.prop_cycle": cycler(color=PALETTE)})


def _percent_axis(axis) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(v, 0)))


#: Resolution of every chart: sharp in Word and PDF at full text width.
DPI = 200


def _figure(width: float, height: float):
    """A figure and its axes, outside pyplot (nothing global to close); :func:`draw` sets its margins."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


_EDGE, _GAP = 4.0, 8.0  # points: free space at the figure's edge; from the axes to its tick labels
_LINE = 1.25  # a line of text is 1.25 × its font size high


def _width(text) -> float:
    """Width in points of a text artist (its widest line), measured without drawing anything."""
    prop = text.get_fontproperties()
    return max(_line_width(line, prop.get_size_in_points(), tuple(prop.get_family()), prop.get_weight())
               for line in text.get_text().split("\n"))


@functools.lru_cache(maxsize=4096)
def _line_width(line: str, size: float, family: tuple, weight) -> float:
    """Labels come back in chart after chart and report after report: each is measured once."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(family=list(family), size=size, weight=weight)
    return _ruler().get_text_width_height_descent(line, prop, ismath=False)[0]


def _height(text) -> float:
    """Height in points of a text artist's lines."""
    return text.get_fontsize() * _LINE * (text.get_text().count("\n") + 1)


@functools.cache
def _ruler():
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, 72)  # at 72 dpi a pixel is a point


def _place(fig, ax, top: float | None = None) -> None:
    """Set the margins around the axes from the texts there: tick labels, axis label and title.

    Instead of a layout engine: constrained layout lays every tick label out several times and
    makes saving draw the figure twice; here each label is measured once and the figure is
    drawn once. ``top`` is the room (points) above the axes, when more than a title's.
    """
    import matplotlib

    width, height = fig.get_size_inches() * 72
    y_labels = [t for t in ax.yaxis.get_majorticklabels() if t.get_text()]
    x_labels = [t for t in ax.xaxis.get_majorticklabels() if t.get_text()]
    half_x = max((_width(t) / 2 for t in x_labels), default=0)  # a centred tick label at either edge
    left = max(_EDGE + _GAP + max((_width(t) for t in y_labels), default=0), _EDGE + half_x)
    right = _EDGE + half_x
    bottom = _EDGE + _GAP + max((_height(t) for t in x_labels), default=0)
    if ax.get_xlabel():
        bottom += _height(ax.xaxis.label) + matplotlib.rcParams["axes.labelpad"]
    if top is None:
        top = _height(ax.title) + matplotlib.rcParams["axes.titlepad"] if ax.get_title() else 0
    top += _EDGE
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height)


def draw(make, top: float | None = None) -> bytes:
    """Make a figure (``make()``, in the house style :data:`STYLE`), place its axes
    (:func:`_place`) and draw it once as PNG bytes at :data:`DPI`."""
    import matplotlib

    with matplotlib.rc_context(STYLE):
        fig = make()
        _place(fig, fig.axes[0], top)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def to_chart(make, title: str, alt: str, data: pd.DataFrame, top: float | None = None) -> Chart:
    """A chart block: ``make()`` returns its figure, made and drawn when first shown (:func:`draw`);
    ``top`` is the room (points) above the axes when more than a title's."""
    chart_id = vocab.row_slug(title).replace("_", "-")  # å, ä, ö as a, a, o: "forsorjningskalla-..."
    return Chart(id=chart_id, title=title, alt=alt, make=functools.partial(draw, make, top),
                 data=data.reset_index(drop=True))


def _listing(pairs) -> str:
    return "; ".join(f"{label}: {value}" for label, value in pairs)


def _bars(ax, categories: list, series: list[tuple[str, list, str]]) -> list:
    """Horizontal bars, one group per category (top to bottom), one bar per series in a group.

    ``series`` is ``(name, values, colour)``; a missing value (a hidden cell) draws no bar.
    Returns the bar containers, one per series.
    """
    k = len(series)
    height = 0.8 / k
    y = np.arange(len(categories), dtype=float)
    drawn = []
    for i, (name, values, color) in enumerate(series):
        widths = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)
        drawn.append(ax.barh(y - 0.4 + height * (i + 0.5), np.nan_to_num(widths), height=height, color=color,
                             label=name, linewidth=0))
    ax.set_yticks(y, [str(c) for c in categories])
    ax.set_ylim(len(categories) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    return drawn


def share_bars(frame: pd.DataFrame, label: str, share: str, title: str) -> Chart | None:
    """Horizontal bars of shares (0–1), one per row of ``frame``."""
    data = frame[frame[share].notna()]
    if data.empty or data[share].sum() == 0:
        return None

    def make():
        fig, ax = _figure(7, 0.45 * len(data) + 1.2)
        (bars,) = _bars(ax, list(data[label]), [("andel", list(data[share]), PALETTE[0])])
        for patch, value in zip(bars.patches, data[share]):
            ax.annotate(fmt.percent(value, 0), (patch.get_width(), patch.get_y() + patch.get_height() / 2),
                        xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
        _percent_axis(ax.xaxis)
        ax.set_xlim(0, max(1.0, data[share].max() * 1.15) if data[share].max() > 0.85 else data[share].max() * 1.25)
        ax.set(xlabel="Andel", ylabel="", title=title)
        return fig

    alt = f"{title}, andel: " + _listing((r[label], fmt.percent(r[share], 0)) for _, r in data.iterrows())
    return to_chart(make, title, alt, data[[label, share]])


def before_after(frame: pd.DataFrame, label: str, before: str, after: str, title: str) -> Chart | None:
    """Grouped horizontal bars: count before vs after for each category."""
    if frame.empty:
        return None

    title_size, pad = STYLE["axes.titlesize"], 8 + 16  # the legend's row sits between title and axes

    def make():
        fig, ax = _figure(7, 0.6 * len(frame) + 1.5)
        _bars(ax, list(frame[label]), [("Före", list(frame[before]), PALETTE[0]),
                                       ("Efter", list(frame[after]), PALETTE[1])])
        ax.set(xlabel="Antal deltagare", ylabel="")
        ax.set_title(title, pad=pad)
        # above the bars, never over one
        ax.legend(ncol=2, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, borderaxespad=0.2)
        return fig

    alt = f"{title}, antal deltagare: " + _listing(
        (r[label], f"före {fmt.number(r[before])}, efter {fmt.number(r[after])}") for _, r in frame.iterrows())
    return to_chart(make, title, alt, frame[[label, before, after]], top=title_size * _LINE + pad)


def diverging_scale(summary: pd.DataFrame, labels: list[str], title: str) -> Chart | None:
    """Diverging stacked bars of scale answers, one per question, labelled with its wrapped text.

    ``summary`` has columns ``fraga``, ``text`` and one count column per scale label.

    The lower half of the scale goes left of zero, the upper half right (a middle label, if
    the scale is odd, straddles zero). Segments of 8 % or more carry their share.
    """
    if summary.empty:
        return None
    counts = summary[labels].astype(float)
    shares = counts.div(counts.sum(axis=1), axis=0).fillna(0)
    n = len(labels)
    rows = -(-n // 6)
    title_size, pad = 10, 10 + 13 * rows  # the legend's rows sit between the title and the axes

    def make():
        from matplotlib.ticker import FuncFormatter, MultipleLocator

        half = n // 2
        colors = _scale_colors(n)
        names = [textwrap.fill(f"{q}. {t}", 48) for q, t in zip(summary["fraga"], summary["text"])]
        height = sum(0.32 + 0.16 * name.count("\n") for name in names) + 1.6
        fig, ax = _figure(9, max(2.6, height))
        y = list(range(len(summary)))[::-1]
        left = -shares[labels[:half]].sum(axis=1)
        if n % 2:
            left = left - shares[labels[half]] / 2
        lowest = float(left.min())
        for i, label in enumerate(labels):
            width = shares[label]
            ax.barh(y, width, left=left, color=colors[i], label=label, height=0.7, edgecolor="white", linewidth=0.6)
            for yy, w, l0 in zip(y, width, left):
                if w >= 0.08:
                    ax.text(l0 + w / 2, yy, fmt.percent(w, 0), ha="center", va="center", fontsize=7,
                            color=_ink(colors[i]))
            left = left + width
        highest = float(left.max())
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_yticks(y, names, fontsize=8)
        ax.set_xlim(-_quarter_above(-lowest), _quarter_above(highest))
        ax.xaxis.set_major_locator(MultipleLocator(0.25))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(abs(v), 0)))
        ax.grid(axis="y", visible=False)
        ax.set_title(title, loc="left", fontsize=title_size, pad=pad)
        ax.set_xlabel("Andel av dem som besvarat frågan: lägre svar till vänster om strecket, högre till höger",
                      fontsize=8)
        ax.legend(ncol=min(n, 6), fontsize=7, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False,
                  handlelength=1.2, columnspacing=1.2, borderaxespad=0.2)
        return fig

    alt = f"{title}, andel av svaren per fråga: " + _listing(
        (f"fråga {q}", ", ".join(f"{lab} {fmt.percent(shares.loc[i, lab], 0)}" for lab in labels))
        for i, q in zip(shares.index, summary["fraga"]))
    return to_chart(make, title, alt, summary[["fraga", "text", *labels]], top=title_size * _LINE + pad)


def _quarter_above(value: float) -> float:
    """The smallest multiple of 0.25 at or above ``value`` (at least 0.25): the axis ends there."""
    return max(0.25, math.ceil(round(value, 9) * 4) / 4)


def _scale_colors(n: int) -> list:
    """Red (lowest) to blue (highest), with a pale middle."""
    import matplotlib

    return [tuple(c) for c in matplotlib.colormaps["RdBu"](np.linspace(0, 1, n + 2)[1:-1])]


def _ink(color) -> str:
    """Text colour readable on ``color``: white on dark segments, near-black on pale ones."""
    r, g, b = color[:3]
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.55 else "#222222"


def grouped_share_bars(long: pd.DataFrame, label: str, share: str, group: str, title: str) -> Chart | None:
    """Grouped horizontal bars of shares: one bar per ``group`` value within each ``label``."""
    long = long.dropna(subset=[share])
    if long.empty or long[share].sum() == 0:
        return None

    def make():
        fig, ax = _figure(7, 0.55 * long[label].nunique() + 1.6)
        categories, groups = list(pd.unique(long[label])), list(pd.unique(long[group]))
        wide = long.pivot_table(index=label, columns=group, values=share, aggfunc="first", sort=False)
        _bars(ax, categories, [(g, list(wide.reindex(categories)[g]), PALETTE[i % len(PALETTE)])
                               for i, g in enumerate(groups)])
        _percent_axis(ax.xaxis)
        ax.set(xlabel="Andel", ylabel="", title=title)
        ax.legend(title="", fontsize=8)
        return fig

    alt = f"{title}, andel: " + _listing(
        (f"{r[label]} ({r[group]})", fmt.percent(r[share], 0)) for _, r in long.iterrows())
    return to_chart(make, title, alt, long[[label, group, share]])


def trend_lines(frame: pd.DataFrame, x: str, series: dict[str, str], title: str, shares: bool = False) -> Chart | None:
    """Lines over periods: one per column named in ``series`` (column → legend label)."""
    if frame.empty:
        return None

    def make():
        fig, ax = _figure(7, 3.2)
        for i, (column, name) in enumerate(series.items()):
            ax.plot(frame[x].astype(str), frame[column], marker="o", color=PALETTE[i % len(PALETTE)], label=name)
        if shares:
            _percent_axis(ax.yaxis)
            ax.set_ylim(0, 1)
        ax.set(title=title, xlabel="", ylabel="")
        ax.legend(fontsize=8)
        return fig

    show = (lambda v: fmt.percent(v, 0)) if shares else fmt.number
    alt = f"{title}: " + _listing(
        (name, ", ".join(f"{p} {show(v)}" for p, v in zip(frame[x].astype(str), frame[column])))
        for column, name in series.items())
    return to_chart(make, title, alt, frame[[x, *series]])
