"""Command line: ``evaluation render | validate | demo | new | template``.

The only place where errors become messages and exit codes: 0 all rendered, 1 any report or
validation failed, 2 wrong usage (click's own code).
"""
from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click
from tqdm import tqdm

from . import problems as _problems
from . import render as _render
from . import scaffold, workbooks
from .errors import EvaluationError
from .params import REPORT_TYPES, SLUG
from .surveys import BUILTIN_SETS

DEMO_PARAMS = Path(__file__).resolve().parent / "demo" / "params"


def _fail(exc: BaseException, debug: bool) -> None:
    if debug:
        traceback.print_exception(exc)
    click.secho("Fel: " if isinstance(exc, EvaluationError) else "Unexpected error: ", fg="red", err=True, nl=False)
    click.echo(str(exc) if isinstance(exc, EvaluationError) else
               f"{type(exc).__name__}: {exc}. Run again with --debug and report this.", err=True)


def _render_many(paths: list[Path], out: Path, debug: bool) -> int:
    failed = 0
    bar = tqdm(paths, desc="Rapporter", unit="rapport", disable=len(paths) < 2, file=sys.stderr)
    for path in bar:
        try:
            done = _render.render_report(path, out)
            tqdm.write(f"OK   {done.html}", file=sys.stdout)
        except Exception as exc:  # one failing report must not stop the others
            failed += 1
            _fail(exc, debug)
    index = (out / "index.html").resolve()
    click.echo(f"{len(paths) - failed} of {len(paths)} report(s) rendered. Index: {index}")
    return 1 if failed else 0


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback of errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Reports for evaluators of Finsam insatser."""
    ctx.obj = {"debug": debug}


@main.command()
@click.argument("params", required=False, type=click.Path(path_type=Path))
@click.option("--all", "render_all", is_flag=True, help="Render every params/<insats>/<period>.yaml.")
@click.option("--params-dir", type=click.Path(path_type=Path), default=Path("params"), show_default=True,
              help="Where --all looks for parameter files.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Output folder.")
@click.pass_context
def render(ctx: click.Context, params: Path | None, render_all: bool, params_dir: Path, out: Path) -> None:
    """Render the report of PARAMS (a params/<insats>/<period>.yaml file), or --all."""
    if bool(params) == render_all:
        raise click.UsageError("give either one PARAMS file or --all (not both).")
    if render_all:
        try:
            paths = _render.find_params(params_dir)
        except EvaluationError as exc:
            _fail(exc, ctx.obj["debug"])
            sys.exit(1)
        if not paths:
            click.echo(f"Fel: no parameter files (<insats>/<period>.yaml) under {params_dir}.", err=True)
            sys.exit(1)
    else:
        paths = [params]
    sys.exit(_render_many(paths, out, ctx.obj["debug"]))


@main.command()
@click.argument("params", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rapport", type=click.Path(path_type=Path, dir_okay=False),
              help="Skriv alla problem (fil, rad, kolumn, värde, vad som är tillåtet) till den här "
                   "Excelfilen (.xlsx), som kan skickas till insatsen.")
@click.pass_context
def validate(ctx: click.Context, params: tuple[Path, ...], rapport: Path | None) -> None:
    """Check parameter files and all their inputs without writing anything."""
    if rapport is not None:
        sys.exit(_problem_report(params, rapport))
    failed = 0
    for path in params:
        try:
            report = _render.validate(path)
            click.echo(f"OK   {path}: {len(report.sections)} section(s), {len(report.tables)} table(s).")
        except Exception as exc:
            failed += 1
            _fail(exc, ctx.obj["debug"])
    sys.exit(1 if failed else 0)


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True)
@click.pass_context
def demo(ctx: click.Context, out: Path) -> None:
    """Render every report of the built-in demo."""
    sys.exit(_render_many(_render.find_params(DEMO_PARAMS), out, ctx.obj["debug"]))


def _problem_report(params: tuple[Path, ...], out: Path) -> int:
    """``validate --rapport``: every problem of every PARAMS file into one workbook."""
    if out.suffix.lower() != ".xlsx":
        raise click.UsageError(f"--rapport {out}: filen måste sluta på .xlsx.")
    found = []
    for path in params:
        mine = _problems.collect(path)
        found += mine
        click.echo(f"{'OK  ' if not mine else 'FEL '} {path}: {len(mine)} problem.")
    try:
        _problems.write(found, out, [str(p) for p in params])
    except OSError as exc:
        click.echo(f"Fel: kunde inte skriva {out} ({exc.strerror or exc}).", err=True)
        return 1
    if found:
        click.echo(f"{len(found)} problem skrivna till {out}. Skicka filen till insatsen, rätta och kör igen.")
        return 1
    click.echo(f"Inga problem hittades. {out} skrevs ändå, som kvitto.")
    return 0


@main.command()
@click.argument("insats")
@click.option("--period", required=True,
              help="Perioden som START--SLUT, t.ex. 2024-01-01--2024-12-31, eller ett år, t.ex. 2024. "
                   "Blir parameterfilens namn.")
@click.option("--typ", type=click.Choice(REPORT_TYPES), default="arsrapport", show_default=True,
              help="Rapporttyp.")
@click.option("--namn", default=None, help="Insatsens namn som det visas i rapporten (förval: INSATS).")
@click.option("--forbund", default="", help="Samordningsförbundets namn.")
@click.option("--params-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("params"),
              show_default=True, help="Mappen med parameterfiler.")
@click.option("--data-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("data"),
              show_default=True, help="Mappen med insatsernas underlag (ignoreras av git).")
def new(insats: str, period: str, typ: str, namn: str | None, forbund: str, params_dir: Path, data_dir: Path) -> None:
    """Starta en ny insats: parameterfil, registermall, textmallar och exempel.

    Skriver params/INSATS/<period>.yaml och datamappen data/INSATS/. Befintliga filer skrivs
    aldrig över.
    """
    if not SLUG.match(insats):
        raise click.BadParameter(
            f"'{insats}' går inte: använd bara små bokstäver a–z, siffror och bindestreck, t.ex. framtiden.",
            param_hint="INSATS")
    try:
        scaffold.parse_period(period)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
    try:
        done = scaffold.create(insats, period, typ, params_dir, data_dir, namn, forbund)
    except OSError as exc:
        click.echo(f"Fel: kunde inte skriva {exc.filename or ''} ({exc.strerror or exc}).", err=True)
        sys.exit(1)
    examples = done.data / scaffold.EXAMPLES
    click.echo(f"Ny insats {insats}, period {period} ({typ}):")
    shown_examples = [p for p in done.written if examples in p.parents]
    for path in done.written:
        if path not in shown_examples:
            click.echo(f"  skapad       {path}")
    if shown_examples:
        click.echo(f"  skapad       {examples}/ ({len(shown_examples)} exempelfiler, läses aldrig av verktyget)")
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
@click.argument("vad", type=click.Choice(sorted(workbooks.TEMPLATES)))
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Excelfilen som skrivs (.xlsx).")
@click.option("--fragor", type=click.Choice(sorted(BUILTIN_SETS)), default="nns-avslut", show_default=True,
              help="Frågorna i enkätmallen (bara för enkat).")
@click.option("--skriv-over", is_flag=True, help="Skriv över --out om filen redan finns.")
def template(vad: str, out: Path, fragor: str, skriv_over: bool) -> None:
    """Skriv en Excelmall för dem som för insatsens data: register, uppfoljning eller enkat.

    Första bladet har kontraktets kolumnnamn, listor att välja ur och hjälptexter; andra bladet
    har instruktioner.
    """
    if out.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{out}: filen måste sluta på .xlsx.", param_hint="--out")
    if out.exists() and not skriv_over:
        click.echo(f"Fel: {out} finns redan och skrevs inte över. Välj ett annat namn eller ange --skriv-over.",
                   err=True)
        sys.exit(1)
    try:
        workbooks.write_template(vad, out, fragor)
    except OSError as exc:
        click.echo(f"Fel: kunde inte skriva {out} ({exc.strerror or exc}).", err=True)
        sys.exit(1)
    click.echo(f"Mallen skrevs till {out}. Första bladet fylls i; bladet Instruktioner förklarar kolumnerna.")
