"""The chart canvas (evaluation.compute.agg) finds each font once a drawing, by every property."""
from __future__ import annotations

import matplotlib
from matplotlib.font_manager import FontProperties

from evaluation.compute import agg, charts
from evaluation.core import fonts


def test_a_font_is_found_once_a_drawing_and_a_bold_one_apart():
    with matplotlib.rc_context(charts.STYLE):
        fonts.use_in_matplotlib()
        renderer = agg.Renderer(10, 10, 72)
        regular, bold = FontProperties(size=9), FontProperties(size=9, weight="bold")
        assert renderer._font(regular) is renderer._font(FontProperties(size=9))
        assert renderer._font(bold).fname != renderer._font(regular).fname
        assert renderer._prepare_font(FontProperties(size=20)) is renderer._font(FontProperties(size=20))
