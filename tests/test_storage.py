"""Storage against a real database file (and PostgreSQL when DATABASE_URL points at one)."""

from __future__ import annotations

import threading

import pytest

from storage import InvalidInput, SessionClosed, Store
from storage.store import CODE_ALPHABET, normalise_code


def test_participant_round_trip_and_resume_by_token(store):
    p, token = store.create_participant(cooperation="GR Test", municipality="Utrecht", role="raadslid")
    assert len(token) >= 40  # 32 random bytes, URL-safe
    again = store.participant_by_token(token)
    assert again == p
    assert again.step == 0 and not again.finished
    assert store.participant_by_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert store.participant_by_token("") is None
    assert store.participant_by_token("<script>") is None


def test_answering_again_overwrites_never_duplicates(store):
    p, _ = store.create_participant(cooperation="GR", municipality="Utrecht", role="raadslid")
    store.save_answers(p.id, {"a": 2, "b": 5}, step=1)
    store.save_answers(p.id, {"a": 4}, step=2)
    store.save_answers(p.id, {"a": 4})
    assert store.answers_of(p.id) == {"a": 4, "b": 5}
    assert store.participant(p.id).step == 2
    assert store.count_answers() == 2


def test_finish_and_reopen(store):
    p, _ = store.create_participant(cooperation="GR", municipality="Utrecht", role="raadslid")
    store.finish(p.id)
    done = store.participant(p.id)
    assert done.finished
    store.finish(p.id)  # idempotent: keeps the first finishing time
    assert store.participant(p.id).finished_at == done.finished_at
    store.reopen(p.id, 3)
    back = store.participant(p.id)
    assert not back.finished and back.step == 3


def test_session_codes_and_facilitator_token(store):
    s, ftoken = store.create_session("Regio Test", ["Berkdal", "Meerwijk", "Ooststad"], ["raadslid"], ["eerlijk"], 3)
    assert len(s.join_code) == 6 and set(s.join_code) <= set(CODE_ALPHABET)
    assert not set(s.join_code) & set("0O1IL")
    assert len(ftoken) >= 43  # >= 256 bits of randomness, base64url
    assert store.session_by_code(s.join_code.lower()) == s
    assert store.session_by_code(f" {s.join_code[:3]}-{s.join_code[3:]} ") == s
    assert store.session_by_facilitator_token(ftoken) == s
    assert store.session_by_facilitator_token(ftoken + "x") is None
    assert store.session_by_facilitator_token(None) is None
    assert s.municipalities == ("Berkdal", "Meerwijk", "Ooststad")
    assert not s.revealed and not s.closed


@pytest.mark.parametrize("raw", ["", "ABC", "ABCDEFG", "AB0DEF", "ABCDE!", None, "x" * 500])
def test_malformed_codes_are_rejected(raw):
    assert normalise_code(raw) is None


def test_session_validation_messages(store):
    with pytest.raises(InvalidInput, match="2 tot en met 20"):
        store.create_session("X", ["A"], ["raadslid"], ["eerlijk"], 3)
    with pytest.raises(InvalidInput, match="te lang"):
        store.create_session("X" * 500, ["A", "B"], ["raadslid"], ["eerlijk"], 3)
    with pytest.raises(InvalidInput, match="twee keer"):
        store.create_session("X", ["A", "A"], ["raadslid"], ["eerlijk"], 3)
    with pytest.raises(InvalidInput, match="leeg"):
        store.create_participant(cooperation="  ", municipality="A", role="raadslid")


def test_closed_session_refuses_answers_and_joins(store):
    s, _ = store.create_session("Regio", ["A", "B"], ["raadslid"], ["eerlijk"], 3)
    p, _ = store.create_participant(cooperation=s.name, municipality="A", role="raadslid", session_id=s.id)
    store.save_answers(p.id, {"x": 3})
    store.set_closed(s.id, True)
    with pytest.raises(SessionClosed):
        store.save_answers(p.id, {"x": 5})
    with pytest.raises(SessionClosed):
        store.create_participant(cooperation=s.name, municipality="A", role="raadslid", session_id=s.id)
    assert store.answers_of(p.id) == {"x": 3}
    store.set_closed(s.id, False)
    store.save_answers(p.id, {"x": 5})
    assert store.answers_of(p.id) == {"x": 5}


def test_reveal_flag(store):
    s, _ = store.create_session("Regio", ["A", "B"], ["raadslid"], ["eerlijk"], 3)
    store.set_revealed(s.id, True)
    assert store.session(s.id).revealed
    store.set_revealed(s.id, False)
    assert not store.session(s.id).revealed


def test_frames_for_scoring_and_counts(store):
    s, _ = store.create_session("Regio", ["Berkdal", "Meerwijk", "Ooststad"], ["raadslid", "wethouder"], ["eerlijk"], 3)
    people = []
    for muni, role in [("Berkdal", "raadslid"), ("Berkdal", "wethouder"), ("Meerwijk", "raadslid")]:
        p, _ = store.create_participant(cooperation=s.name, municipality=muni, role=role, session_id=s.id)
        store.save_answers(p.id, {"i1": 4, "i2": 0})
        people.append(p)
    store.finish(people[0].id)
    other, _ = store.create_participant(cooperation="Zelfscan", municipality="Utrecht", role="raadslid")
    store.save_answers(other.id, {"i1": 1})

    answers = store.answers_frame(session_id=s.id)
    assert list(answers.columns) == ["participant", "item", "value", "answered_at"]
    assert len(answers) == 6 and set(answers["participant"]) == {p.pseudonym for p in people}
    assert answers["value"].tolist().count(0) == 3  # 'weet niet' is stored as its code
    parts = store.participants_frame(s.id)
    assert sorted(parts["municipality"]) == ["Berkdal", "Berkdal", "Meerwijk"]
    counts = store.session_counts(s.id).set_index("municipality")
    assert counts.loc["Berkdal"].tolist() == [2, 1]
    assert counts.loc["Meerwijk"].tolist() == [1, 0]
    assert counts.loc["Ooststad"].tolist() == [0, 0]  # every municipality of the session, zeros included
    assert store.count_answers(s.id) == 6


def test_tables_survive_a_new_store_on_the_same_database(db_url):
    a = Store(db_url)
    p, token = a.create_participant(cooperation="GR", municipality="Utrecht", role="raadslid")
    a.save_answers(p.id, {"x": 2}, step=1)
    a.dispose()
    b = Store(db_url)  # as after a restart
    again = b.participant_by_token(token)
    assert again.step == 1 and b.answers_of(again.id) == {"x": 2}
    b.dispose()


def test_concurrent_writers_lose_nothing(store):
    """Eight threads answer at once (as eight phones would): every answer lands exactly once."""
    people = [store.create_participant(cooperation="GR", municipality="A", role="raadslid")[0] for _ in range(8)]
    items = [f"i{n}" for n in range(25)]
    errors = []

    def answer(p):
        try:
            for n, item in enumerate(items):
                store.save_answers(p.id, {item: 1 + n % 5}, step=n)
                store.save_answers(p.id, {item: 1 + n % 5})  # a double submit
        except Exception as e:  # pragma: no cover - the assertion below reports it
            errors.append(e)

    threads = [threading.Thread(target=answer, args=(p,)) for p in people]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert store.count_answers() == 8 * 25
    for p in people:
        assert store.answers_of(p.id) == {item: 1 + n % 5 for n, item in enumerate(items)}
