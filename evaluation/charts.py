"""Charts (seaborn on matplotlib's Agg backend), returned as :class:`evaluation.model.Chart` blocks.

Charts never touch files: a figure is drawn once to PNG bytes at :data:`DPI` (sharp in
print and Word) and kept in the block with the data it shows and an alt text that states
the figures, so a reader who cannot see the picture gets the same numbers.
"""
from __future__ import annotations

import io
import re
import math
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter, MultipleLocator  # noqa: E402

from . import fmt  # noqa: E402
from .model import Chart  # noqa: E402

PALETTE = ["#1f5f8b", "#c0620a", "#3d7a2a", "#8e3b79", "#6b6b6b", "#b02a3a"]  # each at least 3:1 on white (WCAG 1.4.11)
sns.set_theme(style="whitegrid", font_scale=0.9)


def _percent_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(v, 0)))


#: Resolution of every chart: sharp in Word and PDF at full text width.
DPI = 200


def _figure(width: float, height: float):
    """A figure with constrained layout, so saving needs no second (tight-bbox) draw."""
    return plt.subplots(figsize=(width, height), layout="constrained")


def to_chart(fig, title: str, alt: str, data: pd.DataFrame) -> Chart:
    """Draw a figure once to PNG bytes, close it and keep it with its data and alt text."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    plt.close(fig)
    chart_id = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return Chart(id=chart_id, title=title, alt=alt, png=buffer.getvalue(), data=data.reset_index(drop=True))


def _listing(pairs) -> str:
    return "; ".join(f"{label}: {value}" for label, value in pairs)


def share_bars(frame: pd.DataFrame, label: str, share: str, title: str) -> Chart | None:
    """Horizontal bars of shares (0–1), one per row of ``frame``."""
    data = frame[frame[share].notna()]
    if data.empty or data[share].sum() == 0:
        return None
    fig, ax = _figure(7, 0.45 * len(data) + 1.2)
    sns.barplot(data=data, y=label, x=share, ax=ax, color=PALETTE[0], orient="h")
    for patch, value in zip(ax.patches, data[share]):
        ax.annotate(fmt.percent(value, 0), (patch.get_width(), patch.get_y() + patch.get_height() / 2),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    _percent_axis(ax.xaxis)
    ax.set_xlim(0, max(1.0, data[share].max() * 1.15) if data[share].max() > 0.85 else data[share].max() * 1.25)
    ax.set(xlabel="Andel", ylabel="", title=title)
    alt = f"{title}, andel: " + _listing((r[label], fmt.percent(r[share], 0)) for _, r in data.iterrows())
    return to_chart(fig, title, alt, data[[label, share]])


def before_after(frame: pd.DataFrame, label: str, before: str, after: str, title: str) -> Chart | None:
    """Grouped horizontal bars: count before vs after for each category."""
    if frame.empty:
        return None
    long = frame.melt(id_vars=[label], value_vars=[before, after], var_name="när", value_name="antal")
    long["när"] = long["när"].map({before: "Före", after: "Efter"})
    fig, ax = _figure(7, 0.6 * len(frame) + 1.2)
    sns.barplot(data=long, y=label, x="antal", hue="när", ax=ax, palette=PALETTE[:2], orient="h")
    ax.set(xlabel="Antal deltagare", ylabel="", title=title)
    ax.legend(title="")
    alt = f"{title}, antal deltagare: " + _listing(
        (r[label], f"före {fmt.number(r[before])}, efter {fmt.number(r[after])}") for _, r in frame.iterrows())
    return to_chart(fig, title, alt, frame[[label, before, after]])


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
    rows = -(-n // 6)
    ax.set_title(title, loc="left", fontsize=10, pad=10 + 13 * rows)
    ax.set_xlabel("Andel av dem som besvarat frågan: lägre svar till vänster om strecket, högre till höger",
                  fontsize=8)
    ax.legend(ncol=min(n, 6), fontsize=7, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False,
              handlelength=1.2, columnspacing=1.2, borderaxespad=0.2)
    alt = f"{title}, andel av svaren per fråga: " + _listing(
        (f"fråga {q}", ", ".join(f"{lab} {fmt.percent(shares.loc[i, lab], 0)}" for lab in labels))
        for i, q in zip(shares.index, summary["fraga"]))
    return to_chart(fig, title, alt, summary[["fraga", "text", *labels]])


def _quarter_above(value: float) -> float:
    """The smallest multiple of 0.25 at or above ``value`` (at least 0.25): the axis ends there."""
    return max(0.25, math.ceil(round(value, 9) * 4) / 4)


def _scale_colors(n: int) -> list:
    """Red (lowest) to blue (highest), with a pale middle."""
    return list(sns.color_palette("RdBu", n))


def _ink(color) -> str:
    """Text colour readable on ``color``: white on dark segments, near-black on pale ones."""
    r, g, b = color[:3]
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.55 else "#222222"


def grouped_share_bars(long: pd.DataFrame, label: str, share: str, group: str, title: str) -> Chart | None:
    """Grouped horizontal bars of shares: one bar per ``group`` value within each ``label``."""
    long = long.dropna(subset=[share])
    if long.empty or long[share].sum() == 0:
        return None
    fig, ax = _figure(7, 0.55 * long[label].nunique() + 1.6)
    sns.barplot(data=long, y=label, x=share, hue=group, ax=ax, palette=PALETTE[:long[group].nunique()], orient="h")
    _percent_axis(ax.xaxis)
    ax.set(xlabel="Andel", ylabel="", title=title)
    ax.legend(title="", fontsize=8)
    alt = f"{title}, andel: " + _listing(
        (f"{r[label]} ({r[group]})", fmt.percent(r[share], 0)) for _, r in long.iterrows())
    return to_chart(fig, title, alt, long[[label, group, share]])


def trend_lines(frame: pd.DataFrame, x: str, series: dict[str, str], title: str, shares: bool = False) -> Chart | None:
    """Lines over periods: one per column named in ``series`` (column → legend label)."""
    if frame.empty:
        return None
    fig, ax = _figure(7, 3.2)
    for i, (column, name) in enumerate(series.items()):
        ax.plot(frame[x].astype(str), frame[column], marker="o", color=PALETTE[i % len(PALETTE)], label=name)
    if shares:
        _percent_axis(ax.yaxis)
        ax.set_ylim(0, 1)
    ax.set(title=title, xlabel="", ylabel="")
    ax.legend(fontsize=8)
    show = (lambda v: fmt.percent(v, 0)) if shares else fmt.number
    alt = f"{title}: " + _listing(
        (name, ", ".join(f"{p} {show(v)}" for p, v in zip(frame[x].astype(str), frame[column])))
        for column, name in series.items())
    return to_chart(fig, title, alt, frame[[x, *series]])
