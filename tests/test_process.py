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


def test_page_slots_let_at_most_a_few_page_runs_in_at_once():
    import threading
    import time

    inside, peak, lock = [0], [0], threading.Lock()

    def page_run():
        with process.page_slot():
            with lock:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            time.sleep(0.05)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=page_run) for _ in range(process.PAGE_SLOTS * 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert peak[0] == process.PAGE_SLOTS and inside[0] == 0


def test_a_page_that_fails_gives_its_slot_back():
    for _ in range(process.PAGE_SLOTS + 1):
        try:
            with process.page_slot():
                raise RuntimeError("st.stop / st.switch_page end a page by raising")
        except RuntimeError:
            pass
    with process.page_slot():  # would block forever if a slot had leaked
        pass
