"""Retention (AVG): delete expired sessions and old zelfscans at start-up and then once a day.

``start_daily_purge(store)`` starts one daemon thread per database (per process): it purges at once
and then every ``PURGE_INTERVAL_SECONDS``. The log gets counts only: never a name, token or answer.
No Streamlit here.
"""

from __future__ import annotations

import logging
import threading

from questionnaire.loader import Questionnaire
from storage import Store

PURGE_INTERVAL_SECONDS = 24 * 60 * 60
log = logging.getLogger("samenwerkingsspiegel.retention")

_threads: dict[str, threading.Thread] = {}
_lock = threading.Lock()


def purge_once(store: Store, q: Questionnaire | None = None) -> tuple[int, int]:
    """Delete what has passed its retention period; returns (sessions, zelfscans) deleted.

    Given the content ``q``, a round that was never closed first keeps its published results
    (``services.cooperation``), so the cooperation's trend still has them."""
    if q is not None:
        from services import cooperation

        cooperation.keep_summaries_before_purge(store, q)
    sessions, scans = store.purge_expired()
    if sessions or scans:
        log.info("Bewaartermijn verstreken: %d sessie(s) en %d zelfscan(s) verwijderd.", sessions, scans)
    return sessions, scans


def start_daily_purge(store: Store, interval: float = PURGE_INTERVAL_SECONDS, q: Questionnaire | None = None) -> threading.Thread:
    """Purge now and then every ``interval`` seconds in a daemon thread (one per database URL)."""
    with _lock:
        running = _threads.get(store.url)
        if running is not None and running.is_alive():
            return running
        stop = threading.Event()

        def loop() -> None:
            while True:
                try:
                    purge_once(store, q)
                except Exception:  # noqa: BLE001 - a failed purge is retried the next day; the app goes on
                    log.exception("Opschonen na de bewaartermijn is mislukt; morgen opnieuw.")
                if stop.wait(interval):
                    return

        thread = threading.Thread(target=loop, name="retention-purge", daemon=True)
        thread.stop = stop  # type: ignore[attr-defined]
        _threads[store.url] = thread
        thread.start()
        return thread
