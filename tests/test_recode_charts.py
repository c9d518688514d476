"""Recoding before suppression, the cost-based secondary choice, one base per share column and
honest charts (issue 15). Every expected number is worked out by hand in the test."""
from __future__ import annotations

import math

import matplotlib
import pandas as pd
import pytest

from evaluation.compute import catalogue, charts, disclosure as d, recode, suppression as sup
from evaluation.sections import surveys


def _figure(chart):
    """The matplotlib figure of a chart block, made as :func:`charts.draw` makes it."""
    with matplotlib.rc_context(charts.STYLE):
        return chart.make.args[0]()


# -- recoding -------------------------------------------------------------------------------------

def test_small_age_band_joins_its_smaller_neighbour():
    # 16-19: 2 is small (min_cell 3); its only neighbour 20-24 (5) takes it: 16-24 = 7
    frame = pd.DataFrame({"intervall": ["16–19", "20–24", "25–29", "30 eller äldre"], "antal": [2, 5, 9, 1]})
    frame["andel"] = frame["antal"] / 17
    out, merged = recode.recode_distribution(frame, "intervall", 3, (), recode.age_join)
    # 30 eller äldre (1) joins 25-29 (its only neighbour): 25 eller äldre = 10
    assert list(out["intervall"]) == ["16–24", "25 eller äldre"]
    assert list(out["antal"]) == [7, 10]
    assert out["andel"].sum() == pytest.approx(1.0)
    assert merged == [("16–24", ("16–19", "20–24")), ("25 eller äldre", ("25–29", "30 eller äldre"))]
    assert "16–19 och 20–24 visas tillsammans som 16–24" in recode.merged_note(merged)


def test_age_bands_from_under_to_older_merge_into_every_age(tmp_path):
    """Two people, one under the first edge and one above the last (min_cell 3): every band is
    merged into one, 'Alla åldrar' (was TypeError: None + 1, an unexpected error for a valid register)."""
    frame = pd.DataFrame({"intervall": ["Under 15", "15–29", "30–44", "45–59", "60–74", "75 eller äldre"],
                          "antal": [1, 0, 0, 0, 0, 1]})
    frame["andel"] = frame["antal"] / 2
    out, merged = recode.recode_distribution(frame, "intervall", 3, (), recode.age_join)
    assert list(out["intervall"]) == ["Alla åldrar"] and list(out["antal"]) == [2]
    assert merged == [("Alla åldrar", tuple(frame["intervall"]))]
    from conftest import write_params
    from evaluation.build.report import open_report

    params = write_params(tmp_path, min_cell=3)
    (tmp_path / "data" / "testinsats" / "deltagare.csv").write_text(
        "deltagar_id,kon,alder,startdatum\nD1,Kvinna,14,2020-03-01\nD2,Man,80,2020-04-01\n", encoding="utf-8")
    table = open_report(params).table("alder").frame
    assert table["intervall"].tolist() == ["Alla åldrar"] and table["antal"].tolist() == [".."]


def test_unknown_rows_are_not_merged_and_nothing_without_min_cell():
    frame = pd.DataFrame({"niva": ["Grundskola", "Gymnasium", "Saknas/okänd"], "antal": [1, 8, 1]})
    out, merged = recode.recode_distribution(frame, "niva", 3, ("Saknas/okänd",))
    assert list(out["niva"]) == ["Grundskola eller gymnasium", "Saknas/okänd"]
    assert list(out["antal"]) == [9, 1]
    same, none = recode.recode_distribution(frame, "niva", 0, ("Saknas/okänd",))
    assert none == [] and same is frame


def test_time_bands_are_named_by_their_years():
    assert recode.time_join(["Upp till 1 år", "Upp till 2 år"]) == "Upp till 2 år"
    assert recode.time_join(["Upp till 4 år", "Upp till 5 år"]) == "3–5 år"
    assert recode.time_join(["Upp till 9 år", "9 år eller mer"]) == "8 år eller mer"


def test_small_exit_reasons_become_ovrigt_in_a_copy():
    reg = pd.DataFrame({"avslutsanledning": ["Sjukdom", "Sjukdom", "Flyttat", "Arbete", "Övrigt"] + ["Fortsatt rehabilitering"] * 3})
    reasons = recode.small_exit_reasons(reg["avslutsanledning"], 3)
    assert reasons == ["Sjukdom", "Flyttat"]  # 2 and 1; Fortsatt rehabilitering has 3, Arbete is never merged
    out = recode.recode_exit_reasons(reg, reasons)
    assert list(out["avslutsanledning"]).count("Övrigt") == 4
    assert list(reg["avslutsanledning"]).count("Övrigt") == 1  # the input is not changed


def test_survey_scale_collapses_to_negative_middle_positive():
    s = surveys.Survey("x", "X", 9, ("A", "B", "C", "D", "E", "F"), 2, (surveys.Question("q1", "Fråga ett?", "skala"),),
                       pd.DataFrame({"q1": ["A", "C", "D", "E", "F", "F", ""]}))
    frame = surveys.collapsed_summary(s)
    assert list(frame.columns) == ["fraga", "text", "svar", "andel_topp", "A – B", "C – D", "E – F"]
    assert frame.iloc[0][["svar", "A – B", "C – D", "E – F"]].tolist() == [6, 1, 2, 3]
    assert frame.attrs[surveys.TOP_ATTR] == ("E – F",)
    # 1 negative is hidden, then the middle (2, the cheaper part); the share positive 3/6 stays
    out = sup.suppress(frame, catalogue.spec_for("enkat_x", frame), 3)
    marked = out.marked().iloc[0]
    assert marked["A – B"] == d.MARK and marked["C – D"] == d.MARK
    assert marked["E – F"] == 3 and marked["svar"] == 6 and marked["andel_topp"] == 0.5


# -- the cost-based choice ------------------------------------------------------------------------

def test_headline_stays_when_a_cheaper_cell_unpins():
    # bas 20 = A 2 + B 8 + C 10, and a headline row H = A + B = 10. A (2) is primary; the
    # relation H = A + B then hides B (a part, cost 1). The relation bas = A + B + C still has two
    # hidden cells; nothing is pinned: A ∈ [1, 9]. H (headline) and C stay visible.
    frame = pd.DataFrame({"k": ["A", "B", "C", "H"], "antal": [2, 8, 10, 10]})
    spec = sup.Spec(key=("k",), counts=("antal",), non_leaf=("H",), totals=(sup.Total("bas"),),
                  relations=(sup.RowTotal("H", ("A", "B")),), headline=(sup.Ref("antal", "H"),))
    out = sup.suppress(frame, spec, 3)
    assert list(out.hidden["antal"]) == [True, True, False, False]
    assert not out.total_hidden("bas")


def test_cost_order():
    p = sup._Problem()
    for cell, value in (("part", 5), ("total", 9), ("head", 7), ("base", 20)):
        p.add_cell(cell, value)
    p.totals.add("total")
    p.headline.add("head")
    p.keep.add("base")
    assert [sup.cost(p, c) for c in ("part", "total", "head", "base")] == [1, 10, 100, 1000]
    assert sup._pick(p, set(), [("base", ("part", "total", "head"))]) == "part"
    assert sup._pick(p, {"part"}, [("base", ("part", "total", "head"))]) == "total"
    assert sup._pick(p, {"part", "total"}, [("base", ("part", "total", "head"))]) == "head"


def test_before_after_with_every_count_hidden_draws_no_chart():
    """A chart of nothing but gaps said nothing the table does not (and numpy warned 'All-NaN
    slice' into the notebook while drawing it); one count shown is enough for a chart."""
    frame = pd.DataFrame({"kalla": ["Försörjningsstöd", "Aktivitetsstöd"], "fore": ["..", ".."], "efter": ["..", ".."]})
    assert charts.before_after(frame, "kalla", "fore", "efter", "Försörjning") is None
    frame.loc[0, "fore"] = "4"  # a pair with one value hidden is no comparison: still nothing to draw
    assert charts.before_after(frame, "kalla", "fore", "efter", "Försörjning") is None
    frame.loc[0, "efter"] = "5"
    assert charts.before_after(frame, "kalla", "fore", "efter", "Försörjning") is not None


def test_a_chart_of_only_hidden_and_zero_values_is_not_drawn():
    """Four participants: every count before and after was 0 or hidden, and a survey of two
    respondents had only 0 and '..' answers; each was drawn as empty axes with marks, a chart
    that shows nothing and looks broken. The table beside it, with its marks, says it all."""
    frame = pd.DataFrame({"kalla": ["Ingen", "Annan"], "fore": ["..", "0"], "efter": ["0", ".."]})
    assert charts.before_after(frame, "kalla", "fore", "efter", "Försörjning") is None
    summary = pd.DataFrame({"fraga": ["q1", "q2"], "text": ["A?", "B?"], "svar": ["..", ".."],
                            "Låg": [0, 0], "Mitt": [0, ".."], "Hög": ["..", 0]})
    assert charts.diverging_scale(summary, ["Låg", "Mitt", "Hög"], "Enkät", top=1) is None
    summary.loc[0, "Hög"] = 3
    assert charts.diverging_scale(summary, ["Låg", "Mitt", "Hög"], "Enkät", top=1) is not None


# -- one base per share column --------------------------------------------------------------------

def test_not_in_result_has_no_share():
    from evaluation.compute import tables
    import datetime as dt

    reg = pd.DataFrame({
        "rad": range(4), "deltagar_id": list("abcd"), "kon": ["Kvinna"] * 4, "anonym": [False] * 4,
        "startdatum": pd.to_datetime(["2024-01-01"] * 4), "slutdatum": pd.to_datetime(["2024-03-01"] * 4),
        "avslutsanledning": ["Arbete", "Arbete", "Sjukdom", "Utan mätning"], "aktivt_arbetssokande": [None] * 4,
    })
    frame = tables.resultat(reg, tables.Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31))).set_index("kategori")
    assert frame.loc["Arbete eller studier", "andel"] == pytest.approx(2 / 3)  # of the 3 in the base
    assert frame.loc["Ej i resultatet", "antal"] == 1 and math.isnan(frame.loc["Ej i resultatet", "andel"])


# -- honest charts ------------------------------------------------------------------------------

def test_hidden_share_is_a_marked_gap_not_a_bar():
    frame = pd.DataFrame({"kategori": ["Arbete", "Studier", "Sjukdom"], "andel": [0.5, float("nan"), 0.3]})
    chart = charts.share_bars(frame, "kategori", "andel", "Resultat")
    assert math.isnan(chart.data.loc[1, "andel"])  # missing, not 0
    fig = _figure(chart)
    ax = fig.axes[0]
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    assert widths == [0.3, 0.5]  # two bars, none for the hidden value
    assert any(t.get_text() == charts.MARK for t in ax.texts)
    assert charts.HIDDEN_NOTE in ax.get_xlabel() and "Studier: .." in chart.alt
    assert ax.get_xlim()[0] == 0


def test_a_chart_is_drawn_once_for_print_and_screen():
    """The notebook's picture is the print picture at half size with a white margin: each of its
    pixels the mean of four print pixels, every colour kept (a plain RGB PNG, as the print one)."""
    import io

    import numpy as np
    from PIL import Image

    frame = pd.DataFrame({"kategori": ["Arbete", "Studier"], "andel": [0.5, 0.25]})
    chart = charts.share_bars(frame, "kategori", "andel", "Resultat")
    big, small = (Image.open(io.BytesIO(png)) for png in chart.drawn)
    assert big.mode == "RGB" and big.info["dpi"] == pytest.approx((charts.DPI, charts.DPI), abs=0.01)
    margin = charts.SCREEN_MARGIN
    assert small.size == (big.width // 2 + 2 * margin, big.height // 2 + 2 * margin)
    inner = np.asarray(small.convert("RGB"), dtype=float)[margin:-margin, margin:-margin]
    halved = np.asarray(big, dtype=float)[: big.height // 2 * 2, : big.width // 2 * 2]
    halved = halved.reshape(big.height // 2, 2, big.width // 2, 2, 3).mean(axis=(1, 3))
    assert small.mode == "RGB" and np.abs(inner - halved).max() <= 0.5  # the mean, rounded
    assert (np.asarray(small)[:margin] == 255).all()  # white
    from evaluation.renderers.pdf import plain_rgb_idat

    assert plain_rgb_idat(chart.png) is not None  # the PDF embeds it as it is


def test_a_dollar_sign_in_a_label_is_a_dollar_sign():
    """A survey question "Fick du 500 $ eller 300 $?" was drawn as math (the words between the
    signs in italics), and one with "$\\frac{1}{2$" stopped the report with matplotlib's ValueError."""
    frame = pd.DataFrame({"kategori": ["Fick du 500 $ eller 300 $?", "Kostar det $\\frac{1}{2$?"], "andel": [0.5, 0.25]})
    chart = charts.share_bars(frame, "kategori", "andel", "Ersättning i $ och $x^2$")
    assert chart.png.startswith(b"\x89PNG")  # drawn
    ax = _figure(chart).axes[0]
    texts = [t for t in ax.get_yticklabels() if t.get_text()] + [ax.title]
    assert [t.get_text() for t in texts] == [*frame["kategori"], "Ersättning i $ och $x^2$"]
    assert not any(t.get_parse_math() for t in texts)


def test_person_axis_has_whole_ticks_from_zero():
    frame = pd.DataFrame({"kalla": ["A", "B"], "fore": [3.0, float("nan")], "efter": [7.0, 1.0]})
    chart = charts.before_after(frame, "kalla", "fore", "efter", "Före och efter")
    ax = _figure(chart).axes[0]
    ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    assert ax.get_xlim()[0] == 0 and all(float(t).is_integer() for t in ticks)
    assert len(ax.patches) == 2  # A's pair; B's "före" is hidden, so its "efter" (1) is no bar either


def test_no_line_chart_under_three_points_and_counts_from_zero():
    two = pd.DataFrame({"period": ["2023", "2024"], "deltagare": [30, 35]})
    assert charts.trend_lines(two, "period", {"deltagare": "Deltagare"}, "T") is None
    three = pd.DataFrame({"period": ["2022", "2023", "2024"], "deltagare": [30, 35, 33]})
    ax = _figure(charts.trend_lines(three, "period", {"deltagare": "Deltagare"}, "T")).axes[0]
    assert ax.get_ylim()[0] == 0 and all(float(t).is_integer() for t in ax.get_yticks())


def test_each_line_has_its_own_marker_and_dash_so_the_legend_reads_without_colour():
    """Three lines were told apart by colour alone (green and orange look alike to many readers)."""
    frame = pd.DataFrame({"period": ["2022", "2023", "2024"], "a": [1, 2, 3], "b": [3, 2, 1], "c": [2, 2, 2]})
    ax = _figure(charts.trend_lines(frame, "period", {"a": "A", "b": "B", "c": "C"}, "T")).axes[0]
    assert [line.get_marker() for line in ax.get_lines()] == ["o", "s", "^"]
    assert [line.get_linestyle() for line in ax.get_lines()] == ["-", "--", "-."]
    legend = ax.get_legend().get_lines()
    assert [(h.get_marker(), h.get_linestyle()) for h in legend] == [("o", "-"), ("s", "--"), ("^", "-.")]


def test_a_third_series_of_bars_and_later_ones_have_a_pattern_too():
    """Bars of three series were told apart by colour alone; blue and orange stay plain."""
    long = pd.DataFrame({"kat": ["X", "X", "X", "Y", "Y", "Y"], "grupp": ["a", "b", "c"] * 2,
                         "andel": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]})
    ax = _figure(charts.grouped_share_bars(long, "kat", "andel", "grupp", "T")).axes[0]
    assert [str(c.patches[0].get_hatch() or "") for c in ax.containers] == ["", "", "////"]
    assert [str(h.get_hatch() or "") for h in ax.get_legend().legend_handles] == ["", "", "////"]


def test_likert_divide_is_the_top_definition_and_labels_are_texts():
    summary = pd.DataFrame({"fraga": ["q1"], "text": ["Fick du stöd?"], "svar": [10],
                            "A": [1], "B": [2], "C": [3], "D": [4]})
    chart = charts.diverging_scale(summary, ["A", "B", "C", "D"], "Enkät", top=1)
    ax = _figure(chart).axes[0]
    right = sum(p.get_width() for p in ax.patches if p.get_x() >= -1e-9)
    assert right == pytest.approx(0.4)  # only the top label D right of the divide, as andel_topp
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Fick du stöd?"]
    assert sum(p.get_width() for p in ax.patches) == pytest.approx(1.0)  # the parts sum to 100 %


def test_a_questions_hidden_answers_are_marked_in_its_own_row_after_its_own_bar():
    """The demo's board survey: one question all positive, two with hidden answers on both sides,
    one whose number of answers is hidden. The two marks stood at 100 % (after the first question's
    bar), and the last question's row fell below the axis, its mark on the tick labels."""
    summary = pd.DataFrame({"fraga": ["q1", "q2", "q3", "q4"], "text": ["Ett?", "Två?", "Tre?", "Fyra?"],
                            "svar": [4, 4, 4, float("nan")], "Låg": [0, float("nan"), float("nan"), float("nan")],
                            "Hög": [4, float("nan"), float("nan"), float("nan")]})
    ax = _figure(charts.diverging_scale(summary, ["Låg", "Hög"], "Enkät", top=1)).axes[0]
    marks = {round(a.xy[1]): a.xy[0] for a in ax.texts if a.get_text() == d.MARK and hasattr(a, "xy")}
    assert marks == {2: 0.0, 1: 0.0, 0: 0}  # rows from the top: q2, q3 (no bar: at the divide), q4
    low, high = ax.get_ylim()
    assert low < 0 - 0.4 and high > 3 + 0.4  # every question's row inside the axes


def test_result_chart_shows_only_the_parts_of_its_base():
    from evaluation.tools.cli import DEMO_PARAMS
    from evaluation.core.model import Chart
    from evaluation.build.report import open_report

    report = open_report(DEMO_PARAMS / "steget" / "2024-05-01--2025-04-30.yaml")
    table = report.table("resultat")
    chart = next(b for b in report.section("resultat").blocks if isinstance(b, Chart) and b.title == "Resultat vid avslut")
    assert not set(chart.data["kategori"]) & {"Arbete eller studier", "Aktivt arbetssökande (överlappande)",
                                               "Ej i resultatet"}
    raw = table.frame.set_index("kategori")
    hidden = [k for k in chart.data["kategori"] if raw.loc[k, "andel"] == d.MARK]
    assert all(math.isnan(v) for v in chart.data.set_index("kategori").loc[hidden, "andel"])
    # the parts are the base: their counts sum to it (hidden ones included, from the true table)
    parts = [k for k in chart.data["kategori"]]
    assert sum(report.table("resultat").frame.set_index("kategori").loc[parts, "antal"].replace(d.MARK, 0)) <= int(raw["bas"].iloc[0])
    assert chart.data["andel"].sum() <= 1 + 1e-9


def test_distribution_charts_sum_to_100_percent_without_hidden_values():
    from evaluation.tools.cli import DEMO_PARAMS
    from evaluation.core.model import Chart
    from evaluation.inputs.params import load_params
    from evaluation.build.report import Report

    params = load_params(DEMO_PARAMS / "steget" / "2024-05-01--2025-04-30.yaml").model_copy(update={"min_cell": 0})
    blocks = Report(params).section("resultat").blocks
    shares = {b.title: b.data.iloc[:, 1].sum() for b in blocks if isinstance(b, Chart) and "andel" in b.data}
    assert set(shares) >= {"Resultat vid avslut", "Ålder vid start"}
    assert all(s == pytest.approx(1.0) for s in shares.values()), shares


def test_interview_counts_are_public_and_small_splits_blank():
    from evaluation.sections.interviews import _blank_small_splits

    # Deltagare 4 = 3 women + 1 man: the gender split has a part under 3, so it goes; form 4 fysisk stays.
    # Totalt 6: women 5, men 1 → blank; forms 4 + 2 fine, but Totalt − Deltagare = Personal's 0 + 2 …
    rows = [{"roll": "Deltagare", "antal": 4, "kvinna": 3, "man": 1, "annat_okant": 0, "fysisk": 4, "digital": 0, "telefon": 0},
            {"roll": "Personal", "antal": 2, "kvinna": None, "man": None, "annat_okant": None, "fysisk": None, "digital": None, "telefon": None},
            {"roll": "Totalt", "antal": 6, "kvinna": 5, "man": 1, "annat_okant": 0, "fysisk": 4, "digital": 2, "telefon": 0}]
    _blank_small_splits(rows, 3)
    assert rows[0]["kvinna"] is None and rows[0]["fysisk"] == 4
    assert rows[2]["kvinna"] is None and rows[2]["digital"] is None  # 2 digital would be Personal's
    frame = pd.DataFrame({"roll": ["Deltagare", "Personal", "Totalt"], "antal": [1, 2, 3]})
    spec = sup.Spec(key=("roll",), counts=("antal",), non_leaf=("Totalt",), relations=(sup.RowTotal("Totalt"),),
                  public=(sup.Ref("antal", sup.LEAVES), sup.Ref("antal", "Totalt")))
    assert not sup.suppress(frame, spec, 3).any_hidden  # 1 and 2 interviews are shown


def test_grouped_exit_reasons_stay_linked_to_resultat():
    # by gender: Arbete K 5, Studier K 1 (small) → "Arbete eller studier" K 6 (with Arbete);
    # Sjukdom M 4, Flyttat M 2 (small) → "Övriga avslut" M 6. resultat shows Arbete 5, Studier 1,
    # Sjukdom 4, Flyttat 2. Studier (1) and Flyttat (2) are primary in resultat; through the link
    # "Övriga avslut" 6 = Sjukdom + Flyttat, Sjukdom must go too, or 6 − 4 gives Flyttat back.
    f = pd.DataFrame({"avslutsanledning": ["Arbete", "Studier", "Sjukdom", "Flyttat"],
                      "kon": ["Kvinna", "Kvinna", "Man", "Man"], "antal": [5, 1, 4, 2]})
    akon = recode.group_exit_reasons_by_gender(f.assign(andel=f["antal"] / 12), 3)
    assert akon.attrs[recode.GROUPS_ATTR] == {"Arbete eller studier": ("Arbete", "Studier"),
                                              "Övriga avslut": ("Sjukdom", "Flyttat")}
    res = pd.DataFrame({"kategori": ["Arbete", "Studier", "Sjukdom", "Flyttat", "Arbete eller studier",
                                     "Aktivt arbetssökande (överlappande)", "Ej i resultatet"],
                        "antal": [5, 1, 4, 2, 6, 0, 0], "bas": [12] * 6 + [12]})
    res["andel"] = res["antal"] / res["bas"]
    outs = d.suppress_tables({"resultat": res, "avslutsanledning_kon": akon}, 3)
    hidden = outs["resultat"].hidden.set_index(res["kategori"])["antal"]
    assert hidden["Studier"] and hidden["Flyttat"] and hidden["Sjukdom"]
    assert not hidden["Arbete eller studier"]
    # and nothing hidden can be solved back (the audit's own check, from the outside)
    assert not outs["avslutsanledning_kon"].hidden["antal"].any()  # 6 and 6 are shown


@pytest.mark.slow
@pytest.mark.parametrize("name", ["samordningsteamet/2023.yaml", "samordningsteamet/2024.yaml",
                                  "steget/2023-05-01--2024-04-30.yaml", "steget/2024-05-01--2025-04-30.yaml",
                                  "ungkraft/2022-2024.yaml", "ungkraft/2023.yaml", "ungkraft/2024.yaml"])
def test_demo_charts_draw_no_hidden_value_and_distributions_sum_to_100(name):
    """Acceptance (issue 15, point 8, chart part): in every chart of every demo report with a
    register, a hidden value is never a bar (the bars are exactly the values shown), a
    distribution's shown bars never exceed 100 % and are 100 % when nothing is hidden, and
    every count or share axis starts at zero."""
    from matplotlib.patches import Rectangle

    from evaluation.tools.cli import DEMO_PARAMS
    from evaluation.core.model import Chart
    from evaluation.build.report import open_report

    report = open_report(DEMO_PARAMS / name)
    found = 0
    for section in report.sections:
        for chart in (b for b in section.blocks if isinstance(b, Chart)):
            found += 1
            values = chart.data.select_dtypes("number")
            fig = _figure(chart)
            ax = fig.axes[0]
            bars = [p for p in ax.patches if isinstance(p, Rectangle)]
            if "text" in chart.data:  # diverging scale: per question the parts are at most 100 %
                assert (values.sum(axis=1) <= 1 + 1e-9).all()
                continue
            if ax.lines:  # a trend: at least three points, from zero
                assert len(chart.data) >= charts.MIN_POINTS and ax.get_ylim()[0] == 0
                continue
            shown = int(values.notna().to_numpy().sum())
            assert len(bars) == shown, (chart.title, len(bars), shown)  # no bar for a hidden value
            assert ax.get_xlim()[0] == 0
            if values.isna().to_numpy().any():
                assert any(t.get_text() == charts.MARK for t in ax.texts)
            if section.id == "resultat" and chart.data.shape[1] == 2 and "Antal" not in ax.get_xlabel():
                total = float(values.iloc[:, 0].sum())
                assert total <= 1 + 1e-9
                if not values.isna().to_numpy().any():
                    assert total == pytest.approx(1.0)
    assert found or name.startswith("ungkraft/2022")  # the final report form has no charts


def test_trend_with_hidden_points_keeps_every_period_and_needs_three_shown():
    two_shown = pd.DataFrame({"period": ["2021", "2022", "2023", "2024"], "andel": [float("nan"), float("nan"), 0.3, 0.2]})
    assert charts.trend_lines(two_shown, "period", {"andel": "Andel"}, "T", shares=True) is None
    three = pd.DataFrame({"period": ["2021", "2022", "2023", "2024"], "andel": [float("nan"), 0.25, 0.3, 0.2]})
    chart = charts.trend_lines(three, "period", {"andel": "Andel"}, "T", shares=True)
    ax = _figure(chart).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2021", "2022", "2023", "2024"]
    marks = [t for t in ax.texts if t.get_text() == charts.MARK]
    assert len(marks) == 1 and marks[0].xy == (0, 0)  # the gap is marked at 2021
    assert "2021 .." in chart.alt


def test_an_unshown_sum_is_no_secret_and_no_clue():
    # rows A 1, B 5 and an unshown per-key sum S = A + B = 6. A (1) is primary. S is hidden from
    # the start and not a secret: the relation S = A + B has two hidden cells, B stays visible,
    # and A cannot be solved back (S unknown). Shown, S would force B to go too.
    frame = pd.DataFrame({"k": ["x", "x"], "g": ["A", "B"], "antal": [1, 5]})
    unshown = sup.Spec(key=("k", "g"), counts=("antal",), totals=(sup.Total("s", by="k", shown=False),))
    assert list(sup.suppress(frame, unshown, 3).hidden["antal"]) == [True, False]
    shown = sup.Spec(key=("k", "g"), counts=("antal",), totals=(sup.Total("s", by="k"),))
    out = sup.suppress(frame, shown, 3)
    assert list(out.hidden["antal"]) == [True, True] or out.total_hidden("s", "x")


# -- the grouped link, played by the attacker of tests/test_disclosure.py ------------------------

from hypothesis import given, strategies as st  # noqa: E402

from test_disclosure import SETTINGS, attack  # noqa: E402


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), min_size=2, max_size=5), st.integers(2, 4),
       st.data())
def test_grouped_reasons_by_gender_cannot_be_solved_back(by_gender, min_cell, data):
    # reasons r0.. with counts per gender; some reasons shown only as a group by gender (as
    # recode.group_exit_reasons_by_gender does), linked to the per-reason table through an unshown sum
    reasons = [f"r{i}" for i in range(len(by_gender))]
    grouped = data.draw(st.sets(st.sampled_from(reasons), min_size=2, max_size=len(reasons)))
    label = {r: ("G" if r in grouped else r) for r in reasons}
    rows = {}
    for r, pair in zip(reasons, by_gender):
        for g, n in zip(("Kvinna", "Man"), pair):
            rows[(label[r], g)] = rows.get((label[r], g), 0) + n
    detail = pd.DataFrame([{"orsak": k, "kon": g, "antal": n} for (k, g), n in rows.items()])
    whole = pd.DataFrame({"orsak": reasons, "antal": [a + b for a, b in by_gender]})
    specs = {"detalj": sup.Spec(key=("orsak", "kon"), counts=("antal",),
                              totals=(sup.Total("per", by="orsak", shown=False),)),
             "orsak": sup.Spec(key=("orsak",), counts=("antal",))}
    links = [sup.Link(("orsak", sup.Ref("antal", r)), (("detalj", sup.Ref("antal", r)),)) for r in reasons if r not in grouped]
    links.append(sup.Link(("detalj", sup.Ref("per", "G")), (("orsak", sup.Ref("antal", tuple(sorted(grouped)))),)))
    out = d.suppress_tables({"detalj": detail, "orsak": whole}, min_cell, specs=specs, links=links)
    values, hidden, equations = {}, set(), []
    for name, frame in (("detalj", detail), ("orsak", whole)):
        for i, v in enumerate(frame["antal"]):
            values[(name, i)] = int(v)
            if out[name].hidden["antal"].iloc[i]:
                hidden.add((name, i))
            if 1 <= v < min_cell:
                assert out[name].hidden["antal"].iloc[i]
    detail_rows = {(k, g): i for i, (k, g) in enumerate(zip(detail["orsak"], detail["kon"]))}
    whole_rows = {r: i for i, r in enumerate(reasons)}
    for k in set(label.values()):
        parts = [("detalj", detail_rows[(k, g)]) for g in ("Kvinna", "Man")]
        members = [("orsak", whole_rows[r]) for r in reasons if label[r] == k]
        eq = {p: -1 for p in parts}
        for m in members:
            eq[m] = eq.get(m, 0) + 1
        equations.append(eq)  # Σ reasons of k (per-reason table) = Σ genders of k (detail table)
    for cell, (low, high) in attack(values, hidden, equations).items():
        assert low < high, (cell, values[cell])


def test_followup_statuses_recoded_and_their_groups_empty_not_zero():
    from evaluation.sections import effects

    made = pd.DataFrame({"manader": [6, 6, 6, 18, 18, 18], "status": ["Sjukdom", "Arbete", "Arbete", "Sjukdom", "Sjukdom", "Sjukdom"]})
    # Sjukdom is 1 after 6 months (small) → merged everywhere, also where 3 after 18 months
    assert recode.small_followup_statuses(made, 3) == ["Sjukdom"]
    recoded = recode.recode_followups(made, ["Sjukdom"])
    assert list(recoded["status"]).count("Övrigt") == 4
    res = pd.DataFrame({"kategori": ["Arbete", "Sjukdom", "Arbete eller studier"], "antal": [3, 4, 3], "bas": [7, 7, 7]})
    upp = pd.DataFrame({"manader": [6, 6], "status": ["Arbete", "Övrigt"], "antal": [2, 1]})
    frame = effects.effekter(res, upp, merged_reasons=(), merged_statuses=("Sjukdom",)).set_index("grupp")
    assert frame.loc["Sjukdom", "antal_avslut"] == 4  # at exit Sjukdom was not merged
    assert frame.loc["Sjukdom", "antal_6_man"] is None and math.isnan(frame.loc["Sjukdom", "andel_6_man"])
    assert frame.loc["Övrigt", "antal_6_man"] == 1


def test_a_merged_exit_reason_is_hidden_in_the_figures_never_zero():
    from evaluation.compute import figures

    frame = pd.DataFrame({"kategori": ["Arbete", "Övrigt", "Arbete eller studier"], "antal": [5, 4, 5], "bas": [9, 9, 9],
                          "andel": [5 / 9, 4 / 9, 5 / 9]})
    frame.attrs[recode.MERGED_ATTR] = ("Sjukdom",)  # Sjukdom (1) is counted in Övrigt
    out = figures.result_rows(frame)
    assert out["resultat.sjukdom.antal"] == d.MARK and out["resultat.sjukdom.andel"] == d.MARK
    assert out["resultat.flyttat.antal"] == 0  # nobody moved: a true 0


def test_a_legend_placed_slowly_warns_nothing_into_the_notebook(monkeypatch):
    """A legend left at matplotlib's default place warns ('can be slow with large amounts of data')
    when finding the place took over a second, as on a busy machine; the warning went into the
    executed notebook. The place is the same, said instead of defaulted."""
    import itertools
    import types
    import warnings

    from matplotlib import legend

    ticks = itertools.count(step=5.0)  # every reading of the clock five seconds later
    monkeypatch.setattr(legend, "time", types.SimpleNamespace(perf_counter=lambda: next(ticks)))
    trend = charts.trend_lines(pd.DataFrame({"period": ["2022", "2023", "2024"], "deltagare": [10, 12, 15],
                                             "nya": [4, 6, 8]}), "period", {"deltagare": "Deltagare", "nya": "Nya"},
                               "Deltagare per period")
    grouped = charts.grouped_share_bars(pd.DataFrame({"kategori": ["Arbete", "Arbete"], "insats": ["A", "B"],
                                                      "andel": [0.4, 0.5]}), "kategori", "andel", "insats", "Resultat")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for chart in (trend, grouped):
            assert chart.png.startswith(b"\x89PNG")


# -- readable value labels on bars (WCAG 2.1 AA, 1.4.3) --------------------------------------------

def _wcag_contrast(first, second) -> float:
    """The WCAG 2.1 contrast ratio, worked out here from the definition (not the code's)."""
    from matplotlib.colors import to_rgb

    def lum(color):
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(color))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((lum(first), lum(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_white_on_the_mid_blue_was_too_little_and_the_label_colour_is_chosen_by_contrast():
    mid_blue = (67 / 255, 147 / 255, 195 / 255)
    # by hand: linear 0.0561, 0.2918, 0.5457 → luminance 0.2126·0.0561 + 0.7152·0.2918 + 0.0722·0.5457 = 0.2604
    assert _wcag_contrast("white", mid_blue) == pytest.approx(1.05 / 0.3104, abs=0.01)  # 3.38:1, under 4.5
    assert _wcag_contrast(charts._ink(mid_blue), mid_blue) == pytest.approx(0.3104 / 0.05, abs=0.01)  # black, 6.2:1


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 7])
def test_every_value_label_on_a_bar_reaches_4_5_to_1(n):
    """Each label a diverging chart writes on a segment (every scale length, every divide),
    against the colour of the segment under it, measured in the drawn figure."""
    labels = [f"S{i}" for i in range(n)]
    summary = pd.DataFrame({"fraga": ["q1"], "text": ["Fråga?"], "svar": [10 * n], **{label: [10] for label in labels}})
    for top in range(1, n):
        for low in range(1, n - top + 1):  # reds, greys in the middle (when any), blues
            on_bars = 0
            for ax in _figure(charts.diverging_scale(summary, labels, "Enkät", top=top, low=low)).axes:
                for text in ax.texts:
                    x, y = text.get_position()
                    bar = next(p for p in ax.patches if p.get_x() <= x <= p.get_x() + p.get_width()
                               and p.get_y() <= y <= p.get_y() + p.get_height())
                    assert _wcag_contrast(text.get_color(), bar.get_facecolor()) >= 4.5, (n, top, low, text.get_text())
                    on_bars += 1
            assert on_bars == n  # each answer 1/n ≥ 8 %: every segment has its label


# -- a before/after pair with one value hidden is no comparison ------------------------------------

def test_a_pair_with_one_hidden_value_draws_neither_bar():
    """samordningsteamet 2024: "Före" was hidden for the three biggest sources and only their
    orange "Efter" bars were drawn, which read as support growing from nothing."""
    frame = pd.DataFrame({"kalla": ["A-kassa", "Försörjningsstöd", "Ingen offentlig försörjning", "Annan"],
                          "fore": ["7", "..", "0", ".."], "efter": ["4", "10", "4", "15"]})
    chart = charts.before_after(frame, "kalla", "fore", "efter", "Försörjningskälla före och efter insatsen")
    ax = _figure(chart).axes[0]
    # drawn: A-kassa 7 and 4, Ingen 0 and 4; Försörjningsstöd and Annan: no bar, two marks each
    assert sorted(round(p.get_width()) for p in ax.patches) == [0, 4, 4, 7]
    assert [t.get_text() for t in ax.texts].count(charts.MARK) == 4
    assert chart.data["efter"].tolist()[1::2] == [pytest.approx(float("nan"), nan_ok=True)] * 2
    assert "Försörjningsstöd: före .., efter ..; " in chart.alt and "Annan: före .., efter .." in chart.alt
    assert "A-kassa: före 7, efter 4" in chart.alt and charts.PAIR_NOTE in chart.alt
    assert charts.PAIR_NOTE in ax.get_xlabel() and charts.HIDDEN_NOTE in ax.get_xlabel()
    # only pairs with one value hidden, or zero: no comparison left, no chart
    assert charts.before_after(frame.iloc[[1, 3]], "kalla", "fore", "efter", "F") is None


# -- the middle of a scale is neither agreement nor disagreement -----------------------------------

def test_the_middle_answers_are_drawn_apart_never_left_of_the_divide():
    """steget 2024/25: the whole group "Till viss del – Till stor del" was drawn left of zero with
    the negative answers, so "till stor del" read as disagreement."""
    labels = ["Inte alls – Till liten del", "Till viss del – Till stor del", "Till mycket stor del – Helt och hållet"]
    summary = pd.DataFrame({"fraga": ["q1", "q2"], "text": ["Ett?", "Två?"], "svar": [20, 20],
                            labels[0]: [2, ".."], labels[1]: [8, ".."], labels[2]: [10, 15]})
    chart = charts.diverging_scale(summary, labels, "Enkät", top=1, low=1)
    main, middle = _figure(chart).axes
    bars = lambda ax: [(round(float(p.get_x()), 6), round(float(p.get_width()), 6)) for p in ax.patches]
    # q1: 2/20 = 10 % left of the divide, 10/20 = 50 % right of it; q2: 15/20 = 75 % right
    assert bars(main) == [(-0.1, 0.1), (0.0, 0.5), (0.0, 0.75)]
    assert bars(middle) == [(0.0, 0.4)]  # q1's middle, 8/20, in its own panel from its own zero
    # q2: the negative and the middle answers are hidden (5 together, split unknown): a mark in each place
    marks = [(ax is main, a.xy) for ax in (main, middle) for a in ax.texts if a.get_text() == d.MARK]
    assert marks == [(True, (0.0, 0)), (False, (0.0, 0))]
    assert "mitten, Till viss del – Till stor del, visas för sig" in main.get_xlabel()
    # the alt text still states every count and the share positive
    assert "Ett?: Inte alls – Till liten del 2, Till viss del – Till stor del 8, " in chart.alt
    assert "Två?: Inte alls – Till liten del .., Till viss del – Till stor del .., " in chart.alt


def test_a_whole_scale_has_its_lowest_left_its_top_right_and_the_labels_between_apart():
    # six labels, topp 2: A, B negative; C, D the middle; E, F positive. Answers A, C, D, E, F, F
    s = surveys.Survey("x", "X", 9, ("A", "B", "C", "D", "E", "F"), 2, (surveys.Question("q1", "Fråga ett?", "skala"),),
                       pd.DataFrame({"q1": ["A", "C", "D", "E", "F", "F", ""]}))
    main, middle = _figure(surveys.scale_chart(s)).axes
    left = sum(p.get_width() for p in main.patches if p.get_x() < 0)
    right = sum(p.get_width() for p in main.patches if p.get_x() >= 0)
    assert (left, right) == (pytest.approx(1 / 6), pytest.approx(3 / 6))  # A; E, F F: the share positive
    assert sum(p.get_width() for p in middle.patches) == pytest.approx(2 / 6)  # C and D


@pytest.mark.parametrize("kind", ["trend", "grouped"])
def test_a_legend_sits_above_the_axes_never_over_a_line_or_a_bar(kind):
    """A förbund's reviewer: the trend chart's legend (upper right, 'best') covered the 2024 points."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if kind == "trend":
        frame = pd.DataFrame({"period": ["2022", "2023", "2024"], "deltagare": [61, 82, 77], "nya": [62, 50, 45],
                              "avslutade": [30, 50, 77]})
        chart = charts.trend_lines(frame, "period", {"deltagare": "Deltagare", "nya": "Nya", "avslutade": "Avslutade"},
                                   "Deltagare per period")
    else:
        long = pd.DataFrame({"kategori": ["A", "A", "B", "B"], "kon": ["Kvinna", "Man"] * 2, "andel": [0.9, 0.8, 0.95, 0.7]})
        chart = charts.grouped_share_bars(long, "kategori", "andel", "kon", "Andel per kön")
    make, top = chart.make.args[0], chart.make.args[1]
    fig = make()
    charts._place(fig, fig.axes[0], top)
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    legend, axes = ax.get_legend().get_window_extent(), ax.get_window_extent()
    title = ax.title.get_window_extent()
    assert legend.y0 >= axes.y1 - 1 and legend.y1 <= title.y0 + 1  # between the axes and the title
    assert fig.bbox.contains(legend.x0, legend.y1)  # and inside the picture
