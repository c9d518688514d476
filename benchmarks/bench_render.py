"""Print how long the heavy steps take: a large register through every table, and one render.

Run with `make bench`. Figures are printed, not asserted: compare them between changes.
"""
from __future__ import annotations

import datetime as dt
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from evaluation import tables
from evaluation.register import load_register
from evaluation.render import render_report

DEMO = Path(__file__).resolve().parent.parent / "evaluation" / "demo" / "params" / "samordningsteamet" / "2024.yaml"


def big_register(path: Path, rows: int) -> None:
    rnd = random.Random(1)
    lines = ["deltagar_id,kon,fodelsear,startdatum,slutdatum,avslutsanledning,utbildningsniva,forsorjning_fore,forsorjning_efter"]
    for i in range(rows):
        start = dt.date(2018, 1, 1) + dt.timedelta(days=rnd.randrange(2000))
        end = start + dt.timedelta(days=rnd.randrange(30, 700)) if rnd.random() < 0.7 else None
        reason = rnd.choice(["Arbete", "Studier", "Sjukdom", "Utan mätning"]) if end else ""
        lines.append(f"P{i},{rnd.choice(['Kvinna', 'Man'])},{rnd.randrange(1960, 2005)},{start},{end or ''},{reason},"
                     f"Gymnasium,Försörjningsstöd,\"A-kassa;Annan\"")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(rows: int = 50_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "deltagare.csv"
        big_register(path, rows)
        t0 = time.perf_counter()
        reg = load_register(path)
        t1 = time.perf_counter()
        w = tables.Window(dt.date(2020, 1, 1), dt.date(2020, 12, 31))
        for build in (tables.deltagare_kon, tables.utbildning, tables.avslutsanledning_kon, tables.forsorjning_fore_efter):
            build(reg, w)
        tables.alder(reg, w, [15, 30, 45, 60, 75])
        tables.resultat(reg, w, "avslutade", 90)
        t2 = time.perf_counter()
        print(f"register of {rows:,} rows: load+validate {t1 - t0:.2f} s, all register tables {t2 - t1:.2f} s")
        t3 = time.perf_counter()
        render_report(DEMO, Path(tmp) / "out")
        print(f"one demo report rendered (papermill + nbconvert): {time.perf_counter() - t3:.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
