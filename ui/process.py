"""Process-wide tuning for a hall full of phones, applied once by app.py.

Python's full garbage collection stops every thread of the process while it walks all tracked
objects. In one Streamlit process with 400 participants it ran every ~15 s and took 250–580 ms
(measured with a gc callback during `python -m bench.load`): every tap in flight waited that long.
Two changes, both from the standard library:

- ``gc.freeze()`` once the app's modules are imported: the objects that live as long as the process
  (modules, classes, the content, Altair's schema) move to a permanent generation that later
  collections skip;
- a full collection only after 100 younger ones instead of 10 (``gc.set_threshold``): short-lived
  cycles are still collected young; the rarer full collections find what outlived them.

A third: full page runs take turns (``page_slot``). Python runs one thread at a time, so 200 page
runs started together all share the interpreter and all finish late together (seen at the end of the
benchmark, when everybody's result page is drawn: seconds in which no run finished). With a few
slots they finish one after another instead. A tap on an answer is a fragment run, which does not
pass through app.py and so never waits for a slot.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

GC_THRESHOLDS = (700, 10, 100)  # CPython's default is (700, 10, 10)

_lock = threading.Lock()
_done = False


def tune() -> None:
    global _done
    if _done:
        return
    with _lock:
        if _done:
            return
        # Import what the pages import, so it is frozen with the rest.
        import charts.compare  # noqa: F401
        import exports.session  # noqa: F401
        import services.workshop  # noqa: F401
        import ui.console  # noqa: F401
        import ui.result  # noqa: F401
        import ui.scan  # noqa: F401
        import ui.slides  # noqa: F401

        gc.collect()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        _done = True


# Full page runs at the same time; the rest wait their turn (without using the interpreter).
PAGE_SLOTS = 3
_slots = threading.BoundedSemaphore(PAGE_SLOTS)


@contextmanager
def page_slot() -> Iterator[None]:
    """Run one full page while holding one of PAGE_SLOTS slots."""
    with _slots:
        yield
