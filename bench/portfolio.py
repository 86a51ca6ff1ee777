"""Netwerkregie benchmark: open a region's overview (30 municipalities, 150 cooperations, 3 rounds
each, about 20,000 participants), compared with loading the same rows with plain pandas.

    python -m bench.portfolio [--municipalities 30] [--cooperations 150] [--rounds 3]
                              [--participants 20000] [--repeat 5] [--database-url URL] [--keep]

How the region is made (not timed): the portfolio is written as an XLSX in the import template and
imported through ``services.portfolio.import_sheet`` (timed separately, for information). Each
round is a real workshop session (``services.portfolio.start_round``); its participants and
answers go in with bulk inserts, drawn per cooperation from a latent "health" (a healthy one gets
high scores on the principles and low ones on the stop criteria) with a municipality offset,
per-person noise, 6% weet niet and the reverse-scored statements answered the other way. The
round is then closed through ``services.cooperation.set_closed``, which computes its published
summary by the app's own scoring, exactly as a begeleider closing a round does.

What is timed (best and median of --repeat runs, after one warm-up):
- ``overview``: ``services.portfolio.overview`` (the one call the region's page makes on open):
  the bulk read, parsing every round's summary, and all views.
- ``pandas``: ``pd.read_sql`` of the same four result sets (cooperations with their portfolio
  columns, partners, budgets, rounds with summaries), nothing computed.
- ``page`` (for information): the whole region page in Streamlit's AppTest (app.py, navigation,
  every tab's tables and charts; a new session each time), with the owner link.
Target: overview < 2 s on the 2-core machine. Results go to bench/results/portfolio-<date>.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import secrets
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from sqlalchemy import text, update

from portfolio import model as cols
from questionnaire.loader import load_questionnaire
from questionnaire.municipalities import load_municipalities
from services import cooperation
from services import portfolio as P
from storage import Store
from storage import schema as t
from storage.store import hash_token

RESULTS = Path(__file__).parent / "results"
DONT_KNOW = 0.06
PROVINCE = "Gelderland"


def region_sheet(q, munis: list[str], n_coops: int, rng: np.random.Generator) -> bytes:
    """The region's portfolio in the import template (with a Bijdragen sheet)."""
    forms = [c.label for c in q.settings.cooperation_forms]
    domains = [c.label for c in q.settings.domains]
    motives = [c.label for c in q.settings.motives]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = cols.MAIN_SHEET
    ws.append(list(cols.COLUMNS))
    b = wb.create_sheet(cols.BUDGET_SHEET)
    b.append(list(cols.BUDGET_COLUMNS))
    for n in range(n_coops):
        k = int(min(len(munis), cols.MAX_PARTNERS, max(2, rng.geometric(0.18) + 1)))
        partners = list(rng.choice(munis, size=k, replace=False))
        moments = [
            date(2025, 1, 1) + timedelta(days=int(d)) for d in sorted(rng.integers(0, 5 * 365, size=int(rng.integers(1, 4))))
        ]
        ref = f"RG-{n + 1:03d}"
        ws.append(
            [
                ref,
                f"Samenwerking {n + 1:03d}",
                forms[int(rng.integers(len(forms)))],
                domains[int(rng.integers(len(domains)))],
                "; ".join(partners),
                int(rng.integers(1995, 2025)),
                "; ".join(rng.choice(motives, size=int(rng.integers(1, 3)), replace=False)),
                "; ".join(f"{d.day}-{d.month}-{d.year}" for d in moments),
            ]
        )
        for m in partners:
            for year in (2025, 2026):
                b.append([ref, None, m, year, int(rng.integers(10, 2000)) * 1000])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def fill_round(store: Store, q, session, health: float, offsets: dict[str, float], n_people: int, rng, ids: list[int]) -> int:
    """Participants and answers of one round, with bulk inserts. Returns the number of answers."""
    items = [i for s in q.sections if s.id in session.sections for i in s.items]
    stop = {i.id for s in q.sections if s.polarity.value == "warning" for i in s.items}  # "eens" = the signal is there
    roles = list(session.roles)
    now = datetime.now(UTC)
    people, answers = [], []
    munis = list(session.municipalities)
    for n in range(n_people):
        ids[0] += 1
        pid = ids[0]
        muni = munis[n % len(munis)]
        people.append(
            {
                "id": pid,
                "token_hash": hash_token(secrets.token_urlsafe(16)),
                "pseudonym": f"B-{pid:09d}"[:12],
                "session_id": session.id,
                "cooperation": session.name,
                "municipality": muni,
                "role": roles[n % len(roles)],
                "step": 0,
                "created_at": now,
                "updated_at": now,
                "finished_at": now,
            }
        )
        person = health + offsets[muni] + rng.normal(0, 0.5)
        for i in items:
            if rng.random() < DONT_KNOW:
                value = 0
            else:
                mean = 3 - person if i.id in stop else 3 + person
                value = int(np.clip(round(rng.normal(mean, 0.8)), 1, 5))
                if i.reverse:
                    value = 6 - value
            answers.append({"participant_id": pid, "item": i.id, "value": value, "answered_at": now})
    with store.engine.begin() as c:
        c.execute(t.participants.insert(), people)
        c.execute(t.answers.insert(), answers)
    return len(answers)


def build(store: Store, q, n_munis: int, n_coops: int, n_rounds: int, n_people: int, seed: int = 11) -> tuple[str, dict]:
    rng = np.random.default_rng(seed)
    all_munis = load_municipalities()
    names = sorted(m.name for m in all_munis.items if m.province == PROVINCE)[:n_munis]
    if len(names) < n_munis:
        names = all_munis.names()[:n_munis]
    _, owner = P.create_region(store, "Benchregio")
    data = region_sheet(q, names, n_coops, rng)
    t0 = time.perf_counter()
    result = P.import_sheet(store, q, all_munis, owner, data, "bench.xlsx")
    import_s = time.perf_counter() - t0
    assert result.ok, [e.text for e in result.reading.errors[:5]]
    access = P.open_region(store, owner)
    items = P.items(store, access)
    # Participants per round in proportion to the number of partners, at least the anonymity limit
    # per municipality (a smaller group is hidden in the published results, as in the app).
    min_n = q.scoring.default_min_group_size
    total_partners = sum(len(i.entry.municipalities) for i in items)
    offsets = {m: float(rng.normal(0, 0.3)) for m in names}
    ids = [int(store.engine.connect().execute(text("SELECT COALESCE(MAX(id), 0) FROM participants")).scalar())]
    n_answers = 0
    t0 = time.perf_counter()
    for it in items:
        health = float(rng.uniform(-1.4, 1.2))
        start = datetime(2024, 3, 1, 19, tzinfo=UTC) + timedelta(days=int(rng.integers(0, 200)))
        for r in range(n_rounds):
            session, _ = P.start_round(store, q, owner, it.cooperation_id)
            k = len(it.entry.municipalities)
            per_round = max(min_n * k, round(n_people * k / total_partners / n_rounds))
            n_answers += fill_round(store, q, session, health, offsets, per_round, rng, ids)
            cooperation.set_closed(store, q, session.id, True)
            with store.engine.begin() as c:  # rounds a year apart, as an evaluation cycle holds them
                c.execute(
                    update(t.rounds).where(t.rounds.c.session_id == session.id).values(held_at=start + timedelta(days=365 * r))
                )
            health += float(rng.normal(0, 0.4))
    build_s = time.perf_counter() - t0
    with store.engine.connect() as c:
        n_participants = c.execute(text("SELECT COUNT(*) FROM participants")).scalar()
    return owner, {
        "municipalities": n_munis,
        "cooperations": len(items),
        "rounds": len(items) * n_rounds,
        "participants": int(n_participants),
        "answers": n_answers,
        "import_seconds": round(import_s, 3),
        "build_seconds": round(build_s, 1),
    }


def pandas_baseline(store: Store, region_id: int) -> int:
    """The same rows as ``Store.portfolio_rows``, with plain pandas: nothing parsed, nothing computed."""
    mine = f"SELECT cooperation_id FROM region_cooperations WHERE region_id = {int(region_id)}"
    with store.engine.connect() as c:
        frames = [
            pd.read_sql(
                text(
                    "SELECT co.id, co.name, co.form, co.domain, co.evaluation_moments, rc.key, rc.ref, rc.start_year, rc.motives, rc.position "
                    "FROM cooperations co JOIN region_cooperations rc ON rc.cooperation_id = co.id "
                    f"WHERE rc.region_id = {int(region_id)} ORDER BY rc.position"
                ),
                c,
            ),
            pd.read_sql(text(f"SELECT * FROM cooperation_municipalities WHERE cooperation_id IN ({mine})"), c),
            pd.read_sql(text(f"SELECT * FROM region_budgets WHERE cooperation_id IN ({mine})"), c),
            pd.read_sql(
                text(f"SELECT id, cooperation_id, session_id, held_at, summary FROM rounds WHERE cooperation_id IN ({mine})"), c
            ),
        ]
    return sum(len(f) for f in frames)


def timed(fn, repeat: int) -> dict:
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return {"best": round(min(runs), 4), "median": round(statistics.median(runs), 4), "runs": [round(r, 4) for r in runs]}


def page_open(url: str, token: str, repeat: int) -> dict:
    """The region page as a browser session would run it (AppTest: no browser, no network)."""
    from streamlit.testing.v1 import AppTest

    from ui import context

    os.environ["DATABASE_URL"] = url
    context.store.clear()
    app = str(Path(__file__).resolve().parent.parent / "app.py")

    def run() -> None:
        at = AppTest.from_file(app, default_timeout=120)
        at.query_params["r"] = token
        at.switch_page("pages/regio.py")
        at.run()
        assert not at.exception, at.exception

    return timed(run, repeat)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--municipalities", type=int, default=30)
    ap.add_argument("--cooperations", type=int, default=150)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--participants", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--keep", action="store_true", help="keep the SQLite file")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-portfolio-")
    url = a.database_url or f"sqlite:///{tmp}/portfolio.db"
    store = Store(url)
    q = load_questionnaire()
    owner, made = build(store, q, a.municipalities, a.cooperations, a.rounds, a.participants)
    access = P.open_region(store, owner)
    overview = timed(lambda: P.overview(store, q, access), a.repeat)
    baseline = timed(lambda: pandas_baseline(store, access.region.id), a.repeat)
    page = page_open(url, owner, max(2, a.repeat // 2))
    ov = P.overview(store, q, access)
    rows = pandas_baseline(store, access.region.id)
    summary_bytes = sum(len(r["summary"] or "") for r in store.portfolio_rows(access.region.id).rounds)
    result = {
        "benchmark": "portfolio overview",
        "date": date.today().isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "database": store.dialect,
        "region": made,
        "rows_loaded": rows,
        "summary_json_bytes": summary_bytes,
        "overview_seconds": overview,
        "pandas_read_sql_seconds": baseline,
        "page_apptest_seconds": page,
        "ratio_median": round(overview["median"] / baseline["median"], 2) if baseline["median"] else None,
        "target_seconds": 2.0,
        "met": overview["median"] < 2.0,
        "views": {
            "flags": len(ov.flags),
            "evaluations": len(ov.evaluations),
            "motives": len(ov.motives),
            "trend_rows": len(ov.trend),
        },
    }
    RESULTS.mkdir(exist_ok=True)
    out = Path(a.out) if a.out else RESULTS / f"portfolio-{date.today().isoformat()}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(
        f"\n| overview (services.portfolio.overview) | pandas read_sql, same rows | ratio | whole page (AppTest) |\n"
        f"|---|---|---|---|\n| {overview['median']:.3f} s (best {overview['best']:.3f}) | {baseline['median']:.3f} s "
        f"(best {baseline['best']:.3f}) | {result['ratio_median']}× | {page['median']:.2f} s |"
    )
    store.dispose()
    if not a.keep and not a.database_url:
        for f in Path(tmp).glob("*"):
            f.unlink()
        os.rmdir(tmp)
    else:
        print(f"database: {url}")


if __name__ == "__main__":
    main()
