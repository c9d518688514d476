"""How a large register scales: load + validate, every register table, peak memory, and
`evaluation validate` on the largest one.

Run with `make bench` (or `python benchmarks/bench_register.py [--sizes 100000,300000,1000000]
[--repeat 3]`). Each measurement runs in a fresh process, so the peak resident set size (max RSS)
is that of one register only; each is repeated and the minimum is printed (other work on the
machine only ever makes a run slower). "CPU s" is the processor time of load, validation and
tables (all threads): on a busy machine it shows what the wall time would be on an idle one. Targets (issue 9): 1,000,000 enrolments loaded, validated
and tabled in at most 5 s and 1 GiB, growing linearly; `evaluation validate` in at most 6 s, and with
every id unique in at most 5 s (issue 18). The largest register is also validated as an Excel
workbook written as Excel writes one (shared strings, date cells).

The registers are synthetic (no real people) and deterministic: a fixed seed, realistic code
values (with å, ä, ö), about 20 % of participants enrolled twice without overlap.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS, TARGET_MIB, TARGET_VALIDATE = 5.0, 1024.0, 6.0
TARGET_UNIQUE = 5.0  # issue 18: validate 1,000,000 rows with unique ids in at most 5 s
PERIOD = ("2020-01-01", "2020-12-31")


# -- the synthetic register ----------------------------------------------------------------------

def write_register(path: Path, rows: int, seed: int = 9, again: float = 0.2) -> None:
    """A valid register of ``rows`` enrolments as a `;`-separated UTF-8 CSV with BOM (Excel's export);
    the share ``again`` of participants have a second enrolment (0: every id unique)."""
    import numpy as np
    import pandas as pd

    from evaluation.core import vocab

    rng = np.random.default_rng(seed)
    second = int(rows * again)  # the first `second` participants have a second, later enrolment
    people = rows - second
    person = np.concatenate([np.arange(people), np.arange(second)])
    day0 = np.datetime64("2017-01-01")
    start = day0 + rng.integers(0, 2200, rows).astype("timedelta64[D]")
    length = rng.integers(14, 700, rows).astype("timedelta64[D]")
    ended = rng.random(rows) < 0.75
    ended[:second] = True  # a participant enrolled again has ended the first enrolment
    end = start + length
    # The second enrolment starts after the first one ended.
    start[people:] = end[:second] + rng.integers(1, 200, second).astype("timedelta64[D]")
    end[people:] = start[people:] + length[people:]
    start_text = np.datetime_as_string(start)
    end_text = np.where(ended, np.datetime_as_string(end), "")

    def pick(values, p=None, size=rows):
        values = np.asarray(values, dtype=object)
        return values[rng.choice(len(values), size=size, p=p)]

    reasons = pick(vocab.EXIT_REASONS)
    birth = rng.integers(1958, 2006, rows).astype(str).astype(object)
    age = np.full(rows, "", dtype=object)
    no_birth = rng.random(rows) < 0.03
    birth[no_birth] = ""
    age[no_birth] = rng.integers(18, 66, int(no_birth.sum())).astype(str)
    sources = ["Försörjningsstöd", "A-kassa;Annan", "Sjukpenning/Rehabpenning", "Aktivitetsstöd",
               "Försörjningsstöd;Sjukpenning/Rehabpenning", "Ingen offentlig försörjning", ""]
    frame = pd.DataFrame({
        "Deltagar_ID": np.char.add("D", np.char.zfill((person + 1).astype(str), 7)),
        "Kön": pick(["Kvinna", "Man", "Uppgift saknas"], p=[0.52, 0.46, 0.02]),
        "Födelseår": birth,
        "Ålder": age,
        "Startdatum": start_text,
        "Slutdatum": end_text,
        "Avslutsanledning": np.where(ended, reasons, ""),
        "Aktivt_arbetssökande": pick(["ja", "nej", ""], p=[0.3, 0.6, 0.1]),
        "Utbildningsnivå": pick(list(vocab.EDUCATION) + [""]),
        "Tid_i_försörjning": pick(vocab.TIME_IN_SUPPORT),
        "Försörjning_före": pick(sources),
        "Försörjning_efter": pick(sources),
        "Remittent": pick(["Arbetsförmedlingen", "Försäkringskassan", "Socialtjänsten", "Region Västra Götaland", "Psykiatrin"]),
        "Delinsats": pick(["Hälsospåret", "Steget", "Vägen vidare", ""]),
        "Gemensam_planering": pick(["ja", "nej", ""]),
        "Anonym": pick(["nej", "ja"], p=[0.99, 0.01]),
    })
    if path.suffix == ".xlsx":
        write_xlsx(frame, path, dates=("Startdatum", "Slutdatum"), numbers=("Födelseår", "Ålder"))
    else:
        frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")


def write_xlsx(frame, path: Path, dates=(), numbers=()) -> None:
    """``frame`` (all text) as Excel saves a register: one sheet, text in the shared-string table,
    ``numbers`` as numbers, ``dates`` as date serials with a date format, empty cells left out.
    Written as XML directly: openpyxl would take minutes for a million rows, and this is only the
    bench's input."""
    import zipfile

    from xml.sax.saxutils import escape

    import numpy as np

    def col(i: int) -> str:
        name = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            name = chr(65 + r) + name
        return name

    strings: dict[str, int] = {}
    rows = len(frame)
    numbers_row = np.arange(2, rows + 2).astype(str)
    cells = []
    for i, name in enumerate(frame.columns):
        values = frame[name].to_numpy(dtype=object).astype(str)
        ref = np.char.add(col(i), numbers_row)
        empty = values == ""
        if name in dates:
            day = np.where(empty, "1900-01-01", values).astype("datetime64[D]")
            serial = (day - np.datetime64("1899-12-30")).astype(int).astype(str)
            xml = np.char.add(np.char.add(np.char.add('<c r="', ref), '" s="1"><v>'), np.char.add(serial, "</v></c>"))
        elif name in numbers:
            xml = np.char.add(np.char.add(np.char.add('<c r="', ref), '"><v>'), np.char.add(values, "</v></c>"))
        else:
            uniques, codes = np.unique(values, return_inverse=True)
            index = np.array([strings.setdefault(u, len(strings)) for u in uniques])[codes].astype(str)
            xml = np.char.add(np.char.add(np.char.add('<c r="', ref), '" t="s"><v>'), np.char.add(index, "</v></c>"))
        cells.append(np.where(empty, "", xml))
    header = "".join(f'<c r="{col(i)}1" t="s"><v>{strings.setdefault(n, len(strings))}</v></c>'
                     for i, n in enumerate(frame.columns))
    body = ['<row r="1">' + header + "</row>"]
    joined = cells[0]
    for part in cells[1:]:
        joined = np.char.add(joined, part)
    body.extend(f'<row r="{n}">{row}</row>' for n, row in zip(numbers_row, joined))
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '</Types>'))
        book.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        book.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {main} xmlns:r="{rel}">'
            '<sheets><sheet name="Deltagare" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        book.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>'))
        book.writestr("xl/styles.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet {main}>'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'))
        book.writestr("xl/sharedStrings.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst {main} count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">' + "".join(f"<si><t>{escape(t)}</t></si>" for t in strings) + "</sst>"))
        book.writestr("xl/worksheets/sheet1.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {main}><sheetData>'
            + "".join(body) + "</sheetData></worksheet>"))


def write_project(folder: Path, rows: int, again: float = 0.2, suffix: str = ".csv") -> Path:
    """params/stor/2020.yaml with its data folder holding the register (``deltagare.csv`` or
    ``.xlsx``); returns the params file."""
    data = folder / "data" / "stor"
    data.mkdir(parents=True)
    write_register(data / f"deltagare{suffix}", rows, again=again)
    params = folder / "params" / "stor" / "2020.yaml"
    params.parent.mkdir(parents=True)
    params.write_text(
        "insats: stor\nnamn: Stora insatsen\nforbund: Samordningsförbundet Test\nrapporttyp: arsrapport\n"
        f"period: {{start: {PERIOD[0]}, slut: {PERIOD[1]}}}\nutvarderare: Test Utvärdering AB\n"
        "data: ../../data/stor\nprovtid_dagar: 90\n",
        encoding="utf-8",
    )
    return params


# -- one measurement, in its own process -----------------------------------------------------------

def _peak_mib() -> float:
    """Peak resident set size of this process, MiB: VmHWM, which (unlike ``ru_maxrss`` on Linux)
    does not carry over the parent's peak through fork and exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(params_path: Path) -> dict:
    """Load + validate the register, then build every table made from it; seconds and max RSS."""
    from types import SimpleNamespace

    from evaluation.sections import effects, participants, subinsatser
    from evaluation.inputs.params import load_params
    from evaluation.inputs.register import find_register, load_register
    from evaluation.compute.tables import Window

    params = load_params(params_path)
    base = _peak_mib()
    c0, t0 = time.process_time(), time.perf_counter()
    reg = load_register(find_register(params.data))
    c1, t1 = time.process_time(), time.perf_counter()
    report = SimpleNamespace(params=params, window=Window(params.period.start, params.period.slut),
                             inputs={"register": reg})
    made = [t for build in (participants.register_tables, subinsatser.subinsats_tables, effects.effect_tables)
            for t in build(report)]
    c2, t2 = time.process_time(), time.perf_counter()
    peak = _peak_mib()
    return {"load": t1 - t0, "tables": t2 - t1, "cpu": c2 - c0, "peak_mib": peak, "base_mib": base,
            "tables_made": len(made)}


def _generate(folder: Path, rows: int, again: float = 0.2, suffix: str = ".csv") -> Path:
    """:func:`write_project` in its own process, so that this one stays small."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    subprocess.run([sys.executable, __file__, "--generate", str(folder), str(rows), str(again), suffix], env=env,
                   check=True)
    return folder / "params" / "stor" / "2020.yaml"


def _child(params_path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, __file__, "--measure", str(params_path)], env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _validate_seconds(params_path: Path) -> tuple[float, float, float]:
    """Wall seconds, processor seconds and peak MiB of `evaluation validate PARAMS` in a fresh process."""
    import resource

    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--validate", str(params_path)], env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"evaluation validate failed:\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, json.loads(done.stdout.strip().splitlines()[-1])["peak_mib"]


def _validate_here(params_path: Path) -> None:
    """`evaluation validate PARAMS` as the command runs it, then this process's peak memory."""
    from evaluation.tools.cli import main as cli

    try:
        cli(["validate", str(params_path)], standalone_mode=False)
    except SystemExit as exc:
        if exc.code:
            raise
    print(json.dumps({"peak_mib": _peak_mib()}))


def main(sizes: list[int], repeat: int) -> None:
    print(f"Large registers (minimum of {repeat} runs, each in a fresh process):")
    print(f"{'rows':>10} {'load+validate s':>16} {'tables s':>9} {'total s':>8} {'CPU s':>6} {'peak MiB':>9} "
          f"{'µs/row':>7} {'KiB/row':>8}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            params = _generate(Path(tmp) / str(rows), rows)
            runs = [_child(params) for _ in range(repeat)]
            best = {k: min(r[k] for r in runs) for k in ("load", "tables", "cpu", "peak_mib", "base_mib")}
            total = best["load"] + best["tables"]
            grown = (best["peak_mib"] - best["base_mib"]) * 1024 / rows
            results[rows] = (total, best["peak_mib"], params)
            print(f"{rows:>10,} {best['load']:>16.2f} {best['tables']:>9.2f} {total:>8.2f} {best['cpu']:>6.2f} "
                  f"{best['peak_mib']:>9.0f} {total / rows * 1e6:>7.2f} {grown:>8.2f}")
        small, large = min(results), max(results)
        if small != large:
            (t_s, m_s, _), (t_l, m_l, _) = results[small], results[large]
            print(f"growth {small:,} -> {large:,} rows (x{large / small:.0f}): time x{t_l / t_s:.1f}, "
                  f"peak memory x{m_l / m_s:.1f}")
        total, peak, params = results[large]
        print(f"target at {large:,} rows: {TARGET_SECONDS:.0f} s and {TARGET_MIB:.0f} MiB -> "
              f"{'met' if total <= TARGET_SECONDS and peak <= TARGET_MIB else 'NOT met'}")
        runs = [_validate_seconds(params) for _ in range(repeat)]
        seconds, cpu, peak = (min(r[i] for r in runs) for i in range(3))
        print(f"`evaluation validate` on {large:,} rows: {seconds:.2f} s, CPU {cpu:.2f} s, peak {peak:.0f} MiB "
              f"(target {TARGET_VALIDATE:.0f} s: {'met' if seconds <= TARGET_VALIDATE else 'NOT met'})")
        # the case that matters most: every id unique (no one enrolled twice), every optional column filled
        unique = _generate(Path(tmp) / f"{large}-unika", large, again=0.0)
        runs = [_validate_seconds(unique) for _ in range(repeat)]
        seconds, cpu, peak = (min(r[i] for r in runs) for i in range(3))
        print(f"`evaluation validate` on {large:,} rows, every id unique: {seconds:.2f} s, CPU {cpu:.2f} s, "
              f"peak {peak:.0f} MiB (target {TARGET_UNIQUE:.0f} s: {'met' if seconds <= TARGET_UNIQUE else 'NOT met'})")
        # the same register as Excel saves it (shared strings, date cells): read by calamine
        book = _generate(Path(tmp) / f"{large}-xlsx", large, again=0.0, suffix=".xlsx")
        runs = [_validate_seconds(book) for _ in range(repeat)]
        seconds, cpu, peak = (min(r[i] for r in runs) for i in range(3))
        size = (book.parent.parent.parent / "data" / "stor" / "deltagare.xlsx").stat().st_size / 1024 / 1024
        print(f"`evaluation validate` on {large:,} rows as .xlsx ({size:.0f} MB), every id unique: {seconds:.2f} s, "
              f"CPU {cpu:.2f} s, peak {peak:.0f} MiB (no target; 22.5 s and 2.1 GiB read all at once, openpyxl 16 s for 100,000 rows)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--validate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.validate:
        _validate_here(args.validate)
    elif args.generate:
        write_project(Path(args.generate[0]), int(args.generate[1]), float(args.generate[2]), args.generate[3])
    elif args.measure:
        print(json.dumps(measure(args.measure)))
    else:
        main([int(s) for s in args.sizes.split(",")], args.repeat)
