"""``output/index.html``: every rendered report, linked, with the status of its last run.

The page groups the reports by förbund, then insats, then period (newest first); each report
links every format it has (HTML, PDF, Word, Excel), its period is written as people write it
("1 maj 2024 – 30 apr 2025", "2024"), and warnings and failures are said in words. The list
lives in ``output/index.json`` (rebuilt from nothing but earlier runs: delete the output
folder and render again to start over).
"""
from __future__ import annotations

import datetime as dt
import json
import os
from functools import lru_cache
from pathlib import Path

from evaluation.core import fmt, vocab
from evaluation.core.errors import Notice, redact
from evaluation.inputs.params import ReportParams
from evaluation.inputs.paths import project_of, real_path
from evaluation.run import publish

MANIFEST = "index.json"


def _load(out_dir: Path) -> dict:
    path = out_dir / MANIFEST
    if not path.is_file():
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, OSError):
        return {}
    if not isinstance(entries, dict):
        return {}
    # an index of an earlier version keyed its entries by the machine's path: the same key now
    return {(_key(out_dir, Path(k)) if Path(k).is_absolute() else k): v for k, v in entries.items()}


def _key(out_dir: Path, params_path: Path) -> str:
    """An entry's key: its parameters file from the output folder (``../params/insats/2024.yaml``),
    not from the machine's root: ``index.json`` lies in the output folder shared with the reports."""
    return Path(os.path.relpath(real_path(params_path), real_path(out_dir))).as_posix()


def _from_project(params_path: Path, notices) -> list[dict]:
    """``notices`` as the index keeps them: files and messages with paths from the project's folder."""
    project = project_of(params_path)
    return [notice.from_project(project).as_dict() for notice in notices]


def _save(out_dir: Path, entries: dict) -> None:
    entries = _masked(entries)
    publish.replace_text(out_dir / MANIFEST, json.dumps(entries, ensure_ascii=False, indent=1, sort_keys=True))
    write_index(out_dir, entries)


#: :func:`redact`, remembered: each report of a batch saves the whole index, masked again, and its
#: texts are nearly all those of the save before (the 48 bench reports saved one by one: 0.50 →
#: 0.17 CPU-s in the command).
_redacted = lru_cache(maxsize=1 << 14)(redact)


def _masked(value):
    """``value`` with every text, keys too, passed through :func:`redact`: a failed report's
    parameters path (``/tmp/anna@kommun.se/x.yaml``) gives its key, insats and name."""
    if isinstance(value, str):
        return _redacted(value)
    if isinstance(value, dict):
        return {_redacted(k) if isinstance(k, str) else k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def record_success(out_dir: Path, params: ReportParams, folder: Path, notices=(), older=()) -> None:
    """Record a published report; ``notices`` (its warnings) are listed with it as ``varningar``,
    and ``older`` (files of formats this run did not make, kept from an earlier run) as ``aldre``."""
    entries = _load(out_dir)
    entries[_key(out_dir, params.source)] = {
        "insats": params.insats, "namn": params.namn, "period": params.period_slug,
        "rapporttyp": vocab.REPORT_TYPES[params.rapporttyp], "forbund": params.forbund,
        "status": "ok", "tid": _now(), "meddelande": "",
        "lank": (folder / "rapport.html").relative_to(out_dir).as_posix(), "senast_ok": _now(),
        "varningar": _from_project(params.source, notices), "aldre": sorted(older),
        "start": params.period.start.isoformat(), "slut": params.period.slut.isoformat(),
    }
    _save(out_dir, entries)


def notices_of(out_dir: Path, params_path: Path) -> tuple[Notice, ...]:
    """The warnings recorded with the published report of ``params_path`` (``()`` if none), with
    their files from the machine's root again, as the run that made them said them."""
    path = real_path(params_path)
    entry = _load(out_dir).get(_key(out_dir, path), {})
    project = project_of(path)

    def whole(fil: str):
        return project / fil if fil and project is not None and not Path(fil).is_absolute() else fil

    return tuple(Notice(whole(n.get("fil", "")), n.get("rad"), n.get("meddelande", ""))
                 for n in entry.get("varningar") or () if isinstance(n, dict))


def record_failure(out_dir: Path, params_path: Path, message: str, params: ReportParams | None = None) -> None:
    entries = _load(out_dir)
    key = _key(out_dir, params_path)
    project = project_of(real_path(params_path))
    if project is not None:
        message = message.replace(f"{project}/", "")
    entry = entries.get(key, {"insats": params_path.parent.name, "namn": params_path.parent.name,
                              "period": params_path.stem, "rapporttyp": "", "forbund": "", "lank": "", "senast_ok": ""})
    if params is not None:
        entry.update(insats=params.insats, namn=params.namn, forbund=params.forbund,
                     rapporttyp=vocab.REPORT_TYPES[params.rapporttyp],
                     start=params.period.start.isoformat(), slut=params.period.slut.isoformat())
    link = entry.get("lank")
    if link and not (out_dir / link).is_file():
        entry["lank"] = ""
    entry.setdefault("varningar", [])  # the same keys as a published report's (the earlier one's, if any)
    entry.update(status="fel", tid=_now(), meddelande=message)  # masked, as every text, when saved
    entries[key] = entry
    _save(out_dir, entries)


#: The files of a report the index links, in this order, with the name a reader knows them by.
FORMAT_LINKS = (("rapport.html", "HTML"), ("rapport.pdf", "PDF"), ("rapport.docx", "Word"),
                ("tabeller.xlsx", "Excel"))


def _period_text(entry: dict) -> str:
    try:
        return fmt.period(dt.date.fromisoformat(entry["start"]), dt.date.fromisoformat(entry["slut"]))
    except (KeyError, TypeError, ValueError):  # an entry from an older run, or a failed one
        return entry.get("period", "")


def _row(out_dir: Path, entry: dict, key: str = "") -> dict:
    """What the index shows of one entry: period in words, the links of the files that exist, and
    its messages with the inputs' paths from the project's folder (the one holding ``params/``,
    ``key``'s grandparent), not from the machine's root: the page is shared with the reports, and
    a path such as ``/home/<user>/…`` says whose machine made them."""
    folder = (out_dir / entry["lank"]).parent if entry.get("lank") else None
    older = set(entry.get("aldre") or ())
    links = [(f"{label} (från en tidigare körning)" if name in older else label,
              (Path(entry["lank"]).parent / name).as_posix()) for name, label in FORMAT_LINKS
             if folder is not None and (folder / name).is_file()]
    found = project_of(Path(os.path.normpath(out_dir / key))) if key else None
    project = f"{found}/" if found is not None else None

    def shown(text):
        return text.replace(project, "") if project and isinstance(text, str) else text

    warnings = [{**n, "fil": shown(n.get("fil")), "meddelande": shown(n.get("meddelande"))}
                for n in entry.get("varningar") or () if isinstance(n, dict)]
    return {**entry, "meddelande": shown(entry.get("meddelande", "")), "period_text": _period_text(entry),
            "links": links, "warnings": warnings}


def groups(out_dir: Path, entries: dict) -> list[tuple[str, list[tuple[str, list[dict]]]]]:
    """Entries as [(förbund, [(insats name, [rows, newest period first])])], names in order."""
    tree: dict[str, dict[str, list[dict]]] = {}
    for key, entry in entries.items():
        row = _row(out_dir, entry, key)
        tree.setdefault(entry.get("forbund") or "Förbund ej angivet", {}).setdefault(entry["namn"], []).append(row)
    return [(forbund, [(namn, sorted(rows, key=lambda r: (r.get("slut") or "", r["period"]), reverse=True))
                       for namn, rows in sorted(insatser.items(), key=lambda kv: kv[0].casefold())])
            for forbund, insatser in sorted(tree.items(), key=lambda kv: kv[0].casefold())]


def write_index(out_dir: Path, entries: dict | None = None) -> Path:
    entries = _load(out_dir) if entries is None else entries
    from evaluation.renderers.html import ENV

    overview = (out_dir / "oversikt" / "index.html").is_file()  # written by `evaluation overview`
    html = ENV.get_template("index.html.j2").render(groups=groups(out_dir, entries),
                                                    created=fmt.date(dt.date.today()), overview=overview)
    return publish.replace_text(out_dir / "index.html", html)
