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
import time
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


#: How often a batch saves the index while it runs, in seconds (and once more when it ends).
SAVE_EVERY = 2.0


class Recorder:
    """The index of ``out_dir`` while reports are recorded in it: each outcome kept in memory, the
    index saved when :data:`SAVE_EVERY` seconds have passed since it was last saved, and when the
    ``with`` block ends, also when the run is interrupted.

    Saving after every report wrote the whole index (its JSON and its page) again each time: for
    the 48 bench reports 0.35 CPU-s in the command, beside the kernels, and growing with the
    square of a batch's size (15 ms a save with 48 reports listed, 69 ms with 480). A run that is
    killed outright (no ``with`` to end) leaves at most the last seconds' reports unlisted:
    the next run makes a report the index does not list again (:func:`evaluation.run.batch.plan`).
    """

    def __init__(self, out_dir: Path):
        self.out_dir, self.entries = out_dir, _load(out_dir)
        self.unsaved, self.saved = False, time.monotonic()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc) -> None:
        self.flush()

    def success(self, params: ReportParams, folder: Path, notices=(), older=()) -> None:
        """Record a published report; ``notices`` (its warnings) are listed with it as ``varningar``,
        and ``older`` (files of formats this run did not make, kept from an earlier run) as ``aldre``."""
        self.entries[_key(self.out_dir, params.source)] = {
            "insats": params.insats, "namn": params.namn, "period": params.period_slug,
            "rapporttyp": vocab.REPORT_TYPES[params.rapporttyp], "forbund": params.forbund,
            "status": "ok", "tid": _now(), "meddelande": "",
            "lank": (folder / "rapport.html").relative_to(self.out_dir).as_posix(), "senast_ok": _now(),
            "varningar": _from_project(params.source, notices), "aldre": sorted(older),
            "start": params.period.start.isoformat(), "slut": params.period.slut.isoformat(),
        }
        self._changed()

    def failure(self, params_path: Path, message: str, params: ReportParams | None = None) -> None:
        """Record a report that failed (an earlier published one stays linked, if its files are there)."""
        key = _key(self.out_dir, params_path)
        project = project_of(real_path(params_path))
        if project is not None:
            message = message.replace(f"{project}/", "")
        entry = self.entries.get(key, {"insats": params_path.parent.name, "namn": params_path.parent.name,
                                       "period": params_path.stem, "rapporttyp": "", "forbund": "", "lank": "",
                                       "senast_ok": ""})
        if params is not None:
            entry.update(insats=params.insats, namn=params.namn, forbund=params.forbund,
                         rapporttyp=vocab.REPORT_TYPES[params.rapporttyp],
                         start=params.period.start.isoformat(), slut=params.period.slut.isoformat())
        link = entry.get("lank")
        if link and not (self.out_dir / link).is_file():
            entry["lank"] = ""
        entry.setdefault("varningar", [])  # the same keys as a published report's (the earlier one's, if any)
        entry.update(status="fel", tid=_now(), meddelande=message)  # masked, as every text, when saved
        self.entries[key] = entry
        self._changed()

    def _changed(self) -> None:
        self.unsaved = True
        if time.monotonic() - self.saved >= SAVE_EVERY:
            self.flush()

    def flush(self) -> None:
        if self.unsaved:
            _save(self.out_dir, self.entries)
            self.unsaved, self.saved = False, time.monotonic()


def record_success(out_dir: Path, params: ReportParams, folder: Path, notices=(), older=()) -> None:
    """Record one published report now (:meth:`Recorder.success`)."""
    with Recorder(out_dir) as recorder:
        recorder.success(params, folder, notices, older)


def record_failure(out_dir: Path, params_path: Path, message: str, params: ReportParams | None = None) -> None:
    """Record one failed report now (:meth:`Recorder.failure`)."""
    with Recorder(out_dir) as recorder:
        recorder.failure(params_path, message, params)


def listed(out_dir: Path) -> dict:
    """Every entry of the index, by key: read once for a batch's reports (:func:`entry_of`)."""
    return _load(out_dir)


def entry_of(out_dir: Path, params_path: Path, entries: dict | None = None) -> dict | None:
    """The index's entry of the report of ``params_path`` (among ``entries``, as :func:`listed`
    gives them; else read now), or ``None`` when it lists none."""
    entries = _load(out_dir) if entries is None else entries
    return entries.get(_key(out_dir, real_path(params_path)))


def notices_of(out_dir: Path, params_path: Path) -> tuple[Notice, ...]:
    """The warnings recorded with the published report of ``params_path`` (``()`` if none), with
    their files from the machine's root again, as the run that made them said them."""
    return notices_in(entry_of(out_dir, params_path), params_path)


def notices_in(entry: dict | None, params_path: Path) -> tuple[Notice, ...]:
    """The warnings of the index's ``entry`` (:func:`entry_of`) of the report of ``params_path``
    (:func:`notices_of`)."""
    entry = entry or {}
    project = project_of(real_path(params_path))

    def whole(fil: str):
        return project / fil if fil and project is not None and not Path(fil).is_absolute() else fil

    return tuple(Notice(whole(n.get("fil", "")), n.get("rad"), n.get("meddelande", ""))
                 for n in entry.get("varningar") or () if isinstance(n, dict))


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
