"""Charts (seaborn on matplotlib's Agg backend), returned as inline PNG fragments.

Charts never touch files: a figure is drawn, encoded as base64 and embedded in the HTML, so a
report has no image files and makes no network requests.
"""
from __future__ import annotations

import base64
import io
from html import escape

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from . import fmt  # noqa: E402
from .layout import Fragment  # noqa: E402

PALETTE = ["#1f5f8b", "#f0a04b", "#6aa84f", "#b45f9e", "#999999", "#d1495b"]
sns.set_theme(style="whitegrid", font_scale=0.9)


def _percent_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(v, 0)))


def to_fragment(fig, alt: str) -> Fragment:
    """Encode a figure as an inline PNG and close it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return Fragment(f'<figure class="chart"><img alt="{escape(alt)}" src="data:image/png;base64,{data}"/></figure>')


def share_bars(frame: pd.DataFrame, label: str, share: str, title: str) -> Fragment | None:
    """Horizontal bars of shares (0–1), one per row of ``frame``."""
    data = frame[frame[share].notna()]
    if data.empty or data[share].sum() == 0:
        return None
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(data) + 1.2))
    sns.barplot(data=data, y=label, x=share, ax=ax, color=PALETTE[0], orient="h")
    for patch, value in zip(ax.patches, data[share]):
        ax.annotate(fmt.percent(value, 0), (patch.get_width(), patch.get_y() + patch.get_height() / 2),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    _percent_axis(ax.xaxis)
    ax.set_xlim(0, max(1.0, data[share].max() * 1.15) if data[share].max() > 0.85 else data[share].max() * 1.25)
    ax.set(xlabel="Andel", ylabel="", title=title)
    return to_fragment(fig, title)


def before_after(frame: pd.DataFrame, label: str, before: str, after: str, title: str) -> Fragment | None:
    """Grouped horizontal bars: count before vs after for each category."""
    if frame.empty:
        return None
    long = frame.melt(id_vars=[label], value_vars=[before, after], var_name="när", value_name="antal")
    long["när"] = long["när"].map({before: "Före", after: "Efter"})
    fig, ax = plt.subplots(figsize=(7, 0.6 * len(frame) + 1.2))
    sns.barplot(data=long, y=label, x="antal", hue="när", ax=ax, palette=PALETTE[:2], orient="h")
    ax.set(xlabel="Antal deltagare", ylabel="", title=title)
    ax.legend(title="")
    return to_fragment(fig, title)


def diverging_scale(frame: pd.DataFrame, labels: list[str], title: str) -> Fragment | None:
    """Diverging stacked bars of scale answers: one bar per question, shares per label.

    ``frame`` has a ``fraga`` column and one count column per scale label; the lower half of
    the scale is drawn left of zero and the upper half right of it.
    """
    if frame.empty:
        return None
    counts = frame[labels].astype(float)
    totals = counts.sum(axis=1).replace(0, float("nan"))
    shares = counts.div(totals, axis=0).fillna(0)
    half = len(labels) // 2
    colors = sns.color_palette("RdBu", len(labels))
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(frame) + 1.6))
    y = list(range(len(frame)))[::-1]
    left = -shares[labels[:half]].sum(axis=1)
    if len(labels) % 2:
        left = left - shares[labels[half]] / 2
    for i, lab in enumerate(labels):
        ax.barh(y, shares[lab], left=left, color=colors[i], label=lab)
        left = left + shares[lab]
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_yticks(y, frame["fraga"].tolist())
    _percent_axis(ax.xaxis)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(abs(v), 0)))
    ax.set(title=title, xlabel="Andel av svarande")
    ax.legend(ncol=min(len(labels), 3), fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.15), frameon=False)
    return to_fragment(fig, title)


def trend_lines(frame: pd.DataFrame, x: str, series: dict[str, str], title: str, shares: bool = False) -> Fragment | None:
    """Lines over periods: one per column named in ``series`` (column → legend label)."""
    if frame.empty:
        return None
    fig, ax = plt.subplots(figsize=(7, 3.2))
    for i, (column, name) in enumerate(series.items()):
        ax.plot(frame[x].astype(str), frame[column], marker="o", color=PALETTE[i % len(PALETTE)], label=name)
    if shares:
        _percent_axis(ax.yaxis)
        ax.set_ylim(0, 1)
    ax.set(title=title, xlabel="", ylabel="")
    ax.legend(fontsize=8)
    return to_fragment(fig, title)
