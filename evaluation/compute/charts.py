"""Charts (matplotlib figures kept outside pyplot), returned as :class:`evaluation.core.model.Chart` blocks.

Charts never touch files. A chart block holds the data it shows, an alt text that states the
figures (a reader who cannot see the picture gets the same numbers) and how to make its
figure. The figure is made and drawn once, to PNG bytes at :data:`DPI` (sharp in print and
Word), when the chart is first shown: checking a report (``evaluation validate``) makes no
figure and does not even import matplotlib.

Longer than 400 lines: one function per chart kind sharing one style and one margin calculation; splitting would spread the style.
"""
from __future__ import annotations

import functools
import math
import textwrap

import numpy as np
import pandas as pd

from evaluation.core import fmt, fonts, pictures, vocab
from evaluation.core.errors import ParamsError, kind_of
from evaluation.core.model import Chart

PALETTE = ["#1f5f8b", "#c0620a", "#3d7a2a", "#8e3b79", "#6b6b6b", "#b02a3a"]  # each at least 3:1 on white (WCAG 1.4.11)

#: The house style (a white grid, grey frame, no tick marks), applied while a chart is made and
#: drawn, so that a user's own plots in JupyterLab keep theirs.
STYLE = {
    "font.size": 10.8, "axes.titlesize": 10.8, "axes.labelsize": 10.8, "xtick.labelsize": 9.9,
    "ytick.labelsize": 9.9, "legend.fontsize": 9.9, "font.family": "sans-serif",
    "font.sans-serif": [fonts.FAMILY, "DejaVu Sans", "sans-serif"],  # shipped: same on every machine
    "text.color": "#262626", "axes.labelcolor": "#262626", "xtick.color": "#262626", "ytick.color": "#262626",
    "axes.facecolor": "white", "figure.facecolor": "white", "axes.edgecolor": "#cccccc", "axes.linewidth": 1.25,
    "axes.grid": True, "axes.axisbelow": True, "grid.color": "#cccccc", "grid.linewidth": 1.0,
    "xtick.bottom": False, "ytick.left": False, "lines.linewidth": 1.5, "patch.edgecolor": "white",
    "legend.frameon": True, "legend.edgecolor": "#cccccc",
    "axes.titley": 1.0,  # a fixed title position: no search among the axes' children at every draw
    "text.parse_math": False,  # a label's "500 $ eller 300 $" is text, not math between the signs
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


def _figure(width: float, height: float, **grid):
    """A figure and its axes (``grid``: as ``Figure.subplots`` takes it), outside pyplot (nothing
    global to close), the axes :class:`evaluation.compute.axes.Axes`, copied from a blank one made
    once a session (:mod:`evaluation.compute.blanks`); :func:`draw` sets its margins."""
    from evaluation.compute import blanks

    fonts.use_in_matplotlib()
    return blanks.figure(width, height, grid)


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


#: A notebook shows a chart at half the print resolution (sharp on screen, a quarter of the
#: pixels), with a white margin (readable on Lab's dark theme).
SCREEN_SCALE = 2
SCREEN_MARGIN = 16  # pixels


def draw(make, top: float | None = None) -> tuple[bytes, bytes]:
    """Make a figure (``make()``, in the house style :data:`STYLE`), place its axes
    (:func:`_place`) and draw it once; return it as a PNG at :data:`DPI` and as the PNG a
    notebook shows (:data:`SCREEN_SCALE`, :data:`SCREEN_MARGIN`).

    Both come from the one drawing in memory, its alpha dropped once (Pillow, in whole rows:
    reducing the four channels cost four times as much as reducing three), and both are plain
    RGB PNGs (:func:`evaluation.core.pictures.plain_png`): the figure is opaque white, and an
    alpha channel only costs (the PDF writer would split it off into a mask). The screen PNG is a
    whole-number reduction (each screen pixel the mean of its print pixels): Lanczos costs more
    and looks the same. It keeps every colour: a palette of 256 (Pillow's fast octree) and
    Pillow's PNG writer cost 7.4 ms a chart where this costs 2.2 (the 61 charts of 12 bench
    reports), for 32 KiB instead of 10 in the notebook. The canvas is :class:`evaluation.compute.agg.Canvas`,
    which shapes a text once a session.
    """
    import matplotlib
    from PIL import Image, ImageOps

    from evaluation.compute import agg

    with matplotlib.rc_context(STYLE):
        fig = make()
        _place(fig, fig.axes[0], top)
        fig.set_dpi(DPI)
        canvas = agg.Canvas(fig)
        canvas.draw()
        drawn = canvas.buffer_rgba()
    rgb = Image.frombuffer("RGBA", canvas.get_width_height(physical=True), drawn).convert("RGB")
    small = ImageOps.expand(rgb.reduce(SCREEN_SCALE), border=SCREEN_MARGIN, fill="white")
    return pictures.plain_png(np.asarray(rgb), DPI), pictures.plain_png(np.asarray(small), DPI // SCREEN_SCALE)


def to_chart(make, title: str, alt: str, data: pd.DataFrame, top: float | None = None) -> Chart:
    """A chart block: ``make()`` returns its figure, made and drawn when first shown (:func:`draw`);
    ``top`` is the room (points) above the axes when more than a title's."""
    chart_id = vocab.row_slug(title).replace("_", "-")  # å, ä, ö as a, a, o: "forsorjningskalla-..."
    return Chart(id=chart_id, title=title, alt=alt, make=functools.partial(draw, make, top),
                 data=data.reset_index(drop=True))


def _listing(pairs) -> str:
    return "; ".join(f"{label}: {value}" for label, value in pairs)


#: A hidden value (disclosure control) is drawn as a marked gap with this mark, never as a bar.
MARK = vocab.MARK
#: The chart's footnote when it has a hidden value (written under the axis, and in the alt text).
HIDDEN_NOTE = "..: uppgiften visas inte för att skydda enskilda personer"


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _nothing_to_draw(values) -> bool:
    """Every value hidden or zero: not one bar to draw, and the table, with its marks, says it all.

    >>> _nothing_to_draw([float("nan"), 0, 0]), _nothing_to_draw([float("nan"), 2])
    (True, False)
    """
    values = np.asarray(values, dtype=float)
    return bool(np.all(np.isnan(values) | (values == 0)))


def _shown(value, show) -> str:
    """A value for the alt text: ``..`` when hidden."""
    return MARK if _missing(value) else show(value)


def _with_note(text: str, hidden: bool) -> str:
    return f"{text}\n{HIDDEN_NOTE}" if hidden else text


def _alt(text: str, hidden: bool) -> str:
    return f"{text}. {HIDDEN_NOTE[0].upper()}{HIDDEN_NOTE[1:]}." if hidden else text


def _count_axis(axis) -> None:
    """A person axis: whole-number ticks only."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


#: Room (points) between a chart's title and its axes for a row of legend: the legend sits there,
#: above the data and never over a bar or a line's point (``loc="best"`` put it over the last points).
_LEGEND_PAD = 8 + 16


def _title_and_legend(ax, title: str, ncol: int, fontsize: float | None = 8) -> None:
    """The title, and under it the legend in one row, above the axes (:data:`_LEGEND_PAD`);
    ``fontsize`` ``None`` is the house style's legend size."""
    ax.set_title(title, fontsize=STYLE["axes.titlesize"], pad=_LEGEND_PAD)
    ax.legend(ncol=ncol, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, borderaxespad=0.2,
              **({} if fontsize is None else {"fontsize": fontsize}))


#: The room above the axes a chart with :func:`_title_and_legend` needs.
TITLE_AND_LEGEND = STYLE["axes.titlesize"] * _LINE + _LEGEND_PAD


#: A value that does not apply (a follow-up status at exit): no bar and no mark.
NOT_APPLICABLE = object()


#: The pattern of each series of bars: the first two (blue and orange) are told apart by colour
#: by nearly every reader, a third and later ones get a white pattern too (WCAG 1.4.1), as the
#: lines get markers (:data:`LINE_STYLES`).
BAR_HATCHES = ("", "", "////", "....", "xxxx", "\\\\\\\\")


def _bars(ax, categories: list, series: list[tuple[str, list, str]]) -> list:
    """Horizontal bars, one group per category (top to bottom), one bar per series in a group.

    ``series`` is ``(name, values, colour)``; a missing value (a hidden cell) draws no bar but a
    marked gap: :data:`MARK` at the axis, in grey. Returns the bar containers, one per series
    (a container holds only the bars of values shown).
    """
    k = len(series)
    height = 0.8 / k
    y = np.arange(len(categories), dtype=float)
    drawn = []
    for i, (name, values, color) in enumerate(series):
        absent = np.array([v is NOT_APPLICABLE for v in values], dtype=bool)
        widths = np.asarray(pd.to_numeric(pd.Series([None if a else v for v, a in zip(values, absent)]),
                                          errors="coerce"), dtype=float)
        at = y - 0.4 + height * (i + 0.5)
        shown = ~np.isnan(widths)
        drawn.append(ax.barh(at[shown], widths[shown], height=height, color=color, label=name, linewidth=0,
                             hatch=BAR_HATCHES[i % len(BAR_HATCHES)], edgecolor="white"))
        for yy in at[~shown & ~absent]:
            ax.annotate(MARK, (0, yy), xytext=(3, 0), textcoords="offset points", va="center", ha="left",
                        fontsize=9, color="#555555", fontweight="bold")
    ax.set_yticks(y, [textwrap.fill(str(c), 36) for c in categories])
    ax.set_ylim(len(categories) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    return drawn


def _columns(frame, helper: str, *names) -> None:
    """A Swedish :class:`ParamsError` when ``frame`` is no DataFrame or lacks a column ``names``
    asks for (an analyst's typo gave a pandas traceback of 38 lines in a notebook).

    >>> _columns(pd.DataFrame({"niva": [], "andel": []}), "share_bars", "utbildning", "andel")
    Traceback (most recent call last):
    ...
    evaluation.core.errors.ParamsError: share_bars: tabellen har ingen kolumn 'utbildning'; den har: niva, andel. Skriv kolumnens namn som det står i tabellen.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParamsError(f"{helper}: här ska stå en tabell (DataFrame), t.ex. report.table(\"resultat\").numeric(), "
                          f"inte {kind_of(frame)}.")
    missing = [name for name in names if name not in frame.columns]
    if missing:
        said = ", ".join(f"'{name}'" for name in missing)
        raise ParamsError(f"{helper}: tabellen har ingen kolumn {said}; den har: "
                          f"{', '.join(str(c) for c in frame.columns)}. Skriv kolumnens namn som det står i tabellen.")


def share_bars(frame: pd.DataFrame, label: str, share: str, title: str) -> Chart | None:
    """Horizontal bars of shares (0–1), one per row of ``frame``: the parts of one whole, so the
    bars (with the hidden ones, drawn as marked gaps) sum to 100 %. The axis starts at zero."""
    _columns(frame, "share_bars", label, share)
    data = frame[[label, share]].reset_index(drop=True)
    values = pd.to_numeric(data[share], errors="coerce")
    if data.empty or _nothing_to_draw(values):
        return None
    hidden = bool(values.isna().any())

    def make():
        fig, ax = _figure(7, 0.45 * len(data) + 1.2 + 0.2 * hidden)
        (bars,) = _bars(ax, list(data[label]), [("andel", list(values), PALETTE[0])])
        for patch, value in zip(bars.patches, values.dropna()):
            ax.annotate(fmt.percent(value, 0), (patch.get_width(), patch.get_y() + patch.get_height() / 2),
                        xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
        _percent_axis(ax.xaxis)
        top = values.max()
        ax.set_xlim(0, max(1.0, top * 1.15) if top > 0.85 else top * 1.25)
        ax.set(xlabel=_with_note("Andel", hidden), ylabel="", title=title)
        return fig

    alt = _alt(f"{title}, andel: " + _listing((r[label], _shown(v, lambda x: fmt.percent(x, 0)))
                                               for (_, r), v in zip(data.iterrows(), values)), hidden)
    return to_chart(make, title, alt, pd.DataFrame({label: data[label], share: values}))


#: The chart's footnote when one value of a before/after pair is hidden and the other is left out with it.
PAIR_NOTE = "Är det ena värdet i ett par dolt visas inte heller det andra (det står i tabellen)"


def before_after(frame: pd.DataFrame, label: str, before: str, after: str, title: str,
                 names: tuple[str, str] = ("Före", "Efter")) -> Chart | None:
    """Grouped horizontal bars: count before vs after for each category (whole-number axis from
    zero; a hidden count is a marked gap); ``names`` are the two series' legend labels.

    A pair is a comparison only when both its counts are shown: where one is hidden, neither bar
    is drawn (both are marked gaps, :data:`PAIR_NOTE` says why, and the alt text gives both as
    ``..``), or a lone "after" bar would read as growth from nothing. ``None`` when no pair is
    left to draw.

    >>> frame = pd.DataFrame({"kalla": ["A-kassa", "Försörjningsstöd"], "fore": [7, ".."], "efter": [4, 10]})
    >>> chart = before_after(frame, "kalla", "fore", "efter", "Försörjning")
    >>> chart.data["efter"].tolist()[1], chart.alt.split(": ", 1)[1].split(". ")[0]
    (nan, 'A-kassa: före 7, efter 4; Försörjningsstöd: före .., efter ..')
    """
    _columns(frame, "before_after", label, before, after)
    if frame.empty:
        return None
    data = frame[[label, before, after]].reset_index(drop=True)
    for column in (before, after):
        data[column] = pd.to_numeric(data[column], errors="coerce").astype(float)
    half = data[before].isna() != data[after].isna()  # one of the pair hidden: the other goes too
    data.loc[half, [before, after]] = float("nan")
    if _nothing_to_draw(data[[before, after]]):
        return None
    hidden = bool(data[[before, after]].isna().to_numpy().any())
    halves = bool(half.any())

    def make():
        fig, ax = _figure(7, 0.6 * len(data) + 1.2 + 0.2 * hidden + 0.2 * halves)
        _bars(ax, list(data[label]), [(names[0], list(data[before]), PALETTE[0]),
                                      (names[1], list(data[after]), PALETTE[1])])
        ax.set_xlim(0, max(1.0, float(np.nanmax(data[[before, after]].to_numpy(dtype=float))) * 1.1))
        _count_axis(ax.xaxis)
        xlabel = _with_note("Antal deltagare", hidden)
        ax.set(xlabel=f"{xlabel}\n{PAIR_NOTE}" if halves else xlabel, ylabel="")
        _title_and_legend(ax, title, 2, fontsize=None)  # above the bars, never over one, and under the title
        return fig

    alt = _alt(f"{title}, antal deltagare: " + _listing(
        (r[label], f"{names[0].lower()} {_shown(r[before], fmt.number)}, {names[1].lower()} {_shown(r[after], fmt.number)}")
        for _, r in data.iterrows()), hidden)
    if halves:
        alt += f" {PAIR_NOTE}."
    return to_chart(make, title, alt, data, top=TITLE_AND_LEGEND)


def diverging_scale(summary: pd.DataFrame, labels: list[str], title: str, top: int | None = None,
                    low: int | None = None) -> Chart | None:
    """Diverging stacked bars of scale answers, one per question, labelled with its wrapped text.

    ``summary`` has columns ``fraga``, ``text``, ``svar`` (optional) and one count column per
    scale label. The divide (zero) is where the table's share positive starts: the ``top``
    highest labels go right of it (default: half the scale), the ``low`` lowest left of it
    (default: all the others). The labels between, the middle ("Till viss del – Till stor del"),
    are neither: they are drawn apart, in a panel of their own right of the chart on the same
    scale, so that they never read as disagreement (left) or as agreement (right).

    A hidden count (disclosure control) is never drawn as a segment of its own: when the hidden
    counts are all in one group (negative, middle or positive), their answers are one grey
    hatched segment marked ``..`` at the outer end of that group; when they are in two or more
    groups (their split unknown), each of those groups ends in a mark ``..``. A question whose
    number of answers is hidden is a marked gap.

    Everything but the figure is worked out here, from plain lists, and the colours in ``make``:
    a call costs 3.6 ms CPU instead of 8.5 (bench surveys), and the first in a session 19 ms
    instead of 150, as it no longer imports matplotlib (checking a report draws nothing).

    >>> summary = pd.DataFrame({"fraga": ["q1"], "text": ["Stöd?"], "svar": [10], "Låg": [2], "Mitt": [3], "Hög": [5]})
    >>> chart = diverging_scale(summary, ["Låg", "Mitt", "Hög"], "Enkät", top=1, low=1)
    >>> fig = chart.make.args[0]()
    >>> [(round(float(p.get_x()), 2), round(float(p.get_width()), 2)) for ax in fig.axes for p in ax.patches]
    [(-0.2, 0.2), (0.0, 0.5), (0.0, 0.3)]
    """
    if summary.empty:
        return None
    n = len(labels)
    top = top or n // 2
    low = n - top if low is None else low
    counts = summary[labels].apply(pd.to_numeric, errors="coerce").astype(float)
    if _nothing_to_draw(counts):
        return None
    answered = (pd.to_numeric(summary["svar"], errors="coerce").astype(float) if "svar" in summary
                else counts.sum(axis=1, min_count=n))
    shares = counts.div(answered.where(answered > 0), axis=0)
    hidden = bool(counts.isna().to_numpy().any() or answered.isna().any())
    rows = -(-n // 6)
    title_size, pad = 10, 10 + 13 * rows  # the legend's rows sit between the title and the axes
    left_labels, middle_labels, right_labels = labels[:low], labels[low:n - top], labels[n - top:]
    # (panel, the labels from the divide outward, direction)
    groups = [("left", left_labels[::-1], -1.0), ("right", right_labels, 1.0), ("middle", middle_labels, 1.0)]
    groups = [g for g in groups if g[1]]
    names = [textwrap.fill(str(t), 48) for t in summary["text"]]
    y = list(range(len(summary)))[::-1]
    # what each row draws, worked out before the figure: ("bar", panel, y, start, width, label) for an
    # answer, ("rest", ...) for hidden answers of one group, ("mark", panel, y, x, direction) for a mark.
    # Read from plain lists: indexing a pandas row per answer cost 4 ms of a survey's 7 ms.
    column = {label: k for k, label in enumerate(labels)}
    rows = shares[labels].to_numpy(dtype=float).tolist()
    parts, ends = [], {"left": [0.0], "right": [0.0], "middle": [0.0]}
    for yy, row, total in zip(y, rows, answered.isna().tolist()):
        if total:
            parts.append(("mark", "right", yy, 0.0, 1.0))
            continue
        rest = 1.0 - float(np.sum([v for v in row if not math.isnan(v)]))  # numpy's order of sums, as pandas'
        unknown = [panel for panel, group, _ in groups if any(math.isnan(row[column[label]]) for label in group)]
        for panel, group, sign in groups:
            edge = 0.0
            for label in group:
                width = row[column[label]]
                if not math.isnan(width):
                    parts.append(("bar", panel, yy, edge if sign > 0 else edge - width, width, label))
                    edge += sign * width
            if unknown == [panel] and rest > 1e-9:
                parts.append(("rest", panel, yy, edge if sign > 0 else edge - rest, rest, None))
                edge += sign * rest
            elif panel in unknown:
                parts.append(("mark", panel, yy, edge, sign))
            ends[panel].append(edge)

    def make():
        from matplotlib.patches import Patch
        from matplotlib.ticker import FuncFormatter, MultipleLocator

        colors = dict(zip(labels, _scale_colors(n, top, low)))  # here: checking a report imports no matplotlib
        height = sum(0.32 + 0.16 * name.count("\n") for name in names) + 1.6 + 0.2 * hidden
        spans = [_quarter_above(-min(ends["left"])) + _quarter_above(max(ends["right"]))]
        if middle_labels:
            spans.append(_quarter_above(max(ends["middle"])))
        fig, axes = _figure(9, max(2.6, height), ncols=len(spans), sharey=True, squeeze=False,
                            gridspec_kw={"width_ratios": spans, "wspace": 0.15})
        axes = axes[0]
        panels = {"left": axes[0], "right": axes[0], "middle": axes[-1]}
        for part in parts:
            kind, ax = part[0], panels[part[1]]
            if kind == "mark":
                _, _, yy, x, sign = part
                ax.annotate(MARK, (x, yy), xytext=(3 * sign, 0), textcoords="offset points", va="center",
                            ha="left" if sign > 0 else "right", fontsize=9, color="#555555", fontweight="bold")
            elif kind == "rest":
                _, _, yy, start, width, _ = part
                ax.barh(yy, width, left=start, color="#eeeeee", hatch="///", height=0.7, edgecolor="#999999",
                        linewidth=0.6)
                ax.text(start + width / 2, yy, MARK, ha="center", va="center", fontsize=8, color=_ink("#eeeeee"),
                        fontweight="bold")
            else:
                _, _, yy, start, width, label = part
                ax.barh(yy, width, left=start, color=colors[label], height=0.7, edgecolor="white", linewidth=0.6)
                if width >= 0.08:
                    ax.text(start + width / 2, yy, fmt.percent(width, 0), ha="center", va="center", fontsize=7,
                            color=_ink(colors[label]))
        ax = axes[0]
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_yticks(y, names, fontsize=8)
        ax.set_ylim(-0.6, len(summary) - 0.4)  # every question's row, a bar drawn in it or not
        ax.set_xlim(-_quarter_above(-min(ends["left"])), _quarter_above(max(ends["right"])))
        if middle_labels:
            axes[1].set_xlim(0, spans[1])
            axes[1].tick_params(labelleft=False)
        for each in axes:
            each.xaxis.set_major_locator(MultipleLocator(0.25))
            each.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(abs(v), 0)))
            each.grid(axis="y", visible=False)
        ax.set_title(title, loc="left", fontsize=title_size, pad=pad)
        ax.set_xlabel(_with_note(_scale_axis_label(left_labels, middle_labels, right_labels), hidden), fontsize=8)
        drawn = {part[5] for part in parts if part[0] == "bar"}
        shown = [label for label in labels if label in drawn]
        ax.legend([Patch(facecolor=colors[label], edgecolor="white") for label in shown], shown, ncol=min(n, 6),
                  fontsize=7, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, handlelength=1.2,
                  columnspacing=1.2, borderaxespad=0.2)
        return fig

    # the alt text states the table's own cells (counts and the share positive), so it says no
    # more than the protected table does
    positive = (pd.to_numeric(summary["andel_topp"], errors="coerce") if "andel_topp" in summary
                else pd.Series(float("nan"), index=summary.index))

    def counted(i) -> str:
        parts = ", ".join(f"{lab} {_shown(counts.loc[i, lab], fmt.number)}" for lab in labels)
        if "andel_topp" in summary:
            parts += f"; andel positiva {_shown(positive.loc[i], lambda x: fmt.percent(x, 0))}"
        return parts

    alt = _alt(f"{title}, antal svar per fråga: " + _listing(
        (str(t), MARK if pd.isna(answered.loc[i]) else counted(i))
        for i, t in zip(shares.index, summary["text"])), hidden)
    data = pd.concat([summary[["fraga", "text"]].reset_index(drop=True), shares.reset_index(drop=True)], axis=1)
    return to_chart(make, title, alt, data, top=TITLE_AND_LEGEND)


def _scale_axis_label(left: list, middle: list, right: list) -> str:
    """What the axes of a diverging chart show, in words: each side of the divide and the middle panel.

    >>> print(_scale_axis_label(["Låg"], ["Mitt"], ["Hög"]))
    Andel av dem som besvarat frågan. Till vänster om strecket: Låg; till höger: Hög (andel positiva);
    mitten, Mitt, visas för sig längst till höger
    """
    def words(group):
        return group[0] if len(group) == 1 else f"{group[0]} – {group[-1]}"

    parts = ["Andel av dem som besvarat frågan."]
    if left:
        parts += [f"Till vänster om strecket: {words(left)};", f"till höger: {words(right)} (andel positiva)"]
    else:
        parts += [f"Till höger om strecket: {words(right)} (andel positiva)"]
    if middle:
        parts[-1] += ";"
        parts += [f"mitten, {words(middle)}, visas för sig längst till höger"]
    lines = [parts[0]]
    for part in parts[1:]:  # whole parts on a line, up to 100 characters: the chart's width
        lines[-1:] = [f"{lines[-1]} {part}"] if len(lines[-1]) + len(part) < 100 else [lines[-1], part]
    return "\n".join(lines)


def _quarter_above(value: float) -> float:
    """The smallest multiple of 0.25 at or above ``value`` (at least 0.25): the axis ends there."""
    return max(0.25, math.ceil(round(value, 9) * 4) / 4)


def _scale_colors(n: int, top: int | None = None, low: int | None = None) -> list:
    """Red (lowest) to blue (highest), with a pale middle; with ``top``, the labels left of the
    divide are reds and the ``top`` highest blues, so the colours split where the share positive
    does; with ``low`` as well, only the ``low`` lowest are reds and the middle between is greys
    (neither side).

    >>> [tuple(round(float(v), 2) for v in c[:3]) for c in _scale_colors(3, 1, 1)]
    [(0.84, 0.38, 0.3), (0.81, 0.81, 0.81), (0.26, 0.58, 0.76)]
    """
    import matplotlib

    cmap = matplotlib.colormaps["RdBu"]
    if top is None:
        return [tuple(c) for c in cmap(np.linspace(0, 1, n + 2)[1:-1])]
    low = n - top if low is None else low
    reds = np.linspace(0.1, 0.42, low) if low > 1 else np.array([0.2] * low if top < n - low else [0.35] * low)
    blues = np.linspace(0.62, 0.9, top) if top > 1 else np.array([0.8])
    middle = n - top - low
    greys = matplotlib.colormaps["Greys"](np.linspace(0.2, 0.45, middle) if middle > 1 else [0.3] * middle)
    return [tuple(c) for c in (*cmap(reds), *greys, *cmap(blues))]


def luminance(color) -> float:
    """The relative luminance of a colour (WCAG 2.1): a name, ``#rrggbb`` or an RGB(A) tuple of 0–1.

    >>> round(luminance("white"), 3), round(luminance("black"), 3), round(luminance((67 / 255, 147 / 255, 195 / 255)), 3)
    (1.0, 0.0, 0.26)
    """
    from matplotlib.colors import to_rgb

    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(color)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second) -> float:
    """The contrast ratio of two colours (WCAG 2.1, 1:1 to 21:1); small text needs 4.5 (1.4.3).

    >>> round(contrast("white", (67 / 255, 147 / 255, 195 / 255)), 2)  # white on the mid-blue: too little
    3.39
    >>> round(contrast("black", (67 / 255, 147 / 255, 195 / 255)), 2)
    6.2
    """
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


#: The two colours a value label on a bar can have; one of them is always at least 4.58:1 on any bar.
INKS = ("white", "black")


def _ink(color) -> str:
    """The text colour for a label on a bar of ``color``: white or black, whichever contrasts
    more (WCAG 2.1 AA asks 4.5:1 of small text; the better of the two always reaches 4.58:1).

    >>> _ink((67 / 255, 147 / 255, 195 / 255)), _ink("#1f5f8b"), _ink("#eeeeee")
    ('black', 'white', 'black')
    """
    return max(INKS, key=lambda ink: contrast(ink, color))


def grouped_share_bars(long: pd.DataFrame, label: str, share: str, group: str, title: str) -> Chart | None:
    """Grouped horizontal bars of shares: one bar per ``group`` value within each ``label``; a
    hidden share is a marked gap. The axis starts at zero."""
    long = long.reset_index(drop=True).copy()
    long[share] = pd.to_numeric(long[share], errors="coerce")
    if long.empty or _nothing_to_draw(long[share]):
        return None
    hidden = bool(long[share].isna().any())

    def make():
        fig, ax = _figure(7, 0.55 * long[label].nunique() + 1.6 + 0.2 * hidden)
        categories, groups = list(pd.unique(long[label])), list(pd.unique(long[group]))
        cells = {(r[label], r[group]): r[share] for _, r in long.iterrows()}
        _bars(ax, categories, [(g, [cells.get((c, g), NOT_APPLICABLE) for c in categories], PALETTE[i % len(PALETTE)])
                               for i, g in enumerate(groups)])
        _percent_axis(ax.xaxis)
        ax.set_xlim(0, None)
        ax.set(xlabel=_with_note("Andel", hidden), ylabel="")
        _title_and_legend(ax, title, min(len(groups), 4))
        return fig

    alt = _alt(f"{title}, andel: " + _listing(
        (f"{r[label]} ({r[group]})", _shown(r[share], lambda x: fmt.percent(x, 0))) for _, r in long.iterrows()), hidden)
    return to_chart(make, title, alt, long[[label, group, share]], top=TITLE_AND_LEGEND)


#: A line chart needs at least this many points (fewer: the table says it better).
MIN_POINTS = 3
#: Each line of a chart has its own marker and dash as well as its colour, so that its legend
#: reads without colour (WCAG 1.4.1; the palette's green and orange look alike to many).
LINE_STYLES = (("o", "-"), ("s", "--"), ("^", "-."), ("D", ":"), ("v", (0, (5, 1, 1, 1))), ("P", (0, (1, 1))))


def trend_lines(frame: pd.DataFrame, x: str, series: dict[str, str], title: str, shares: bool = False) -> Chart | None:
    """Lines over periods: one per column named in ``series`` (column → legend label). ``None``
    with fewer than :data:`MIN_POINTS` periods. The axis starts at zero (counts: whole numbers);
    a hidden value is a gap in its line, marked ``..`` at the axis."""
    if not isinstance(series, dict):
        raise ParamsError("trend_lines: linjerna anges som {kolumn: namn i förklaringen}, t.ex. "
                          f'{{"deltagare": "Deltagare", "nya": "Nya"}}, inte {kind_of(series)}.')
    _columns(frame, "trend_lines", x, *series)
    if len(frame) < MIN_POINTS:
        return None
    data = frame[[x, *series]].reset_index(drop=True).copy()
    for column in series:
        data[column] = pd.to_numeric(data[column], errors="coerce")
    if int(data[list(series)].notna().sum().max()) < MIN_POINTS:  # hidden values are no points either
        return None
    hidden = bool(data[list(series)].isna().to_numpy().any())

    def make():
        fig, ax = _figure(7, 3.2 + 0.2 * hidden)
        positions = np.arange(len(data))
        for i, (column, name) in enumerate(series.items()):
            marker, dash = LINE_STYLES[i % len(LINE_STYLES)]
            ax.plot(positions, data[column], marker=marker, linestyle=dash, color=PALETTE[i % len(PALETTE)], label=name)
            for k in np.flatnonzero(data[column].isna().to_numpy()):
                ax.annotate(MARK, (k, 0), xytext=(0, 4 + 10 * i), textcoords="offset points", ha="center",
                            fontsize=9, color=PALETTE[i % len(PALETTE)], fontweight="bold")
        ax.set_xticks(positions, list(data[x].astype(str)))
        ax.set_xlim(-0.5, len(data) - 0.5)
        if shares:
            _percent_axis(ax.yaxis)
            ax.set_ylim(0, 1)
        else:
            _count_axis(ax.yaxis)
            ax.set_ylim(0, max(1.0, float(np.nanmax(data[list(series)].to_numpy(dtype=float))) * 1.1))
        ax.set(xlabel=_with_note("", hidden).strip(), ylabel="")
        _title_and_legend(ax, title, min(len(series), 4))
        return fig

    show = (lambda v: fmt.percent(v, 0)) if shares else fmt.number
    alt = _alt(f"{title}: " + _listing(
        (name, ", ".join(f"{p} {_shown(v, show)}" for p, v in zip(data[x].astype(str), data[column])))
        for column, name in series.items()), hidden)
    return to_chart(make, title, alt, data, top=TITLE_AND_LEGEND)
