"""Excel templates for the people who keep an insats's data (data contract §2–§4).

``evaluation template register|uppfoljning|enkat --out FILE.xlsx`` writes one of these
workbooks. The data sheet comes first, so the toolkit reads it (it reads the first sheet of an
``.xlsx``): its header row holds the contract's column names, coded columns have dropdown lists
(Excel data validation) with Swedish input messages, and date columns are date-formatted. The
second sheet, ``Instruktioner``, explains every column in Swedish.

Column names come from :mod:`evaluation.inputs.register` and code lists from :mod:`evaluation.core.vocab`,
so a template always matches what the toolkit accepts.

>>> book = register_workbook()
>>> book.sheetnames
['Deltagare', 'Instruktioner']
>>> [c.value for c in book["Deltagare"][1]][:3]
['deltagar_id', 'kon', 'fodelsear']
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from evaluation.core import vocab

#: Rows below the header that get dropdowns and date formats.
from evaluation.inputs import measurements, register
from evaluation.sections import surveys
ROWS = 2000
DATE_FORMAT = "yyyy-mm-dd"
INSTRUCTIONS = "Instruktioner"
#: Excel's limits: an input message holds at most 255 characters, its title 32, and an inline
#: list (``"a,b,c"``) at most 255.
PROMPT_MAX, TITLE_MAX, LIST_MAX = 255, 32, 255

REMITTENTS = ("Arbetsförmedlingen", "Försäkringskassan", "Socialtjänsten", "Region", "Egen anmälan")
YES_NO = tuple(vocab.YES_NO)


@dataclass(frozen=True)
class Column:
    """One column of a template: what it holds, how Excel checks it, and its Swedish help."""

    name: str
    required: bool
    kind: str  # text | choice | date | whole | sources
    help: str  # the input message shown when a cell is selected
    choices: tuple[str, ...] = ()
    strict: bool = True  # False: the dropdown suggests values but any text is accepted
    low: int | None = None
    high: int | None = None

    def allowed(self) -> str:
        """What is allowed, in Swedish, for the instructions sheet."""
        if self.kind == "date":
            return "datum, ÅÅÅÅ-MM-DD (eller en datumcell)"
        if self.kind == "whole":
            return f"heltal {self.low}–{self.high}"
        if self.kind == "sources":
            return "en eller flera av (skilj med ;): " + "; ".join(self.choices)
        if self.kind == "choice" and self.strict:
            return "en av: " + "; ".join(self.choices)
        if self.choices:
            return "fri text, t.ex. " + "; ".join(self.choices)
        return "fri text"


def register_columns() -> list[Column]:
    """The register's columns (contract §2), in the order of :mod:`evaluation.inputs.register`."""
    this_year = dt.date.today().year
    spec = {
        "deltagar_id": Column("deltagar_id", True, "text",
                              "Pseudonymt id, t.ex. D0001. Aldrig personnummer. En rad per inskrivning: "
                              "samma person kan ha flera rader med olika startdatum."),
        "kon": Column("kon", True, "choice", "Välj kön i listan.", vocab.GENDERS),
        "fodelsear": Column("fodelsear", False, "whole",
                            "Födelseår, t.ex. 1996. Fyll i födelseår eller ålder (alder).",
                            low=1900, high=this_year),
        "alder": Column("alder", False, "whole",
                        "Ålder i hela år vid start. Behövs bara om födelseår saknas.", low=0, high=120),
        "startdatum": Column("startdatum", True, "date", "Datum då inskrivningen började, ÅÅÅÅ-MM-DD."),
        "slutdatum": Column("slutdatum", False, "date",
                            "Datum då inskrivningen avslutades, ÅÅÅÅ-MM-DD. Tom = pågår. "
                            "Fyll då också i avslutsanledning."),
        "avslutsanledning": Column("avslutsanledning", False, "choice",
                                   "Obligatorisk när slutdatum är ifyllt, annars tom. Välj i listan.",
                                   vocab.EXIT_REASONS),
        "aktivt_arbetssokande": Column("aktivt_arbetssokande", False, "choice",
                                       "ja/nej: inskriven som aktivt arbetssökande vid avslut.", YES_NO),
        "aktivt_arbetssokande_start": Column("aktivt_arbetssokande_start", False, "choice",
                                             "ja/nej: inskriven som aktivt arbetssökande vid start.", YES_NO),
        "utbildningsniva": Column("utbildningsniva", False, "choice",
                                  "Högsta utbildning vid start. Tom räknas som Saknas/okänd.", vocab.EDUCATION),
        "tid_i_forsorjning": Column("tid_i_forsorjning", False, "choice",
                                    "Tid i offentlig försörjning vid start. Tom räknas som Saknas/okänd.",
                                    vocab.TIME_IN_SUPPORT),
        "forsorjning_fore": Column("forsorjning_fore", False, "sources",
                                   "Försörjning vid start. Välj i listan, eller skriv flera källor "
                                   "åtskilda med semikolon, t.ex. A-kassa;Försörjningsstöd.",
                                   vocab.SUPPORT_SOURCES, strict=False),
        "forsorjning_efter": Column("forsorjning_efter", False, "sources",
                                    "Försörjning vid avslut. Välj i listan, eller skriv flera källor "
                                    "åtskilda med semikolon, t.ex. A-kassa;Försörjningsstöd.",
                                    vocab.SUPPORT_SOURCES, strict=False),
        "remittent": Column("remittent", False, "choice",
                            "Vem som remitterade deltagaren. Välj i listan eller skriv fritt.",
                            REMITTENTS, strict=False),
        "delinsats": Column("delinsats", False, "text",
                            "Namn på delinsatsen, om insatsen har flera spår. Skriv samma namn varje gång."),
        "gemensam_planering": Column("gemensam_planering", False, "choice",
                                     "ja/nej: en gemensam planering (SIP, flerpartsmöte) finns.", YES_NO),
        "anonym": Column("anonym", False, "choice",
                         "ja/nej: anonym deltagare. Räknas bara i antal per kön och inskrivningar.", YES_NO),
    }
    return _in_contract_order(spec, register.REQUIRED + register.OPTIONAL)


def followup_columns() -> list[Column]:
    """The follow-up file's columns (contract §3)."""
    spec = {
        "deltagar_id": Column("deltagar_id", True, "text",
                              "Samma pseudonyma id som i deltagarregistret. Aldrig personnummer."),
        "manader_efter_avslut": Column("manader_efter_avslut", True, "whole",
                                       "Hela månader efter avslut, oftast 6 eller 18.", low=0, high=600),
        "status": Column("status", True, "choice", "Deltagarens läge vid uppföljningen. Välj i listan.",
                         vocab.FOLLOWUP_STATUSES),
        "datum": Column("datum", False, "date",
                        "Dag då uppföljningen gjordes, ÅÅÅÅ-MM-DD. Tom = slutdatum plus månaderna."),
        "kommentar": Column("kommentar", False, "text",
                            "Fri text. Visas aldrig per person i rapporten. Skriv inga personuppgifter."),
    }
    return _in_contract_order(spec, register.FOLLOWUP_REQUIRED + register.FOLLOWUP_OPTIONAL)


def measurement_columns() -> list[Column]:
    """The measurement file's columns (contract §8): who, which instrument, when and the value."""
    spec = {
        "deltagar_id": Column("deltagar_id", False, "text",
                              "Samma pseudonyma id som i deltagarregistret, för instrument som gäller deltagare. "
                              "Tom för en part."),
        "part": Column("part", False, "text", "Organisationen, för instrument som gäller parter (t.ex. samverkan). "
                       "Tom för en deltagare."),
        "instrument": Column("instrument", True, "text", "Instrumentets id i instrument.yaml, t.ex. ors."),
        "datum": Column("datum", True, "date", "Dag för mätningen, ÅÅÅÅ-MM-DD."),
        "varde": Column("varde", True, "text", "Poängen på skalan (t.ex. 27 eller 27,5) eller stegets namn "
                        "eller nummer (1 = första steget)."),
    }
    return _in_contract_order(spec, measurements.COLUMNS)


def _in_contract_order(spec: dict[str, Column], accepted: tuple[str, ...]) -> list[Column]:
    """The columns in the contract's order (``spec``'s), which must be exactly those the loader accepts."""
    if set(spec) != set(accepted):
        raise ValueError(f"template columns {sorted(spec)} differ from the loader's {sorted(accepted)}")
    return list(spec.values())


def survey_columns(question_set: str = "nns-avslut") -> list[Column]:
    """The answer export of a built-in question set (contract §4): ids, date, one column per question."""
    texts = surveys.BUILTIN_SETS[question_set]
    columns = [
        Column("respondent_id", True, "text", "Svarets id, t.ex. R001. Inga namn eller personnummer."),
        Column("datum", False, "date", "Dag då svaret lämnades, ÅÅÅÅ-MM-DD."),
    ]
    for number, text in enumerate(texts, start=1):
        short = text if len(text) <= 150 else text[:147] + "..."
        columns.append(Column(f"q{number}", False, "choice", f"{short} Tom = inget svar.", surveys.DEFAULT_SCALE))
    return columns


# -- building a workbook (pure: returns an openpyxl Workbook) ----------------------------------------

def _validation(column: Column) -> DataValidation | None:
    if column.kind in ("choice", "sources"):
        listed = ",".join(column.choices)
        if len(listed) + 2 > LIST_MAX or any("," in c or '"' in c for c in column.choices):
            raise ValueError(f"the code list of '{column.name}' does not fit an inline Excel list")
        rule = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
        rule.showErrorMessage = column.strict
    elif column.kind == "whole":
        rule = DataValidation(type="whole", operator="between", formula1=str(column.low),
                              formula2=str(column.high), allow_blank=True)
        rule.showErrorMessage = True
    elif column.kind == "date":
        rule = DataValidation(type="date", operator="greaterThan", formula1="DATE(1900,1,1)", allow_blank=True)
        rule.showErrorMessage = True
    else:
        rule = DataValidation(allow_blank=True)
    if rule.showErrorMessage:
        rule.errorTitle = "Värdet är inte tillåtet"
        rule.error = f"Tillåtet i {column.name}: {column.allowed()}"[:PROMPT_MAX]
    title = f"{column.name}{' (obligatorisk)' if column.required else ''}"
    rule.promptTitle = title if len(title) <= TITLE_MAX else column.name[:TITLE_MAX]
    if len(column.help) > PROMPT_MAX:
        raise ValueError(f"the input message of '{column.name}' is longer than {PROMPT_MAX} characters")
    rule.prompt = column.help
    rule.showInputMessage = True
    return rule


def data_sheet(sheet: Worksheet, columns: list[Column], rows: int = ROWS) -> None:
    """Header row, column widths, frozen header, dropdowns, input messages and date formats."""
    bold, required_fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        head = sheet.cell(row=1, column=index, value=column.name)
        head.font = bold
        if column.required:
            head.fill = required_fill
        sheet.column_dimensions[letter].width = max(14, min(len(column.name) + 4, 40))
        rule = _validation(column)
        rule.add(f"{letter}2:{letter}{rows + 1}")
        sheet.add_data_validation(rule)
        if column.kind == "date":
            for row in range(2, rows + 2):
                sheet.cell(row=row, column=index).number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"


def instructions_sheet(sheet: Worksheet, intro: list[str], columns: list[Column]) -> None:
    """Swedish instructions: the introduction, then one row per column."""
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 70
    sheet.column_dimensions["D"].width = 70
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in intro:
        sheet.append([line])
    sheet.append([])
    sheet.append(["Kolumn", "Obligatorisk", "Tillåtna värden", "Förklaring"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in columns:
        sheet.append([column.name, "ja" if column.required else "nej", column.allowed(), column.help])
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)


COMMON_INTRO = [
    "Rubrikraden på första bladet ska stå kvar som den är. Skriv en rad per {rad} från rad 2.",
    "Obligatoriska kolumner har gul rubrik. Tomma celler är tillåtna i övriga kolumner.",
    "Välj kodade värden i listan som visas när du markerar en cell; stavningen måste stämma.",
    "Datum skrivs ÅÅÅÅ-MM-DD, t.ex. 2024-03-15, eller som datum i Excel.",
    "Inga personnummer, namn eller andra personuppgifter: använd pseudonyma id som D0001.",
    "Spara som .xlsx (första bladet läses) eller som CSV (UTF-8, avgränsare , eller ;).",
    "Kontrollera med: evaluation validate params/<insats>/<period>.yaml",
]


def _book(title: str, sheet_name: str, columns: list[Column], intro: list[str]) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name
    data_sheet(sheet, columns)
    instructions_sheet(book.create_sheet(INSTRUCTIONS), [title, *intro], columns)
    return book


def register_workbook() -> Workbook:
    """The participant register template (``deltagare.xlsx``)."""
    intro = [line.format(rad="inskrivning") for line in COMMON_INTRO]
    intro.insert(1, "Filen heter deltagare.xlsx och ligger i insatsens datamapp.")
    intro.insert(2, "Har en deltagare skrivits in igen efter ett avslut blir det en ny rad med nytt startdatum.")
    return _book("Deltagarregister (datakontraktet avsnitt 2)", "Deltagare", register_columns(), intro)


def followup_workbook() -> Workbook:
    """The follow-up template (``uppfoljning.xlsx``)."""
    intro = [line.format(rad="uppföljning") for line in COMMON_INTRO]
    intro.insert(1, "Filen heter uppfoljning.xlsx (eller .csv) och ligger bredvid deltagarregistret.")
    intro.insert(2, "Varje deltagar_id måste finnas i deltagarregistret.")
    return _book("Uppföljning efter avslut (datakontraktet avsnitt 3)", "Uppföljning", followup_columns(), intro)


def survey_workbook(question_set: str = "nns-avslut") -> Workbook:
    """A survey answer template for a built-in question set, with the YAML to save beside it."""
    intro = [line.format(rad="svar") for line in COMMON_INTRO]
    intro[0:1] = [
        "Rubrikraden på första bladet ska stå kvar som den är. Skriv ett svar per rad från rad 2.",
        "Spara bladet som enkater/<namn>.xlsx (eller .csv) i insatsens datamapp, t.ex. enkater/avslut.xlsx.",
        "Bredvid den ska enkater/<namn>.yaml ligga med följande innehåll (ändra antal_tillfragade):",
        "    titel: Deltagarenkät",
        "    antal_tillfragade: 10",
        f"    fragor: {question_set}",
        "Skalan är, från lägst till högst: " + "; ".join(surveys.DEFAULT_SCALE) + ".",
    ]
    title = f"Enkätsvar, frågor {question_set} (datakontraktet avsnitt 4)"
    return _book(title, "Svar", survey_columns(question_set), intro)


def measurement_workbook() -> Workbook:
    """The measurement template (``matningar.xlsx``), with the instrument file to write beside it."""
    intro = [line.format(rad="mätning") for line in COMMON_INTRO]
    intro.insert(1, "Filen heter matningar.xlsx (eller .csv) och ligger i insatsens datamapp.")
    intro.insert(2, "Bredvid den ska instrument.yaml beskriva varje instrument, t.ex.:")
    intro.insert(3, "    ors: {namn: Skattning av förändring (ORS), galler: deltagare, skala: {min: 0, max: 40}, "
                    "gransvarde: 25, tillforlitlig_forandring: 5}")
    intro.insert(4, "    processtrappa: {namn: Processtrappan, galler: deltagare, steg: [Motivation, Kartläggning, "
                    "Förberedelse, Praktik, Arbete eller studier]}")
    intro.insert(5, "En rad per mätning; en deltagare med bara en mätning räknas för sig, inte i förändringen.")
    return _book("Mätningar över tid (datakontraktet avsnitt 9)", "Mätningar", measurement_columns(), intro)


TEMPLATES = {"register": register_workbook, "uppfoljning": followup_workbook, "enkat": survey_workbook,
             "matningar": measurement_workbook}


def write_template(kind: str, path: Path | str, question_set: str = "nns-avslut") -> Path:
    """Write the template ``kind`` (register, uppfoljning, enkat, matningar) to ``path``."""
    book = survey_workbook(question_set) if kind == "enkat" else TEMPLATES[kind]()
    path = Path(path)
    book.save(path)
    return path
