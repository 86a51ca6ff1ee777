"""The overview's views of a region's portfolio, each as a table: the lappendeken (municipality ×
cooperation), counts and partners, per domain and form, evaluations due, red flags, motives
against results, and the trend per cooperation. Pure functions on plain data; no Streamlit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import combinations

import pandas as pd

from portfolio.model import Entry
from questionnaire.loader import Questionnaire
from questionnaire.municipalities import sort_key

ALL = "*"  # the summary's group for everyone (scoring.trend.ALL)
DUE_DAYS = 120  # an evaluation moment within this many days is "binnenkort"
# A round held up to this many days before an evaluation moment counts as that evaluation.
EARLY_DAYS = 120
OVERDUE, DUE, PLANNED, HELD = "te laat", "binnenkort", "gepland", "gehouden"
CALM_ADVICE = "doorgaan"
RED = "rood"
IN_MATRIX = "●"


@dataclass(frozen=True)
class RoundInfo:
    number: int
    held_at: datetime
    summary: dict | None  # services.cooperation.summary, written when the round closed; None: still open


@dataclass(frozen=True)
class Item:
    """One cooperation of the portfolio with its rounds, oldest first."""

    cooperation_id: int
    entry: Entry
    rounds: tuple[RoundInfo, ...] = ()

    @property
    def latest(self) -> RoundInfo | None:
        """The latest round with published results (a round still open has none yet)."""
        return next((r for r in reversed(self.rounds) if r.summary is not None), None)


def municipalities(items: list[Item]) -> list[str]:
    names = {m for it in items for m in it.entry.municipalities}
    return sorted(names, key=lambda n: (sort_key(n), n))


# ---------------------------------------------------------------- lappendeken


def matrix(items: list[Item]) -> pd.DataFrame:
    """Rows: municipalities (Dutch order); columns: cooperations (portfolio order); ● where a
    municipality takes part, empty elsewhere."""
    munis = municipalities(items)
    data = {it.entry.name: [IN_MATRIX if m in it.entry.municipalities else "" for m in munis] for it in items}
    out = pd.DataFrame(data, index=pd.Index(munis, name="Gemeente"))
    return out


def counts(items: list[Item], top: int = 3) -> pd.DataFrame:
    """Per municipality: in how many cooperations, and the partners it shares most cooperations with."""
    per = Counter(m for it in items for m in it.entry.municipalities)
    pair = pair_counts(items)
    rows = []
    for m in municipalities(items):
        mine = [(b if a == m else a, n) for (a, b), n in pair.items() if m in (a, b)]
        mine.sort(key=lambda x: (-x[1], sort_key(x[0])))
        rows.append(
            {
                "Gemeente": m,
                "Aantal samenwerkingen": per[m],
                "Vaakst samen met": ", ".join(f"{p} ({n})" for p, n in mine[:top]),
            }
        )
    out = pd.DataFrame(rows, columns=["Gemeente", "Aantal samenwerkingen", "Vaakst samen met"])
    return out.sort_values(["Aantal samenwerkingen", "Gemeente"], ascending=[False, True], key=_dutch, kind="stable").reset_index(
        drop=True
    )


def _dutch(s: pd.Series) -> pd.Series:
    return s.map(sort_key) if s.dtype == object else s


def pair_counts(items: list[Item]) -> Counter:
    """(a, b) with a before b in Dutch order -> in how many cooperations both take part."""
    out: Counter = Counter()
    for it in items:
        ms = sorted(set(it.entry.municipalities), key=lambda n: (sort_key(n), n))
        out.update(combinations(ms, 2))
    return out


def pairs(items: list[Item], limit: int = 10) -> pd.DataFrame:
    rows = [{"Gemeente": a, "Samen met": b, "Aantal samenwerkingen": n} for (a, b), n in pair_counts(items).items()]
    out = pd.DataFrame(rows, columns=["Gemeente", "Samen met", "Aantal samenwerkingen"])
    if not len(out):
        return out
    out = out.sort_values(["Aantal samenwerkingen"], ascending=False, kind="stable")
    return out.head(limit).reset_index(drop=True)


# ---------------------------------------------------------------- per domain and per form


def by_choice(items: list[Item], q: Questionnaire, what: str) -> pd.DataFrame:
    """Per domain (``what="domain"``) or form (``"form"``): how many cooperations and which, in content order."""
    choices = q.settings.domains if what == "domain" else q.settings.cooperation_forms
    head = "Domein" if what == "domain" else "Vorm"
    rows = []
    for c in choices:
        names = [it.entry.name for it in items if getattr(it.entry, what) == c.id]
        if names:
            rows.append({head: c.label, "Aantal": len(names), "Samenwerkingen": ", ".join(names)})
    return pd.DataFrame(rows, columns=[head, "Aantal", "Samenwerkingen"])


# ---------------------------------------------------------------- evaluations


def evaluation_status(item: Item, today: date) -> list[tuple[date, str]]:
    """Each evaluation moment with its status: a round held from EARLY_DAYS before the moment on
    (and not already counted for an earlier moment) makes it *gehouden*; otherwise it is *te laat*
    once past, *binnenkort* within DUE_DAYS, else *gepland*."""
    held = sorted(_day(r.held_at) for r in item.rounds)
    used: set[int] = set()
    out = []
    for moment in sorted(item.entry.evaluation_moments):
        match = next((i for i, d in enumerate(held) if i not in used and d >= moment - timedelta(days=EARLY_DAYS)), None)
        if match is not None:
            used.add(match)
            out.append((moment, HELD))
        elif moment < today:
            out.append((moment, OVERDUE))
        elif moment <= today + timedelta(days=DUE_DAYS):
            out.append((moment, DUE))
        else:
            out.append((moment, PLANNED))
    return out


def evaluations(items: list[Item], today: date) -> pd.DataFrame:
    """Evaluations that are overdue or due soon, most urgent first (overdue by date, then due)."""
    rows = []
    for it in items:
        for moment, status in evaluation_status(it, today):
            if status in (OVERDUE, DUE):
                last = it.rounds[-1].held_at if it.rounds else None
                rows.append(
                    {
                        "cooperation_id": it.cooperation_id,
                        "Samenwerking": it.entry.name,
                        "Status": status,
                        "Evaluatiemoment": moment,
                        "Dagen": (moment - today).days,
                        "Laatste ronde": None if last is None else _day(last),
                    }
                )
    out = pd.DataFrame(rows, columns=["cooperation_id", "Samenwerking", "Status", "Evaluatiemoment", "Dagen", "Laatste ronde"])
    if len(out):
        out = out.sort_values(["Evaluatiemoment", "Samenwerking"], kind="stable").reset_index(drop=True)
    return out


def _day(value) -> date:
    from formatting import local

    return local(value).date() if isinstance(value, datetime) else value


# ---------------------------------------------------------------- the latest round's results


def round_advice(summary: dict, q: Questionnaire) -> tuple[str | None, dict[str, int]]:
    """The advice most participants got in the round (everyone's group), and the counts per advice.
    A tie goes to the stronger advice (later in the content's list): the overview errs towards looking."""
    order = [a.id for a in q.settings.advices]
    counts = {
        a["advice"]: int(a["count"])
        for a in summary.get("advice", [])
        if a["group"] == ALL and not a["suppressed"] and a["count"]
    }
    if not counts:
        return None, {}
    best = max(counts, key=lambda a: (counts[a], order.index(a) if a in order else -1))
    return best, {a: counts[a] for a in order if a in counts}


def criteria_of(summary: dict) -> dict[str, tuple[float | None, str | None]]:
    """criterion id -> (mean, signal) for everyone in the round."""
    return {
        c["criterion"]: (c["mean"], c["signal"]) for c in summary.get("criteria", []) if c["group"] == ALL and not c["suppressed"]
    }


def sections_of(summary: dict) -> dict[str, float]:
    return {
        s["section"]: s["mean"]
        for s in summary.get("sections", [])
        if s["group"] == ALL and not s["suppressed"] and s["mean"] is not None
    }


def flags(items: list[Item], q: Questionnaire) -> pd.DataFrame:
    """Cooperations whose latest round shows a red stop criterion or signal, or an advice other
    than *doorgaan* (herijken, uitkleden, stoppen): where the partners' answers say to look first."""
    title = {c.id: c.title for c in q.criteria}
    label = {a.id: a.label for a in q.settings.advices}
    strength = {a.id: i for i, a in enumerate(q.settings.advices)}
    rows = []
    for it in items:
        r = it.latest
        if r is None:
            continue
        advice, spread = round_advice(r.summary, q)
        red = [title.get(cid, cid) for cid, (_, signal) in criteria_of(r.summary).items() if signal == RED]
        if not red and (advice is None or advice == CALM_ADVICE):
            continue
        rows.append(
            {
                "cooperation_id": it.cooperation_id,
                "Samenwerking": it.entry.name,
                "Advies": label.get(advice, "—") if advice else "—",
                "Op rood": ", ".join(red),
                "Ronde": f"Ronde {r.number} ({_fmt(r.held_at)})",
                "Adviezen van deelnemers": ", ".join(f"{label.get(a, a)} {n}" for a, n in spread.items()),
                "_strength": strength.get(advice, -1),
                "_red": len(red),
            }
        )
    out = pd.DataFrame(
        rows,
        columns=["cooperation_id", "Samenwerking", "Advies", "Op rood", "Ronde", "Adviezen van deelnemers", "_strength", "_red"],
    )
    out = out.sort_values(["_strength", "_red"], ascending=False, kind="stable").drop(columns=["_strength", "_red"])
    return out.reset_index(drop=True)


def _fmt(value) -> str:
    from formatting import fmt_day

    return fmt_day(value)


def motives(items: list[Item], q: Questionnaire) -> pd.DataFrame:
    """Per cooperation and motive: what the latest round's answers say about it (content's
    ``motive_evidence``: which criteria and sections speak to the motive). A red criterion is
    'niet waargemaakt', orange 'twijfel', otherwise the section scores are shown."""
    from charts.style import fmt_number

    motive_label = {c.id: c.label for c in q.settings.motives}
    crit_title = {c.id: c.title for c in q.criteria}
    sec_title = {s.id: s.title for s in q.sections}
    rows = []
    for it in items:
        r = it.latest
        for motive in it.entry.motives:
            evidence = q.settings.motive_evidence.get(motive)
            said, verdict = [], "geen ronde met uitkomsten"
            if r is not None and evidence is not None:
                crit = criteria_of(r.summary)
                secs = sections_of(r.summary)
                signals = []
                for cid in evidence.criteria:
                    if cid in crit and crit[cid][0] is not None:
                        mean, signal = crit[cid]
                        signals.append(signal)
                        said.append(f"{crit_title.get(cid, cid)}: {fmt_number(mean)} ({signal})")
                for sid in evidence.sections:
                    if sid in secs:
                        said.append(f"{sec_title.get(sid, sid)}: {fmt_number(secs[sid])}")
                if not said:
                    verdict = "niet gevraagd in de laatste ronde"
                elif RED in signals:
                    verdict = "niet waargemaakt"
                elif "oranje" in signals:
                    verdict = "twijfel"
                else:
                    verdict = "waargemaakt" if signals else "zie scores"
            elif evidence is None:
                verdict = "de vragenlijst zegt hier niets over"
            rows.append(
                {
                    "cooperation_id": it.cooperation_id,
                    "Samenwerking": it.entry.name,
                    "Motief": motive_label.get(motive, motive),
                    "Oordeel": verdict,
                    "Wat de partners zeggen": "; ".join(said),
                }
            )
    return pd.DataFrame(rows, columns=["cooperation_id", "Samenwerking", "Motief", "Oordeel", "Wat de partners zeggen"])


def trend(items: list[Item], q: Questionnaire) -> pd.DataFrame:
    """Long form for every cooperation with two or more rounds with results: cooperation, round,
    section, mean (everyone), and the round's advice."""
    sec_title = {s.id: s.title for s in q.sections}
    label = {a.id: a.label for a in q.settings.advices}
    rows = []
    for it in items:
        done = [r for r in it.rounds if r.summary is not None]
        if len(done) < 2:
            continue
        for r in done:
            advice, _ = round_advice(r.summary, q)
            for sid, mean in sections_of(r.summary).items():
                rows.append(
                    {
                        "cooperation_id": it.cooperation_id,
                        "Samenwerking": it.entry.name,
                        "Ronde": r.number,
                        "Onderdeel": sec_title.get(sid, sid),
                        "Gemiddelde": float(mean),
                        "Advies": label.get(advice, "") if advice else "",
                    }
                )
    return pd.DataFrame(rows, columns=["cooperation_id", "Samenwerking", "Ronde", "Onderdeel", "Gemiddelde", "Advies"])


def results_columns(items: list[Item], q: Questionnaire) -> pd.DataFrame:
    """The latest round's results as extra export columns (an import skips them)."""
    label = {a.id: a.label for a in q.settings.advices}
    title = {c.id: c.title for c in q.criteria}
    rows = []
    for it in items:
        r = it.latest
        if r is None:
            rows.append({"Laatste ronde": "", "Advies laatste ronde": "", "Op rood in laatste ronde": ""})
            continue
        advice, _ = round_advice(r.summary, q)
        red = [title.get(c, c) for c, (_, s) in criteria_of(r.summary).items() if s == RED]
        rows.append(
            {
                "Laatste ronde": f"Ronde {r.number} ({_fmt(r.held_at)})",
                "Advies laatste ronde": label.get(advice, "") if advice else "",
                "Op rood in laatste ronde": ", ".join(red),
            }
        )
    return pd.DataFrame(rows, columns=["Laatste ronde", "Advies laatste ronde", "Op rood in laatste ronde"])


NO_ROUND = "nog geen ronde met uitkomsten"
NO_ADVICE = "geen advies: te weinig deelnemers"
_NONE, _HIDDEN = "", "-"


def advice_spread(items: list[Item], q: Questionnaire) -> pd.DataFrame:
    """How many cooperations got each advice in their latest round, mildest first; then how many
    have no round with results yet, and how many a round whose groups were all too small to show.
    Columns: advice (id; '' no round, '-' too few), label, n."""
    got = Counter()
    for it in items:
        r = it.latest
        if r is None:
            got[_NONE] += 1
        else:
            got[round_advice(r.summary, q)[0] or _HIDDEN] += 1
    rows = [{"advice": a.id, "label": a.label, "n": got[a.id]} for a in q.settings.advices if got[a.id]]
    for key, label in ((_HIDDEN, NO_ADVICE), (_NONE, NO_ROUND)):
        if got[key]:
            rows.append({"advice": key, "label": label, "n": got[key]})
    return pd.DataFrame(rows, columns=["advice", "label", "n"])


def fmt_euro(amount) -> str:
    """Whole euros the Dutch way: € 1.250.000."""
    return "€ " + f"{int(amount):,}".replace(",", ".")


def budgets(items: list[Item]) -> pd.DataFrame:
    """Budget contributions per municipality and year (whole euros), summed over its cooperations,
    with the number of cooperations it pays into. Only municipalities with a contribution."""
    rows = [
        {"Gemeente": b.municipality, "Jaar": b.year, "Bedrag": b.amount, "cooperation_id": it.cooperation_id}
        for it in items
        for b in (it.entry.budgets or ())
    ]
    if not rows:
        return pd.DataFrame(columns=["Gemeente", "Samenwerkingen"])
    frame = pd.DataFrame(rows)
    wide = frame.pivot_table(index="Gemeente", columns="Jaar", values="Bedrag", aggfunc="sum", fill_value=0)
    wide.columns = [str(c) for c in wide.columns]
    wide.insert(0, "Samenwerkingen", frame.groupby("Gemeente")["cooperation_id"].nunique())
    wide = wide.reset_index()
    order = sorted(wide["Gemeente"], key=lambda n: (sort_key(n), n))
    return wide.set_index("Gemeente").loc[order].reset_index().astype({c: "int64" for c in wide.columns if c != "Gemeente"})
