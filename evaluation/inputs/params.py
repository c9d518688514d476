"""Report parameters (data contract §1): one YAML file = one insats × one period.

Validated with pydantic before anything runs; every problem is reported with the file and key.

Longer than 400 lines: the parameters file's schema and its Swedish messages are one pydantic model; its validators need the messages beside them.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
import functools
import hashlib
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel, ConfigDict, Field, ValidationError as PydanticError, field_validator,
    model_validator,
)

from evaluation.core import vocab
from evaluation.core.errors import InputError, Notice, ParamsError, cut_list, kind_of, nearest
from evaluation.core.pii import quote
from evaluation.core.vocab import DEFAULT_AGE_EDGES
from evaluation.inputs.cells import MAX_HEADING
from evaluation.inputs.disposition import OutlineSection, outline_problems
from evaluation.inputs.textfiles import confined
from evaluation.inputs.pathnames import check_params_path
from evaluation.inputs.paths import files_ending, first_no_file, named_but_no_file, no_file_message, not_a_file, real_path, unreachable
from evaluation.inputs.yamlread import key_as_written, read_yaml
from evaluation.inputs.years import year_problem

SLUG = re.compile(r"^[a-z0-9-]+$")
#: Longest insats or period slug: each becomes a folder name under output/.
MAX_SLUG = 60
#: What a parameters file's name ends in (``--all`` finds both, in any case).
PARAMS_SUFFIXES = (".yaml", ".yml")
REPORT_TYPES = tuple(vocab.REPORT_TYPES)
SECTIONS = vocab.SECTIONS

ReportType = Literal["arsrapport", "delrapport", "helarsrapport", "slutrapport", "processkartlaggning"]
Section = Literal[SECTIONS]  # type: ignore[valid-type]


class Period(BaseModel):
    """The reporting period, both days included."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    start: dt.date
    slut: dt.date

    @field_validator("start", "slut")
    @classmethod
    def _sane_year(cls, day: dt.date) -> dt.date:
        """Year 1 or 9999 is a slip, and would stop the report's date arithmetic."""
        problem = year_problem(day)
        if problem:
            raise ValueError(problem)
        return day

    @model_validator(mode="after")
    def _ordered(self):
        if self.slut < self.start:
            raise ValueError(f"perioden slutar ({self.slut}) innan den börjar ({self.start}); 'slut' får inte vara före 'start'")
        return self

    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.slut.isoformat()}"


#: Counts 1 … ``min_cell`` − 1 are hidden in every output; below 3 nothing is published (SCB,
#: Socialstyrelsen). ``min_cell: 0`` (no protection) must be written in the parameters.
DEFAULT_MIN_CELL = 3


class ReportParams(BaseModel):
    """Validated parameters of one report. ``data`` is resolved to an absolute folder."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    insats: str
    namn: str
    forbund: str
    insatsagare: str = ""
    samverkansparter: list[str] = Field(default_factory=list)
    rapporttyp: ReportType = "arsrapport"
    period: Period
    utvarderare: str = ""
    data: Path
    diarienummer: str = ""
    resultat_bas: Literal["avslutade", "alla_inskrivna"] = "avslutade"
    provtid_dagar: int = Field(default=0, ge=0, le=3650)  # at most ten years: more is a typo
    alder_intervall: list[int] = Field(default_factory=lambda: list(DEFAULT_AGE_EDGES))
    min_cell: int = Field(default=DEFAULT_MIN_CELL, ge=0, le=1000)  # safe by default; 0 must be written
    omvarld: list[str] = Field(default_factory=list)
    resultatgrupper: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    sektioner: list[Section] | None = None  # None: the report type's default sections
    mall: Path | None = None  # the evaluator's own Word template (.docx) for rapport.docx
    #: The evaluator's outline (contract §10); None: the report type's sections as today.
    disposition: list[OutlineSection] | None = None

    # where the parameters came from (not a YAML key)
    source: Path | None = Field(default=None, exclude=True)
    #: the file the outline was read from (the parameters file, or the shared outline file)
    disposition_source: Path | None = Field(default=None, exclude=True)
    period_slug: str = Field(default="", exclude=True)

    @field_validator("period", mode="before")
    @classmethod
    def _a_year(cls, value: object) -> object:
        """``period: 2024`` is the calendar year (as ``evaluation new --period 2024`` takes it).

        >>> ReportParams._a_year(2024)
        {'start': datetime.date(2024, 1, 1), 'slut': datetime.date(2024, 12, 31)}
        """
        year = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
        if re.fullmatch(r"\d{4}", year):
            return {"start": dt.date(int(year), 1, 1), "slut": dt.date(int(year), 12, 31)}
        if not isinstance(value, dict):
            raise ValueError("ska vara ett år (period: 2024) eller periodens första och sista dag: "
                             "period: {start: 2024-05-01, slut: 2025-04-30}")
        return value

    @field_validator("insats", mode="before")
    @classmethod
    def _slug(cls, value: object) -> str:
        problem = slug_problem(value)
        if problem:
            raise ValueError(f"ingen giltig slug (namnet på insatsens mapp under output/): den {problem}, "
                             "t.ex. 'framtiden' eller 'ung-kraft'")
        return value

    @field_validator("min_cell", "provtid_dagar", "alder_intervall", mode="before")
    @classmethod
    def _not_true_or_false(cls, value: object) -> object:
        """YAML reads ``yes``, ``true`` and ``on`` as true, which a number field would take as 1:
        ``min_cell: yes`` would leave counts of 1 in every table."""
        if isinstance(value, bool) or (isinstance(value, list) and any(isinstance(v, bool) for v in value)):
            raise ValueError("ska vara ett heltal, inte sant eller falskt (yes, no, true, false, on och off "
                             "läses så i YAML); skriv talet, t.ex. 3")
        return value

    @field_validator("namn", "forbund", "insatsagare", "utvarderare", "diarienummer", "samverkansparter",
                     mode="before")
    @classmethod
    def _one_line(cls, value: object) -> object:
        """A name stands in the title, the running header and the index: one line (a YAML ``|``
        keeps line breaks; a final one is dropped, as around any name)."""
        if isinstance(value, list):
            return [cls._one_line(v) for v in value]
        if isinstance(value, str):
            value = value.strip()
            problem = line_break_problem(value)
            if problem:
                raise ValueError(f"{problem} (i YAML: skriv värdet efter kolonet, utan | eller >)")
            if len(value) > MAX_HEADING:  # 220 000 characters were the title of every page
                raise ValueError(f"har {len(value)} tecken; högst {MAX_HEADING} går in i titeln och sidhuvudet. "
                                 "Korta namnet, och skriv resten i en text (texter/bakgrund.md)")
        return value

    @field_validator("namn", mode="before")
    @classmethod
    def _not_blank(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            raise ValueError("får inte vara tom: den är rapportens titel och står i varje sidhuvud")
        return value

    @field_validator("alder_intervall")
    @classmethod
    def _edges(cls, value: list[int]) -> list[int]:
        if len(value) < 2 or any(b <= a for a, b in zip(value, value[1:])):
            raise ValueError("ange minst två gränser i stigande ordning, t.ex. [15, 30, 45, 60, 75]")
        if value[0] < 0 or value[-1] > 120:
            raise ValueError("gränserna är åldrar i år: ange tal från 0 till 120, t.ex. [15, 30, 45, 60, 75]")
        return value

    @field_validator("sektioner")
    @classmethod
    def _unique_sections(cls, value):
        if value is not None and len(set(value)) != len(value):
            raise ValueError("ett avsnitt står två gånger")
        return value

    @field_validator("omvarld", "samverkansparter")
    @classmethod
    def _no_repeats(cls, value: list[str]):
        twice = sorted({v for v in value if value.count(v) > 1})
        if twice:  # a project or a party shown twice in the report
            raise ValueError(f"{', '.join(quote(v) for v in twice)} står två gånger i listan; ta bort den ena")
        return value

    @field_validator("disposition")
    @classmethod
    def _outline(cls, value):
        """The outline as a whole (depth, numbers, nothing twice): each problem on a line of its own,
        under the key, so that it is said against the file that holds the outline."""
        problems = outline_problems(value) if value is not None else []
        if problems:
            raise ValueError(cut_list(problems, sep="\n"))
        return value

    @model_validator(mode="after")
    def _one_outline(self):
        if self.disposition is not None and self.sektioner is not None:
            raise ValueError("ange antingen 'sektioner' eller 'disposition', inte båda: disposition bestämmer "
                             "avsnitten (byggda avsnitt tas med som 'avsnitt: <id>')")
        return self

    @field_validator("resultatgrupper", mode="before")
    @classmethod
    def _result_groups(cls, value):
        return result_groups(value)

    @property
    def params_dir(self) -> Path:
        """The ``params/`` folder that holds this file's insats folder."""
        return self.source.parent.parent if self.source else Path.cwd()

    @property
    def omvarld_dir(self) -> Path:
        """The omvärld library: ``omvarld/`` beside the ``params/`` folder."""
        return self.params_dir.parent / "omvarld"

    @property
    def fragebatterier_dir(self) -> Path:
        """The shared question sets of surveys: ``fragebatterier/`` beside the ``params/`` folder."""
        return self.params_dir.parent / "fragebatterier"


def line_break_problem(text: str) -> str | None:
    """Why ``text`` cannot be a one-line name, in Swedish, or ``None`` when it can.

    >>> line_break_problem("Samordningsförbundet Exempelbygd") is None, line_break_problem("a\\nb")[:20]
    (True, 'ska stå på en rad: t')
    """
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text):
        return "ska stå på en rad: ta bort radbrytningen eller tabben"
    return None


def slug_problem(value: object) -> str | None:
    """Why ``value`` cannot name an output folder, in Swedish, or ``None`` when it can.

    >>> slug_problem("ung-kraft") is None, slug_problem("Ung kraft")
    (True, 'får bara innehålla a-z, 0-9 och bindestreck')
    """
    if not isinstance(value, str):
        return "ska vara text av a-z, 0-9 och bindestreck"
    if len(value) > MAX_SLUG:
        return f"har {len(value)} tecken; högst {MAX_SLUG} är tillåtet"
    if not SLUG.fullmatch(value):  # fullmatch: '$' would let a final newline through
        return "får bara innehålla a-z, 0-9 och bindestreck"
    return None


#: Rows of table ``resultat`` a group may hold: the exit reasons counted in the result, and
#: ``Pågående`` (with ``resultat_bas: alla_inskrivna``).
GROUP_MEMBERS = tuple(r for r in vocab.EXIT_REASONS if r != vocab.NOT_MEASURED) + ("Pågående",)
#: Rows of table ``resultat`` that are not exit reasons: a group may not take their names.
FIXED_RESULT_ROWS = ("Arbete eller studier", "Aktivt arbetssökande (överlappande)", "Pågående", "Ej i resultatet")


def result_groups(value) -> dict[str, tuple[str, ...]]:
    """Validate ``resultatgrupper``: group name → exit reasons (contract labels, any case).

    Raises ``ValueError`` in Swedish naming the group and what is allowed.
    """
    if value is None:
        return {}
    example = "till exempel 'Arbete totalt: [Arbete, Subventionerat arbete]' under resultatgrupper:"
    if not isinstance(value, dict):
        raise ValueError(f"skriv grupperna som 'namn: [avslutsanledningar]', en grupp per rad, {example}")
    lookup = vocab.lookup(GROUP_MEMBERS)
    taken = {vocab.row_slug(label): label for label in (*vocab.EXIT_REASONS, *FIXED_RESULT_ROWS)}
    out: dict[str, tuple[str, ...]] = {}
    for name, members in value.items():
        name = str(name).strip() if name is not None else ""
        slug = vocab.row_slug(name)
        if not slug:
            raise ValueError(f"gruppen {quote(name)} saknar namn; ge gruppen ett namn med bokstäver, {example}")
        if slug in taken:
            raise ValueError(f"gruppen {quote(name)} har samma namn som raden {quote(taken[slug])} i tabellen resultat; välj ett annat namn")
        if isinstance(members, str):
            members = [members]
        if not isinstance(members, (list, tuple)) or not members:
            raise ValueError(f"gruppen {quote(name)}: räkna upp avslutsanledningarna inom hakparenteser, {example}")
        found = []
        for member in members:
            label = vocab.canonical(member, lookup) if isinstance(member, str) else None
            if label is None:
                hint = (" 'Utan mätning' räknas aldrig i resultatet." if str(member).strip().lower() == "utan mätning" else "")
                raise ValueError(f"gruppen {quote(name)}: {quote(member)} är ingen avslutsanledning.{hint} Tillåtna: {', '.join(GROUP_MEMBERS)}")
            if label in found:
                raise ValueError(f"gruppen {quote(name)}: {quote(label)} står två gånger")
            found.append(label)
        taken[slug] = name
        out[name] = tuple(found)
    return out


def project_roots(start: Path | None = None) -> list[Path]:
    """Where a relative parameters path is looked for, in order: the working folder, the project
    root above it (the nearest folder holding ``params/`` or ``pyproject.toml``, so a notebook in
    ``notebooks/`` or a working copy finds ``params/<insats>/...``), and the folder holding the
    package (so ``evaluation/demo/params/...`` is found from anywhere)."""
    here = (start or Path.cwd()).resolve()
    roots = [here]
    for folder in (here, *here.parents):
        if (folder / "params").is_dir() or (folder / "pyproject.toml").is_file():
            roots.append(folder)
            break
    roots.append(Path(__file__).resolve().parents[2])
    return list(dict.fromkeys(roots))


def find_params_file(path: Path | str) -> Path:
    """``path`` as given when it exists, else resolved from :func:`project_roots`; a missing file
    is a :class:`ParamsError` that names every place it was looked for."""
    if not isinstance(path, (str, os.PathLike)):
        raise ParamsError(f"ange sökvägen till parameterfilen som text, t.ex. \"params/<insats>/<period>.yaml\", "
                          f"inte {kind_of(path)}.")
    path = Path(path)
    reason = unreachable(path)
    if reason:
        raise ParamsError(f"sökvägen {quote(str(path))} går inte att slå upp ({reason}). Ange en kortare sökväg "
                          "till en fil params/<insats>/<period>.yaml.")
    if path.is_file():
        return path
    tried = [path.absolute()] if path.is_absolute() else [root / path for root in project_roots()]
    for candidate in tried:
        if candidate.is_file():
            return candidate
    folder = next((c for c in (path, *tried) if c.is_dir()), None)
    if folder is not None:
        raise ParamsError(f"{path}: är en mapp, inte en parameterfil. {_params_in(folder)}")
    special = first_no_file((path, *tried))
    if special is not None:
        raise ParamsError(no_file_message(special, "parameterfilen"))
    where = ", ".join(str(c) for c in tried)
    raise ParamsError(f"{path}: parameterfilen finns inte (sökte {where}). Ange sökvägen till en fil "
                      "params/<insats>/<period>.yaml, från projektets mapp eller som hel sökväg.")


def _params_in(folder: Path) -> str:
    """What to give instead of ``folder``: the parameters files in it when it is ``params/`` or
    ``params/<insats>/``, else where they are."""
    params_dir = folder if folder.resolve().name == "params" else folder.parent
    if params_dir.resolve().name != "params":
        return "Ange en fil params/<insats>/<period>.yaml."
    found = sorted(p.relative_to(folder).as_posix() for p in params_files(params_dir)
                   if folder == params_dir or p.parent == folder)
    if not found:
        return "Den har inga parameterfiler; ange en fil params/<insats>/<period>.yaml."
    return (f"Ange en av filerna i den ({cut_list(quote(name) for name in found)}), eller skapa alla "
            f"rapporter med evaluation render --all --params-dir {params_dir}.")


def params_files(params_dir: Path) -> list[Path]:
    """Every parameters file ``<insats>/<period>.yaml`` (or ``.yml``) under ``params_dir``, sorted."""
    folders = sorted(p for p in Path(params_dir).iterdir() if p.is_dir()) if Path(params_dir).is_dir() else []
    return [path for folder in folders for path in files_ending(folder, PARAMS_SUFFIXES)]


def load_params(path: Path | str) -> ReportParams:
    """Read and validate ``params/<insats>/<period>.yaml``.

    Raises :class:`ParamsError` naming the file and every bad key.
    """
    path = find_params_file(path)
    check_params_path(path)  # its names are the report's output folders
    if path.suffix.lower() not in PARAMS_SUFFIXES:
        raise ParamsError(f"{path}: en parameterfil är en YAML-fil som slutar på .yaml eller .yml (params/<insats>/<period>.yaml). "
                          "Byt namn på filen, eller ange den fil som är parameterfilen.")
    try:
        with confined(path.resolve().parent):  # the file itself is named by the user
            raw = read_yaml(path)
    except InputError as exc:
        raise ParamsError(str(exc)) from None
    if not isinstance(raw, dict):
        found = "ingenting (filen är tom)" if raw is None else kind_of(raw)
        raise ParamsError(f"{path}: här ska stå rader 'nyckel: värde', men filen innehåller {found}.")
    raw = {key_as_written(key): value for key, value in raw.items()}  # 'true:' or '2024:' is an unknown key too
    slug = path.stem
    problem = slug_problem(slug)
    if problem and (len(slug) > MAX_SLUG or not SLUG.fullmatch(slug)):
        raise ParamsError(
            f"{path}: filnamnet {quote(slug)} duger inte som periodens slug: det {problem}. "
            "Perioden blir en mapp under output/; döp filen t.ex. 2020.yaml eller "
            "2020-05-01--2021-04-30.yaml."
        )
    outline_file = path.resolve()
    if isinstance(raw.get("disposition"), str):
        outline_file, raw = _outline_file(path, raw)
    try:
        params = ReportParams.model_validate({**raw, "source": path.resolve(), "period_slug": slug,
                                              "disposition_source": outline_file})
    except PydanticError as exc:
        outline_errors = [e for e in exc.errors() if e["loc"][:1] == ("disposition",)]
        if outline_file != path.resolve() and outline_errors:
            raise ParamsError(_describe(outline_file, exc, outline=True)) from None
        raise ParamsError(_describe(path, exc)) from None
    data = real_path(params.data if params.data.is_absolute() else path.resolve().parent / params.data)
    if not _is(data, "dir", path, "data", params.data):
        what = (f"{data} är en fil, inte en mapp" if data.is_file() else
                f"{data} finns, men är {not_a_file(data)}" if named_but_no_file(data) else f"mappen {data} finns inte")
        raise ParamsError(
            f"{path}: nyckeln 'data': {what}. Ange mappen med insatsens "
            "underlag, relativt till parameterfilen eller som fullständig sökväg."
        )
    return params.model_copy(update={"data": data, "mall": _template(path, params.mall)})


def _is(target: Path, kind: str, path: Path, key: str, written) -> bool:
    """Whether ``target`` (key ``key`` of parameters file ``path``, ``written`` so) is a folder
    (``kind`` ``"dir"``) or a file; a path the system cannot look up (a name too long) is a
    :class:`ParamsError` naming the key, never an unexpected error."""
    reason = unreachable(target)
    if reason:
        raise ParamsError(f"{path}: nyckeln '{key}': sökvägen {quote(str(written))} går inte att slå upp "
                          f"({reason}). Ange en sökväg som finns, relativt parameterfilen eller som fullständig sökväg.")
    return target.is_dir() if kind == "dir" else target.is_file()


def _outline_file(path: Path, raw: dict) -> tuple[Path, dict]:
    """``disposition: <file>.yaml``: the outline read from that file (relative to the parameters
    file), as a list or under the key ``disposition``."""
    name = raw["disposition"]
    outline = real_path(path.resolve().parent / name)
    if outline.suffix.lower() not in (".yaml", ".yml"):
        raise ParamsError(f"{path}: nyckeln 'disposition': {quote(name)} är ingen YAML-fil. Ange dispositionen som en "
                          "lista under 'disposition:' eller sökvägen till en fil som slutar på .yaml.")
    if not _is(outline, "file", path, "disposition", name):
        raise ParamsError(f"{path}: nyckeln 'disposition': filen {outline} finns inte (sökvägen läses relativt "
                          "parameterfilen).")
    try:
        with confined(outline.parent):
            loaded = read_yaml(outline)
    except InputError as exc:
        raise ParamsError(str(exc)) from None
    if isinstance(loaded, dict) and "disposition" in loaded and len(loaded) > 1:
        others = ", ".join(quote(str(k)) for k in loaded if k != "disposition")
        raise ParamsError(f"{outline}: filen har fler nycklar än 'disposition': {others}. En dispositionsfil "
                          "har bara avsnitten (under 'disposition:' eller som en lista); ta bort de andra.")
    if isinstance(loaded, dict) and set(loaded) == {"disposition"}:
        loaded = loaded["disposition"]
    if not isinstance(loaded, list):
        raise ParamsError(f"{outline}: här ska stå avsnitten som en lista ('- rubrik: ...'), eventuellt under "
                          "nyckeln 'disposition:' (se docs/indatakontrakt.md §8).")
    return outline, {**raw, "disposition": loaded}


def _template(path: Path, mall: Path | None) -> Path | None:
    """The Word template of key ``mall``, resolved against the parameters file."""
    if mall is None:
        return None
    resolved = real_path(mall if mall.is_absolute() else path.resolve().parent / mall)
    if resolved.suffix.lower() != ".docx":
        raise ParamsError(
            f"{path}: nyckeln 'mall': {mall} är inte en Word-mall. Ange en fil som slutar på .docx "
            "(spara mallen i Word som Word-dokument, inte .dotx eller .doc)."
        )
    if not _is(resolved, "file", path, "mall", mall):
        raise ParamsError(
            f"{path}: nyckeln 'mall': filen {resolved} finns inte. Ange sökvägen till Word-mallen "
            "(.docx), relativt parameterfilen eller absolut."
        )
    return resolved


#: pydantic's error types, in Swedish (``{…}`` filled from the error's context).
_PYDANTIC_SV = {
    "int_parsing": "ska vara ett heltal",
    "int_type": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal, utan decimaler",
    "float_parsing": "ska vara ett tal",
    "float_type": "ska vara ett tal",
    "string_type": "ska vara text",
    "bool_parsing": "ska vara true eller false",
    "bool_type": "ska vara true eller false",
    "list_type": "ska vara en lista, t.ex. [a, b]",
    "dict_type": "ska vara rader 'nyckel: värde'",
    "model_type": "ska vara rader 'nyckel: värde'",
    "model_attributes_type": "ska vara rader 'nyckel: värde'",
    "date_parsing": "ska vara ett datum ÅÅÅÅ-MM-DD",
    "date_from_datetime_parsing": "ska vara ett datum ÅÅÅÅ-MM-DD",
    "date_from_datetime_inexact": "ska vara ett datum ÅÅÅÅ-MM-DD, utan klockslag",
    "date_type": "ska vara ett datum ÅÅÅÅ-MM-DD",
    "path_type": "ska vara en sökväg till en mapp",
    "greater_than_equal": "ska vara minst {ge}",
    "greater_than": "ska vara större än {gt}",
    "less_than_equal": "får vara högst {le}",
    "string_too_short": "får inte vara tom",
}


def _message(err: dict) -> str:
    """One pydantic error's message in Swedish (our own validators' messages are Swedish already)."""
    kind = err["type"]
    if kind == "value_error":
        return err["msg"].removeprefix("Value error, ")
    template = _PYDANTIC_SV.get(kind)
    if template is None:
        return f"ogiltigt värde ({err['msg']})"
    try:
        return template.format(**err.get("ctx", {}))
    except (KeyError, IndexError):
        return template


def _describe(path: Path, exc: PydanticError, outline: bool = False) -> str:
    lines = [f"{path}: {'ogiltig disposition' if outline else 'ogiltiga parametrar'}."]
    for err in exc.errors():
        key = _key_path(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden" and err["loc"][:1] == ("disposition",):
            allowed = ("text, tabell, avsnitt" if "innehall" in err["loc"][:-1] else "rubrik, nummer, innehall, avsnitt")
            lines.append(f"  - nyckeln {quote(key)}: okänd nyckel. Tillåtna nycklar: {allowed}.")
        elif kind == "extra_forbidden" and err["loc"][:1] == ("period",):  # the period's own keys, and the nearest
            near = nearest(err["loc"][-1], [*Period.model_fields, "end", "slutdatum"], 0.5)
            hint = {"end": "slut", "slutdatum": "slut"}.get(near, near) if near else ""
            lines.append(f"  - nyckeln {quote(key)}: okänd nyckel. Under 'period' står start och slut"
                         + (f"; menade du {quote(hint)}?" if hint and hint != err["loc"][-1] else "."))
        elif kind == "extra_forbidden":
            allowed = ", ".join(k for k in ReportParams.model_fields
                                if k not in ("source", "period_slug", "disposition_source"))
            lines.append(f"  - nyckeln {quote(key)}: okänd nyckel. Tillåtna nycklar: {allowed}.")
        elif kind == "missing":
            lines.append(f"  - nyckeln {quote(key)}: krävs men saknas.")
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "").replace(" or ", " eller ")
            lines.append(f"  - nyckeln {quote(key)}: {quote(err.get('input'))} är inte tillåtet; använd ett av {expected}.")
        elif not err["loc"] or (err["loc"] == ("disposition",) and kind == "value_error"):
            # a check of the file, or of the outline, as a whole: its messages name the keys
            lines.extend(f"  - {line}." for line in _message(err).split("\n"))
        else:
            found = err.get("input")
            shown = "" if isinstance(found, (dict, list)) else f" (det står {_short(found)})"
            lines.append(f"  - nyckeln {quote(key)}: {_message(err)}{shown}.")
    lines.append("Rätta dispositionen och kör igen (se docs/indatakontrakt.md §8)." if outline
                 else "Rätta parameterfilen och kör igen (se docs/indatakontrakt.md §1).")
    return "\n".join(lines)


def _key_path(loc) -> str:
    """pydantic's location as a key path: ``disposition[1].innehall[0]`` (list positions from 0)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("str", "bool", "function-after[_exactly_one(), Item]"):
            continue  # union branches and validators pydantic names in the location
        else:
            out += f".{part}" if out else str(part)
    return out if loc else "(filen)"


def _short(value: object, limit: int = 60) -> str:
    """``repr`` of a found value (a date as written), cut so a runaway value cannot flood the message."""
    text = value.isoformat() if isinstance(value, dt.date) else repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(str(value))} tecken)"


# -- the period the file's name says ---------------------------------------------------------
_DAY = r"(\d{4}-\d{2}-\d{2})"
#: File names that say a period: a year (``2023``, ``2024-slut``), years (``2022-2024``), a month
#: (``2021-06``), a day, or the first and last day (``2023-01-01--2023-12-31``, said exactly).
_NAMED_PERIOD = re.compile(rf"(?P<year>\d{{4}})(?:-[a-z][a-z0-9-]*)?|(?P<first>\d{{4}})-(?P<last>\d{{4}})"
                           rf"|(?P<month>\d{{4}}-\d{{2}})|(?P<day>{_DAY})|(?P<start>{_DAY})--(?P<slut>{_DAY})")


def _named_period(slug: str) -> tuple[dt.date, dt.date, bool] | None:
    """The first and last day a file name says, and whether it says them exactly; ``None`` when the
    name says no period (``slutrapport``) or no real one (``2023-13``).

    >>> _named_period("2023"), _named_period("2023-01-01--2023-06-30")[2], _named_period("slutrapport")
    ((datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), False), True, None)
    """
    named = _NAMED_PERIOD.fullmatch(slug)
    if named is None:
        return None
    g = named.groupdict()
    try:
        if g["start"]:
            return dt.date.fromisoformat(g["start"]), dt.date.fromisoformat(g["slut"]), True
        if g["day"]:
            return dt.date.fromisoformat(g["day"]), dt.date.fromisoformat(g["day"]), False
        if g["month"]:
            first = dt.date.fromisoformat(g["month"] + "-01")
            return first, (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1), False
        first_year, last_year = (g["year"], g["year"]) if g["year"] else (g["first"], g["last"])
        return dt.date(int(first_year), 1, 1), dt.date(int(last_year), 12, 31), False
    except ValueError:
        return None


def key_line(source: Path | None, key: str) -> int | None:
    """The line of the parameters file where top-level ``key`` is written, or ``None``."""
    if source is None or not Path(source).is_file():
        return None
    for number, text in enumerate(Path(source).read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if re.match(rf"{re.escape(key)}\s*:", text.split("#", 1)[0]):
            return number
    return None


def period_named_otherwise(params: ReportParams) -> list[Notice]:
    """One notice when the file's name says another period than its key ``period`` (``2023.yaml``
    with ``period: 2024``): the report is made for ``period``, and filed under the name's period.
    A name that says days must say the period's; a year, years, a month or a day must overlap it."""
    named = _named_period(params.period_slug)
    if named is None:
        return []
    first, last, exact = named
    period = params.period
    if (first, last) == (period.start, period.slut) or (not exact and first <= period.slut and period.start <= last):
        return []
    said = f"{first.isoformat()} – {last.isoformat()}" if first != last else first.isoformat()
    name = Path(params.source).name if params.source else f"{params.period_slug}.yaml"
    return [Notice(params.source or name, key_line(params.source, "period"), (
        f"filnamnet {quote(name)} säger perioden {said}, men nyckeln 'period' säger {period.label()}. Rapporten "
        f"görs för {period.label()} (nyckeln 'period' gäller) och sparas i output/{params.insats}/{params.period_slug}/. "
        f"Rätta nyckeln 'period', eller byt namn på filen till {quote(_name_of(period) + Path(name).suffix)}."))]


def _name_of(period: Period) -> str:
    """The file name (without its suffix) that says ``period``: the year, or the first and last day."""
    if (period.start.month, period.start.day, period.slut.month, period.slut.day) == (1, 1, 12, 31) \
            and period.start.year == period.slut.year:
        return str(period.start.year)
    return f"{period.start.isoformat()}--{period.slut.isoformat()}"


# -- which period is the latest --------------------------------------------------------------
def period_key(params: ReportParams) -> tuple:
    """Latest first by end, then by start (a one-year report beats a report over several years)."""
    return params.period.slut, params.period.start


def latest(paths: list[Path]) -> Path:
    """Of one insats's parameters files, the one whose period ends last (then starts last)."""
    return max(paths, key=lambda p: (period_key(load_params(p)), p.name))


def folder_digest(folder: Path) -> str:
    """The parameters files of ``folder``, by name and content, as one digest (what the insats's
    reports beside one another depend on); read once per folder while their sizes and times stay."""
    stamp = tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(folder)
                         if e.is_file() and Path(e.name).suffix.lower() in PARAMS_SUFFIXES))
    return _folder_digest(str(folder), stamp)


@functools.lru_cache(maxsize=256)
def _folder_digest(folder: str, stamp: tuple) -> str:
    digest = hashlib.sha256()
    for name, _, _ in stamp:
        digest.update(name.encode() + b"\0" + (Path(folder) / name).read_bytes())
    return digest.hexdigest()
