"""Per sub-insats tables (``deltagare_kon_<slug>``, ``resultat_<slug>``) and the section ``delinsatser``."""
from __future__ import annotations

from conftest import write_params
from evaluation.build.report import open_report
from evaluation.sections import subinsatser

# Period 2024. Hälsospåret: S1, S2 (two enrolments), S3 (ongoing), S6 (Utan mätning).
# 'Steg 2 – arbete' has only S5, who ended in 2023. S4 belongs to no sub-insats.
REGISTER = """deltagar_id,kon,fodelsear,startdatum,slutdatum,avslutsanledning,delinsats
S1,Kvinna,2001,2024-01-01,2024-03-31,Arbete,Hälsospåret
S2,Man,2000,2024-02-01,2024-05-31,Sjukdom,Hälsospåret
S2,Man,2000,2024-07-01,2024-10-31,Arbete,Hälsospåret
S3,Man,1999,2024-03-01,,,Hälsospåret
S4,Kvinna,1998,2024-01-15,2024-06-30,Studier,
S5,Man,1997,2023-01-01,2023-06-30,Arbete,Steg 2 – arbete
S6,Kvinna,2002,2024-04-01,2024-08-31,Utan mätning,Hälsospåret
"""


def make(tmp_path, **params):
    path = write_params(tmp_path, slug="2024", period="{start: 2024-01-01, slut: 2024-12-31}", **params)
    (tmp_path / "data" / "testinsats" / "deltagare.csv").write_text(REGISTER, encoding="utf-8")
    return open_report(path)


def test_slugs():
    assert subinsatser.slug("Hälsospåret") == "halsosparet"
    assert subinsatser.slug("Steg 2 – arbete") == "steg_2_arbete"
    assert subinsatser.slugs(["Hälsa", "Halsa"]) == {"Hälsa": "halsa", "Halsa": "halsa_2"}


def test_tables_only_for_sub_insatser_in_the_period(tmp_path):
    ids = [t.id for t in make(tmp_path).tables]
    assert "deltagare_kon_halsosparet" in ids and "resultat_halsosparet" in ids
    assert not any(i.endswith("steg_2_arbete") for i in ids)


def test_participants_of_a_sub_insats_by_hand(tmp_path):
    frame = make(tmp_path).table("deltagare_kon_halsosparet").frame.set_index("kon")
    # women S1, S6; men S2 (twice), S3
    assert frame.loc["Kvinna", "unika"] == 2
    assert frame.loc["Man", "unika"] == 2
    assert frame.loc["Man", "inskrivningar"] == 3
    assert frame.loc["Totalt"].loc[["unika", "inskrivningar", "nya", "avslutade", "pagaende"]].tolist() == [4, 5, 5, 4, 1]


def test_outcome_of_a_sub_insats_by_hand(tmp_path):
    frame = make(tmp_path).table("resultat_halsosparet").frame.set_index("kategori")
    # ended in 2024: S1 Arbete, S2 Sjukdom, S2 Arbete, S6 Utan mätning (left out) → base 3
    assert frame.loc["Arbete eller studier", "antal"] == 2
    assert frame.loc["Arbete eller studier", "bas"] == 3
    assert frame.loc["Arbete eller studier", "andel"] == 2 / 3
    assert frame.loc["Sjukdom", "andel"] == 1 / 3
    assert frame.loc["Ej i resultatet", "antal"] == 1 and frame.loc["Ej i resultatet", "bas"] == 4


def test_the_whole_insats_is_unchanged(tmp_path):
    frame = make(tmp_path).table("deltagare_kon").frame.set_index("kon")
    assert frame.loc["Totalt", "unika"] == 5  # S1, S2, S3, S4, S6


def test_section(tmp_path):
    report = make(tmp_path)
    section = next(s for s in report.sections if s.id == "delinsatser")
    html = section.to_html()
    assert section.title == "Delinsatser"
    assert "<h3>Hälsospåret</h3>" in html and "tabell-resultat_halsosparet" in html
    ids = [s.id for s in report.sections]
    assert ids.index("delinsatser") == ids.index("resultat") + 1


def test_the_table_of_participants_per_sub_insats_is_shown_once(tmp_path):
    """It stood in both the results and the sub-insats sections: one id twice on the page."""
    import re

    page = "".join(s.to_html() for s in make(tmp_path).sections)
    assert re.findall(r'id="tabell-delinsatser"', page) == ['id="tabell-delinsatser"']
    alone = make(tmp_path / "b", sektioner="[delinsatser]")  # without the results, the section shows it
    assert 'id="tabell-delinsatser"' in next(s for s in alone.sections if s.id == "delinsatser").to_html()


def test_no_sub_insats_no_section(tmp_path):
    path = write_params(tmp_path, slug="2024", period="{start: 2024-01-01, slut: 2024-12-31}")
    plain = "\n".join(line.rsplit(",", 1)[0] for line in REGISTER.splitlines()) + "\n"
    (tmp_path / "data" / "testinsats" / "deltagare.csv").write_text(plain, encoding="utf-8")
    report = open_report(path)
    assert not any(t.id.startswith("resultat_") for t in report.tables)
    assert "delinsatser" not in [s.id for s in report.sections]
