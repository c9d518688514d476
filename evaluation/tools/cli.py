"""Command line: ``evaluation render | validate | demo | new | template | overview``, all in Swedish.

The only place where errors become messages and exit codes: 0 all went well, 1 any report
or validation failed, 2 wrong usage (click's own code). Heavy modules load only when there is
work, so a batch where nothing changed answers quickly.

Longer than 400 lines: one function per command, each with the options click declares above it
and the Swedish it prints; what a command does lives in :mod:`evaluation.run` and the tools.
"""
from __future__ import annotations

import os
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path

import click

from evaluation.core import pii
from evaluation.core.errors import EvaluationError, os_reason
from evaluation.core.vocab import REPORT_TYPES
from evaluation.core.fmt import plural
from evaluation.inputs.paths import named_but_no_file, not_a_file, real_path, unreachable
from evaluation.tools.cli_swedish import install as _swedish_click
from evaluation.tools.exitcodes import INTERRUPTED
from evaluation.tools.progress import run_with_progress, warn

_swedish_click()  # before the commands below are declared: click names some metavars then

DEMO_PARAMS = Path(__file__).resolve().parents[1] / "demo" / "params"
ALL_FORMATS = ("html", "docx", "pdf", "xlsx")


def _fail(exc: BaseException, debug: bool) -> None:
    if debug:
        traceback.print_exception(exc)
    if isinstance(exc, EvaluationError):
        click.secho("Fel: ", fg="red", err=True, nl=False)
        click.echo(str(exc), err=True)
    else:
        click.secho("Oväntat fel: ", fg="red", err=True, nl=False)
        click.echo(f"{type(exc).__name__}: {exc}. Kör igen med --debug och rapportera felet.", err=True)


def _formats(value: str | None) -> tuple[str, ...]:
    from evaluation.renderers import FORMATS

    if value is None:
        return tuple(FORMATS)
    asked = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [f for f in asked if f not in ALL_FORMATS]
    if unknown or not asked:
        raise click.BadParameter(f"okänt format {', '.join(unknown) or '(inget)'}; välj bland {', '.join(ALL_FORMATS)}.")
    missing = [f for f in asked if f not in FORMATS]
    if missing:
        raise click.BadParameter(f"formatet {', '.join(missing)} finns inte i den här versionen.")
    return asked


def _reachable(path: Path, param: click.Parameter) -> None:
    """A path the system can look up: a name too long for it is refused, said so."""
    reason = unreachable(path)
    if reason:
        raise click.BadParameter(f"sökvägen {pii.quote(str(path))} går inte att slå upp ({reason}); ange en kortare.",
                                 param_hint=param.opts[0])


def _lookup(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    """A path option the system can look up (:func:`_reachable`)."""
    _reachable(value, param)
    return value


def _folder(ctx: click.Context, param: click.Parameter, value: str) -> Path:
    """A folder option (``--out``, ``--params-dir``): never empty (an unset variable in a script
    would otherwise mean the current folder) and never a file.

    >>> _folder(None, click.Option(["--out"], default="output"), "rapporter")
    PosixPath('rapporter')
    """
    if not value.strip():
        raise click.BadParameter(f"värdet är tomt; ange en mapp, till exempel {param.default}.", param_hint=param.opts[0])
    path = Path(value)
    _reachable(path, param)
    if path.is_file():
        raise click.BadParameter(f"{path} är en fil, inte en mapp: ange en mapp.", param_hint=param.opts[0])
    if named_but_no_file(path) and not path.is_dir():
        raise click.BadParameter(f"{path} finns, men är {not_a_file(path)}: ange en mapp.", param_hint=param.opts[0])
    return path


def _workbook(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """A workbook to write (``template --out``, ``validate --rapport``): never empty, never a folder,
    and ending in .xlsx.

    >>> _workbook(None, click.Option(["--out"]), "mall.xlsx")
    PosixPath('mall.xlsx')
    """
    if value is None:
        return None
    hint = param.opts[0]
    if not value.strip():
        example = "problem.xlsx" if param.name == "rapport" else "mall.xlsx"
        raise click.BadParameter(f"värdet är tomt; ange en Excelfil, till exempel {example}.", param_hint=hint)
    path = Path(value)
    _reachable(path, param)
    if named_but_no_file(path):  # a folder, a looping link, or a pipe (writing to it would wait for ever)
        raise click.BadParameter(f"{path} finns, men är {not_a_file(path)}; ange en Excelfil (.xlsx) att skriva.",
                                 param_hint=hint)
    if path.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{path}: filen måste sluta på .xlsx.", param_hint=hint)
    return path


def _readable(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """A file to read (``--mall``) that is a plain file: reading a pipe would wait for ever."""
    if value is not None and named_but_no_file(value):
        raise click.BadParameter(f"{value} finns, men är {not_a_file(value)}; ange en Word-fil (.docx).",
                                 param_hint=param.opts[0])
    return value


def _once(paths) -> list[Path]:
    """Each parameters file once, in the order given: a file named twice (also by two paths to it)
    is run once, and that is said.

    >>> _once([Path("a.yaml"), Path("./a.yaml")])
    [PosixPath('a.yaml')]
    """
    named: dict[Path, list[Path]] = {}
    for path in paths:
        named.setdefault(real_path(path), []).append(Path(path))
    for first, *again in named.values():
        if again:
            click.echo(f"Obs: {first} angavs {len(again) + 1} gånger; den körs en gång.", err=True)
    return [first for first, *_ in named.values()]


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " s"


def _render_many(paths: list[Path], out: Path, formats, jobs: int | None, force: bool, scheduler: str | None,
                 debug: bool, template: Path | None = None, strict: bool = False) -> int:
    kernel = None
    try:
        if len(paths) == 1 and not scheduler:  # one report: its kernel starts (or is found) now
            from evaluation.run.keeper import launch

            kernel = launch()
        summary = run_with_progress(paths, out, formats, jobs, force, scheduler, template, strict, kernel)
    except KeyboardInterrupt:
        if kernel is not None:  # stopped for good, also when Ctrl-C came before the run began
            kernel.shutdown()
        click.echo("Avbrutet. Påbörjade rapporter skrevs inte; tidigare rapporter finns kvar.", err=True)
        return INTERRUPTED
    except EvaluationError as exc:
        _fail(exc, debug)
        return 1
    rendered = [o.seconds for o in summary.outcomes if o.status == "ok"]
    # Each report's own time: with several at once it is longer than the total divided by their number.
    per = f" (varje rapport tog i snitt {_seconds(sum(rendered) / len(rendered))})" if len(rendered) > 1 else ""
    warned = sum(len(o.notices) for o in summary.outcomes if o.status != "fel")
    warnings = f", {plural(warned, 'varning', 'varningar')}" if warned else ""
    done, same = summary.count("ok"), summary.count("oforandrad")
    click.echo(f"{plural(len(paths), 'rapport', 'rapporter')}: {plural(done, 'klar', 'klara')}, "
               f"{plural(same, 'oförändrad', 'oförändrade')}, "
               f"{summary.count('fel')} fel{warnings}, på {_seconds(summary.seconds)}{per}. "
               f"Index: {(Path(out) / 'index.html').resolve()}")
    return 1 if summary.failed else 0


class _Interruptible(click.Group):
    """The command group, Ctrl-C answered with "Avbrutet." and exit code 130 while the command line
    is read and while any command runs (click's own answer exits with 1, which reads as a failure);
    ``render`` says more itself (:func:`_render_many`)."""

    def make_context(self, *args, **kwargs):
        with _interrupted():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx):
        with _interrupted():
            return super().invoke(ctx)


@contextmanager
def _interrupted():
    try:
        yield
    except KeyboardInterrupt:
        click.echo("Avbrutet.", err=True)
        raise click.exceptions.Exit(INTERRUPTED) from None


@click.group(cls=_Interruptible, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Visa hela felspårningen vid fel (för utvecklare).")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Rapporter för utvärderare av Finsam-insatser."""
    ctx.obj = {"debug": debug}


_RENDER_OPTIONS = [
    click.option("--out", default="output", show_default=True, callback=_folder,
                 metavar="MAPP", help="Mapp för rapporterna."),
    click.option("--formats", "formats", default=None, metavar="html,docx,pdf,xlsx",
                 help="Format att skapa, kommaseparerade (standard: alla; CSV-tabellerna skapas alltid)."),
    click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, metavar="N",
                 help="Antal rapporter som körs samtidigt (standard: en per kärna)."),
    click.option("--force", is_flag=True, help="Skapa om även rapporter vars indata inte har ändrats."),
    click.option("--mall", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, metavar="FIL",
                 callback=_readable,
                 help="Egen Word-mall (.docx) med formatmallar, logga och sidhuvud (i stället för 'mall:')."),
    click.option("--strikt", "strict", is_flag=True,
                 help="Räkna varningar som fel: en rapport med varningar misslyckas och publiceras inte."),
]


def _render_options(func):
    for option in reversed(_RENDER_OPTIONS):
        func = option(func)
    return func


@main.command()
@click.argument("params", nargs=-1, type=click.Path(path_type=Path))
@click.option("--all", "render_all", is_flag=True, help="Skapa varje params/<insats>/<period>.yaml.")
@click.option("--params-dir", default="params", show_default=True, callback=_folder,
              metavar="MAPP", help="Där --all letar efter parameterfiler.")
@click.option("--scheduler", default=None, metavar="ADRESS",
              help="Skicka rapporterna till ett Dask-kluster (t.ex. tcp://10.0.0.5:8786).")
@_render_options
@click.pass_context
def render(ctx: click.Context, params: tuple[Path, ...], render_all: bool, params_dir: Path, scheduler: str | None,
           out: Path, formats: str | None, jobs: int | None, force: bool, mall: Path | None, strict: bool) -> None:
    """Skapa rapporten för PARAMS (en eller flera params/<insats>/<period>.yaml), eller --all."""
    if bool(params) == render_all:
        raise click.UsageError("ange antingen PARAMS-filer eller --all (inte båda).")
    asked = _formats(formats)
    if render_all:
        from evaluation.run.render import find_params

        try:
            paths = find_params(params_dir)
        except EvaluationError as exc:
            _fail(exc, ctx.obj["debug"])
            sys.exit(1)
        if not paths:
            click.echo(f"Fel: inga parameterfiler (<insats>/<period>.yaml) under {params_dir}.", err=True)
            sys.exit(1)
    else:
        paths = _once(params)
    _check_template(mall, strict, ctx.obj["debug"])
    sys.exit(_render_many(paths, out, asked, jobs, force, scheduler, ctx.obj["debug"], mall, strict))


def _check_template(mall: Path | None, strict: bool, debug: bool) -> None:
    """``--mall``: a .docx without personal data in its headers and footers (its notices printed)."""
    if mall is None:
        return
    if mall.suffix.lower() != ".docx":
        raise click.BadParameter(f"{mall}: Word-mallen måste vara en .docx-fil.", param_hint="--mall")
    from evaluation.run.render import template_notices

    try:
        warn(template_notices(mall, strict))
    except EvaluationError as exc:
        _fail(exc, debug)
        sys.exit(1)


@main.command()
@click.argument("params", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rapport", callback=_workbook, metavar="FIL",
              help="Skriv alla problem (fil, rad, kolumn, värde, vad som är tillåtet) till den här "
                   "Excelfilen (.xlsx), som kan skickas till insatsen.")
@click.option("--strikt", "strict", is_flag=True, help="Räkna varningar som fel (slutkod 1).")
@click.pass_context
def validate(ctx: click.Context, params: tuple[Path, ...], rapport: Path | None, strict: bool) -> None:
    """Kontrollera parameterfiler och all deras indata, utan att skriva något.

    Varningar (indata som inte används, okända kolumner, små antal utan min_cell, ...) skrivs
    ut men stoppar inget, utom med --strikt.
    """
    from evaluation.run import render as _render
    from evaluation.core.errors import strict_error

    if rapport is not None:
        sys.exit(_problem_report(tuple(_once(params)), rapport))
    failed = 0
    for path in _once(params):
        try:
            report = _render.validate(path)
            found = _render.validation_notices(report)
            if strict and found:
                raise strict_error(path, found)
            warned = f", {plural(len(found), 'varning', 'varningar')}" if found else ""
            click.echo(f"OK   {path}: {len(report.sections)} avsnitt, "
                       f"{plural(len(report.tables), 'tabell', 'tabeller')}{warned}.")
            absent = _render.absent_sections(report)
            if absent:
                click.echo(f"     Inte med, underlaget saknas: {absent}.")
            warn(found)
        except Exception as exc:
            failed += 1
            _fail(exc, ctx.obj["debug"])
    sys.exit(1 if failed else 0)


@main.command()
@_render_options
@click.pass_context
def demo(ctx: click.Context, out: Path, formats: str | None, jobs: int | None, force: bool, mall: Path | None,
         strict: bool) -> None:
    """Skapa alla rapporter i den inbyggda demon (i en egen mapp: demo i --out, alltså output/demo)."""
    from evaluation.run.render import find_params

    _check_template(mall, strict, ctx.obj["debug"])
    sys.exit(_render_many(find_params(DEMO_PARAMS), out / "demo", _formats(formats), jobs, force, None,
                          ctx.obj["debug"], mall, strict))


def _problem_report(params: tuple[Path, ...], out: Path) -> int:
    """``validate --rapport``: every problem of every PARAMS file into one workbook."""
    from evaluation.tools import problems as _problems

    found = []
    for path in params:
        mine = _problems.collect(path)
        found += mine
        wrong = len(_problems.errors(mine))
        warned = f", {plural(len(mine) - wrong, 'varning', 'varningar')}" if len(mine) > wrong else ""
        click.echo(f"{'OK  ' if not wrong else 'FEL '} {pii.redact(str(path))}: {wrong} problem{warned}.")
    try:
        _problems.write(found, out, [str(p) for p in params])
    except OSError as exc:
        click.echo(f"Fel: kunde inte skriva {out} ({os_reason(exc)}).", err=True)
        return 1
    wrong = len(_problems.errors(found))
    if wrong:
        click.echo(f"{wrong} problem skrivna till {out}. Skicka filen till insatsen, rätta och kör igen.")
        return 1
    if found:
        click.echo(f"Inga problem som stoppar rapporten, men {plural(len(found), 'varning', 'varningar')} "
                   f"skrivna till {out}: läs dem.")
        return 0
    click.echo(f"Inga problem hittades. {out} skrevs ändå, som kvitto.")
    return 0


@main.command()
@click.argument("insats")
@click.option("--period", required=True, metavar="PERIOD",
              help="Perioden som START--SLUT, t.ex. 2024-01-01--2024-12-31, eller ett år, t.ex. 2024. "
                   "Blir parameterfilens namn.")
@click.option("--typ", type=click.Choice(list(REPORT_TYPES)), default="arsrapport", show_default=True,
              help="Rapporttyp.")
@click.option("--namn", default=None, metavar="NAMN", help="Insatsens namn som det visas i rapporten (förval: INSATS).")
@click.option("--forbund", default="", metavar="NAMN", help="Samordningsförbundets namn.")
@click.option("--params-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("params"), callback=_lookup,
              show_default=True, help="Mappen med parameterfiler.")
@click.option("--data-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("data"), callback=_lookup,
              show_default=True, help="Mappen med insatsernas underlag (ignoreras av git).")
def new(insats: str, period: str, typ: str, namn: str | None, forbund: str, params_dir: Path, data_dir: Path) -> None:
    """Starta en ny insats: parameterfil, registermall, textmallar och exempel.

    Skriver params/INSATS/<period>.yaml och datamappen data/INSATS/. Befintliga filer skrivs
    aldrig över.
    """
    from evaluation.tools import scaffold
    from evaluation.inputs.params import line_break_problem, slug_problem

    for hint, value in (("INSATS", insats), ("--namn", namn), ("--forbund", forbund)):
        kind = pii.value_kind(value or "")
        if kind:
            raise click.BadParameter(
                f"ser ut att innehålla {pii.with_article(kind)} (visas inte). Namnen blir mappnamn och syns i "
                "rapporten och indexet: välj ett utan personuppgifter, t.ex. framtiden.", param_hint=hint)
        problem = line_break_problem(value or "")  # as the parameters file would be refused
        if problem:
            raise click.BadParameter(f"{problem}.", param_hint=hint)
    problem = slug_problem(insats)  # the name of its folders: a final line break or 300 letters would not do
    if problem:
        raise click.BadParameter(f"{pii.quote(insats)} går inte: namnet {problem} (t.ex. framtiden).",
                                 param_hint="INSATS")
    try:
        scaffold.parse_period(period)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    try:
        done = scaffold.create(insats, period, typ, params_dir, data_dir, namn, forbund)
    except OSError as exc:
        click.echo(f"Fel: kunde inte skriva {exc.filename or ''} ({os_reason(exc)}).", err=True)
        sys.exit(1)
    examples = done.data / scaffold.EXAMPLES
    click.echo(f"Ny insats {insats}, period {period} ({typ}):")
    shown_examples = [p for p in done.written if examples in p.parents]
    for path in done.written:
        if path not in shown_examples:
            click.echo(f"  skapad       {path}")
    if shown_examples:
        click.echo(f"  skapad       {examples}/ ({plural(len(shown_examples), 'exempelfil', 'exempelfiler')}, "
                   "läses aldrig av verktyget)")
    for path in done.existed:
        click.echo(f"  fanns redan  {path} (orörd)")
    if not done.written:
        click.echo("Inget skrevs: allt fanns redan.")
    register = done.data / "deltagare.xlsx"
    steps = []
    if typ != "processkartlaggning":
        steps.append(f"Fyll i {register}: en rad per inskrivning (se bladet Instruktioner).")
    steps += [
        f"Skriv texterna i {done.data / 'texter'}/ och kopiera de exempel du behöver ur {examples}/.",
        f"Kontrollera: evaluation validate {done.params}",
        f"Ta fram rapporten: evaluation render {done.params}",
    ]
    click.echo("Nästa steg:")
    for number, step in enumerate(steps, start=1):
        click.echo(f"  {number}. {step}")


@main.command()
@click.argument("vad", type=click.Choice(["enkat", "register", "uppfoljning", "matningar"]))
@click.option("--out", required=True, callback=_workbook, metavar="FIL", help="Excelfilen som skrivs (.xlsx).")
@click.option("--fragor", type=click.Choice(["nns-avslut", "nns-pagaende"]), default="nns-avslut", show_default=True,
              help="Frågorna i enkätmallen (bara för enkat).")
@click.option("--skriv-over", is_flag=True, help="Skriv över --out om filen redan finns.")
def template(vad: str, out: Path, fragor: str, skriv_over: bool) -> None:
    """Skriv en Excelmall för dem som för insatsens data: register, uppfoljning, enkat eller matningar.

    Första bladet har kontraktets kolumnnamn, listor att välja ur och hjälptexter; andra bladet
    har instruktioner.
    """
    from evaluation.tools import workbooks

    if out.exists() and not skriv_over:
        click.echo(f"Fel: {out} finns redan och skrevs inte över. Välj ett annat namn eller ange --skriv-over.",
                   err=True)
        sys.exit(1)
    try:
        workbooks.write_template(vad, out, fragor)
    except OSError as exc:
        click.echo(f"Fel: kunde inte skriva {out} ({os_reason(exc)}).", err=True)
        sys.exit(1)
    click.echo(f"Mallen skrevs till {out}. Första bladet fylls i; bladet Instruktioner förklarar kolumnerna.")


@main.command()
@click.option("--params-dir", default="params", show_default=True, callback=_folder, metavar="MAPP",
              help="Mappen med insatsernas parameterfiler (<insats>/<period>.yaml).")
@click.option("--out", default="output", show_default=True, callback=_folder, metavar="MAPP",
              help="Mappen där oversikt/index.html och oversikt.xlsx skrivs.")
@click.option("--period", default=None, metavar="PERIOD",
              help="Perioden att visa, som parameterfilens namn utan .yaml (t.ex. 2024). "
                   "Förval: varje insats senaste period.")
@click.pass_context
def overview(ctx: click.Context, params_dir: Path, out: Path, period: str | None) -> None:
    """Översikt för förbundet: alla insatser sida vid sida (deltagare, resultat, mål, enkäter).

    Skriver OUT/oversikt/index.html och OUT/oversikt.xlsx. Rapporterna räknas fram här, utan
    anteckningsbok; röjandekontrollen (min_cell) gäller som i varje rapport.
    """
    from evaluation.analysis import overview as _overview

    try:
        built = _overview.build(params_dir, period, out=out)
        page, book = _overview.write(built, out)
    except EvaluationError as exc:
        _fail(exc, ctx.obj["debug"])
        sys.exit(1)
    except OSError as exc:
        click.echo(f"Fel: kunde inte skriva översikten i {out} ({os_reason(exc)}).", err=True)
        sys.exit(1)
    for report in built.reports:
        click.echo(f"MED        {report.params.namn} ({report.params.period_slug})")
    for name in built.missing:
        click.echo(f"SAKNAS     {name}: har ingen period {period}")
    for name, message in built.failed:
        click.secho("Fel: ", fg="red", err=True, nl=False)
        click.echo(f"{name}: {message}", err=True)
    click.echo(f"Översikt över {plural(len(built.reports), 'insats', 'insatser')}: {page.resolve()} och {book.resolve()}")
    sys.exit(1 if built.failed else 0)


# Usage lines in Swedish: "Användning: evaluation render [FLAGGOR] [PARAMS]...".
main.options_metavar = "[FLAGGOR]"
main.subcommand_metavar = "KOMMANDO [ARGUMENT]..."
for _command in main.commands.values():
    _command.options_metavar = "[FLAGGOR]"


@main.command()
def stop() -> None:
    """Stoppa kärnan som hålls varm mellan kommandon (annars stoppar den sig själv efter 10 minuter)."""
    from evaluation.run import keeper

    stopped, busy = keeper.stop_all()
    if stopped:
        click.echo(f"Stoppade {plural(stopped, 'kärna', 'kärnor')} som hölls {'varm' if stopped == 1 else 'varma'}.")
    elif not busy:
        click.echo("Ingen kärna hölls varm.")
    if busy:
        click.echo(f"{busy} {'kärna används' if busy == 1 else 'kärnor används'} av en rapport som skapas just nu "
                   "och stoppades inte. Kör 'evaluation stop' igen när den är klar.")


def entry() -> None:
    """The ``evaluation`` command: :func:`main`, then leave at once.

    When a command is done everything is written, closed and flushed; what remains is the
    interpreter's teardown of the pandas and matplotlib heaps, 0.2 s after every render. So the
    process ends here (``os._exit``) with the command's exit code, after its exit handlers
    (:mod:`atexit`): they remove what the command made in the temporary folder (WeasyPrint's
    fonts of a PDF written here, the batch's forkserver address), which was left behind. An
    unexpected exception still propagates with its traceback (``--debug``).
    """
    import atexit
    import os

    try:
        main()
    except SystemExit as exc:
        code = exc.code
        if isinstance(code, str):  # sys.exit("text"), as Python prints it
            print(code, file=sys.stderr)
            code = 1
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code or 0)
