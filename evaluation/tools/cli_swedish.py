"""click's own words in Swedish: help footer, usage errors and defaults (Swedish plurals of the
toolkit's own messages: :func:`evaluation.core.fmt.plural`).

click marks its messages for :mod:`gettext` (``_("Show this message and exit.")``) but ships
no Swedish catalogue, so :func:`install` gives click's modules a ``gettext`` and ``ngettext``
that look the message up in :data:`CATALOGUE` (English stays for a message click adds later,
so nothing breaks). It must run before the commands are declared: click translates some words
(the metavar ``FILE`` of a path) when an option is made.
"""
from __future__ import annotations

from evaluation.core.pii import redact

#: click's message ids (click 8.1–8.2) → Swedish. Placeholders stay as in the id.
CATALOGUE = {
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "Show the version and exit.": "Visa versionen och avsluta.",
    "Usage:": "Användning:",
    "Options": "Flaggor",
    "Commands": "Kommandon",
    "Positional arguments": "Argument",
    "default: {default}": "förval: {default}",
    "required": "krävs",
    "env var: {var}": "miljövariabel: {var}",
    "(dynamic)": "(beräknas)",
    "deprecated": "utgått",
    "file": "fil",
    "directory": "mapp",
    "path": "sökväg",
    "Error: {message}": "Fel: {message}",
    "Try '{command} {option}' for help.": "Skriv '{command} {option}' för hjälp.",
    "Aborted!": "Avbrutet.",
    "Missing command.": "Kommando saknas.",
    "No such command {name!r}.": "Kommandot {name!r} finns inte.",
    "No such option {name!r}.": "Flaggan {name!r} finns inte.",
    "No such option: {name}": "Flaggan finns inte: {name}",
    "Missing argument": "Argument saknas",
    "Missing option": "Flagga saknas",
    "Missing parameter": "Parameter saknas",
    "Missing parameter: {param_name}": "Parameter saknas: {param_name}",
    "Missing {param_type}": "{param_type} saknas",
    "Invalid value for {param_hint}: {message}": "Ogiltigt värde för {param_hint}: {message}",
    "Invalid value: {message}": "Ogiltigt värde: {message}",
    "Option {name!r} does not take a value.": "Flaggan {name!r} tar inget värde.",
    "Got unexpected extra argument ({args})": "Oväntat extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Oväntade extra argument ({args})",
    "Option {name!r} requires an argument.": "Flaggan {name!r} behöver ett värde.",
    "Option {name!r} requires {nargs} arguments.": "Flaggan {name!r} behöver {nargs} värden.",
    "Did you mean {possibility}?": "Menade du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Menade du någon av: {possibilities}?)",
    "{value!r} is not {choice}.": "{value!r} är inte {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} är inte en av {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} är inte ett giltigt {number_type}.",
    "{value} is not in the range {range}.": "{value} ligger inte i intervallet {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} är inte ja eller nej. Tillåtna värden: {states}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finns inte.",
    "{name} {filename!r} is a file.": "{name} {filename!r} är en fil.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} är en mapp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} går inte att läsa.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} går inte att skriva.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} går inte att köra.",
    "Could not open file {filename!r}: {message}": "Kunde inte öppna filen {filename!r}: {message}",
    "Choose from:\n\t{choices}": "Välj bland:\n\t{choices}",
    "Value must be an iterable.": "Värdet måste vara en lista.",
    "Takes {nargs} values but 1 was given.": "Tar {nargs} värden men fick 1.",
    "Takes {nargs} values but {len} were given.": "Tar {nargs} värden men fick {len}.",
    "unknown error": "okänt fel",
}

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural_: str, n: int) -> str:
    return gettext(singular if n == 1 else plural_)


def install() -> None:
    """Give click's modules the Swedish catalogue (once; safe to call again)."""
    import importlib

    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    import click

    for kind, word in ((click.types.IntParamType, "heltal"), (click.types.IntRange, "heltal"),
                       (click.types.FloatParamType, "decimaltal"), (click.types.FloatRange, "decimaltal")):
        kind.name = word  # "'x' är inte ett giltigt heltal", not "integer range"
    for error in (click.exceptions.ClickException, click.exceptions.UsageError):  # each has its own show()
        if not getattr(error.__dict__["show"], "redacts", False):
            error.show = _redacting(error.__dict__["show"])


def _redacting(show):
    """``show`` of a click error that never prints back a value typed on the command line."""
    def redacted(self, file=None):
        self.message = redact(self.message)
        show(self, file)

    redacted.redacts = True
    return redacted

