"""The deployment as it is run: nginx (deploy/nginx.conf.template) in front of two app processes.

``deploy.launch.Deployment`` starts two ``streamlit run app.py`` processes on one database (the
SQLite file of a plain run, PostgreSQL in .ci/run's second stage) and Debian's nginx in front. Then:

- the nginx configuration routes by its own cookie (works behind one NAT address) and keeps a
  browser on one process, websocket included;
- phones on both processes answer through nginx and the begeleider's screen, on one process,
  counts them all;
- one process is killed (SIGKILL) mid-session: its phones reconnect through nginx to the other
  process and resume by their personal link; no acknowledged answer ("✓ Opgeslagen") is lost.
  The time without service is measured and written to artifacts/deploy-failover.json.
"""

from __future__ import annotations

import json
import signal
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from deploy.launch import Deployment, free_port, render_nginx_conf
from storage import Store
from tests.support import ARTIFACTS, PHONE, POSTGRES_ONLY, PROJECTOR, READY, ROOT, fresh_database_url, postgres_url, settle

pytestmark = pytest.mark.browser

MUNICIPALITIES = ["Tiel", "Culemborg"]


def _get(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    """(upstream that served it, route cookie nginx set) for one plain GET through nginx."""
    req = urllib.request.Request(url, headers={"Cookie": f"spiegel_route={cookie}"} if cookie else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        cookies = [c.split(";", 1)[0].split("=", 1) for c in r.headers.get_all("Set-Cookie") or []]
        route = next((value for name, value in cookies if name == "spiegel_route"), None)
        return r.headers["X-Spiegel-Upstream"], route


def test_nginx_configuration_is_valid_for_debian_nginx(tmp_path):
    import subprocess

    from deploy.launch import NGINX

    conf = tmp_path / "nginx.conf"
    conf.write_text(render_nginx_conf("127.0.0.1:8080", [8501, 8502, 8503], tmp_path), encoding="utf-8")
    text = conf.read_text(encoding="utf-8")
    assert "hash $spiegel_route consistent" in text and text.count("server 127.0.0.1:85") == 3
    assert "@@" not in text
    done = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("deploy")
    url = fresh_database_url(tmp, "deploy.db")
    dep = Deployment(2, f"127.0.0.1:{free_port()}", url, tmp / "run", restart=True)
    try:
        dep.start()
        yield dep, url
    finally:
        dep.stop()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for log in (tmp / "run").glob("*.log"):
            (ARTIFACTS / f"deploy-{log.name}").write_bytes(log.read_bytes())


def _route_per_process(dep: Deployment) -> dict[str, str]:
    """A route cookie for every app process, found the way a new browser gets one."""
    found: dict[str, str] = {}
    wanted = {f"127.0.0.1:{a.port}" for a in dep.apps}
    for _ in range(200):
        upstream, route = _get(f"{dep.url}/")
        assert route, "nginx sets a route cookie for a browser without one"
        found.setdefault(upstream, route)
        if set(found) == wanted:
            return found
    raise AssertionError(f"200 new browsers all went to {sorted(found)}; nginx does not spread them")


def test_route_cookie_keeps_a_browser_on_one_process(deployment):
    dep, _ = deployment
    routes = _route_per_process(dep)
    for upstream, route in routes.items():
        for path in ("/", "/_stcore/health", "/vragenlijst"):
            served, again = _get(f"{dep.url}{path}", route)
            assert served == upstream and again is None  # same process; no new cookie
    with urllib.request.urlopen(f"{dep.url}/healthz", timeout=10) as r:
        assert r.read().strip() == b"ok"


@dataclass
class Phone:
    name: str
    upstream: str
    context: object
    page: object
    participant_id: int = 0
    acknowledged: dict[str, int] = field(default_factory=dict)


def _label(q, value: int) -> str:
    return next(o.label for o in q.scale.options if o.value == value)


def _is_saved(page, item_id: str) -> bool:
    """The statement's own fragment shows "✓ Opgeslagen": the app has the answer in the database."""
    box = page.locator(f".st-key-statement_{item_id}")
    return box.count() == 1 and "✓ Opgeslagen" in box.inner_text()


def _tap(phone: Phone, q, item_id: str, value: int, timeout_s: float = 20) -> bool:
    """Tap one answer of a statement not yet saved; True once the app acknowledged it."""
    page = phone.page
    page.locator(f".st-key-statement_{item_id}").get_by_text(_label(q, value), exact=True).click()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if _is_saved(page, item_id):
            return True
        page.wait_for_timeout(100)  # poll interval of a condition, not a fixed wait
    return False


def _join(browser, dep: Deployment, route: str, upstream: str, code: str, municipality: str, name: str) -> Phone:
    host = dep.url.split("//", 1)[1].split(":", 1)[0]
    context = browser.new_context(viewport=PHONE)
    context.add_cookies([{"name": "spiegel_route", "value": route, "domain": host, "path": "/"}])
    page = context.new_page()
    response = page.goto(f"{dep.url}/?code={code}")
    assert response.headers["x-spiegel-upstream"] == upstream
    settle(page)
    page.get_by_role("radiogroup", name="Uw gemeente").get_by_text(municipality, exact=True).click()
    page.get_by_role("radiogroup", name="Uw rol").get_by_text("Raadslid", exact=True).click()
    page.get_by_role("button", name="Beginnen").click()
    page.wait_for_url("**/vragenlijst?p=*")
    settle(page)
    page.locator('[data-testid="stRadio"]').first.wait_for()
    return Phone(name, upstream, context, page)


def test_workshop_through_nginx_survives_a_killed_process(deployment, browser, q):
    dep, db_url = deployment
    routes = _route_per_process(dep)
    store = Store(db_url)
    session, facilitator_token = store.create_session("GR Proxytest", MUNICIPALITIES, ["raadslid"], [s.id for s in q.sections], 1)
    (up_a, route_a), (up_b, route_b) = sorted(routes.items())
    items = [i.id for i in q.sections[0].items]

    # Two phones on each process.
    phones = [
        _join(browser, dep, route, up, session.join_code, m, f"{m}@{up}")
        for up, route in ((up_a, route_a), (up_b, route_b))
        for m in MUNICIPALITIES
    ]
    for phone in phones:
        for n, value in enumerate((4, 2)):
            assert _tap(phone, q, items[n], value), f"{phone.name}: answer not acknowledged"
            phone.acknowledged[items[n]] = value

    # The begeleider's screen is served by process A and counts the phones of both processes.
    console_ctx = browser.new_context(viewport=PROJECTOR)
    console_ctx.add_cookies([{"name": "spiegel_route", "value": route_a, "domain": "127.0.0.1", "path": "/"}])
    console = console_ctx.new_page()
    response = console.goto(f"{dep.url}/dashboard?f={facilitator_token}")
    assert response.headers["x-spiegel-upstream"] == up_a
    settle(console)
    console.wait_for_function(
        "() => Array.from(document.querySelectorAll('table tr')).some("
        "r => r.innerText.replace(/\\s+/g, ' ').trim().startsWith('Totaal 4'))",
        timeout=60_000,
    )

    # Kill process B hard; its phones must come back through nginx (on A) and lose nothing.
    victim = next(a for a in dep.apps if f"127.0.0.1:{a.port}" == up_b)
    killed_at = time.monotonic()
    victim.proc.send_signal(signal.SIGKILL)
    victim.proc.wait(10)
    gaps = []
    for phone in (p for p in phones if p.upstream == up_b):
        value, deadline = 5, time.monotonic() + 90
        while True:
            phone.page.wait_for_selector(READY, timeout=90_000)
            if _tap(phone, q, items[2], value, timeout_s=5):
                break
            assert time.monotonic() < deadline, f"{phone.name}: no service for 90 s after the kill"
            value = 1 if value == 5 else 5  # a changed answer, so the next tap is a real change
            if not phone.page.locator(f".st-key-statement_{items[2]}").is_visible():
                phone.page.reload()  # the person reloads the personal link
                settle(phone.page)
        phone.acknowledged[items[2]] = value
        gaps.append(round(time.monotonic() - killed_at, 2))
        assert _checked_values(phone.page, q)[:2] == [_label(q, 4), _label(q, 2)]  # earlier answers still shown

    # While B is down (or just restarted), the phones on A kept answering.
    for phone in (p for p in phones if p.upstream == up_a):
        assert _tap(phone, q, items[2], 3)
        phone.acknowledged[items[2]] = 3

    # Every acknowledged answer is in the database, with its value.
    after = Store(db_url)
    from sqlalchemy import select

    from storage import schema

    with after.engine.connect() as conn:
        rows = conn.execute(
            select(schema.participants.c.municipality, schema.participants.c.id, schema.answers.c.item, schema.answers.c.value)
            .join(schema.answers, schema.answers.c.participant_id == schema.participants.c.id)
            .where(schema.participants.c.session_id == session.id)
        ).all()
    per_participant: dict[int, dict[str, int]] = {}
    for _m, pid, item, value in rows:
        per_participant.setdefault(pid, {})[item] = value
    assert len(per_participant) == 4
    assert sorted(sorted(d.items()) for d in per_participant.values()) == sorted(sorted(p.acknowledged.items()) for p in phones)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "deploy-failover.json").write_text(
        json.dumps({"seconds_without_service_per_phone": gaps, "processes": 2, "database": db_url.split(":", 1)[0]}),
        encoding="utf-8",
    )
    for phone in phones:
        phone.context.close()
    console_ctx.close()
    after.dispose()
    store.dispose()


def _checked_values(page, q) -> list[str]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-testid="stRadio"]')).map(r => {
              const c = r.querySelector('input:checked');
              return c ? c.closest('label').innerText.trim() : null; })"""
    )


def test_run_dir_state_names_every_process(deployment):
    dep, _ = deployment
    state = json.loads(Path(dep.run_dir / "state.json").read_text(encoding="utf-8"))
    assert {a["port"] for a in state["apps"]} == {a.port for a in dep.apps}
    assert state["url"] == dep.url


@pytest.mark.skipif(postgres_url() is None, reason=POSTGRES_ONLY)
def test_load_smoke_through_nginx_on_postgres(tmp_path):
    """60 participants over Streamlit's websocket protocol, through nginx to two processes: 0 lost, 0 errors."""
    import subprocess
    import sys

    url = fresh_database_url(tmp_path, "unused.db")
    out = tmp_path / "smoke.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.load",
            "--participants",
            "60",
            "--ramp",
            "10",
            "--think",
            "0.3",
            "1.0",
            "--servers",
            "2",
            "--proxy",
            "--no-bare",
            "--database-url",
            url,
            "--out",
            str(out),
        ],  # fmt: skip
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "deploy-load-smoke.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    app = result["app"]
    assert app["participants_finished"] == 60
    assert app["answers_lost"] == 0 and app["errors_total"] == 0, (app["errors"], app["lost_samples"])
    assert app["answers_stored"] == app["answers_sent"]
    assert len(app["participants_per_process"]) == 2  # nginx spread the phones over both processes
