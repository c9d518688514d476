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


def test_texts_draw_the_pixels_matplotlibs_own_canvas_draws():
    """Glyphs drawn together as few images (agg._layers): overlapping ones ("ff", "Tå", a bold mark
    over a bar), rotated and clipped ones too."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def pixels(canvas_class):
        with matplotlib.rc_context(charts.STYLE):
            fonts.use_in_matplotlib()
            fig = Figure(figsize=(3, 2), dpi=150)
            ax = fig.subplots()
            ax.barh([0, 1], [0.4, 0.9], color=charts.PALETTE[0])
            ax.text(0.1, 0.5, "Tåg affärsfyffe Wolf 12 %", fontsize=13, fontweight="bold", color="#c0620a")
            ax.text(0.05, 0.1, "Vy AVTAL", rotation=90, fontsize=11)
            ax.text(0.8, 1.0, "klipps vid kanten", fontsize=12, clip_on=True)
            canvas = canvas_class(fig)
            canvas.draw()
            return np.asarray(canvas.buffer_rgba()).copy()

    assert (pixels(agg.Canvas) == pixels(FigureCanvasAgg)).all()


def test_glyphs_whose_boxes_overlap_are_drawn_one_after_the_other():
    import numpy as np

    one, two, three = (np.full((2, 3), v, np.uint8) for v in (10, 20, 30))
    drawn = list(agg._layers([(one, 0, 0), (two, 3, 0), (three, 2, 1)]))
    assert [(image.tolist(), left, top) for image, left, top in drawn] == [
        ([[10, 10, 10, 20, 20, 20], [10, 10, 10, 20, 20, 20]], 0, 0), ([[30, 30, 30], [30, 30, 30]], 2, 1)]
