"""The axes every chart is made on (:func:`evaluation.compute.charts._figure`): matplotlib's own,
with each tick after an axis's first a copy of that first one instead of a tick made anew, and a
bar's data limits taken from its corners.

Matplotlib makes every tick from scratch (two tick marks, a grid line and two labels, each
artist set up from the rcParams and the axis's tick settings) and then copies the first tick's
properties onto it (``Axis.get_major_ticks``): some 0.6 ms a tick, and a chart has some 12
ticks beyond each axis's first. A copy of the first tick's artists is the same tick at once:
every value a tick holds is one of the first's or is set again before the tick is drawn (its
position and label text), and matplotlib replaces, never changes in place, the arrays, paths,
markers and transforms an artist holds; only a text's font properties are changed in place
(``set_fontsize``), so each copy has its own.

Measured in CPU a chart (100 charts of the 24 bench reports of six insatser, drawn again and
again, each way in turn): 54 ms instead of 65; the pixels of all 300 charts of the 48 bench and
9 demo reports are the same. Only with matplotlib 3.11, whose ticks this copy knows; with
another version an axis makes its ticks as matplotlib does.

A bar added to the axes widens their data limits to its corners: matplotlib finds them by
walking each side of the bar's path as a Bézier curve in search of extremes, which a straight
side has not; here the corners are taken as they are, through the same transforms, so the
limits are the same numbers. Making a chart (each of the 261 charts of the 48 bench reports
made seven times each way in turn, the collector off): 7.0 → 6.2 CPU-ms (the least of each
chart's times; the medians 7.8 → 6.9), the pixels of all 300 charts the same.
"""
from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib import axis, cbook
from matplotlib.axes import Axes as _MatplotlibAxes
from matplotlib.patches import Rectangle
from matplotlib.path import Path

#: The corners of a rectangle's path (``Path.unit_rectangle``), where matplotlib finds a bar's data limits.
_CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])

#: Whether ticks are copied (the matplotlib whose ``Tick`` this module knows).
_COPIES = tuple(int(part) for part in matplotlib.__version__.split(".")[:2]) == (3, 11)


def _copy(artist):
    """A new artist of ``artist``'s state: its own callbacks and sticky edges, the rest shared."""
    new = object.__new__(type(artist))
    new.__dict__.update(artist.__dict__)
    new._callbacks = cbook.CallbackRegistry(signals=["pchanged"])
    if artist._sticky_edges is not None:
        new._sticky_edges = type(artist._sticky_edges)(list(artist._sticky_edges.x), list(artist._sticky_edges.y))
    return new


def _tick(first):
    """A copy of the tick ``first`` and of its artists, each label with its own font properties."""
    tick = _copy(first)
    for name in ("tick1line", "tick2line", "gridline", "label1", "label2"):
        setattr(tick, name, _copy(getattr(first, name)))
    for label in (tick.label1, tick.label2):
        label._fontproperties = label._fontproperties.copy()
    return tick


class _CopiedTicks:
    """An axis whose ticks after the first are copies of it (:func:`_tick`)."""

    def get_major_ticks(self, numticks=None):
        """Matplotlib's, each tick it lacks a copy of the first (:func:`_tick`)."""
        if numticks is None:
            numticks = len(self.get_majorticklocs())
        ticks = self.majorTicks
        while len(ticks) < numticks:
            ticks.append(_tick(ticks[0]))
        return ticks[:numticks]


class XAxis(_CopiedTicks, axis.XAxis):
    """matplotlib's x axis, its ticks copied (:class:`_CopiedTicks`)."""


class YAxis(_CopiedTicks, axis.YAxis):
    """matplotlib's y axis, its ticks copied (:class:`_CopiedTicks`)."""


class _CopyingAxes(_MatplotlibAxes):
    """matplotlib's axes with :class:`XAxis` and :class:`YAxis` (as a projection gives its own axes),
    a bar's data limits taken from its corners (:meth:`_update_patch_limits`)."""

    def _update_patch_limits(self, patch):
        """matplotlib's, for a bar (a rectangle) from the corners of its path: the points
        matplotlib finds by walking each side of a path as a Bézier curve (a side has no extreme
        between its ends), 0.1 ms a bar; any other patch as matplotlib does."""
        if type(patch) is not Rectangle or patch.get_path() is not Path.unit_rectangle():
            return super()._update_patch_limits(patch)
        if not patch.get_width() and not patch.get_height():
            return
        patch_trf = patch.get_transform()
        updatex, updatey = patch_trf.contains_branch_separately(self.transData)
        if updatex or updatey:
            self.update_datalim((patch_trf - self.transData).transform(_CORNERS), updatex=updatex, updatey=updatey)

    def _init_axis(self):
        self.xaxis = XAxis(self, clear=False)
        self.spines.bottom.register_axis(self.xaxis)
        self.spines.top.register_axis(self.xaxis)
        self.yaxis = YAxis(self, clear=False)
        self.spines.left.register_axis(self.yaxis)
        self.spines.right.register_axis(self.yaxis)


#: The axes of every chart: :class:`_CopyingAxes` with the matplotlib whose axes and ticks this
#: module knows (its ``_init_axis`` follows 3.11's), else matplotlib's own.
Axes = _CopyingAxes if _COPIES else _MatplotlibAxes
