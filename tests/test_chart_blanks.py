"""A chart's figure is a copy of a blank one (evaluation.compute.blanks): the same picture as a
figure made anew, a figure of its own, and made again under other rcParams."""
from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from evaluation.compute import axes, blanks, charts

_GRID = {"ncols": 2, "sharey": True, "squeeze": False, "gridspec_kw": {"width_ratios": [1.25, 0.5], "wspace": 0.15}}


def _pixels(fig, made) -> np.ndarray:
    """Bars and texts on the first axes of ``made``, the margins set as a chart's are."""
    ax = made[0][0]
    ax.barh(np.arange(3), [3, 8, 2], color=charts.PALETTE[0])
    ax.set_yticks(np.arange(3), ["Arbete", "Studier", "Annat"])
    ax.set(xlabel="Antal deltagare", title="Utfall")
    charts._place(fig, ax)
    fig.set_dpi(50)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def test_a_copied_blank_draws_the_picture_a_new_figure_draws():
    with matplotlib.rc_context(charts.STYLE):
        new = Figure(figsize=(6, 2.5))
        expected = _pixels(new, new.subplots(**_GRID, subplot_kw={"axes_class": axes.Axes}))
        blanks.figure(3, 3, _GRID)  # the blank made, and a copy drawn from it below
        assert (_pixels(*blanks.figure(6, 2.5, _GRID)) == expected).all()


def test_each_copy_is_a_figure_of_its_own_and_other_rcparams_make_another_blank():
    with matplotlib.rc_context(charts.STYLE):
        (first, ax), (second, other) = blanks.figure(4, 3, {}), blanks.figure(5, 2, {})
        with matplotlib.rc_context({"axes.facecolor": "#ffeeee"}):
            _, pink = blanks.figure(4, 3, {})
    assert first is not second and ax is not other and ax.figure is first
    assert list(first.get_size_inches()) == [4, 3] and list(second.get_size_inches()) == [5, 2]
    assert isinstance(ax, axes.Axes) and matplotlib.colors.to_hex(pink.get_facecolor()) == "#ffeeee"
    assert matplotlib.colors.to_hex(ax.get_facecolor()) == "#ffffff"
