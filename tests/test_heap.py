"""The collector while a report is made (evaluation.run.heap)."""
from __future__ import annotations

import gc
import weakref

import pytest

from evaluation.run import heap


class Node:
    pass


def _cycle() -> weakref.ref:
    """A garbage cycle (only the cyclic collector frees it); a weak reference tells when it is gone."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_a_cycle_made_inside_lives_until_the_end_and_is_freed_there():
    with heap.paused():
        gone = _cycle()
        for _ in range(5000):  # enough new objects for several automatic collections
            _cycle()
        assert gone() is not None  # no collection ran inside
    assert gone() is None


def test_a_failing_block_still_collects_and_turns_the_collector_back_on():
    with pytest.raises(ZeroDivisionError):
        with heap.paused():
            gone = _cycle()
            1 / 0  # noqa: B018
    assert gone() is None
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with heap.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()



def test_a_batch_kernels_reset_frees_a_reports_cycles_and_sets_the_survivors_aside(tmp_path):
    import json

    from evaluation.run.kernel import WarmKernel

    probe = tmp_path / "probe.json"
    state = (f"import builtins, gc, json\njson.dump({{'cycle': builtins._probe() is not None, 'on': gc.isenabled(), "
             f"'frozen': gc.get_freeze_count()}}, open({str(probe)!r}, 'w'))")
    kernel = WarmKernel()
    try:
        kernel.reset()
        kernel.run("import builtins, gc, weakref\nclass Node: pass\na, b = Node(), Node()\na.other, b.other = b, a\n"
                   "builtins._probe = weakref.ref(a)\nbuiltins._kept = [[n] for n in range(1000)]\ndel a, b")
        kernel.run(state)
        during = json.loads(probe.read_text())
        kernel.reset()
        kernel.run(state)
        after = json.loads(probe.read_text())
    finally:
        kernel.shutdown()
    assert during["cycle"] is True and during["on"] is False  # no collection while a report is made
    assert after["cycle"] is False  # its cycle is collected at the reset
    assert after["on"] is False
    assert after["frozen"] >= during["frozen"] + 1001  # what outlives the report is set aside
