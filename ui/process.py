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
"""

from __future__ import annotations

import gc
import threading

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
        import ui.dashboard  # noqa: F401
        import ui.result  # noqa: F401
        import ui.scan  # noqa: F401

        gc.collect()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        _done = True
