"""Change over time (matningar.csv + instrument.yaml), collaboration steps and socio-economic
payback (kostnader.yaml), on the hand-computed register of conftest (period 2020).

ORS (scale 0–40, cut-off 25, reliable change 5), first at or before 2020-12-31, latest in 2020:
  D01 K 20 (2019-12-01) → 27: +7 improved, 20 ≤ 25 < 27 recovered
  D02 M 18 → 21 → 24: +6 improved (24 still ≤ 25)
  D03 K 30 → 22: −8 worsened
  D04 M 26: one measurement
  D05 M 15 → 18: +3 unchanged (< 5)
  D06 K 28 → 33: +5 improved (exactly the reliable change)
  paired 5, one 1; improved 3, unchanged 1, worsened 1, recovered 1;
  mean first 111/5 = 22,2, latest 124/5 = 24,8, change 13/5 = 2,6; ≤ 25 at first 3, at latest 3.
Processtrappan (5 steps): D01 2 → 4, D02 1 → 1, D05 3 → 2, D09 1 → 3: improved 2, unchanged 1, worsened 1.
Costs: the base is D01, D03, D04, D05 (in 2020, both försörjning columns given).
  before: Försörjningsstöd 2 × 120 000 + Sjukpenning 2 × 200 000 + Aktivitetsstöd 1 × 150 000 = 790 000
  after:  Försörjningsstöd 1 × 120 000 + Sjukpenning 1 × 200 000 + Aktivitetsstöd 1 × 150 000 = 470 000
  saving 320 000 a year; with dödvikt 0,25: 240 000; payback 500 000 / 240 000 = 2,083 years.
"""
from __future__ import annotations

import pytest

from evaluation.build.report import open_report
from evaluation.compute import payback
from evaluation.core.errors import InputError, ValidationError
from evaluation.core.vocab import MARK
from evaluation.inputs.measurements import reliable_change

from conftest import write_params

INSTRUMENTS = """\
ors:
  namn: Skattning av förändring (ORS)
  galler: deltagare
  skala: {min: 0, max: 40}
  gransvarde: 25
  tillforlitlig_forandring: 5
processtrappa:
  namn: Processtrappan
  galler: deltagare
  steg: [Motivation, Kartläggning, Förberedelse, Praktik, Arbete eller studier]
samverkan:
  namn: Samverkan enligt processtrappan
  galler: part
  steg: [Information, Konsultation, Samarbete, Samordning, Integration]
"""
MEASUREMENTS = """\
deltagar_id,part,instrument,datum,varde
D01,,ors,2019-12-01,20
D01,,ors,2020-02-01,27
D02,,ors,2020-01-10,18
D02,,ors,2020-06-01,21
D02,,ors,2020-11-01,24
D03,,ors,2020-02-05,30
D03,,ors,2020-02-15,22
D04,,ors,2020-03-05,26
D05,,ors,2020-04-05,15
D05,,ors,2020-10-01,18
D06,,ors,2020-05-10,28
D06,,ors,2020-12-01,33
D01,,processtrappa,2020-01-15,2
D01,,processtrappa,2020-02-20,Praktik
D02,,processtrappa,2020-02-01,1
D02,,processtrappa,2020-09-01,1
D05,,processtrappa,2020-04-10,3
D05,,processtrappa,2020-08-01,2
D09,,processtrappa,2020-08-10,1
D09,,processtrappa,2020-12-20,3
,Arbetsförmedlingen,samverkan,2020-01-20,2
,Arbetsförmedlingen,samverkan,2020-11-20,4
,Kommunen,samverkan,2020-03-01,3
"""
COSTS = """\
insatsens_kostnad: 500000
kalla: Budget 2020
forsorjning:
  Försörjningsstöd: {belopp: 120000, betalare: Kommunen, kalla: "Schablon A"}
  Sjukpenning/Rehabpenning: {belopp: 200000, betalare: Försäkringskassan, kalla: "Schablon B"}
  Aktivitetsstöd: {belopp: 150000, betalare: Arbetsförmedlingen, kalla: "Schablon C"}
dodvikt: 0.25
"""


@pytest.fixture
def measured(project):
    data = project.parent.parent.parent / "data" / "testinsats"
    (data / "instrument.yaml").write_text(INSTRUMENTS, encoding="utf-8")
    (data / "matningar.csv").write_text(MEASUREMENTS, encoding="utf-8")
    (data / "kostnader.yaml").write_text(COSTS, encoding="utf-8")
    return project


def _rows(table, key):
    return table.frame.set_index(key)


def test_change_per_participant_by_hand(measured):
    report = open_report(measured)
    ors = _rows(report.table("matning_ors"), "kon")
    total = ors.loc["Totalt"]
    assert [total[c] for c in ("parade", "en_matning", "forbattrade", "oforandrade", "forsamrade", "aterhamtade")] \
        == [5, 1, 3, 1, 1, 1]
    assert (total["medel_forst"], total["medel_senast"], total["medel_forandring"]) == (22.2, 24.8, 2.6)
    assert (total["kliniska_forst"], total["kliniska_senast"]) == (3, 3)
    assert (total["andel_kliniska_forst"], total["andel_kliniska_senast"]) == (pytest.approx(3 / 5), pytest.approx(3 / 5))
    assert report.key_figures["matning.ors.andel_kliniska_senast"] == pytest.approx(0.6)
    assert total["andel_forbattrade"] == pytest.approx(3 / 5)
    assert ors.loc["Kvinna", ["parade", "forbattrade", "forsamrade"]].tolist() == [3, 2, 1]
    assert ors.loc["Man", ["parade", "en_matning", "forbattrade", "oforandrade"]].tolist() == [2, 1, 1, 1]
    assert report.key_figures["matning.ors.forbattrade"] == 3
    assert report.key_figures["matning.ors.andel_forbattrade"] == pytest.approx(0.6)


def test_step_transitions_by_hand(measured):
    report = open_report(measured)
    steps = _rows(report.table("matning_processtrappa_steg"), "forsta")
    assert steps.loc["Motivation", ["steg_1", "steg_3", "totalt"]].tolist() == [1, 1, 2]
    assert steps.loc["Kartläggning", "steg_4"] == 1 and steps.loc["Förberedelse", "steg_2"] == 1
    assert steps.loc["Totalt", ["steg_1", "steg_2", "steg_3", "steg_4", "steg_5", "totalt"]].tolist() == [1, 1, 1, 1, 0, 4]
    change = _rows(report.table("matning_processtrappa"), "kon").loc["Totalt"]
    assert [change[c] for c in ("parade", "forbattrade", "oforandrade", "forsamrade")] == [4, 2, 1, 1]


def test_collaboration_steps_per_organisation(measured):
    parts = _rows(open_report(measured).table("samverkan_samverkan"), "part")
    assert parts.loc["Arbetsförmedlingen", ["forsta", "senast", "forandring"]].tolist() == ["2. Konsultation", "4. Samordning", 2]
    assert parts.loc["Kommunen", "senast"] == ""  # one measurement


def test_one_organisation_spelled_two_ways_is_one_part_and_said(measured):
    """A new evaluator wrote 'arbetsförmedlingen ' and 'Arbetsformedlingen' beside 'Arbetsförmedlingen':
    three parts in the collaboration table, two of them with one measurement, and no word."""
    path = measured.parent.parent.parent / "data" / "testinsats" / "matningar.csv"
    text = MEASUREMENTS.replace(",Arbetsförmedlingen,samverkan,2020-11-20,4", ",arbetsformedlingen ,samverkan,2020-11-20,4")
    path.write_text(text, encoding="utf-8")
    report = open_report(measured)
    parts = _rows(report.table("samverkan_samverkan"), "part")
    assert list(parts.index) == ["Arbetsförmedlingen", "Kommunen"]  # by hand: 2 → 4 as before
    assert parts.loc["Arbetsförmedlingen", ["forsta", "senast", "forandring"]].tolist() == ["2. Konsultation", "4. Samordning", 2]
    row = text.splitlines().index(",arbetsformedlingen ,samverkan,2020-11-20,4") + 1
    said = [n for n in report.notices if n.path == path and n.line == row]
    assert [n.message for n in said] == [
        f"parten 'arbetsformedlingen' räknas som 'Arbetsförmedlingen' (rad {row - 1}): samma namn med andra stora "
        "eller små bokstäver, mellanslag eller utan å, ä, ö. Skriv namnet likadant varje gång."]


def test_a_period_in_which_no_organisation_was_measured_has_no_collaboration_table(measured):
    """A one-day period with no part measured: was 'Oväntat fel: AttributeError' (the dates of no
    rows had no date type)."""
    day = write_params(measured.parent.parent.parent, slug="2020-12-01", period="{start: 2020-12-01, slut: 2020-12-01}",
                       provtid_dagar=90)
    ids = [t.id for t in open_report(day).tables]
    assert "samverkan_samverkan" not in ids and "samverkan_samverkan" in [t.id for t in open_report(measured).tables]


def test_payback_by_hand(measured):
    report = open_report(measured)
    counts = _rows(report.table("samhallsnytta_underlag"), "kategori")
    assert counts.loc["Försörjningsstöd", ["antal_fore", "antal_efter"]].tolist() == [2, 1]
    assert counts.loc["Sjukpenning/Rehabpenning", ["antal_fore", "antal_efter"]].tolist() == [2, 1]
    payers = _rows(report.table("samhallsnytta_betalare"), "betalare")
    assert payers.loc["Totalt", ["kostnad_fore", "kostnad_efter", "besparing"]].tolist() == [790_000, 470_000, 320_000]
    assert payers.loc["Kommunen", "besparing"] == 120_000 and payers.loc["Försäkringskassan", "besparing"] == 200_000
    assert payers.loc["Arbetsförmedlingen", "besparing"] == 0
    sens = _rows(report.table("samhallsnytta_kanslighet"), "dodvikt")
    annuity = sum(1 / 1.035 ** t for t in range(1, 6))
    assert sens.loc[0.25, "besparing"] == 240_000
    assert sens.loc[0.25, "nuvarde"] == pytest.approx(240_000 * annuity - 500_000)
    assert sens.loc[0.25, "aterbetalningstid"] == "2 år och 1 månad"  # 500 000 / 240 000 = 2,083
    assert sens.loc[0.0, "aterbetalningstid"] == "1 år och 7 månader"  # 1,5625 years
    assert sens.loc[0.5, "aterbetalningstid"] == "3 år och 2 månader"  # 3,125 years
    assert any("Studiestöd/Studiemedel" in n.describe() for n in report.notices)  # listed, costs 0


def test_the_payback_counts_the_contracts_participants_and_names_how_many(measured):
    """The contract (§9) counts participants in the period with both försörjning columns, also one
    still enrolled at its end: D09 (in 2020, ends 2021-02-01) with Försörjningsstöd → Ingen offentlig
    försörjning adds 120 000 kr (320 000 → 440 000). A förbund's reviewer could not tell how many the
    table counts, nor why its 'före' differed from the försörjning table's: the base line says both,
    and the limits that the 'after' of one still enrolled is not that of an exit in the period."""
    from conftest import ROWS, csv_text

    rows = [r[:11] + ["Ingen offentlig försörjning"] + r[12:] if r[0] == "D09" else r for r in ROWS]
    data = measured.parent.parent.parent / "data" / "testinsats"
    (data / "deltagare.csv").write_text(csv_text(rows), encoding="utf-8")
    report = open_report(measured)
    counts = report.table("samhallsnytta_underlag")
    assert _rows(counts, "kategori").loc["Försörjningsstöd", ["antal_fore", "antal_efter"]].tolist() == [3, 1]
    assert _rows(report.table("samhallsnytta_betalare"), "betalare").loc["Totalt", "besparing"] == 440_000
    # D01, D03, D04, D05 (ended) and D09 (ongoing at the period's end)
    assert counts.base.startswith("Underlaget är 5 deltagare i perioden med försörjning angiven både före och efter. "
                                  "Tabellen Försörjning före och efter insatsen räknar de som avslutade under perioden")
    assert "också de som fortfarande var inskrivna vid periodens slut" in report.section("samhallsnytta").to_html()


def test_the_base_of_the_payback_is_read_from_a_protected_cell(project):
    """min_cell 2: 4 ended with försörjning known (D01, D03, D04, D05) of the 6 who ended, not
    anonymous (those and D06, D08): 6 − 4 = 2 is no small count, and the base line says 4. With
    D06 given an "after" too, 5 of 6: the försörjning table's shares give 6 (Försörjningsstöd 3 =
    50 %), so 6 − 5 = 1 (D08, who has no försörjning) would be read back: the 5 is hidden."""
    from conftest import ROWS, csv_text

    params = write_params(project.parent.parent.parent, provtid_dagar=90, min_cell=2)
    data = project.parent.parent.parent / "data" / "testinsats"
    (data / "kostnader.yaml").write_text(COSTS, encoding="utf-8")
    assert open_report(params).table("samhallsnytta_underlag").base.startswith("Underlaget är 4 deltagare")
    rows = [r[:11] + ["Försörjningsstöd"] + r[12:] if r[0] == "D06" else r for r in ROWS]
    (data / "deltagare.csv").write_text(csv_text(rows), encoding="utf-8")
    report = open_report(params)
    support = _rows(report.table("forsorjning_fore_efter"), "kalla")
    assert support.loc["Försörjningsstöd", ["fore", "andel_fore"]].tolist() == [3, 0.5]
    assert report.table("samhallsnytta_underlag").base.startswith("Underlaget är .. deltagare")


def test_the_text_says_when_people_moved_into_a_source_without_an_amount(measured):
    """Studiestöd/Studiemedel has no amount in COSTS: 0 before, 1 after (D04, from Aktivitetsstöd);
    the section says so and that the saving is overstated. Priced, it says nothing of it."""
    text = open_report(measured).section("samhallsnytta").to_html()
    assert ("Studiestöd/Studiemedel har inget belopp i kostnader.yaml och räknas som 0 kr" in text
            and "besparingen är överskattad" in text)
    data = measured.parent.parent.parent / "data" / "testinsats"
    (data / "kostnader.yaml").write_text(COSTS.replace("dodvikt", "  Studiestöd/Studiemedel: {belopp: 100000, "
                                                       "betalare: Staten, kalla: D}\ndodvikt"), encoding="utf-8")
    assert "överskattad" not in open_report(measured).section("samhallsnytta").to_html()


def test_small_sources_that_cost_nothing_are_merged_into_annan_in_the_cost_table_too(project):
    """A förbund reviewer's finding: the försörjning table merged small sources into Annan (min_cell),
    and the cost table beside it showed them one by one. When each costs nothing (no amount, or 0 kr)
    the cost table merges the same ones: Annan costs 0 too, so the payback is the same."""
    data = project.parent.parent.parent / "data" / "testinsats"
    costs = ("insatsens_kostnad: 500000\nforsorjning:\n  A-kassa: {belopp: 190000, betalare: Staten, kalla: X}\n")
    (data / "kostnader.yaml").write_text(costs, encoding="utf-8")
    params = write_params(project.parent.parent.parent, provtid_dagar=90, min_cell=3)
    report = open_report(params)
    merged = ("Aktivitetsstöd", "Försörjningsstöd", "Sjukpenning/Rehabpenning", "Studiestöd/Studiemedel")
    ended, priced = report.table("forsorjning_fore_efter"), report.table("samhallsnytta_underlag")
    assert "ingår Aktivitetsstöd, försörjningsstöd, sjukpenning/Rehabpenning och studiestöd/Studiemedel i Annan" in ended.note
    assert list(priced.frame["kategori"]) == ["A-kassa", "Ingen offentlig försörjning", "Annan"]
    assert ended.note.split(" ..:")[0].split(". ")[-1] in priced.note  # the same sentence under both
    # with an amount for one of them, the cost table keeps every source apart (as priced)
    (data / "kostnader.yaml").write_text(costs + "  Sjukpenning/Rehabpenning: {belopp: 200000, betalare: "
                                         "Försäkringskassan, kalla: Y}\n", encoding="utf-8")
    priced = open_report(params).table("samhallsnytta_underlag")
    assert set(merged) <= set(priced.frame["kategori"])


def test_no_saving_is_no_payback():
    assert payback.years_and_months(payback.payback_years(100, 0)) == "ingen återbetalning"
    assert payback.years_and_months(payback.payback_years(100, -5)) == "ingen återbetalning"


def test_an_unpriced_category_shows_a_dash_and_counts_nothing():
    import pandas as pd
    from evaluation.inputs.costs import Costs, Rate

    people = pd.DataFrame({"forsorjning_fore": [["Försörjningsstöd"], ["Sjukersättning"], ["Sjukersättning"]],
                           "forsorjning_efter": [["Ingen offentlig försörjning"], ["Sjukersättning"], []]})
    costs = Costs(cost=100_000, source="", rates={"Försörjningsstöd": Rate(120_000, "Kommunen")})
    counts = payback.counts_table(people, costs).set_index("kategori")
    assert counts.loc["Sjukersättning", ["betalare", "belopp", "antal_fore", "antal_efter"]].tolist() == ["–", "–", 2, 1]
    assert counts.loc["Ingen offentlig försörjning", ["belopp", "antal_efter"]].tolist() == [0, 1]
    payers = payback.payer_table(counts.reset_index()).set_index("betalare")
    assert list(payers.index) == ["Kommunen", "Totalt"]
    assert payers.loc["Totalt", ["kostnad_fore", "kostnad_efter", "besparing"]].tolist() == [120_000, 0, 120_000]
    assert payback.unpriced(people, costs) == ["Sjukersättning"]


def test_reliable_change_from_sd_and_reliability():
    assert reliable_change(sd=7.0, reliability=0.8) == round(1.96 * 2 ** 0.5 * 7.0 * 0.2 ** 0.5, 2)


def test_sections_show_in_the_default_outline(measured):
    report = open_report(measured)
    ids = [s.id for s in report.sections]
    assert ids.index("resultat") < ids.index("matningar") < ids.index("samverkan") < ids.index("samhallsnytta")
    text = report.section("samhallsnytta").to_html()
    assert "240\u00a0000 kr per år" in text and "2 år och 1 månad" in text and "3,5\u00a0%" in text
    assert "ingen jämförelsegrupp" in text and "Schablon A" in text
    assert "Av dem förbättrades 3" in report.section("matningar").to_html()


def test_min_cell_hides_small_counts_and_the_amounts_built_on_them(project):
    params = write_params(project.parent.parent.parent, min_cell=3)
    data = project.parent.parent.parent / "data" / "testinsats"
    (data / "instrument.yaml").write_text(INSTRUMENTS, encoding="utf-8")
    (data / "matningar.csv").write_text(MEASUREMENTS, encoding="utf-8")
    (data / "kostnader.yaml").write_text(COSTS, encoding="utf-8")
    report = open_report(params)
    ors = _rows(report.table("matning_ors"), "kon")
    assert ors.loc["Totalt", "parade"] == 5  # the headline stays
    assert ors.loc["Totalt", "forsamrade"] == MARK and ors.loc["Totalt", "oforandrade"] == MARK  # 1 and 1
    # 5 = improved + 1 + 1, and a hidden count is at least 1: improved would pin both, so it is hidden too
    assert ors.loc["Totalt", "forbattrade"] == MARK
    assert ors.loc["Man", "medel_forst"] == MARK  # a mean of two people
    payers = _rows(report.table("samhallsnytta_betalare"), "betalare")
    assert payers.loc["Totalt", "besparing"] == MARK
    assert set(report.table("samhallsnytta_kanslighet").frame["nuvarde"]) == {MARK}
    assert "skulle avslöja antal som skyddas (färre än 3 personer)" in report.section("samhallsnytta").to_html()
    shown = report.section("matningar").to_html()
    assert "5 deltagare har mätts minst två gånger" in shown and "visas inte" in shown and " .. " not in shown
    assert "matning.ors.forsamrade" in report.key_figures and report.key_figures["matning.ors.forsamrade"] == MARK


@pytest.mark.parametrize("line, column, words", [
    ("D01,,okand,2020-02-01,3", "instrument", "finns inte i instrument.yaml"),
    ("D01,,ors,2020-02-01,41", "varde", "ett tal från 0 till 40"),
    ("D01,,processtrappa,2020-02-01,Examen", "varde", "stegnummer 1–5"),
    ("X99,,ors,2020-02-01,20", "deltagar_id", "finns inte i deltagarregistret"),
    ("D01,,ors,2020-04-01,20", "datum", "efter deltagarens sista avslut"),
    (",,samverkan,2020-04-01,2", "part", "krävs för samverkan"),
    ("D01,,ors,2020-13-01,20", "datum", ""),
    # both who-columns filled: the other was dropped unsaid before
    ("D01,Kommunen,ors,2020-02-01,20", "part", "ska vara tom för ors (galler: deltagare)"),
    ("D01,Kommunen,samverkan,2020-02-01,2", "deltagar_id", "ska vara tom för samverkan (galler: part)"),
    # the same person, instrument and day as row 3: which would count first was row order's choice
    ("D01,,ors,2020-02-01,21", "datum", "ors mättes redan samma dag för samma deltagar-id (rad 3)"),
])
def test_every_bad_measurement_is_named_by_row_and_column(measured, line, column, words):
    data = measured.parent.parent.parent / "data" / "testinsats"
    (data / "matningar.csv").write_text(MEASUREMENTS + line + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        open_report(measured)
    row = MEASUREMENTS.count("\n") + 1
    assert f"rad {row}, kolumn '{column}'" in str(err.value) and words in str(err.value)
    assert "matningar.csv" in str(err.value)


def test_a_row_after_a_row_of_empty_cells_is_named_by_its_line_in_the_file(measured):
    data = measured.parent.parent.parent / "data" / "testinsats"
    (data / "matningar.csv").write_text(MEASUREMENTS + ",,,,\n" + "D01,,ors,igår,20\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        open_report(measured)
    row = MEASUREMENTS.count("\n") + 2  # the header, the measurements, the empty row, then this one
    assert f"rad {row}, kolumn 'datum': 'igår' är inte ett datum" in str(err.value)


def test_personal_data_in_a_measurement_is_named_with_the_other_rows_errors(measured):
    data = measured.parent.parent.parent / "data" / "testinsats"
    (data / "matningar.csv").write_text(MEASUREMENTS + "811218-9876,,ors,2020-02-01,20\n" + "D01,,ors,igår,20\n",
                                        encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        open_report(measured)
    row = MEASUREMENTS.count("\n") + 1
    assert [(v.row, v.column) for v in err.value.violations] == [(row, "deltagar_id"), (row + 1, "datum")]
    assert "9876" not in str(err.value)


def test_bad_instrument_and_cost_files_name_the_key(measured):
    data = measured.parent.parent.parent / "data" / "testinsats"
    (data / "instrument.yaml").write_text("ors:\n  namn: ORS\n  galler: alla\n  skala: {min: 0, max: 40}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        open_report(measured)
    assert "instrument.yaml" in str(err.value) and "galler" in str(err.value) and "deltagare, part" in str(err.value)
    (data / "instrument.yaml").write_text(INSTRUMENTS, encoding="utf-8")
    (data / "kostnader.yaml").write_text(COSTS.replace("Kommunen", "Grannen"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        open_report(measured)
    assert "kostnader.yaml" in str(err.value) and "betalare" in str(err.value) and "Regionen" in str(err.value)
    # the key as the file spells it, on its line (line 4 of COSTS: the first category)
    assert "rad 4, nyckeln 'forsorjning', nyckeln 'Försörjningsstöd', nyckeln 'betalare'" in str(err.value)


def test_measurements_without_instruments_say_what_is_missing(measured):
    (measured.parent.parent.parent / "data" / "testinsats" / "instrument.yaml").unlink()
    with pytest.raises(InputError, match="behöver instrument.yaml"):
        open_report(measured)


def test_amounts_written_as_swedes_write_them_and_numbers_past_any_insats(measured):
    from evaluation.inputs.costs import load_costs

    data = measured.parent.parent.parent / "data" / "testinsats"
    path = data / "kostnader.yaml"
    path.write_text(COSTS.replace("500000", '"500 000 kr"').replace("120000", "120\u00a0000"), encoding="utf-8")
    costs = load_costs(path)
    assert costs.cost == 500000 and costs.rates["Försörjningsstöd"].amount == 120000
    path.write_text(COSTS.replace("500000", "1.0e+30"), encoding="utf-8")  # was 'Oväntat fel: InvalidOperation'
    with pytest.raises(InputError, match=r"rad 1, nyckeln 'insatsens_kostnad': '1e\+30' är orimligt stort"):
        load_costs(path)
    path.write_text(COSTS + "diskonteringsranta: 0.8\n", encoding="utf-8")  # the range said "från 0 till 0"
    with pytest.raises(InputError, match="nyckeln 'diskonteringsranta': 0.8 ligger utanför det tillåtna; "
                                         "ange ett tal från 0 till 0,5"):
        load_costs(path)


@pytest.mark.parametrize("written, key, words", [
    ("ors:\n  namn: ORS\n  galler: deltagare\n  skala: {min: 0, max: 40}\n  gransvarde: 99\n",
     "nyckeln 'gransvarde'", "99 ligger inte inuti skalan 0–40"),
    ("ors:\n  namn: ORS\n  galler: deltagare\n  skala: {min: 0, max: 40}\n  tillforlitlig_forandring: 0\n",
     "nyckeln 'tillforlitlig_forandring'", "0 skulle räkna varje förändring som tillförlitlig"),
    ("ors:\n  namn: ORS\n  galler: deltagare\n  skala: {min: 0, max: 40}\n  sd: 4\n  reliabilitet: 1\n",
     "nyckeln 'tillforlitlig_forandring'", "0 skulle räkna varje förändring som tillförlitlig"),
    ("trappa:\n  namn: Trappan\n  galler: deltagare\n  steg: [Start, Praktik, start]\n",
     "nyckeln 'steg'", "ett steg står två gånger"),
    ("trappa:\n  namn: Trappan\n  galler: deltagare\n  steg: [[Start], {Praktik: ja}]\n",
     "nyckeln 'steg'", "varje steg ska vara ett namn i listan"),  # were taken as the steps "['Start']" and "{...}"
    ("trappa:\n  namn: Trappan\n  galler: deltagare\n  steg: [Start, null, Praktik]\n",
     "nyckeln 'steg'", "här står en tom plats"),  # was the step "None"
])
def test_an_instrument_that_could_not_judge_a_change_is_refused(tmp_path, written, key, words):
    """A cut-off outside the scale, a reliable change of 0 and a step named twice were accepted before."""
    from evaluation.inputs.measurements import load_instruments

    path = tmp_path / "instrument.yaml"
    path.write_text(written, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_instruments(path)
    assert key in str(err.value) and words in str(err.value)


def test_a_cost_of_nothing_is_refused(measured):
    """insatsens_kostnad: 0 gave "återbetalningstiden är 0 månader"."""
    data = measured.parent.parent.parent / "data" / "testinsats"
    (data / "kostnader.yaml").write_text(COSTS.replace("insatsens_kostnad: 500000", "insatsens_kostnad: 0"),
                                         encoding="utf-8")
    with pytest.raises(InputError) as err:
        open_report(measured)
    assert "rad 1, nyckeln 'insatsens_kostnad': 0 kr ger återbetalningstiden 0 månader" in str(err.value)


@pytest.mark.parametrize("key, empty", [("dodvikt", "dodvikt:"), ("horisont_ar", "horisont_ar: ''"),
                                        ("diskonteringsranta", "diskonteringsranta: ~")])
def test_an_optional_cost_key_left_empty_takes_the_contracts_default(measured, key, empty):
    """'dodvikt:' (empty) stopped the report with TypeError: '<' not supported between 'NoneType'
    and 'float' (found by a fuzzer of YAML values). Empty is as left out: the default of contract §9;
    a 0 stays a 0."""
    from evaluation.inputs.costs import load_costs

    data = measured.parent.parent.parent / "data" / "testinsats"
    path = data / "kostnader.yaml"
    path.write_text(COSTS.replace("dodvikt: 0.25", empty) if key == "dodvikt" else COSTS + empty + "\n",
                    encoding="utf-8")
    costs = load_costs(path)
    assert (costs.deadweight, costs.horizon, costs.rate) == (
        0.0 if key == "dodvikt" else 0.25, 5, 0.035)
    table = open_report(measured).table("samhallsnytta_kanslighet").frame
    assert table["dodvikt"].tolist() == [0.0, 0.25, 0.5]  # the sensitivity levels, the file's own among them
    path.write_text(COSTS.replace("dodvikt: 0.25", "dodvikt: 0\ndiskonteringsranta: 0"), encoding="utf-8")
    assert (load_costs(path).deadweight, load_costs(path).rate) == (0, 0)


def test_a_step_written_with_an_escaped_control_character_reaches_the_workbook_clean(measured, tmp_path):
    """"Moti\\avation" in instrument.yaml reached the step table, and writing tabeller.xlsx failed
    with an unexpected error (openpyxl refuses control characters)."""
    from evaluation.renderers import xlsx

    data = measured.parent.parent.parent / "data" / "testinsats"
    (data / "instrument.yaml").write_text(INSTRUMENTS.replace("[Motivation,", '["Moti\\avation",'), encoding="utf-8")
    report = open_report(measured)
    steps = _rows(report.table("matning_processtrappa_steg"), "forsta")
    assert steps.loc["Motivation", "totalt"] == 2
    xlsx.write(report.document, tmp_path)
    import openpyxl

    sheets = openpyxl.load_workbook(tmp_path / "tabeller.xlsx").worksheets
    assert any(cell.value == "Motivation" for sheet in sheets for row in sheet.iter_rows() for cell in row)


def test_the_example_an_empty_instrument_file_is_given_can_be_pasted_in(tmp_path):
    """The example had a brace too many: pasted into instrument.yaml, it was a YAML error."""
    import re

    from evaluation.inputs.measurements import load_instruments

    path = tmp_path / "instrument.yaml"
    path.write_text("# fylls i senare\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_instruments(path)
    example = re.search(r"t\.ex\. '([^']+)'", str(info.value)).group(1)
    path.write_text(example + "\n", encoding="utf-8")
    assert list(load_instruments(path)) == ["ors"]


def test_validate_says_the_measurements_are_there_but_none_is_dated_within_the_period(measured):
    """Not 'Förändring över tid (matningar.csv)', as if the file were missing: it is there, but dated outside."""
    from evaluation.run.render import absent_sections

    june = write_params(measured.parent.parent.parent, slug="2021-06", period="{start: 2021-06-01, slut: 2021-06-30}")
    said = absent_sections(open_report(june))
    assert ("Förändring över tid (20 mätningar i matningar.csv, ingen daterad inom perioden 2021-06-01 – 2021-06-30)"
            in said)
    assert ("Samverkan enligt processtrappan (3 mätningar i matningar.csv, ingen daterad inom perioden "
            "2021-06-01 – 2021-06-30)" in said)
    # a period with participants measured but no part: only the collaboration is said to be outside
    day = write_params(measured.parent.parent.parent, slug="2020-12-01", period="{start: 2020-12-01, slut: 2020-12-01}")
    said = absent_sections(open_report(day))
    assert "Förändring över tid" not in said
    assert "Samverkan enligt processtrappan (3 mätningar i matningar.csv, ingen daterad inom perioden 2020-12-01 – 2020-12-01)" in said


def test_sources_without_an_amount_are_named_when_more_have_them_after():
    """From the protected counts: Sjukersättning (no amount) 2 → 1 is no move into it; hidden after
    may be one; Annan 5 → 15 holding Aktivitetsstöd and Studiestöd/Studiemedel (no amount, merged
    as too few to show apart) names them; Annan 15 → 5 does not."""
    import pandas as pd

    def counts(rows):
        return pd.DataFrame(rows, columns=["kategori", "betalare", "belopp", "antal_fore", "antal_efter", "bas"])

    merged = ("Aktivitetsstöd", "Studiestöd/Studiemedel")
    frame = counts([["Försörjningsstöd", "Kommunen", 140000.0, 24, 10, 39], ["Sjukersättning", "–", "–", 2, 1, 39],
                    ["Annan", "–", 0.0, 5, 15, 39]])
    assert payback.unpriced_rising(frame) == ([], False)  # Annan alone costs 0 by the contract
    assert payback.unpriced_rising(frame, merged) == (list(merged), True)
    frame.loc[2, ["antal_fore", "antal_efter"]] = [15, 5]
    assert payback.unpriced_rising(frame, merged) == ([], False)
    frame["antal_efter"] = frame["antal_efter"].astype(object)
    frame.loc[1, "antal_efter"] = MARK
    assert payback.unpriced_rising(frame, merged) == (["Sjukersättning"], False)


def test_a_hidden_total_saving_says_which_payers_are_shown(measured):
    """min_cell 2, with D06 Försörjningsstöd → Försörjningsstöd and D08 Aktivitetsstöd → Ingen
    offentlig försörjning: Försörjningsstöd 3 (D01, D03, D06) → 2 (D03, D06) is shown, so Kommunen
    360 000 → 240 000 kr (saving 120 000); Sjukpenning after 1 (D05) is hidden, and with it the
    total. The lead says the total is hidden and the table shows the payers it can."""
    from conftest import ROWS, csv_text

    rows = [r[:11] + ["Försörjningsstöd"] + r[12:] if r[0] == "D06" else
            r[:10] + ["Aktivitetsstöd", "Ingen offentlig försörjning"] + r[12:] if r[0] == "D08" else r for r in ROWS]
    data = measured.parent.parent.parent / "data" / "testinsats"
    (data / "deltagare.csv").write_text(csv_text(rows), encoding="utf-8")
    params = write_params(measured.parent.parent.parent, provtid_dagar=90, min_cell=2)
    report = open_report(params)
    payers = _rows(report.table("samhallsnytta_betalare"), "betalare")
    assert payers.loc["Kommunen", ["kostnad_fore", "kostnad_efter", "besparing"]].tolist() == [360_000, 240_000, 120_000]
    assert payers.loc["Totalt", "besparing"] == MARK
    text = report.section("samhallsnytta").to_html()
    assert "Den totala offentliga kostnaden före och efter" in text
    assert "Tabellen per betalare visar de betalare som går att visa" in text
