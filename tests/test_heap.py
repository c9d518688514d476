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
