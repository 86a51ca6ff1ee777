"""Process tuning (ui/process.py): applied once, and it leaves the collector on."""

from __future__ import annotations

import gc

from ui import process


def test_tune_freezes_the_startup_heap_and_makes_full_collections_rarer():
    process.tune()
    assert gc.isenabled()
    assert gc.get_threshold() == process.GC_THRESHOLDS
    assert gc.get_threshold()[2] > 10  # rarer full collections than CPython's default
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # modules, classes and Altair's schema no longer walked by every full collection
    process.tune()  # again (every rerun calls it): nothing more is frozen
    assert gc.get_freeze_count() == frozen
    cycle = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1  # new cyclic garbage is still collected
