"""The evaluation cycle: a cooperation record, its rounds, content versions and the trend.

The trend numbers are checked against a hand computation from each round's raw answers export
(the CSV the begeleider downloads), the way a griffier with a spreadsheet would do it.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from exports import session as session_exports
from questionnaire import versions
from scoring import trend as trends
from services import cooperation, workshop
from storage.store import InvalidInput

MUNIS = ["Tiel", "Culemborg", "Buren"]
SECTIONS = ["fundament", "eerlijk", "eigenaarschap", "stopcriteria", "signalen"]


def _setup(min_n: int = 3) -> cooperation.RoundSetup:
    return cooperation.RoundSetup(
        roles=["raadslid", "wethouder", "griffier"], sections=SECTIONS, min_n=min_n, retention_months=12, open_questions=["Wat nu?"]
    )


def _first(store, q, **kw):
    return cooperation.start_first_round(
        store,
        q,
        name="GR Rivierenland",
        municipalities=MUNIS,
        form="gr_openbaar_lichaam",
        domain="sociaal_domein",
        required_kind=None,
        evaluation_moments=[date(2027, 6, 1)],
        setup=kw.pop("setup", _setup()),
    )


def _answer_all(store, q, session, values: dict[str, list[int]], role="raadslid"):
    """values: municipality -> one value per participant, given to every statement of the sections
    (a statement scored in reverse gets 6 - value, so each section score is exactly that value)."""
    items = [i for s in q.sections if s.id in session.sections for i in s.items]
    for muni, per_person in values.items():
        for v in per_person:
            p, _ = store.create_participant(cooperation=session.name, session_id=session.id, municipality=muni, role=role)
            store.save_answers(p.id, {i.id: (6 - v if i.reverse else v) for i in items})
            store.finish(p.id)


def _hand_means(store, q, session) -> dict[tuple[str, str], Decimal]:
    """Per (section, municipality or '*'): the mean score from the raw CSV, rounded half up by hand."""
    data = workshop.load_session_data(store, q, session)
    raw = pd.read_csv(io.BytesIO(session_exports.answers_csv(data, q)), skiprows=1)
    raw = raw[raw["waarde"].between(1, 5)]
    raw["score"] = raw.apply(lambda r: 6 - r["waarde"] if r["omgekeerd"] else r["waarde"], axis=1)
    per_person = raw.groupby(["onderdeel", "gemeente", "deelnemer"])["score"].mean().reset_index()
    out = {}
    for (section, muni), g in per_person.groupby(["onderdeel", "gemeente"]):
        out[(section, muni)] = _half_up(sum(Decimal(str(x)) for x in g["score"]) / len(g))
    for section, g in per_person.groupby("onderdeel"):
        out[(section, trends.ALL)] = _half_up(sum(Decimal(str(x)) for x in g["score"]) / len(g))
    return out


def _half_up(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- the record and its rounds


def test_the_next_round_takes_the_partners_and_choices_over(store, q):
    first, _ = _first(store, q)
    store.set_session_required(first.id, None)
    coop = store.cooperation_of_session(first.id)
    assert coop.name == "GR Rivierenland" and coop.municipalities == tuple(MUNIS)
    assert coop.form == "gr_openbaar_lichaam" and coop.evaluation_moments == (date(2027, 6, 1),)
    second, token = cooperation.start_next_round(store, q, first)
    assert token and second.id != first.id and second.join_code != first.join_code
    assert second.municipalities == first.municipalities and second.sections == first.sections
    assert second.roles == first.roles and second.min_group_size == first.min_group_size
    assert store.open_questions(second.id) == ["Wat nu?"]
    assert [r.session_id for r in store.rounds(coop.id)] == [first.id, second.id]
    assert [r.number for r in store.rounds(coop.id)] == [1, 2]
    # Both rounds recorded the content version they asked.
    (r1, r2) = store.rounds(coop.id)
    assert r1.content_hash == r2.content_hash == versions.current(q).hash
    label, snap = store.content_version(r1.content_hash)
    assert label == versions.current(q).label and snap == versions.snapshot(q)


def test_a_legally_required_cooperation_stays_required_in_the_next_round(store, q):
    first, _ = cooperation.start_first_round(
        store,
        q,
        name="Veiligheidsregio X",
        municipalities=MUNIS,
        form="gr_openbaar_lichaam",
        domain="veiligheid",
        required_kind="veiligheidsregio",
        evaluation_moments=[],
        setup=_setup(),
    )
    assert store.session_required(first.id) == "veiligheidsregio"
    second, _ = cooperation.start_next_round(store, q, first)
    assert store.session_required(second.id) == "veiligheidsregio"


def test_a_record_with_a_form_outside_the_list_is_refused(store, q):
    with pytest.raises(InvalidInput, match="vorm"):
        cooperation.start_first_round(
            store, q, name="X", municipalities=MUNIS, form="fusie", domain="jeugd", required_kind=None, evaluation_moments=[], setup=_setup()
        )


def test_a_first_round_has_no_trend(store, q):
    first, _ = _first(store, q)
    assert cooperation.trend(store, q, first) is None


# ---------------------------------------------------------------- two rounds, by hand


def test_two_rounds_trend_equals_a_hand_computation_from_the_raw_exports(store, q):
    first, _ = _first(store, q)
    _answer_all(store, q, first, {"Tiel": [4, 4, 3], "Culemborg": [2, 3, 3], "Buren": [5, 4]})  # Buren: 2 < 3
    cooperation.set_closed(store, q, first.id, True)
    second, _ = cooperation.start_next_round(store, q, first)
    _answer_all(store, q, second, {"Tiel": [3, 3, 3], "Culemborg": [4, 4, 3], "Buren": [4, 4, 4]})

    t = cooperation.trend(store, q, second)
    assert t.rounds == (1, 2) and t.previous == 1 and t.latest == 2
    hand = {1: _hand_means(store, q, first), 2: _hand_means(store, q, second)}
    # Round 1: Buren (2 people) is below the minimum and counts nowhere: also not in "everyone".
    for (section, group), value in hand[1].items():
        if section not in {"fundament", "eerlijk", "eigenaarschap"}:
            continue
        cell = t.table[(t.table["round"] == 1) & (t.table["section"] == section) & (t.table["group"] == group)]
        if group == "Buren":
            assert bool(cell["suppressed"].iloc[0])
        elif group == trends.ALL:
            without_buren = _hand_round_without(store, q, first, "Buren")[section]
            assert Decimal(str(cell["mean"].iloc[0])) == without_buren
        else:
            assert Decimal(str(cell["mean"].iloc[0])) == value, (section, group)
    for (section, group), value in hand[2].items():
        if section in {"fundament", "eerlijk", "eigenaarschap"}:
            cell = t.table[(t.table["round"] == 2) & (t.table["section"] == section) & (t.table["group"] == group)]
            assert Decimal(str(cell["mean"].iloc[0])) == value, (section, group)

    # The changes: latest minus previous, as shown; at least 0.5 is named; a suppressed group has none.
    expected = {}
    for section in ("fundament", "eerlijk", "eigenaarschap"):
        before_all = _hand_round_without(store, q, first, "Buren")[section]
        for group, before in (("Tiel", hand[1][(section, "Tiel")]), ("Culemborg", hand[1][(section, "Culemborg")]), (trends.ALL, before_all)):
            delta = hand[2][(section, group)] - before
            if abs(delta) >= Decimal("0.5"):
                expected[(section, group)] = delta
    got = {(r.section, r.group): Decimal(str(r.delta)) for r in t.changes.itertuples()}
    assert got == expected and expected  # Tiel fell by 0.7, Culemborg rose by 1.0
    assert ("fundament", "Buren") not in got
    assert t.not_compared == ()

    # The advice spread per round is there for both rounds.
    assert set(t.advice["round"]) == {1, 2}
    for rnd in (1, 2):
        shares = t.advice.loc[t.advice["round"] == rnd, "share"]
        assert shares.sum() == pytest.approx(1.0)


def _hand_round_without(store, q, session, muni) -> dict[str, Decimal]:
    data = workshop.load_session_data(store, q, session)
    raw = pd.read_csv(io.BytesIO(session_exports.answers_csv(data, q)), skiprows=1)
    raw = raw[raw["waarde"].between(1, 5) & (raw["gemeente"] != muni)]
    raw["score"] = raw.apply(lambda r: 6 - r["waarde"] if r["omgekeerd"] else r["waarde"], axis=1)
    per_person = raw.groupby(["onderdeel", "deelnemer"])["score"].mean().reset_index()
    return {
        s: _half_up(sum(Decimal(str(x)) for x in g["score"]) / len(g)) for s, g in per_person.groupby("onderdeel")
    }


def test_the_trend_survives_the_purge_of_the_first_round(store, q):
    first, _ = _first(store, q)
    _answer_all(store, q, first, {"Tiel": [4, 4, 4], "Culemborg": [2, 2, 2], "Buren": [3, 3, 3]})
    cooperation.set_closed(store, q, first.id, True)
    before = cooperation.trend  # the trend computed while round 1 still exists
    second, _ = cooperation.start_next_round(store, q, first)
    _answer_all(store, q, second, {"Tiel": [3, 3, 3], "Culemborg": [3, 3, 3], "Buren": [3, 3, 3]})
    with_session = before(store, q, second)
    assert store.delete_session(first.id, keep_round=True)  # what the retention purge does
    (r1, _r2) = store.rounds(store.cooperation_of_session(second.id).id)
    assert r1.session_id is None and r1.summary is not None
    after = cooperation.trend(store, q, second)
    pd.testing.assert_frame_equal(after.table, with_session.table)
    pd.testing.assert_frame_equal(after.changes, with_session.changes)


# ---------------------------------------------------------------- a changed section


def test_a_section_that_changed_between_versions_is_left_out_and_named(store, q, changed_q):
    assert versions.current(q).hash != versions.current(changed_q).hash
    first, _ = _first(store, q)
    _answer_all(store, q, first, {"Tiel": [2, 2, 2], "Culemborg": [2, 2, 2], "Buren": [2, 2, 2]})
    cooperation.set_closed(store, q, first.id, True)
    second, _ = cooperation.start_next_round(store, changed_q, first)
    _answer_all(store, changed_q, second, {"Tiel": [4, 4, 4], "Culemborg": [4, 4, 4], "Buren": [4, 4, 4]})
    t = cooperation.trend(store, changed_q, second)
    assert trends.NotCompared("eerlijk", 1, trends.CHANGED) in t.not_compared
    assert t.table[(t.table["section"] == "eerlijk") & (t.table["round"] == 1)].empty
    assert not t.table[(t.table["section"] == "eerlijk") & (t.table["round"] == 2)].empty
    assert "eerlijk" not in set(t.changes["section"])
    # The sections that stayed the same are compared: +2.0 for everyone.
    everyone = t.changes[(t.changes["group"] == trends.ALL)].set_index("section")["delta"]
    assert everyone.to_dict() == {"fundament": 2.0, "eigenaarschap": 2.0}


def test_a_round_from_before_content_versions_is_named_not_compared(store, q):
    first, _ = _first(store, q)
    _answer_all(store, q, first, {"Tiel": [3, 3, 3], "Culemborg": [3, 3, 3], "Buren": [3, 3, 3]})
    from sqlalchemy import update

    from storage import schema

    with store.engine.begin() as c:  # what migration 0005 leaves for a session made before it
        c.execute(update(schema.rounds).values(content_hash=None))
    second, _ = cooperation.start_next_round(store, q, first)
    _answer_all(store, q, second, {"Tiel": [4, 4, 4], "Culemborg": [4, 4, 4], "Buren": [4, 4, 4]})
    t = cooperation.trend(store, q, second)
    assert {n.reason for n in t.not_compared} == {trends.UNKNOWN}
    assert set(t.table["round"]) == {2} and t.changes.empty


# ---------------------------------------------------------------- the pure trend


def _round(number, means: dict[tuple[str, str], float | None], asked=("fundament",), sig=None, advice=None):
    rows = [
        {"group": g, "section": s, "n": None if m is None else 5, "mean": m, "suppressed": m is None} for (s, g), m in means.items()
    ]
    signatures = sig if sig is not None else {s: (("x", "tekst", False, None),) for s in asked}
    adv = advice or [{"group": trends.ALL, "advice": "doorgaan", "count": 5, "n": 5, "suppressed": False}]
    return trends.RoundScores(
        number,
        f"Ronde {number}",
        tuple(asked),
        signatures,
        pd.DataFrame(rows, columns=trends.SECTION_COLUMNS),
        pd.DataFrame(adv, columns=trends.ADVICE_COLUMNS),
        5,
    )


def test_a_change_of_exactly_the_threshold_is_named_and_just_below_is_not():
    r1 = _round(1, {("fundament", trends.ALL): 3.2, ("fundament", "A"): 3.3})
    r2 = _round(2, {("fundament", trends.ALL): 3.7, ("fundament", "A"): 3.7})
    t = trends.build([r1, r2], ["fundament"], 0.5)
    assert t.changes.to_dict("records") == [{"section": "fundament", "group": trends.ALL, "before": 3.2, "after": 3.7, "delta": 0.5}]


def test_a_suppressed_group_in_either_round_has_no_change():
    r1 = _round(1, {("fundament", "A"): None, ("fundament", "B"): 2.0})
    r2 = _round(2, {("fundament", "A"): 4.0, ("fundament", "B"): None})
    t = trends.build([r1, r2], ["fundament"], 0.5)
    assert t.changes.empty


def test_the_latest_round_is_the_reference_for_what_is_compared():
    same = {"fundament": (("a", "x", False, None),)}
    other = {"fundament": (("a", "anders", False, None),)}
    r1 = _round(1, {("fundament", trends.ALL): 2.0}, sig=other)
    r2 = _round(2, {("fundament", trends.ALL): 3.0}, sig=same)
    r3 = _round(3, {("fundament", trends.ALL): 3.6}, sig=same)
    t = trends.build([r1, r2, r3], ["fundament"], 0.5)
    assert t.not_compared == (trends.NotCompared("fundament", 1, trends.CHANGED),)
    assert sorted(t.table["round"]) == [2, 3]
    assert t.changes["delta"].tolist() == [0.6]


def test_a_section_no_longer_asked_is_named():
    r1 = _round(1, {("fundament", trends.ALL): 2.0, ("eerlijk", trends.ALL): 3.0}, asked=("fundament", "eerlijk"))
    r2 = _round(2, {("fundament", trends.ALL): 3.0}, asked=("fundament",))
    t = trends.build([r1, r2], ["fundament", "eerlijk"], 0.5)
    assert trends.NotCompared("eerlijk", 1, trends.NOT_IN_LATEST) in t.not_compared


def test_the_purge_keeps_the_results_of_a_round_that_was_never_closed(store, q):
    from datetime import timedelta

    from services import retention
    from storage.store import _now

    first, _ = _first(store, q)
    _answer_all(store, q, first, {"Tiel": [4, 4, 4], "Culemborg": [2, 2, 2], "Buren": [3, 3, 3]})
    second, _ = cooperation.start_next_round(store, q, first)
    expected = cooperation.round_scores(store, q, store.round_of_session(first.id))
    with store.engine.begin() as c:  # round 1 was made long ago and never closed: it has expired
        from sqlalchemy import update

        from storage import schema

        c.execute(update(schema.sessions).where(schema.sessions.c.id == first.id).values(created_at=_now() - timedelta(days=800)))
    assert retention.purge_once(store, q) == (1, 0)
    assert store.session(first.id) is None
    kept = cooperation.round_scores(store, q, store.rounds(store.cooperation_of_session(second.id).id)[0])
    assert kept.available and kept.n == expected.n == 9
    pd.testing.assert_frame_equal(kept.sections, expected.sections)


def test_a_session_knows_which_round_it_is(store, q):
    first, _ = _first(store, q)
    second, _ = cooperation.start_next_round(store, q, first)
    third, _ = cooperation.start_next_round(store, q, second)
    assert [store.session(s.id).round_number for s in (first, second, third)] == [1, 2, 3]
    assert [r.number for r in store.rounds(store.cooperation_of_session(first.id).id)] == [1, 2, 3]
