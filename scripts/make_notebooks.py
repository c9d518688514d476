"""Write the report notebooks in notebooks/ from the section registry (run: make notebooks).

One notebook per group of report types with the same sections; each has a parameters cell,
then one markdown heading and one code cell per section (both tagged ``sektion:<id>``), so
the renderer can reorder them to a report's ``sektioner`` and a person can run them as they
are. Notebooks are written without outputs or execution counts.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evaluation.run.notebook import NOTEBOOKS, section_cells  # noqa: E402
from evaluation.sections import registry as sections  # noqa: E402

#: Paths from the project root: open_report finds them from notebooks/, a working copy in
#: arbete/ or the root itself (evaluation.inputs.params.project_roots).
DEMO = {
    "rapport.ipynb": "evaluation/demo/params/steget/2024-05-01--2025-04-30.yaml",
    "slutrapport.ipynb": "evaluation/demo/params/ungkraft/2022-2024.yaml",
    "processkartlaggning.ipynb": "evaluation/demo/params/kartan/2025-h2.yaml",
}


def build(name: str, report_type: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3 (evaluation)", "language": "python"},
                   "language_info": {"name": "python"}}
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    kinds = ", ".join(t for t, n in NOTEBOOKS.items() if n == name)
    cells = [
        md(f"# Rapport ({kinds})\n\nKör cellerna uppifrån och ned. Byt `params_path` för att visa en annan "
           "insats eller period (sökvägen räknas från projektets mapp, den med `params/`). Varje avsnitt visas som i rapporten; `.frame` på en tabell ger dess "
           "DataFrame, till exempel `report.table(\"resultat\").frame`. Koden finns i paketet `evaluation`; "
           "den här anteckningsboken anropar bara det.", metadata={"tags": ["remove"]}),
        code(f'params_path = "{DEMO[name]}"\nhandover = None', metadata={"tags": ["parameters"]}),
        code("import evaluation", metadata={"tags": ["remove"]}),
        code("report = evaluation.open_report(params_path)", metadata={"tags": ["remove"]}),
        # the CLI prints them; here Lab shows them, and the sections this notebook has no cell for
        code(f'report.show_notices("{name}")', metadata={"tags": ["remove"]}),
        code("report.title_block()"),
        code("report.contents()"),
    ]
    for section_id in sections.DEFAULT_SECTIONS[report_type]:
        cells += section_cells(section_id)
    cells.append(code("evaluation.hand_over(report, handover)", metadata={"tags": ["remove"]}))
    for cell, cell_id in zip(cells[:7], ("om", "parametrar", "import", "oppna", "varningar", "titel", "innehall")):
        cell.id = cell_id
    cells[-1].id = "overlamning"
    nb.cells = cells
    return nb


def main() -> None:
    done = set()
    for report_type, name in NOTEBOOKS.items():
        if name in done:
            continue
        done.add(name)
        nb = build(name, report_type)
        nbformat.write(nb, ROOT / "notebooks" / name)


if __name__ == "__main__":
    main()
