"""Start a new insats: ``evaluation new INSATS --period START--SLUT [--typ TYP]``.

Writes, and never overwrites:

- ``params/<insats>/<period>.yaml``: every parameter key, explained in Swedish comments, valid as
  written (:func:`params_text`);
- ``data/<insats>/``: the register template ``deltagare.xlsx`` (not for a
  ``processkartlaggning``, which needs no register), ``texter/<sektion>.md`` stubs for the
  report type's text-only sections listing the variables a text can use, and ``exempel/``
  with an example of every other input. The loaders never look inside ``exempel/``: an
  example takes effect only when the evaluator copies it up into the data folder. The data
  folder gets a ``.gitignore`` of ``*`` so that participant data stays out of git.

The contents are computed by pure functions (:func:`plan`); only :func:`create` writes.

>>> slug, start, end = parse_period("2024-01-01--2024-12-31")
>>> slug, start.isoformat(), end.isoformat()
('2024-01-01--2024-12-31', '2024-01-01', '2024-12-31')
>>> parse_period("2024")[1:]
(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))

Longer than 400 lines: the filled-in examples of every input that `evaluation new` writes are data, not logic.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from evaluation.compute import figures
from evaluation.core.pii import quote
from evaluation.core.vocab import MARK
from evaluation.inputs.params import REPORT_TYPES, SLUG, ReportParams
from evaluation.inputs.years import year_problem
from evaluation.sections import registry as sections
from evaluation.sections.texts import FOLDER as TEXT_FOLDER, PLACEHOLDER as TEXT_PLACEHOLDER
from evaluation.tools import workbooks

EXAMPLES = "exempel"
CONTRACT = "docs/indatakontrakt.md"
NAMES = "docs/namnrymd.md"
_PERIOD = re.compile(r"^(\d{4}-\d{2}-\d{2})--(\d{4}-\d{2}-\d{2})$")
_YEAR = re.compile(r"^\d{4}$")


# -- the period -------------------------------------------------------------------------------------
def parse_period(text: str) -> tuple[str, dt.date, dt.date]:
    """``START--SLUT`` (or a year ``YYYY``) → (file name slug, first day, last day).

    Raises ``ValueError`` with a Swedish message saying what is allowed.
    """
    text = str(text).strip()
    match = _PERIOD.match(text)
    if match is None and not _YEAR.match(text):
        raise ValueError(
            f"{quote(text)} är ingen period. Skriv START--SLUT med datum ÅÅÅÅ-MM-DD, t.ex. "
            "2024-01-01--2024-12-31, eller ett år, t.ex. 2024."
        )
    try:
        days = match.groups() if match else (f"{text}-01-01", f"{text}-12-31")
        start, end = (dt.date.fromisoformat(d) for d in days)
    except ValueError:  # also year 0
        raise ValueError(f"{quote(text)}: ett av datumen finns inte i kalendern.") from None
    if end < start:
        raise ValueError(f"{quote(text)}: perioden slutar ({end}) innan den börjar ({start}).")
    problem = year_problem(start) or year_problem(end)  # what the parameters file would be refused for
    if problem:
        raise ValueError(f"{quote(text)}: {problem}.")
    return text, start, end


# -- the parameters file ----------------------------------------------------------------------------
#: Swedish explanation of every parameter key, in the order the file lists them. A key the
#: parameters model does not know (yet) is written as a comment.
KEY_DOCS: dict[str, list[str]] = {
    "insats": ["Insatsens korta namn: små bokstäver a–z, siffror och bindestreck. Samma som mappnamnet."],
    "namn": ["Insatsens namn som det visas i rapporten."],
    "forbund": ["Samordningsförbundet som beställt utvärderingen."],
    "insatsagare": ["Organisationen som äger insatsen (tom = visas inte)."],
    "samverkansparter": ["Samverkansparterna, t.ex. [Arbetsförmedlingen, Försäkringskassan, Region Exempel]."],
    "rapporttyp": [f"Rapporttyp: {' | '.join(REPORT_TYPES)}.",
                   "Typen väljer avsnitt och ordning (se sektioner). processkartlaggning behöver inget register."],
    "period": ["Rapportperioden; båda dagarna räknas med. Filnamnet är periodens namn."],
    "utvarderare": ["Utvärderaren som står på rapporten (tom = visas inte)."],
    "data": ["Mappen med insatsens underlag, relativt den här filen eller absolut.",
             "Mappen ignoreras av git: deltagaruppgifter ska aldrig in i ett git-arkiv."],
    "diarienummer": ["Förbundets diarienummer (tom = visas inte)."],
    "resultat_bas": ["Nämnaren för resultatandelarna: avslutade (avslutade under perioden) eller",
                     "alla_inskrivna (alla inskrivna under perioden; då visas även raden Pågående)."],
    "provtid_dagar": ["Avslut inom så många dagar efter start räknas inte i resultatet (0 = ingen provtid)."],
    "alder_intervall": ["Gränser för åldersgrupperna, [a, b) – 15, 30 betyder 15–29 år."],
    "min_cell": ["Röjandeskydd: antal från 1 till min_cell-1 visas som \"..\" i tabeller, texter, diagram,",
                 "mål och översikt, och så att de inte kan räknas fram ur andra uppgifter. Förval 3:",
                 "antal under 3 publiceras inte (så gör även SCB och Socialstyrelsen). Höj till t.ex. 5",
                 "när grupperna är små. 0 = inget skydd; då varnar validate och render för att",
                 "enskilda personer kan gå att identifiera."],
    "omvarld": ["Jämförbara projekt ur omvärldsbiblioteket omvarld/ bredvid params/, t.ex. [ungsam, upis]."],
    "sektioner": ["Avsnitt och ordning. Här står rapporttypens förval; ta bort ett avsnitt för att dölja det.",
                  "Ett avsnitt visas bara när det finns underlag för det."],
    "resultatgrupper": ["Egna grupper av avslutsanledningar; varje grupp blir en rad i tabellen resultat",
                        "och kan användas i texterna. Exempel:",
                        "  resultatgrupper:",
                        "    Arbete totalt: [Arbete, Subventionerat arbete]"],
    "mall": ["Din Word-mall (formatmallar, logotyp, sidhuvud) för rapport.docx, relativt den här filen.",
             "Tom = verktygets egen mall."],
    "disposition": ["Förbundets egen disposition: numrerade avsnitt med egna rubriker, texter och tabeller",
                    "i valfri ordning (ta då bort sektioner ovan). En lista här, eller en fil som förbundets",
                    "insatser delar, t.ex. disposition: ../disposition.yaml. Tom = rapporttypens avsnitt."],
}
_NOT_KEYS = ("source", "period_slug", "disposition_source")


def model_keys() -> list[str]:
    """The keys a parameters file may have (the fields of :class:`ReportParams`)."""
    return [k for k in ReportParams.model_fields if k not in _NOT_KEYS]


def _flow(value) -> str:
    """A value as one line of YAML: ``[a, b]``, ``{start: 2024-01-01, slut: 2024-12-31}``, ``''``."""
    if value == "":
        return '""'
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10_000)
    return text.strip().removesuffix("...").strip()


def _default(key: str):
    return ReportParams.model_fields[key].get_default(call_default_factory=True)


def params_text(insats: str, start: dt.date, end: dt.date, typ: str, data: str,
                namn: str | None = None, forbund: str = "") -> str:
    """The commented parameters file of a new insats (every key present, valid as written)."""
    values = {
        "insats": insats, "namn": namn or insats, "forbund": forbund, "rapporttyp": typ,
        "period": {"start": start, "slut": end}, "data": data,
        "sektioner": list(sections.DEFAULT_SECTIONS[typ]),
    }
    known = model_keys()
    lines = [
        f"# Parametrar för en rapport: insatsen {insats}, perioden {start} – {end}.",
        f"# Alla nycklar beskrivs i {CONTRACT} (avsnitt 1). Kontrollera filen med",
        "#   evaluation validate <den här filen>",
        "",
    ]
    order = list(KEY_DOCS) + [k for k in known if k not in KEY_DOCS]
    for key in order:
        docs = KEY_DOCS.get(key, [f"Se {CONTRACT}."])
        lines += [f"# {line}" for line in docs]
        if key in known:
            value = values[key] if key in values else _default(key)
            lines.append(f"{key}:" if value is None else f"{key}: {_flow(value)}")
        else:
            lines.append(f"# {key}:  (finns inte i den här versionen av verktyget)")
        lines.append("")
    return "\n".join(lines)


# -- texts --------------------------------------------------------------------------------------------
def text_sections(typ: str) -> list[str]:
    """The report type's sections that consist of the evaluator's text alone."""
    return [s for s in sections.DEFAULT_SECTIONS[typ]
            if getattr(sections.BUILDERS.get(s), "prose_only", False)]


def variables(typ: str) -> list[str]:
    """The variable lines a text of this report type can use, grouped, for the stubs."""
    groups = {
        "period": "alltid", "insats": "alltid",
        "antal": "kräver deltagarregistret", "andel": "kräver deltagarregistret",
        "mal": "kräver mal.yaml",
    }
    if typ == "processkartlaggning":
        groups = {k: v for k, v in groups.items() if k not in ("antal", "andel")}
    out = []
    for group, needs in groups.items():
        names = [n for n in figures.KINDS if n.split(".")[0] == group]
        out.append(f"{group}.* ({needs}): " + ", ".join(names))
    if typ != "processkartlaggning":
        out.append("enkat.<enkät>.* (kräver enkater/): " + ", ".join(
            f"enkat.<enkät>.{n}" for n in figures.SURVEY_KINDS if n != "topp") + ", enkat.<enkät>.topp.<fråga>")
    return out


def text_stub(section_id: str, typ: str, optional: bool = False) -> str:
    """A ``texter/<sektion>.md`` stub: a comment with the variables, then a visible placeholder."""
    title = sections.TITLES[section_id]
    where = f"{TEXT_FOLDER}/{section_id}.md"
    head = [
        "{#",
        f"  Avsnittet \"{title}\" ({where}). Det här blocket, från första till sista raden",
        "  med klammerparentes, är en kommentar och syns aldrig i rapporten. Ta bort det när du vill.",
    ]
    if optional:
        head += [
            f"  Det här är ett exempel. Flytta filen till {TEXT_FOLDER}/ i datamappen om du vill ha en",
            "  egen text först i avsnittet, före tabeller och diagram.",
        ]
    head += [
        "",
        "  Skriv vanlig Markdown: stycken, **fetstil**, listor med -, rubriker med ##.",
        f"  Hellre Word? Spara texten som {section_id}.docx i {TEXT_FOLDER}/ och ta bort den här filen",
        "  (båda får inte finnas); variablerna nedan skrivs likadant i Word.",
        "  Skriv aldrig av en siffra: skriv variabeln, så stämmer texten alltid med tabellerna,",
        *(["  t.ex. {{ antal.deltagare }} eller {{ andel.arbete_studier }}.",
           "  En cell ur en tabell: {{ tabell(\"resultat\", \"Arbete\", \"andel\") }}."]
          if typ != "processkartlaggning" else
          ["  t.ex. {{ insats.namn }} eller {{ period.start }}.",
           "  En cell ur en tabell: {{ tabell(\"<tabell-id>\", \"<rad>\", \"<kolumn>\") }}."]),
        "  Fotnot: text[^kalla] och längre ned en rad [^kalla]: Källan.",
        "  Tabell: en rad 'Tabell: Rubriken' direkt ovanför tabellen (| a | b | och |---|---|) blir dess rubrik.",
        "  Bild: ![Beskrivande text](bilder/figur.png), med filen i datamappens bilder/.",
        "  En mening som bara gäller när en siffra finns:",
        "  {% if enkat.avslut is defined %} ... {% endif %}",
        "",
        f"  Variabler (definitioner i {NAMES}):",
        *[f"  - {line}" for line in variables(typ)],
        "#}",
    ]
    if section_id == "sammanfattning" and typ != "processkartlaggning":
        body = ["Under perioden {{ period.start }} – {{ period.slut }} deltog {{ antal.deltagare }} "
                "personer i {{ insats.namn }}.", ""]
    else:
        body = []
    body.append(f"*{TEXT_PLACEHOLDER.format(title=title.lower())}*")
    return "\n".join(head + body) + "\n"


# -- examples -------------------------------------------------------------------------------------------
#: The example ``instrument.yaml`` (ORS with its published adult cut-off and reliable change, the
#: processtrappa for participants and for collaboration); the demo uses the same instruments.
INSTRUMENTS_EXAMPLE = """\
# Instrument för upprepade mätningar; mätningarna ligger i matningar.csv (eller .xlsx).
# Ett instrument har en skala (min, max) eller steg i ordning, och gäller deltagare eller parter.
ors:
  namn: Skattning av förändring (ORS)
  galler: deltagare
  skala: {min: 0, max: 40}
  gransvarde: 25                  # kliniskt gränsvärde (vuxna)
  tillforlitlig_forandring: 5     # eller sd och reliabilitet
processtrappa:
  namn: Processtrappan
  galler: deltagare
  steg: [Motivation, Kartläggning, Förberedelse, Praktik, Arbete eller studier]
samverkan:
  namn: Samverkan enligt processtrappan
  galler: part                    # organisationer, inte personer
  steg: [Information, Konsultation, Samarbete, Samordning, Integration]
"""


def _examples(typ: str, start: dt.date, end: dt.date) -> dict[str, str]:
    """Example inputs (path below ``exempel/`` → text), valid for the period when copied up."""
    day = (start + (end - start) / 2).isoformat()
    later = min(start + dt.timedelta(days=30), end).isoformat()
    out = {
        "LASMIG.md": textwrap.dedent(f"""\
            # Exempel på underlag

            Filerna här är exempel. Verktyget läser aldrig mappen `{EXAMPLES}/`: ett exempel används
            först när du kopierar det till datamappen (mappen ovanför) och skriver in insatsens egna
            uppgifter. Alla filer och nycklar beskrivs i `{CONTRACT}`.

            | exempel | kopiera till | innehåll |
            |---|---|---|
            | `mal.yaml` | `mal.yaml` | mål, målvärden och indikatorer |
            | `organisation.yaml` | `organisation.yaml` | insatsägare, styrgrupp, bemanning, avvikelser |
            | `enkater/avslut.yaml` + `.csv` | `enkater/` | en enkät: beskrivning och svar |
            | `intervjuer/*.md` | `intervjuer/` | en intervju: uppgifter överst, teman och citat |
            | `matriser/*.yaml` | `matriser/` | matris, rangordning och lista (kartläggning) |
            | `uppfoljning.xlsx` | `uppfoljning.xlsx` | mall för uppföljning 6 och 18 månader efter avslut |
            | `instrument.yaml` + `matningar.csv` | datamappen | upprepade mätningar (skattningar, steg, samverkan) |
            | `matningar.xlsx` | `matningar.xlsx` | mall för mätningarna i Excel (i stället för .csv) |
            | `kostnader.yaml` | `kostnader.yaml` | insatsens kostnad och kronor per försörjning (samhällsnytta) |
            | `texter/*.md` | `texter/` | texter för avsnitt som också har tabeller |
            | `omvarld/exempelprojekt.md` | `omvarld/` bredvid `params/` | ett jämförbart projekt |

            I `matningar.csv` är D001 och D002 påhittade: byt dem mot deltagar_id ur ert register.

            Kontrollera efter varje ändring: `evaluation validate params/<insats>/<period>.yaml`.
            """),
        "instrument.yaml": INSTRUMENTS_EXAMPLE,
        "matningar.csv": textwrap.dedent(f"""\
            deltagar_id,part,instrument,datum,varde
            D001,,ors,{start.isoformat()},18
            D001,,ors,{day},27
            D002,,ors,{start.isoformat()},22
            D002,,ors,{day},21
            D001,,processtrappa,{start.isoformat()},Motivation
            D001,,processtrappa,{day},Förberedelse
            ,Arbetsförmedlingen,samverkan,{start.isoformat()},Konsultation
            ,Arbetsförmedlingen,samverkan,{day},Samordning
            """),
        "kostnader.yaml": textwrap.dedent("""\
            # Samhällsnytta: insatsens kostnad och kronor per person och år för varje försörjning.
            insatsens_kostnad: 1500000          # kronor för rapportperioden
            kalla: Förbundets budget för insatsen
            forsorjning:                        # kategorier som i registrets forsorjning_fore/efter
              Försörjningsstöd: {belopp: 140000, betalare: Kommunen, kalla: "Kommunens statistik"}
              Sjukpenning/Rehabpenning: {belopp: 230000, betalare: Försäkringskassan, kalla: "Försäkringskassan"}
              Aktivitetsstöd: {belopp: 150000, betalare: Arbetsförmedlingen, kalla: "Arbetsförmedlingen"}
            dodvikt: 0.25                       # andel som hade hänt ändå (0–1)
            horisont_ar: 5
            diskonteringsranta: 0.035
            """),
        "mal.yaml": textwrap.dedent("""\
            # Mål för insatsen. Varje mål har id, niva, text, mal och antingen indikator
            # (en siffra som räknas fram) eller utfall (ett värde du anger själv).
            - id: arbete-studier
              niva: overgripande            # overgripande | effektmal | insatsmal
              text: Minst hälften av dem som avslutas går vidare till arbete eller studier.
              mal: ">= 50 %"                # målvärdet inom citattecken; % = andel
              delvis: ">= 40 %"             # valfritt: nivå som ger Delvis uppfyllt
              indikator: andel_arbete_studier
            - id: deltagare
              niva: insatsmal
              text: Minst 20 personer deltar under perioden.
              mal: ">= 20"
              indikator: antal_deltagare
            - id: arbetsgivare
              niva: effektmal
              text: Minst tio arbetsgivare tar emot praktikanter.
              mal: ">= 10"
              utfall: 12                    # eget utfall; tomt = Ej mätbart
              kommentar: Enligt insatsens egen uppföljning.
            # Ett kvalitativt mål anger status och kommentar i stället för mal och indikator/utfall:
            # - id: samverkan
            #   niva: overgripande
            #   text: Fördjupad samverkan mellan parterna.
            #   status: Uppfyllt            # Uppfyllt | Delvis uppfyllt | Ej uppfyllt | Ej mätbart
            #   kommentar: Gemensamma rutiner är beslutade i styrgruppen.
            """),
        "organisation.yaml": textwrap.dedent(f"""\
            # Organisation. Alla nycklar är valfria; insatsagare och samverkansparter
            # ersätter parametrarnas värden när de finns här.
            insatsagare: Exempels kommun
            styrgrupp: [Förbundschef, Enhetschef arbetsmarknad, Sektionschef Arbetsförmedlingen]   # roller, inte namn
            samverkansparter: [Arbetsförmedlingen, Försäkringskassan, Region Exempel]
            personal:                        # roll, procent av heltid (0–100), finansiering; organisation valfri
              - {{roll: Processledare, procent: 100, finansiering: Finansierad av förbundet}}
              - {{roll: Arbetskonsulent, procent: 50, finansiering: Medfinansierad, organisation: Exempels kommun}}
            avvikelser:                      # visas när datum ligger i rapportens period
              - {{datum: {later}, beskrivning: Arbetskonsulentens tjänst utökad från 25 till 50 procent.}}
            """),
        "enkater/avslut.yaml": textwrap.dedent("""\
            # Beskrivning av enkäten; svaren ligger i avslut.csv (samma namn) bredvid.
            titel: Deltagarenkät vid avslut
            antal_tillfragade: 5             # hur många som fick enkäten (för svarsfrekvensen)
            skala: [Inte alls, Till liten del, Till viss del, Till stor del, Till mycket stor del, Helt och hållet]
            topp: 2                          # så många av de högsta svaren räknas som positiva
            fragor:                          # id: {text, typ: skala | fritext | val}; eller fragor: nns-avslut
              q1: {text: "Har du fått stöd på ett sätt som är till stor nytta för dig?"}
              q2: {text: "Har stödet fått ta den tid du behövt?"}
              q3: {text: "Vad har varit bäst?", typ: fritext}
            """),
        "enkater/avslut.csv": textwrap.dedent(f"""\
            respondent_id,datum,q1,q2,q3
            R1,{day},Till stor del,Helt och hållet,Personalen lyssnade.
            R2,{day},Till viss del,Till stor del,
            R3,{later},Helt och hållet,,Att få komma ut på praktik.
            """),
        f"intervjuer/{day}-personal.md": textwrap.dedent(f"""\
            ---
            datum: {day}
            roll: personal                 # deltagare | personal | samverkanspart | styrgrupp | arbetsgivare
            kon: kvinna                    # valfritt: kvinna | man | annat | okänt
            form: digital                  # fysisk | digital | telefon
            langd_min: 45
            intervjuare: Utvärderarens namn  # visas aldrig i rapporten
            ---
            ## Samverkan
            Anteckningar visas aldrig i rapporten; bara teman och citat.
            > Vi har fått en gemensam bild av deltagarnas behov.

            ## Utmaningar
            > Det tar tid att få kontakt med vården.
            """),
        "matriser/01-samverkan.yaml": textwrap.dedent("""\
            titel: Samverkan per kommun
            typ: matris                     # matris | rangordning | lista
            beskrivning: Vad workshopen kom fram till per kommun.
            radrubrik: Kommun
            kolumner: [Styrkor, Hinder]
            rader:                          # en cell per kolumn
              - {namn: Kommun A, celler: [Täta kontakter med Arbetsförmedlingen, Långa väntetider]}
              - {namn: Kommun B, celler: [Gemensam lokal, Få praktikplatser]}
            """),
        "matriser/02-prioriteringar.yaml": textwrap.dedent("""\
            titel: Prioriterade utvecklingsområden
            typ: rangordning
            poster: [Gemensamma rutiner för remisser, Fler praktikplatser, Uppföljning efter avslut]
            """),
        "matriser/03-erfarenheter.yaml": textwrap.dedent("""\
            titel: Erfarenheter från workshopen
            typ: lista
            grupper:
              Fungerar bra: [Snabba kontakter mellan handläggare]
              Fungerar mindre bra: [Informationen når inte alla verksamheter]
              Varför: [Olika sekretessregler hos parterna]
            not: Sammanställt av utvärderaren.
            """),
        "omvarld/exempelprojekt.md": textwrap.dedent("""\
            ---
            namn: Exempelprojektet
            huvudman: Exempelby kommun
            finansiar: Samordningsförbundet Exempelby
            period: 2019-2021
            malgrupp: Unga vuxna som varken arbetar eller studerar
            alder: 18-29
            resultat: Hälften gick vidare till arbete eller studier.
            kallor:
              - https://example.org/exempelprojektet
            taggar: [unga]
            ---
            Kort beskrivning av projektet och varför det är jämförbart.
            """),
    }
    for section_id in sections.DEFAULT_SECTIONS[typ]:
        if section_id not in text_sections(typ):
            out[f"{TEXT_FOLDER}/{section_id}.md"] = text_stub(section_id, typ, optional=True)
    return out


# -- plan and create --------------------------------------------------------------------------------
def _xlsx(kind: str) -> bytes:
    buffer = io.BytesIO()
    workbooks.TEMPLATES[kind]().save(buffer)
    return buffer.getvalue()


def plan(insats: str, period: str, typ: str, params_dir: Path, data_dir: Path,
         namn: str | None = None, forbund: str = "") -> dict[Path, bytes]:
    """Every file a new insats gets, by path, with its content (nothing is written)."""
    if not SLUG.match(insats):
        raise ValueError(f"{quote(insats)} går inte som insatsens namn: använd bara a–z, 0–9 och bindestreck, t.ex. framtiden.")
    if typ not in REPORT_TYPES:
        raise ValueError(f"{quote(typ)} är ingen rapporttyp; välj en av: {', '.join(REPORT_TYPES)}.")
    slug, start, end = parse_period(period)
    params_file = Path(params_dir) / insats / f"{slug}.yaml"
    data = Path(data_dir) / insats
    relative = Path(os.path.relpath(data.absolute(), params_file.parent.absolute())).as_posix()
    files: dict[Path, bytes] = {
        params_file: params_text(insats, start, end, typ, relative, namn, forbund).encode("utf-8"),
        data / ".gitignore": b"# Deltagaruppgifter ska aldrig in i git.\n*\n",
    }
    if typ != "processkartlaggning":
        files[data / "deltagare.xlsx"] = _xlsx("register")
    for section_id in text_sections(typ):
        files[data / TEXT_FOLDER / f"{section_id}.md"] = text_stub(section_id, typ).encode("utf-8")
    for name, text in _examples(typ, start, end).items():
        files[data / EXAMPLES / name] = text.encode("utf-8")
    files[data / EXAMPLES / "uppfoljning.xlsx"] = _xlsx("uppfoljning")
    files[data / EXAMPLES / "matningar.xlsx"] = _xlsx("matningar")
    return files


#: A file is there when a form the tool reads in its place is: the register as CSV, a text as Word
#: (both forms side by side would be refused as two files for one). Examples are never read: both
#: forms of one may stand there.
_OTHER_FORMS = {".xlsx": (".csv",), ".md": (".docx",)}


@dataclass
class Created:
    """What :func:`create` did: the files it wrote and those that already existed (left as they were)."""

    params: Path
    data: Path
    written: list[Path] = field(default_factory=list)
    existed: list[Path] = field(default_factory=list)


def create(insats: str, period: str, typ: str = "arsrapport", params_dir: Path | str = "params",
           data_dir: Path | str = "data", namn: str | None = None, forbund: str = "") -> Created:
    """Write the files of :func:`plan` that do not exist yet; never overwrites anything."""
    files = plan(insats, period, typ, Path(params_dir), Path(data_dir), namn, forbund)
    params_file = next(iter(files))
    done = Created(params=params_file, data=Path(data_dir) / insats)
    for path, content in files.items():
        others = () if done.data / EXAMPLES in path.parents else _OTHER_FORMS.get(path.suffix, ())
        there = next((p for p in (path, *(path.with_suffix(o) for o in others)) if p.exists()), None)
        if there is not None:
            done.existed.append(there)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as handle:  # 'x': fail rather than overwrite
            handle.write(content)
        done.written.append(path)
    return done
