"""The kernel kept warm between commands (evaluation.run.keeper), as the evaluator meets it:
``evaluation render`` of one report, again and again, in a real kernel."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evaluation.run import keeper
from evaluation.run.kernel import process_alive

pytestmark = pytest.mark.slow

DEMO = Path(__file__).resolve().parents[1] / "evaluation" / "demo"
BIN = Path(sys.executable).parent


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    """Keeping on, in a cache folder of this test; every kept kernel stopped afterwards."""
    monkeypatch.setenv(keeper.SWITCH, "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield tmp_path / "cache" / "evaluation" / "karnor"
    if (tmp_path / "cache").exists():
        keeper.stop_all(keeper.folder())


@pytest.fixture(scope="module")
def params(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    for part in ("data", "omvarld"):
        shutil.copytree(DEMO / part, root / part)
    path = root / "params" / "kartan" / "2025-h1.yaml"
    path.parent.mkdir(parents=True)
    shutil.copy(DEMO / "params" / "kartan" / "2025-h1.yaml", path)
    return path


def _render(params: Path, out: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "evaluation"), "render", str(params), "--out", str(out), "--formats", "html",
                           "--force"], capture_output=True, text=True, env={**os.environ, **env}, timeout=120)


def _kept_pid(cache: Path) -> int | None:
    files = list(cache.glob("*.pid"))
    return int(files[0].read_text()) if len(files) == 1 else None


def test_a_second_render_runs_on_the_kept_kernel_and_writes_the_same_report(cache, params, tmp_path):
    first = _render(params, tmp_path / "a")
    assert first.returncode == 0, first.stderr
    pid = _kept_pid(cache)
    assert pid is not None and process_alive(pid)
    assert oct((cache).stat().st_mode & 0o777) == oct(0o700)  # the connection file's folder: the user's only
    second = _render(params, tmp_path / "b")
    assert second.returncode == 0, second.stderr
    assert _kept_pid(cache) == pid and process_alive(pid)
    kept = keeper.launch()  # as the next command would: the same kernel, holding nothing of the report
    try:
        assert isinstance(kept, keeper.KeptKernel) and kept.km.attached_pid == pid
        kept.warm()
        kept.client.execute("", user_expressions={"left": "sorted(set(globals()) & {'report', 'params_path'})",
                                                  "history": "get_ipython().history_manager.enabled"})
        reply = kept.client.get_shell_msg(timeout=30)
        assert reply["content"]["user_expressions"]["left"]["data"]["text/plain"] == "[]"
        # and it keeps no record of the cells in the user's home (IPython's history database)
        assert reply["content"]["user_expressions"]["history"]["data"]["text/plain"] == "False"
    finally:
        kept.release()
    a, b = (tmp_path / side / "kartan" / "2025-h1" for side in ("a", "b"))
    names = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.suffix in (".html", ".csv"))
    assert "rapport.html" in names
    assert [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()] == []


def test_keeping_off_leaves_no_kernel(cache, params, tmp_path):
    done = _render(params, tmp_path / "out", **{keeper.SWITCH: "0"})
    assert done.returncode == 0, done.stderr
    assert not cache.exists() or not list(cache.glob("*.pid"))


def test_the_kept_kernel_stops_itself_when_idle(cache, params, tmp_path):
    done = _render(params, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    pid = _kept_pid(cache)
    assert pid is not None and process_alive(pid)
    connection = next(cache.glob("*.json"))
    long_ago = time.time() - keeper.IDLE - 60
    os.utime(connection, (long_ago, long_ago))  # as if the last report were eleven minutes ago
    deadline = time.time() + 30  # it looks every 5 s
    while process_alive(pid) and time.time() < deadline:
        time.sleep(0.5)
    assert not process_alive(pid)
    assert not list(cache.glob("*.json")) and not list(cache.glob("*.pid"))


def test_a_dead_or_damaged_kept_kernel_is_replaced(cache, params, tmp_path):
    assert _render(params, tmp_path / "a").returncode == 0
    pid = _kept_pid(cache)
    os.kill(pid, signal.SIGKILL)  # as the out-of-memory killer would
    done = _render(params, tmp_path / "b")
    assert done.returncode == 0, done.stderr
    second = _kept_pid(cache)
    assert second not in (None, pid)
    next(cache.glob("*.json")).write_text("{inte json", encoding="utf-8")  # a damaged connection file
    done = _render(params, tmp_path / "c")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert _kept_pid(cache) not in (None, second) and not process_alive(second)


def test_ctrl_c_stops_the_kept_kernel_and_writes_nothing(cache, params, tmp_path):
    out = tmp_path / "out"
    run = subprocess.Popen([str(BIN / "evaluation"), "render", str(params), "--out", str(out), "--force"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 60
    while _kept_pid(cache) is None and run.poll() is None and time.time() < deadline:
        time.sleep(0.1)
    pid = _kept_pid(cache)
    assert pid is not None
    os.killpg(run.pid, signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130 and "Avbrutet" in err and "Traceback" not in err
    deadline = time.time() + 15
    while process_alive(pid) and time.time() < deadline:
        time.sleep(0.2)
    assert not process_alive(pid)
    assert not list(cache.glob("*.pid")) and not (out / "kartan" / "2025-h1").exists()


def test_a_busy_kept_kernel_is_not_shared_and_other_code_gets_its_own(cache, monkeypatch):
    first = keeper.launch()
    try:
        assert isinstance(first, keeper.KeptKernel)
        second = keeper.launch()  # another command while the first holds it: a kernel of its own
        assert not isinstance(second, keeper.KeptKernel)
        second.shutdown()
        first.warm()
        first.release()
        monkeypatch.setattr(keeper, "fingerprint", lambda: "annan-kod")  # the package changed
        other = keeper.launch()
        assert isinstance(other, keeper.KeptKernel) and other.connection.name == "annan-kod.json"
        other.shutdown()
        assert not other.connection.exists()
    finally:
        first.shutdown()


def test_evaluation_stop_stops_the_kept_kernel_but_not_one_in_use(cache):
    def stop() -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / "evaluation"), "stop"], capture_output=True, text=True, timeout=60,
                              env=dict(os.environ))

    nothing = stop()
    assert nothing.returncode == 0 and nothing.stdout.strip() == "Ingen kärna hölls varm."
    kept = keeper.launch()
    try:
        assert isinstance(kept, keeper.KeptKernel)
        kept.warm()
        pid = _kept_pid(cache)
        in_use = stop()  # this test holds it, as a render would
        assert in_use.returncode == 0 and "1 kärna används av en rapport som skapas just nu" in in_use.stdout
        assert process_alive(pid)
        kept.release()  # the render is done: the kernel is kept, and free
        assert process_alive(pid)
        done = stop()
        assert done.returncode == 0 and done.stdout.strip() == "Stoppade 1 kärna som hölls varm."
        deadline = time.time() + 10
        while process_alive(pid) and time.time() < deadline:
            time.sleep(0.1)
        assert not process_alive(pid)
        assert not list(cache.glob("*.json")) and not list(cache.glob("*.pid"))
    finally:
        kept.shutdown()
