"""The background import tasks pause Python's cycle collector, and always turn it back on."""

from __future__ import annotations

import gc

import pytest

from compliance.jobs.imports import _collector_paused


def test_overlapping_pauses_turn_the_collector_back_on_when_the_last_one_ends():
    assert gc.isenabled()
    with _collector_paused():
        assert not gc.isenabled()
        with pytest.raises(RuntimeError), _collector_paused():
            raise RuntimeError("a task failed")  # a failing task still ends its pause
        assert not gc.isenabled(), "the other task is still running"
    assert gc.isenabled()


def test_a_collector_someone_else_turned_off_stays_off():
    gc.disable()
    try:
        with _collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
