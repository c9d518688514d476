"""Hidden cells per demo report at a given ``min_cell`` (default 3, the default of the parameters).

    .venv/bin/python benchmarks/hidden_cells.py [MIN_CELL]

Prints, per demo report, the number of table cells shown as ``..`` out of the cells of tables
with counts of people, and which headline figures are visible (share to work or studies, each
survey question's share positive).
"""
from __future__ import annotations

import sys

from evaluation.build.report import Report
from evaluation.compute import catalogue, disclosure
from evaluation.core.vocab import MARK
from evaluation.inputs.params import load_params
from evaluation.sections import registry as sections
from evaluation.tools.cli import DEMO_PARAMS


def _count(tables) -> tuple[int, int]:
    hidden = shown = 0
    for table in tables:
        if catalogue.spec_for(table.id, table.frame) is None:
            continue
        values = table.frame.astype(object).to_numpy().ravel()
        hidden += sum(1 for v in values if isinstance(v, str) and v == MARK)
        shown += len(values)
    return hidden, shown


def _headlines(tables) -> str:
    parts = []
    for table in tables:
        frame = table.frame
        if table.id == "resultat":
            row = frame[frame["kategori"] == "Arbete eller studier"]
            if len(row):
                parts.append(f"arbete/studier {'..' if row['andel'].iloc[0] == MARK else 'visas'}")
        if table.id.startswith("enkat_") and "andel_topp" in frame:
            n = len(frame)
            ok = sum(1 for v in frame["andel_topp"] if not (isinstance(v, str) and v == MARK))
            parts.append(f"{table.id}: {ok}/{n} andel positiva")
    return "; ".join(parts)


def main(min_cell: int = 3) -> None:
    print(f"min_cell = {min_cell}")
    print(f"{'rapport':<46} {'dolda':>6} {'celler':>7}  huvudtal")
    for path in sorted(DEMO_PARAMS.glob("*/*.yaml")):
        params = load_params(path).model_copy(update={"min_cell": min_cell})
        report = Report(params)
        made = tuple(t for build in sections.TABLES for t in build(report))
        protected = disclosure.protect(made, min_cell)
        hidden, cells = _count(protected)
        name = f"{path.parent.name}/{path.stem}"
        print(f"{name:<46} {hidden:>6} {cells:>7}  {_headlines(protected)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
