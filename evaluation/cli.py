"""Command line: ``evaluation render | validate | demo``.

The only place where errors become messages and exit codes: 0 all rendered, 1 any report or
validation failed, 2 wrong usage (click's own code).
"""
from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click
from tqdm import tqdm

from . import render as _render
from .errors import EvaluationError

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
@click.pass_context
def validate(ctx: click.Context, params: tuple[Path, ...]) -> None:
    """Check parameter files and all their inputs without writing anything."""
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
