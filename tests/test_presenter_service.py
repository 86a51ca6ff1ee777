"""Presenter pacing, slide state and session links: services/presenter.py and the store behind it (real SQLite/PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from services import presenter, session_card, workshop
from storage import Store
from storage import schema as t
from storage.store import FACILITATOR, PROJECTOR, hash_token


def _session(store, q, sections=None, munis=("Tiel", "Buren", "Culemborg")):
    sections = sections or [s.id for s in q.sections]
    return store.create_session("Regio", list(munis), [r.id for r in q.settings.roles], sections, 2)


def test_slides_tell_the_story_in_order(store, q):
    session, _ = _session(store, q)
    keys = [s.key for s in presenter.slides(session, q)]
    scored = [s.id for s in q.scored_sections([x.id for x in q.sections])]
    assert keys == [
        presenter.JOIN,
        "heatmap_gemeenten",
        "spreiding_gemeenten",
        *[key for sid in scored for key, _, _ in workshop.statement_parts(q, sid)],
        "stopcriteria_gemeenten",
        "advies_gemeenten",
        "heatmap_rollen",
        presenter.OPEN,
        presenter.TOPICS,  # the last slide: what to talk about first
    ]
    deck = presenter.slides(session, q)
    assert not deck[0].has_results and all(s.has_results for s in deck[1:])


def test_slides_leave_out_what_the_session_does_not_ask(store, q):
    stops = [s.id for s in q.stop_sections([x.id for x in q.sections])]
    only_stops, _ = _session(store, q, sections=stops)
    assert [s.key for s in presenter.slides(only_stops, q)] == [
        presenter.JOIN,
        "stopcriteria_gemeenten",
        "advies_gemeenten",
        presenter.OPEN,
        presenter.TOPICS,
    ]
    first = q.scored_sections([x.id for x in q.sections])[0].id
    only_one, _ = _session(store, q, sections=[first])
    keys = [s.key for s in presenter.slides(only_one, q)]
    assert f"stellingen_{first}" in keys and "stopcriteria_gemeenten" not in keys and "advies_gemeenten" not in keys


def test_every_figure_slide_has_its_figure(store, q):
    session, _ = _session(store, q)
    for n, muni in enumerate(["Tiel", "Tiel", "Buren", "Buren"]):
        p, _ = store.create_participant(cooperation="Regio", municipality=muni, role="raadslid", session_id=session.id)
        store.save_answers(p.id, {i.id: 1 + (n + k) % 5 for k, i in enumerate(q.items)})
    figs = presenter.figures(workshop.load_session_data(store, q, session), q, size="normal")
    for slide in presenter.slides(session, q)[1:]:
        if slide.key not in presenter.TEXT_SLIDES:
            assert slide.key in figs, slide.key
    section = q.scored_sections([s.id for s in q.sections])[0]
    parts = [figs[key] for key, _, _ in workshop.statement_parts(q, section.id)]
    shown = [text for one in parts for text in one.table["Stelling"]]
    assert sorted(shown) == sorted(i.text for i in section.items)  # that section's statements, each once


def test_stepping_is_stored_and_stops_at_both_ends(db_url, q):
    console, projector = Store(db_url), Store(db_url)  # two processes on one database
    try:
        session, _ = _session(console, q)
        deck = presenter.slides(session, q)
        assert presenter.current_index(deck, projector.presenter_view(session.id)) == 0
        presenter.step(console, q, session.id, -1)  # already at the first slide
        assert projector.presenter_view(session.id).slide == deck[0].key
        for n in range(1, len(deck) + 2):
            presenter.step(console, q, session.id, 1)
            expected = deck[min(n, len(deck) - 1)].key
            assert projector.presenter_view(session.id).slide == expected
        presenter.step(console, q, session.id, -1)
        assert projector.presenter_view(session.id).slide == deck[-2].key
    finally:
        console.dispose()
        projector.dispose()


def test_an_unknown_stored_slide_falls_back_to_the_first(store, q):
    session, _ = _session(store, q)
    store.set_slide(session.id, "a-slide-that-does-not-exist")
    deck = presenter.slides(session, q)
    assert presenter.current_index(deck, store.presenter_view(session.id)) == 0
    assert presenter.neighbour(deck, store.presenter_view(session.id), 1) == deck[1].key


def test_reveal_per_slide_and_all_at_once(store, q):
    session, _ = _session(store, q)
    deck = presenter.slides(session, q)
    heat, spread = deck[1], deck[2]
    view = store.presenter_view(session.id)
    assert not presenter.shows_results(heat, view) and not store.session(session.id).revealed

    store.set_slide_revealed(session.id, heat.key, True)
    view = store.presenter_view(session.id)
    assert presenter.shows_results(heat, view) and not presenter.shows_results(spread, view)
    assert store.session(session.id).revealed  # participants see their comparison once results are on screen

    store.set_revealed(session.id, True)  # alles tonen
    view = store.presenter_view(session.id)
    assert all(presenter.shows_results(s, view) for s in deck[1:])
    assert not presenter.shows_results(deck[0], view)  # the join slide has nothing to hide

    store.set_slide_revealed(session.id, spread.key, False)  # one slide hidden again
    view = store.presenter_view(session.id)
    assert not presenter.shows_results(spread, view) and presenter.shows_results(heat, view)

    store.set_revealed(session.id, False)  # alles verbergen: per-slide choices go too
    view = store.presenter_view(session.id)
    assert not any(presenter.shows_results(s, view) for s in deck) and not store.session(session.id).revealed


def test_projector_link_opens_only_the_projector(store, q):
    session, fac = _session(store, q)
    _, proj = store.create_link(session.id, PROJECTOR)
    assert len(proj) >= 43
    assert store.session_by_projector_token(proj).id == session.id
    assert store.session_by_facilitator_token(proj) is None  # a leaked presentatielink gives no power
    assert store.session_by_projector_token(fac) is None
    assert store.session_by_projector_token(hash_token(proj)) is None  # the stored hash is no key
    with store.engine.connect() as c:
        stored = set(c.execute(t.session_links.select().with_only_columns(t.session_links.c.token_hash)).scalars())
    assert hash_token(proj) in stored and proj not in stored


def test_a_second_facilitator_link_and_revoking(store, q):
    session, first = _session(store, q)
    link, second = store.create_link(session.id, FACILITATOR)
    assert store.session_by_facilitator_token(second).id == session.id
    _, proj = store.create_link(session.id, PROJECTOR)
    kinds = [(x.kind, x.revoked_at) for x in store.links(session.id)]
    assert kinds == [(FACILITATOR, None), (FACILITATOR, None), (PROJECTOR, None)]

    store.revoke_link(session.id, link.id)
    assert store.session_by_facilitator_token(second) is None
    assert store.session_by_facilitator_token(first).id == session.id  # the other link still works
    first_link = store.link_by_token(first)
    store.revoke_link(session.id, first_link.id)
    assert store.session_by_facilitator_token(first) is None
    proj_link = store.link_by_token(proj)
    store.revoke_link(session.id, proj_link.id)
    assert store.session_by_projector_token(proj) is None

    other, _ = _session(store, q)
    _, other_proj = store.create_link(other.id, PROJECTOR)
    store.revoke_link(session.id, store.link_by_token(other_proj).id)  # not this session's link: nothing happens
    assert store.session_by_projector_token(other_proj).id == other.id


def test_a_session_from_before_session_links_is_listed_and_can_be_revoked(db_url, q):
    """Migration 0003 lists the begeleiderslink of every existing session in session_links."""
    from sqlalchemy import create_engine

    from storage import migrate

    migrate.upgrade(db_url, "0002")  # a database as the version before the presenter left it
    fac = "f" * 43
    engine = create_engine(db_url)
    with engine.begin() as c:
        sid = c.execute(
            t.sessions.insert().values(
                join_code="K7MX3P",
                facilitator_hash=hash_token(fac),
                name="Oud",
                sections='["eerlijk"]',
                roles='["raadslid"]',
                min_group_size=3,
                revealed=False,
                closed=False,
                created_at=datetime.now(UTC),
            )
        ).inserted_primary_key[0]
    engine.dispose()
    new = Store(db_url)  # the start migrates to the head
    try:
        assert new.session_by_facilitator_token(fac).id == sid
        links = new.links(sid)
        assert [(x.kind, x.revoked_at) for x in links] == [(FACILITATOR, None)]
        new.revoke_link(sid, links[0].id)
        assert new.session_by_facilitator_token(fac) is None
    finally:
        new.dispose()


def test_session_card_has_both_links_the_code_and_the_date():
    page = session_card.card_html(
        name="Regio <b>Rivierenland</b>",
        join_code="K7MX3P",
        join_url="https://spiegel.example/?code=K7MX3P",
        facilitator_url="https://spiegel.example/dashboard?f=FAC",
        projector_url="https://spiegel.example/scherm?s=PROJ",
        created_at=datetime(2026, 12, 1, 23, 30, tzinfo=UTC),
    )
    assert "K7MX3P" in page and "dashboard?f=FAC" in page and "scherm?s=PROJ" in page
    assert "02-12-2026 om 00:30" in page  # Dutch time: 23:30 UTC is 00:30 the next day in winter
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]  # inline QR, no external file
    assert "<b>Rivierenland</b>" not in page and "&lt;b&gt;" in page  # the name is text
    assert "Begeleiderslink" in page and "Presentatielink" in page and 'lang="nl"' in page


def test_a_slide_builds_only_its_own_figures_and_the_same_as_all_at_once(store, q):
    munis = ["Tiel", "Buren", "Culemborg", "Zaltbommel"]
    session, _ = _session(store, q, munis=munis)
    for n, muni in enumerate(m for m in munis for _ in range(2)):
        p, _ = store.create_participant(cooperation="Regio", municipality=muni, role="raadslid", session_id=session.id)
        store.save_answers(p.id, {i.id: 1 + (n + k) % 5 for k, i in enumerate(q.items)})
    data = workshop.load_session_data(store, q, session)
    everything = presenter.figures(data, q, size="normal")
    for slide in [s for s in presenter.slides(session, q)[1:] if s.key not in presenter.TEXT_SLIDES]:
        some = presenter.slide_figures(data, q, slide.key, size="normal")
        assert slide.key in some
        assert set(some) <= set(everything)
        for key, fig in some.items():
            assert fig.caption == everything[key].caption and fig.table.equals(everything[key].table), key
