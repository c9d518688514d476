"""The blank figure every chart starts from (:func:`evaluation.compute.charts._figure`): made once
a session for each grid of axes and then copied, instead of made anew for every chart.

Making a figure and its axes is half of making a chart: matplotlib sets up every axis, spine,
tick and text of a new axes from the rcParams, artist by artist. A blank figure is made the same
way once for each grid (``Figure.subplots``' arguments), kept pickled, and each chart gets an
unpickled copy sized to the chart: the same artists with the same values, made without being set
up again. The copy is kept with the rcParams it was made under and made again when they
differ (a user's own ``rcParams`` or :func:`evaluation.compute.charts.theme` in JupyterLab).

Measured in CPU a chart (all 261 charts of the 48 bench reports drawn one after the other in one
process with the collector off, as in a batch kernel; the old and new way in turn, three times
each): making a chart 9.8 ms instead of 14.1; the pixels of all 300 charts of the 48 bench and 9
demo reports are the same, also of the first chart drawn in a fresh process.
"""
from __future__ import annotations

import pickle

import matplotlib
from matplotlib.figure import Figure

from evaluation.compute import axes

#: Pickled blank figures: ``repr`` of the grid → (the rcParams they were made under, the pickle).
_BLANKS: dict = {}
_MOST_BLANKS = 16  # the bench reports have 4 grids; emptied when full


def figure(width: float, height: float, grid: dict):
    """A new figure of ``width`` × ``height`` inches and its axes (``grid``: as ``Figure.subplots``
    takes it, on :class:`evaluation.compute.axes.Axes`), copied from the blank one (:func:`_blank`)."""
    fig, made = pickle.loads(_blank(grid))
    fig.set_size_inches(width, height)
    return fig, made


def _blank(grid: dict) -> bytes:
    """The pickled blank figure of ``grid`` under the current rcParams, made when there is none."""
    key = repr(grid)
    rc, blank = _BLANKS.get(key, (None, None))
    if rc is None or not dict.__eq__(rc, matplotlib.rcParams):  # the values as stored: no lookup by key
        if len(_BLANKS) >= _MOST_BLANKS:
            _BLANKS.clear()
        rc = dict.copy(matplotlib.rcParams)
        fig = Figure()
        blank = pickle.dumps((fig, fig.subplots(**grid, subplot_kw={"axes_class": axes.Axes})))
        _BLANKS[key] = rc, blank
    return blank
