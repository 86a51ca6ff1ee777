"""Helpers for the real-browser tests: a real `streamlit run` server and Debian's chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
READY = '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(database_url: str, port: int | None = None, log: Path | None = None):
    """Start the app as a user would (`streamlit run app.py`, the project's config) and stop it after."""
    port = port or free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    log = log or (ARTIFACTS / f"server-{port}.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_healthy(port, proc)
            yield f"http://127.0.0.1:{port}", proc
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_healthy(port: int, proc: subprocess.Popen | None = None, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"streamlit stopped with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("streamlit did not become healthy in time")


# The page is at rest: connected, the script not running (Streamlit's own data-test-script-state; it
# says "running" from the first moment, while the status widget only shows after a delay), no status
# widget or spinner, and no placeholder (skeleton) still waiting for its element.
_AT_REST = (
    "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
    " return !!app && app.getAttribute('data-test-script-state') === 'notRunning'"
    ' && !document.querySelector(\'[data-testid="stStatusWidget"], [data-testid="stSpinner"],'
    ' [data-testid="stSkeleton"], [data-testid="stAppSkeleton"]\'); }'
)


def settle(page, timeout: int = 30_000) -> None:
    """Wait until Streamlit is connected and no script run is in progress."""
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_function(_AT_REST, timeout=timeout)
    # A tap's rerun is often done before the page would ever say "running" (a few ms), so the state
    # alone cannot tell "not started yet" from "done": give it a moment, then check the state again.
    page.wait_for_timeout(200)
    page.wait_for_function(_AT_REST, timeout=timeout)


class ScriptRuns:
    """Counts the full script runs the server has finished for one page, read from Streamlit's own
    websocket messages (``script_finished``): a run that shows nothing on the page is still seen.
    Create it before the page connects (or reconnects)."""

    def __init__(self, page):
        self.page = page
        self.finished = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if isinstance(payload, str):
            return
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        try:
            msg = ForwardMsg.FromString(payload)
        except Exception:  # not a ForwardMsg: not ours to count
            return
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            self.finished += 1

    def wait_for_more_than(self, count: int, timeout: float = 60) -> None:
        """Wait until more than ``count`` full runs have finished (the page's events are handled while waiting)."""
        deadline = time.monotonic() + timeout
        while self.finished <= count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no full script run finished after run {count} within {timeout} s")
            self.page.wait_for_timeout(50)


def wait_for_charts(page, timeout: int = 30_000) -> None:
    """Wait until every Altair/Vega chart on the page has drawn."""
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]'))"
        ".every(c => c.querySelector('canvas, svg.marks'))",
        timeout=timeout,
    )


def shot(page, name: str, *, full: bool = True) -> Path:
    """Screenshot; with full=True the viewport is stretched to the page's height first, because
    Streamlit scrolls inside its own container and a plain full-page shot would show one screen."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size
    if full and size:
        height = page.evaluate(
            '() => Math.max(...Array.from(document.querySelectorAll(\'[data-testid="stMain"], [data-testid="stAppViewContainer"]\'))'
            ".map(e => e.scrollHeight), document.body.scrollHeight)"
        )
        page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 12_000)})
        page.wait_for_timeout(400)
    page.screenshot(path=str(path))
    if full and size:
        page.set_viewport_size(size)
    return path


# Why a PostgreSQL-only test is skipped in a plain `python -m pytest`: .ci/run runs it in its second stage.
POSTGRES_ONLY = "needs DATABASE_URL=postgresql…; .ci/run sets it"


def postgres_url() -> str | None:
    """DATABASE_URL when it points at PostgreSQL (as in .ci/run's second stage), else None."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def fresh_database_url(directory: Path, name: str) -> str:
    """An empty database: the PostgreSQL server of DATABASE_URL with its tables dropped when it
    points at one (as in .ci/run), else a new SQLite file ``directory / name``."""
    url = postgres_url()
    if url:
        from sqlalchemy import create_engine

        engine = create_engine(url)  # not a Store: that would first migrate whatever is there
        drop_everything(engine)
        engine.dispose()
        return url
    return f"sqlite:///{directory / name}"


def drop_everything(engine) -> None:
    """Drop every table in the database (the app's, Alembic's version table, and any a test left
    behind): the next Store migrates from nothing."""
    from sqlalchemy import MetaData

    found = MetaData()
    found.reflect(engine)
    found.drop_all(engine)


def app_page(path: str, **params):
    """An AppTest of the whole app (app.py, its navigation) opened at ``path`` with query parameters."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(path)
    return at.run()
