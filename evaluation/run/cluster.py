"""Many reports on a Dask distributed cluster (``evaluation render --all --scheduler``).

Each report runs on a Dask worker, on a warm kernel of that worker's process, into a temporary
folder; its files come back here and are published by this process, as a local batch's are
(:mod:`evaluation.run.batch`).
"""
from __future__ import annotations

import time
from pathlib import Path

from evaluation.core.errors import EvaluationError, RenderError
from evaluation.run.jobs import Job, Outcome

_KERNEL = None


def work(job: Job, formats, template: Path | None = None, strict: bool = False) -> tuple[Outcome, dict[str, bytes]]:
    """On a Dask worker: render into a temporary folder and return the files (read from shared storage)."""
    import tempfile

    from evaluation.run.render import produce

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="evaluation-") as tmp:
        folder = Path(tmp)
        try:
            global _KERNEL
            if _KERNEL is None or not _KERNEL.alive:
                from evaluation.run.kernel import WarmKernel

                _KERNEL = WarmKernel()
            found = produce(job.params, folder, formats, kernel=_KERNEL, digest=job.digest, template=template,
                            strict=strict)
        except EvaluationError as exc:
            return Outcome(job.path, "fel", str(exc), time.perf_counter() - started), {}
        files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    return Outcome(job.path, "ok", seconds=time.perf_counter() - started, notices=found), files


def run(jobs: list[Job], out_dir: Path, formats, address: str, report, template: Path | None = None,
        strict: bool = False) -> None:
    """Render ``jobs`` on the cluster at ``address`` and publish each into ``out_dir`` as it comes
    back; ``report(outcome)`` is called after each (as :func:`evaluation.run.batch.run` does)."""
    from evaluation.renderers import FORMATS
    from evaluation.run import publish
    from evaluation.run.render import target_of

    try:
        from distributed import Client, as_completed
    except ImportError:
        raise RenderError("Dask är inte installerat: installera paketet med extra 'dask' "
                          "(pip install 'evaluation[dask]').") from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise RenderError(f"Kunde inte ansluta till Dask-schemaläggaren {address} ({exc}).") from None
    with client:
        futures = client.map(work, jobs, formats=formats, template=template, strict=strict, pure=False)
        by_key = {f.key: job for f, job in zip(futures, jobs)}
        for future in as_completed(futures):
            job = by_key[future.key]
            try:
                outcome, files = future.result()
            except Exception as exc:
                report(Outcome(job.path, "fel", f"{job.path}: Dask-arbetaren misslyckades ({type(exc).__name__}: {exc})."))
                continue
            if outcome.status == "ok":
                target = target_of(job.params, out_dir)
                with publish.staging(target) as folder:
                    for name, data in files.items():
                        (folder / name).parent.mkdir(parents=True, exist_ok=True)
                        (folder / name).write_bytes(data)
                    outcome.older = publish.swap_in(folder, target, keep=FORMATS.values())
                outcome.folder = target
            report(outcome)
