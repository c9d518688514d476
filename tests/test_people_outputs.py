"""Excel and the index for people (fast; the demo-wide checks are in test_acceptance.py)."""
from __future__ import annotations

import json

import openpyxl
import pandas as pd
from test_pdf import _document

from evaluation.core.model import Grid, Section, Table
from evaluation.renderers import xlsx
from evaluation.run import index


def _tables():
    shown = Table("resultat", "Resultat vid avslut: andel", pd.DataFrame(
        {"kategori": ["Arbete", "Studier", "Okänt"], "antal": [8, 3, 1], "andel": [8 / 30, 0.1, ".."]}),
        {"kategori": ("Kategori", "text"), "antal": ("Antal", "count"), "andel": ("Andel", "share")},
        base="Andel av 30 avslutade.")
    hidden = Table("bara_csv", "Finns bara som CSV", pd.DataFrame({"a": [1]}), {"a": ("A", "count")})
    matrix = Table("matris_k", "Kommuner", pd.DataFrame({"rad": ["Åsdal"], "Svar": ["Ett **viktigt** svar"]}),
                   {"rad": ("Kommun", "text"), "Svar": ("Svar", "text")})
    grid = Grid("matris_k", "Kommuner", "Kommun", ("Svar",), (("Åsdal", ("Ett **viktigt** svar",)),))
    return shown, hidden, matrix, grid


def test_the_workbook_shows_what_the_report_shows_as_people_read_it(tmp_path):
    shown, hidden, matrix, grid = _tables()
    doc = _document([Section("s", "Resultat", (shown, grid))])
    doc = type(doc)(**{**doc.__dict__, "tables": (shown, hidden, matrix)})
    xlsx.write(doc, tmp_path)
    book = openpyxl.load_workbook(tmp_path / "tabeller.xlsx")
    assert book.sheetnames == ["Innehåll", "Resultat vid avslut – andel", "Kommuner"]  # no sheet for bara_csv
    ids = [row[2] for row in book["Innehåll"].iter_rows(min_row=4, values_only=True)]
    assert ids == ["resultat", "matris_k"]
    ws = book["Resultat vid avslut – andel"]
    assert [c.value for c in ws[3]] == ["Kategori", "Antal", "Andel"]
    arbete = ws[4]
    assert arbete[1].value == 8 and arbete[1].number_format == "#,##0"
    assert arbete[2].value == 0.267 and arbete[2].number_format == '0.0" "%'  # shown as 26,7 %
    assert ws[6][2].value == ".."  # a hidden cell keeps its mark, as text
    assert ws[8][0].value == "Andel av 30 avslutade."
    assert book["Kommuner"]["B4"].value == "Ett viktigt svar"  # no Markdown
    assert book["Kommuner"]["B4"].alignment.wrap_text


def test_number_cells_keep_the_reports_rounding_and_sign():
    assert xlsx.number_cell("66,7 %") == (0.667, '0.0" "%')
    assert xlsx.number_cell("67 %") == (0.67, '0" "%')
    assert xlsx.number_cell("\u221275 %") == (-0.75, '+0" "%;-0" "%;0" "%')
    assert xlsx.number_cell("12 345") == (12345, "#,##0")
    assert xlsx.number_cell("2,35") == (2.35, "#,##0.00")
    assert xlsx.number_cell("≥ 60 %") is None and xlsx.number_cell("2023-11-14") is None


def _entry(namn, forbund, start, slut, status="ok", lank="", **extra):
    return {"insats": namn.lower(), "namn": namn, "period": f"{start}--{slut}", "rapporttyp": "Årsrapport",
            "forbund": forbund, "status": status, "tid": "2025-01-01T10:00:00", "meddelande": extra.get("meddelande", ""),
            "lank": lank, "senast_ok": "", "varningar": extra.get("varningar", []), "start": start, "slut": slut}


def test_the_index_groups_orders_links_and_says_things_in_words(tmp_path):
    folder = tmp_path / "steget" / "2024"
    folder.mkdir(parents=True)
    for name in ("rapport.html", "rapport.pdf", "tabeller.xlsx"):
        (folder / name).write_text("x", encoding="utf-8")
    entries = {
        "a": _entry("STEGET", "Förbund B", "2024-05-01", "2025-04-30", lank="steget/2024/rapport.html"),
        "b": _entry("STEGET", "Förbund B", "2023-05-01", "2024-04-30", status="fel", meddelande="deltagare.csv, rad 3: fel kön"),
        "c": _entry("Kartan", "Förbund A", "2025-01-01", "2025-12-31",
                    varningar=[{"fil": "texter/x.md", "rad": None, "meddelande": "okänd fil"}]),
    }
    (tmp_path / "index.json").write_text(json.dumps(entries), encoding="utf-8")
    groups = index.groups(tmp_path, entries)
    assert [f for f, _ in groups] == ["Förbund A", "Förbund B"]
    steget = groups[1][1][0][1]
    assert [r["period_text"] for r in steget] == ["1 maj 2024 – 30 apr 2025", "1 maj 2023 – 30 apr 2024"]
    assert steget[0]["links"] == [("HTML", "steget/2024/rapport.html"), ("PDF", "steget/2024/rapport.pdf"),
                                  ("Excel", "steget/2024/tabeller.xlsx")]  # no Word file: no Word link
    html = index.write_index(tmp_path).read_text(encoding="utf-8")
    assert html.index("Förbund A") < html.index("Förbund B") and ">2025<" in html
    assert "Den senaste körningen misslyckades." in html and "deltagare.csv, rad 3: fel kön" in html
    assert "1 varning när rapporten gjordes" in html and "Varning: texter/x.md: okänd fil" in html
    assert "Status" not in html and "2025-01-01T10" not in html  # no internal columns
    # the shipped font travels with the page (not whatever the reader's machine has)
    assert html.count("@font-face") == 3 and 'font-family: "Source Sans Pro"' in html
