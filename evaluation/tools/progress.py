"""What a render prints while it runs: a progress bar over the reports, a line per report
(``KLAR``, ``OFÖRÄNDRAD``, ``FEL`` with the parameters file when there are several) and the
warnings and errors, in Swedish, for the command line."""
from __future__ import annotations

import sys

import click

from evaluation.core.pii import redact


def warn(notices) -> None:
    """Print warnings (notices), one a line, on stderr: ``Varning: <fil>, rad N: ...``."""
    for notice in notices:
        click.secho("Varning: ", fg="yellow", err=True, nl=False)
        click.echo(notice.describe().removeprefix("Varning: "), err=True)


def older_line(names) -> str:
    """The line under ``KLAR`` for files of other formats kept from an earlier run."""
    listed = ", ".join(names)
    return (f"Ligger kvar från en tidigare körning och är äldre än den här rapporten: {listed}. "
            "De kan vara inaktuella; kör utan --formats för att göra om dem.")


def run_with_progress(paths, out, formats, jobs, force, scheduler, template, strict, kernel):
    """:func:`evaluation.run.batch.run` with a progress bar and a line per report."""
    from tqdm import tqdm

    from evaluation.run import batch

    labels = {"ok": "KLAR", "oforandrad": "OFÖRÄNDRAD", "fel": "FEL"}
    counts = {"ok": 0, "oforandrad": 0, "fel": 0}
    # no bar where no one watches it (a log file, a scheduled run): its redrawn lines would fill the log
    shown = len(paths) > 1 and sys.stderr.isatty()
    with tqdm(total=len(paths), desc="Rapporter", unit="rapport", disable=not shown, file=sys.stderr) as bar:

        def progress(outcome) -> None:
            counts[outcome.status] += 1
            bar.set_postfix_str(f"klara {counts['ok']}, oförändrade {counts['oforandrad']}, fel {counts['fel']}")
            bar.update(1)
            if outcome.status == "fel":
                if len(paths) > 1:  # which report: its message names the input that failed, not the report
                    tqdm.write(f"{labels['fel']:<11}{redact(str(outcome.path))}", file=sys.stdout)  # a name may hold a pnr
                bar.clear()
                click.secho("Fel: ", fg="red", err=True, nl=False)
                click.echo(outcome.message, err=True)
            else:
                where = outcome.folder / "rapport.html" if outcome.folder else outcome.path
                tqdm.write(f"{labels[outcome.status]:<11}{where}", file=sys.stdout)
                if outcome.status == "ok" and outcome.older:
                    tqdm.write(f"{'':<11}{older_line(outcome.older)}", file=sys.stdout)
                if outcome.notices:
                    bar.clear()
                    warn(outcome.notices)

        return batch.run(paths, out, formats, jobs=jobs, force=force, scheduler=scheduler, progress=progress,
                         template=template, strict=strict, kernel=kernel)
