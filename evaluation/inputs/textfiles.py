"""Reading the evaluator's text files (YAML, Markdown), and where any input may be read from: the
half of reading input files that needs no table library.

Split from :mod:`evaluation.inputs.files` (the tables) so that loading a parameters file, which
reads YAML only, does not import pandas: the command of ``render --all`` took 0.94 → 0.57 CPU-s
when none of 48 reports had changed, and 0.78 → 0.38 for a batch of 6 (medians, interleaved).
"""
from __future__ import annotations

import contextlib
import contextvars
from pathlib import Path

from evaluation.core import fmt, pii
from evaluation.core.errors import InputError, Notice, os_reason
from evaluation.inputs import wordplaces
from evaluation.inputs.cells import composed
from evaluation.inputs.paths import real_path, unreachable

#: Largest YAML or Markdown file read (parameters, descriptions, texts, notes).
MAX_TEXT_BYTES = 2 * 1024 * 1024


_ROOTS: contextvars.ContextVar[tuple[Path, ...] | None] = contextvars.ContextVar("input_roots", default=None)


def confinement() -> tuple[Path, ...] | None:
    """The folders files are read from now (:func:`confined`); ``None`` outside any such block."""
    return _ROOTS.get()


@contextlib.contextmanager
def confined(*roots: Path):
    """Inside this block, files are read only when they lie (after following links) in ``roots``.

    Outside any such block a file must lie in its own folder: a link may point to a file
    beside it, never elsewhere.
    """
    token = _ROOTS.set(tuple(real_path(r) for r in roots))
    try:
        yield
    finally:
        _ROOTS.reset(token)


def check_readable(path: Path, limit: int, kind: str) -> None:
    """Refuse a file outside the allowed folders or larger than ``limit`` bytes."""
    roots = _ROOTS.get()
    allowed = roots if roots is not None else (real_path(path.absolute().parent),)
    real = real_path(path)
    if not any(real == root or real.is_relative_to(root) for root in allowed):
        folders = " och ".join(str(r) for r in allowed)
        raise InputError(
            f"{path}: filen leder ut ur {folders} (via en symbolisk länk eller '..'). Indata läses "
            "bara från parameterfilens datamapp och omvärldsbiblioteket: kopiera in filen i stället "
            "för att länka till den."
        )
    size = real.stat().st_size
    if size > limit:
        raise InputError(
            f"{path}: filen är {size / 1024 / 1024:.0f} MB, men {kind} får vara högst "
            f"{limit / 1024 / 1024:.0f} MB. Kontrollera att det är rätt fil, eller dela upp den."
        )


def read_text(path: Path) -> str:
    """A UTF-8 text file (YAML or Markdown), within the allowed folders and the size limit."""
    path = Path(path)
    reason = unreachable(path)
    if reason:
        raise InputError(f"{path}: filen går inte att slå upp ({reason}). Kontrollera namnet.")
    if not path.is_file():
        raise InputError(f"{path}: filen finns inte. Kontrollera namnet och mappen.")
    check_readable(path, MAX_TEXT_BYTES, "en textfil (YAML eller Markdown)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: filen är inte sparad som UTF-8. Spara den som UTF-8 (i Anteckningar: "
                         "Spara som → Kodning UTF-8) och kör igen.") from None
    except OSError as exc:
        raise InputError(f"{path}: filen kan inte läsas ({os_reason(exc)}).") from None
    text = composed(text)
    check_personal_text(path, text)
    return text


#: Folders whose texts are about other people (informants, respondents): an e-mail address or
#: phone number there is refused, as a personnummer is everywhere.
STRICT_FOLDERS = ("intervjuer", "enkater")
_LISTED_LINES = 10


def check_personal_text(path: Path, text: str, lines: bool = True, title: int = 0) -> None:
    """Refuse or warn about personal data in a text input (YAML, Markdown, Word, alt texts).

    Every reader of text calls this on what it read (:func:`read_text` does for YAML and
    Markdown; a reader of another format passes its text). The whole text is scanned, so YAML
    keys and values, front matter, body and image alt texts are all covered.

    - A personnummer or samordningsnummer (any check digit) is refused everywhere.
    - An e-mail address or phone number is refused in :data:`STRICT_FOLDERS` (interview notes
      and quotes, survey descriptions and answers); elsewhere (the evaluator's texts, the
      organisation, parameters, goals, matrices, omvärld) it is a notice naming file and line:
      it may be the evaluator's own contact details.

    The value is never part of the message. ``lines=False`` for a text converted from a file that
    has no lines the evaluator can go to (a Word text): a refusal or warning names the heading and
    paragraph instead (:func:`evaluation.inputs.wordplaces.word_place`).
    """
    hits = pii.text_hits(text)
    if not hits:
        return
    strict = any(part in STRICT_FOLDERS for part in Path(path).parts)
    refused = [(line, kind) for line, kind in hits if kind == pii.PNR or strict]
    if refused:
        refused = list(dict.fromkeys(refused))
        more = len(refused) - _LISTED_LINES  # counted, not placed (a place is looked up from the top)
        refused = refused[:_LISTED_LINES]
        mobile = pii.mobile_shaped(text)
        dated, compact = pii.date_shaped(text), pii.compact_dated(text) - mobile
        said = [(f"rad {line}: " if lines else f"{wordplaces.word_place(text, line, kind, title)}: ")
                + f"något som ser ut som {pii.with_article(kind)}"
                + ((" eller ett mobilnummer, som också stoppas här" if strict  # a phone is refused in strict folders too
                    else " (är det ett mobilnummer, skriv det med mellanrum: 070-nnn nn nn)")
                   if line in mobile and kind == pii.PNR else "")
                + (" (är det ett datum och ett tal, skriv talet med mellanrum, som 1 234, eller ett ord emellan)"
                   if line in dated and kind == pii.PNR else "")
                + (" (är det ett datum med ett klockslag eller löpnummer efter, som i ett filnamn eller ett ärendenummer, "
                   "skriv om det, t.ex. 2024-03-12 kl. 14.30)" if line in compact - dated and kind == pii.PNR else "")
                for line, kind in refused]
        from evaluation.core.errors import cut_list
        raise InputError(
            f"{path}: filen innehåller personuppgifter (värdena visas inte): "
            f"{cut_list(said + [''] * max(more, 0), _LISTED_LINES, '; ')}. "
            + ("Är det ingen personuppgift, skriv om det som rådet inom parentes säger. Är det en: " if any(
                "(är det" in x for x in said) else "Indata ska vara pseudonymiserade: ")
            + "ta bort uppgiften eller ersätt personen med en kod eller en roll (t.ex. 'handläggare A')."
        )
    from evaluation.core.collector import note
    hits = list(dict.fromkeys(hits))
    shown = hits[:_LISTED_LINES]  # a text of thousands is said in a few lines, the rest counted
    places = {hit: "" if lines else f"{wordplaces.word_place(text, *hit, title)}: " for hit in shown}  # Word: no lines
    note(*(Notice(path, line if lines else None, (
        f"{places[line, kind]}texten innehåller något som ser ut som {pii.with_article(kind)} (visas inte här). Om det "
        "är dina egna kontaktuppgifter som utvärderare kan det stå kvar; gäller det någon annan, ta bort det."
    )) for line, kind in shown))
    if len(hits) > len(shown):
        kinds = fmt.swedish_list(sorted({pii.with_article(kind) for _, kind in hits[len(shown):]}))
        note(Notice(path, None, f"… och {fmt.number(len(hits) - len(shown))} ställen till i texten med {kinds} "
                                "(visas inte här; de första står ovan)."))


def text_read(path: Path, text: str, lines: bool = True, title: int = 0) -> str:
    """The one point every text read from an input passes (YAML, Markdown, a Word text as
    Markdown, survey headers): checks of the text as a whole belong here (personal data).
    ``lines=False``: the text has no lines of the evaluator's (a Word text converted), whose
    first ``title`` lines are its title lines (:func:`evaluation.inputs.wordplaces.word_place`)."""
    text = composed(text)
    check_personal_text(path, text, lines, title)
    return text

