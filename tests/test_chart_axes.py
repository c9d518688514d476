"""A chart's axes copy their ticks (evaluation.compute.axes): the same picture as matplotlib's own
ticks, and a copied tick is a tick of its own."""
from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.ticker import MaxNLocator

from evaluation.compute import axes, charts


def _pixels(axes_class) -> np.ndarray:
    """A chart with texts on both axes, a hidden grid and a bigger tick label, drawn on ``axes_class``."""
    from matplotlib.figure import Figure

    with matplotlib.rc_context(charts.STYLE):
        fig = Figure(figsize=(5, 3), dpi=100)
        ax = fig.subplots(subplot_kw={"axes_class": axes_class})
        ax.barh(np.arange(5), [3, 8, 2, 11, 6], color=charts.PALETTE[0])
        ax.set_yticks(np.arange(5), ["Arbete", "Studier", "Sjukskriven", "Annat", "Okänt"])
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", visible=False)
        ax.yaxis.get_major_ticks()[3].label1.set_fontsize(14)
        ax.set(xlabel="Antal deltagare", title="Utfall")
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()


@pytest.mark.skipif(not axes._COPIES, reason="ticks are copied with matplotlib 3.11 only")
def test_copied_ticks_draw_the_picture_matplotlibs_own_ticks_draw():
    from matplotlib.axes import Axes

    assert axes.Axes is axes._CopyingAxes
    assert (_pixels(axes.Axes) == _pixels(Axes)).all()


@pytest.mark.skipif(not axes._COPIES, reason="ticks are copied with matplotlib 3.11 only")
def test_a_copied_tick_has_artists_and_font_of_its_own():
    with matplotlib.rc_context(charts.STYLE):
        fig, ax = charts._figure(4, 3)
        first, second = ax.xaxis.get_major_ticks(2)
    assert first.label1 is not second.label1 and first.gridline is not second.gridline
    second.label1.set_fontsize(20)
    assert first.label1.get_fontsize() != 20
    second.gridline.set_xdata([0.5, 0.5])
    assert list(first.gridline.get_xdata()) != [0.5, 0.5]


def test_every_chart_kind_is_made_on_the_copying_axes():
    frame = pd.DataFrame({"kategori": ["Arbete", "Studier"], "andel": [0.5, 0.25]})
    chart = charts.share_bars(frame, "kategori", "andel", "Resultat")
    with matplotlib.rc_context(charts.STYLE):
        fig = chart.make.args[0]()
    assert isinstance(fig.axes[0], axes.Axes)


@pytest.mark.skipif(not axes._COPIES, reason="the axes are matplotlib's own with another matplotlib")
def test_bars_widen_the_data_limits_as_matplotlibs_own_axes_do():
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    def limits(axes_class):
        ax = Figure().subplots(subplot_kw={"axes_class": axes_class})
        ax.barh([0.1, 1.3, 2.7], [0.3, -0.45, 0.0], left=[0.0, -0.2, 0.7], height=0.7)
        ax.bar([5.5], [1 / 3], bottom=-0.1)
        ax.add_patch(matplotlib.patches.Circle((9.0, 9.0), 0.5))  # not a bar: matplotlib's own way
        return ax.dataLim.get_points().tolist(), ax.dataLim.minpos.tolist()

    assert limits(axes.Axes) == limits(Axes)
