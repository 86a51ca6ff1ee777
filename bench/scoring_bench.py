"""Scoring benchmark: aggregate 1,000,000 answers, compared with a plain pandas groupby.

    python -m bench.scoring_bench [--answers 1000000] [--repeat 5]

What is timed (best of --repeat runs, after one warm-up):
- ``scoring``: the whole path the dashboard takes, from long-form answers to group aggregates:
  ``score_sections`` (reverse coding, weet-niet handling, the half-answered rule, bands) followed
  by ``aggregate_sections`` per municipality (n, mean, median, std, min, max, agreement,
  suppression).
- ``baseline``: the least a plain pandas script would do for the same numbers without any of the
  rules: merge the item table, one groupby mean per participant x section, one groupby
  describe-like aggregation per municipality x section.
The ratio scoring / baseline says what the rules cost. Target: scoring <= 1 s.
Results go to bench/results/scoring-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

import scoring
from questionnaire.loader import load_questionnaire

RESULTS = Path(__file__).parent / "results"


def synthetic(q, n_answers: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Answers from ceil(n / items) participants in 10 municipalities; 8% weet niet, 4% skipped."""
    items = [i.id for s in q.scored_sections() for i in s.items]
    wanted, n_answers = n_answers, int(n_answers * 1.05) + len(items)  # room for the skipped ones
    n_people = -(-n_answers // len(items))
    rng = np.random.default_rng(seed)
    people = np.array([f"P{n:07d}" for n in range(n_people)], dtype=object)
    participant = np.repeat(people, len(items))[:n_answers]
    item = np.tile(np.array(items, dtype=object), n_people)[:n_answers]
    value = rng.integers(1, 6, size=n_answers)
    value[rng.random(n_answers) < 0.08] = q.scale.dont_know.code
    answers = pd.DataFrame({"participant": participant, "item": item, "value": value})
    answers = answers[rng.random(n_answers) >= 0.04].iloc[:wanted].reset_index(drop=True)
    people = people[: answers["participant"].nunique()]
    n_people = len(people)
    municipalities = [f"Gemeente {k}" for k in range(10)]
    roles = [r.id for r in q.settings.roles]
    parts = pd.DataFrame(
        {
            "participant": people,
            "municipality": rng.choice(municipalities, size=n_people),
            "role": rng.choice(roles, size=n_people),
        }
    )
    return answers, scoring.add_role_group(parts, q)


def run_scoring(answers, parts, q):
    sections = scoring.score_sections(answers, q)
    return scoring.aggregate_sections(sections, parts, ["municipality"], 3, q)


def run_baseline(answers, parts, q):
    table = q.item_table[["item", "section"]]
    df = answers[answers["value"] > 0].merge(table, on="item")
    per_person = df.groupby(["participant", "section"], sort=False)["value"].mean().rename("score").reset_index()
    per_person = per_person.merge(parts[["participant", "municipality"]], on="participant")
    return per_person.groupby(["municipality", "section"])["score"].agg(["count", "mean", "median", "std", "min", "max"])


def best_of(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--answers", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args(argv)

    q = load_questionnaire()
    answers, parts = synthetic(q, a.answers)
    t_scoring = best_of(lambda: run_scoring(answers, parts, q), a.repeat)
    t_base = best_of(lambda: run_baseline(answers, parts, q), a.repeat)
    result = {
        "date": date.today().isoformat(),
        "answers": int(len(answers)),
        "participants": int(answers["participant"].nunique()),
        "scoring_seconds": round(t_scoring, 4),
        "baseline_seconds": round(t_base, 4),
        "ratio": round(t_scoring / t_base, 2),
        "target_seconds": 1.0,
        "met": t_scoring <= 1.0,
        "repeat": a.repeat,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "pandas": pd.__version__},
    }
    out = a.out or RESULTS / f"scoring-{result['date']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("| answers | scoring (s) | plain groupby (s) | ratio | target ≤ 1 s |")
    print("| ---: | ---: | ---: | ---: | :---: |")
    print(
        f"| {result['answers']:,} | {t_scoring:.3f} | {t_base:.3f} | {result['ratio']:.2f} | {'ja' if result['met'] else 'nee'} |"
    )
    print(f"written to {out}")
    return result


if __name__ == "__main__":
    main()
