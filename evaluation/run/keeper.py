"""A kernel kept warm between commands: rendering one report again while writing starts no kernel.

``evaluation render`` of a single report (:func:`launch`) takes the kept kernel of this
installation when one runs and no other command holds it. Otherwise it starts one, kept:

- The kernel is a process of its own session. Its connection file is in
  ``~/.cache/evaluation/karnor/``, in a folder only the user can read.
- It stops itself after :data:`IDLE` seconds without a report, or when its file is removed.
  The file's time is touched at every use.
- A kernel of other code (the package changed, another Python) is never used: the file's
  name is a fingerprint of both.

Nothing of one report reaches the next, nor stays after the command: the namespace is reset
when a report is done and again before every report, as in a batch (:mod:`evaluation.run.kernel`).
Ctrl-C, a kernel that does not answer, or a report that stops it end the kernel for good.
``EVALUATION_VARM_KARNA=0`` turns keeping off: then every command starts and stops its own
kernel (the tests run so). ``EVALUATION_VARM_SEKUNDER`` sets :data:`IDLE`.
"""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from evaluation.run.kernel import KernelDied, WarmKernel, attached_manager, client_manager, process_alive

#: Seconds a kept kernel waits for its next report before it stops.
IDLE = 600
SWITCH, SECONDS = "EVALUATION_VARM_KARNA", "EVALUATION_VARM_SEKUNDER"


def enabled() -> bool:
    """Keeping is on unless ``EVALUATION_VARM_KARNA=0``, on Linux (a kept kernel is found again
    by its process in ``/proc``; elsewhere every command starts and stops its own)."""
    return sys.platform.startswith("linux") and os.environ.get(SWITCH, "1") != "0"


def idle_seconds() -> float:
    try:
        return max(1.0, float(os.environ.get(SECONDS, IDLE)))
    except ValueError:
        return float(IDLE)


def folder() -> Path:
    """Where kept kernels leave their connection files (made readable by the user only)."""
    from evaluation.core import usercache

    return usercache.folder("karnor", private=True)


def fingerprint() -> str:
    """This Python and this package's code (its modules and templates, by time and size)."""
    import evaluation

    root = Path(evaluation.__file__).parent
    digest = hashlib.sha256(sys.executable.encode())
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".j2")):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}:{stat.st_mtime_ns}:{stat.st_size};".encode())
    return digest.hexdigest()[:16]


def _pid(path: Path) -> int | None:
    """The kernel's process id, when it still runs a kernel."""
    try:
        pid = int(path.read_text(encoding="ascii"))
        with open(f"/proc/{pid}/cmdline", "rb") as command:
            return pid if b"ipykernel" in command.read() and process_alive(pid) else None
    except (OSError, ValueError):
        return None


def _remove(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:
            pass


class KeptKernel(WarmKernel):
    """A kernel that outlives the command: attached to when it runs, started kept when not."""

    def __init__(self, where: Path, key: str, lock, timeout: float = 120):
        self.timeout, self.client, self._lock = timeout, None, lock
        self.connection, self.pid_file = where / f"{key}.json", where / f"{key}.pid"
        pid = _pid(self.pid_file)
        try:
            if pid is None:
                raise OSError("no kernel runs")
            # a missing or damaged connection file raises: a new kernel then
            self.km, self.warmed = attached_manager(str(self.connection), pid), True
        except Exception:  # noqa: BLE001 - whatever is wrong with the kept one, a new one replaces it
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
            self._start()
        os.utime(self.connection)  # in use now: its idle time starts again

    def _start(self) -> None:
        _remove(self.connection, self.pid_file)  # of a kernel that died (out of memory, a restart)
        self.km = client_manager()(kernel_name="python3", connection_file=str(self.connection))
        self.warmed = False
        # independent: no parent polling, so it stays when the command ends; no standard streams of
        # the command (a pipe it writes into would stay open until the kernel stops); a working
        # folder that stays (reports name their files by whole paths)
        self._start_process(independent=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=str(self.connection.parent))
        # whole or not at all: another command (or a test) reading it meanwhile never sees it empty
        written = self.pid_file.with_suffix(".pid.tmp")
        written.write_text(str(self.km.provisioner.process.pid), encoding="ascii")
        os.replace(written, self.pid_file)

    def warm(self) -> None:
        if self.client is not None:
            return
        if not self._connect(5 if self.warmed else self.timeout):
            if not self.warmed:
                self.shutdown()
                raise KernelDied("Kärnan startade inte.")
            self.client.stop_channels()  # it stopped itself just now (idle), or hangs: a new one
            self.client = None
            self._kill()
            self._start()
            return self.warm()
        if not self.warmed:  # a new kept kernel: it watches its own idle time from now on
            self.run(f"import evaluation.run.keeper\nevaluation.run.keeper.watch({str(self.connection)!r}, "
                     f"{str(self.pid_file)!r}, {idle_seconds()!r})")
            self.warmed = True

    def release(self) -> None:
        """Done with a report: its variables are forgotten now (not only before the next report),
        and the kernel stays for the next command."""
        if self.client is not None:
            try:
                self.reset()
            except Exception:  # noqa: BLE001 - it does not answer: not worth keeping
                self.shutdown()
                return
            self.client.stop_channels()
            self.client = None
        try:
            os.utime(self.connection)
        except OSError:
            pass
        self._unlock()

    def shutdown(self) -> None:
        """Stop the kernel for good (Ctrl-C, or it failed): the next command starts a new one."""
        if self.client is not None:
            self.client.stop_channels()
            self.client = None
        self._kill()
        self._unlock()

    def _kill(self) -> None:
        pid = _pid(self.pid_file) or getattr(getattr(self.km.provisioner, "process", None), "pid", None)
        if pid is not None and process_alive(pid):
            os.kill(pid, signal.SIGKILL)
        _remove(self.connection, self.pid_file)

    def _unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing the file releases its lock
            self._lock = None


def _kept() -> KeptKernel | None:
    import fcntl

    try:
        where, key = folder(), fingerprint()
        lock = open(where / f"{key}.las", "w")
    except OSError:  # no cache folder to write: keep nothing
        return None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # another command renders on it now
        lock.close()
        return None
    try:
        return KeptKernel(where, key, lock)
    except BaseException:
        lock.close()
        raise


def launch() -> WarmKernel | None:
    """The kernel for a command that renders one report, started (or found) before anything
    else loads: the kept one (:class:`KeptKernel`), or one of its own when keeping is off or
    another command holds the kept one. ``None`` when none can start: starting one again
    later says why."""
    try:
        kept = _kept() if enabled() else None
        return kept if kept is not None else WarmKernel(warm=False)
    except KernelDied:
        return None


def watch(connection: str, pid_file: str, idle: float) -> None:
    """In the kept kernel: stop it when its connection file has not been touched for ``idle``
    seconds, or is gone (removing both files)."""
    import threading

    def loop() -> None:
        while True:
            time.sleep(min(idle / 4, 5.0))
            try:
                quiet = time.time() - os.stat(connection).st_mtime
            except OSError:
                quiet = None
            if quiet is None or quiet > idle:
                _remove(Path(connection), Path(pid_file))
                os._exit(0)

    threading.Thread(target=loop, name="evaluation-vila", daemon=True).start()


def stop_all(where: Path | None = None) -> tuple[int, int]:
    """Stop every kept kernel (of any code) in ``where`` that no command renders on now;
    return how many were stopped and how many were left because a command is using them."""
    import fcntl

    where = where or folder()
    stopped = busy = 0
    for pid_file in sorted(where.glob("*.pid")):
        with open(pid_file.with_suffix(".las"), "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # a render is running on it: let it finish
                busy += 1
                continue
            pid = _pid(pid_file)
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
                stopped += 1
            _remove(pid_file, pid_file.with_suffix(".json"))
    return stopped, busy
