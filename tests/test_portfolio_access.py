"""Netwerkregie links: the owner link is required for every change; a council's read-only link can
open and export the overview and cannot change anything, in the service and on the page (AppTest).
Tokens are stored only as SHA-256; a revoked link opens nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from questionnaire.municipalities import load_municipalities
from services import portfolio as P
from storage import Store
from storage import schema as t
from storage.store import hash_token
from tests.support import app_page
from tests.test_portfolio import _counts, _values, messy_xlsx
from ui.text import JOINER


@pytest.fixture(scope="module")
def munis():
    return load_municipalities()


@pytest.fixture
def filled(store, q, munis):
    region, owner = P.create_region(store, "Regio Rivierenland")
    assert P.import_sheet(store, q, munis, owner, messy_xlsx(fixed=True), "r.xlsx").ok
    _, council = P.add_council_link(store, owner, "Raad van Tiel")
    return region, owner, council


def test_only_hashes_of_tokens_are_stored(store, filled):
    _, owner, council = filled
    with store.engine.connect() as c:
        stored = set(c.execute(select(t.region_links.c.token_hash)).scalars())
    assert stored == {hash_token(owner), hash_token(council)}


def test_the_read_only_link_opens_and_exports_but_changes_nothing(store, q, munis, filled):
    _, owner, council = filled
    access = P.open_region(store, council)
    assert access is not None and not access.can_change
    assert P.overview(store, q, access).n_cooperations == 4
    assert P.export_xlsx(store, q, council)[:2] == b"PK"
    before = (_counts(store), _values(store), store.region_links(access.region.id))
    coop = P.items(store, access)[0].cooperation_id
    changes = [
        lambda: P.import_sheet(store, q, munis, council, messy_xlsx(fixed=True), "r.xlsx"),
        lambda: P.add_council_link(store, council, "Raad van Buren"),
        lambda: P.add_owner_link(store, council, "ikzelf"),
        lambda: P.revoke_link(store, council, store.region_links(access.region.id)[0].id),
        lambda: P.start_round(store, q, council, coop),
        lambda: P.links(store, council),
    ]
    for change in changes:
        with pytest.raises(P.NotAllowed, match="niet wijzigen"):
            change()
    assert (_counts(store), _values(store), store.region_links(access.region.id)) == before
    with store.engine.connect() as c:
        assert c.execute(select(t.rounds)).first() is None  # no round was started


@pytest.mark.parametrize("token", [None, "", "kort", "x" * 43, "a" * 200])
def test_no_or_a_wrong_token_opens_nothing_and_changes_nothing(store, q, munis, filled, token):
    assert P.open_region(store, token) is None
    with pytest.raises(P.NotAllowed):
        P.import_sheet(store, q, munis, token, messy_xlsx(fixed=True), "r.xlsx")
    with pytest.raises(P.NotAllowed):
        P.export_csv(store, q, token)


def test_a_revoked_link_opens_nothing(store, filled):
    region, owner, council = filled
    link = P.open_region(store, council).link
    P.revoke_link(store, owner, link.id)
    assert P.open_region(store, council) is None
    with pytest.raises(P.InvalidInput, match="niet intrekken"):
        P.revoke_link(store, owner, P.open_region(store, owner).link.id)  # not the link you work with


# ---------------------------------------------------------------- the page


def _page_store(app_db) -> Store:
    return Store(app_db)


def _plain(markdown: str) -> str:
    """What a person reads: ui.text.md's backslashes and word joiners taken out."""
    return re.sub(r"\\(.)", r"\1", str(markdown)).replace(JOINER, "")


def _texts(at) -> str:
    return " ".join(
        _plain(e.value) for kind in ("markdown", "caption", "info", "success", "error", "title") for e in getattr(at, kind)
    )


def test_page_without_a_token_makes_a_region_and_shows_the_owner_link_once(app_db):
    at = app_page("pages/regio.py")
    assert not at.exception
    at.text_input[0].input("Regio Rivierenland")
    at.button[0].click().run()
    assert not at.exception
    (code,) = at.code
    assert "/regio?r=" in code.value
    token = code.value.split("r=", 1)[1]
    store = _page_store(app_db)
    access = P.open_region(store, token)
    assert access is not None and access.can_change and access.region.name == "Regio Rivierenland"


def test_page_with_the_read_only_link_shows_no_buttons_for_changes(app_db, q, munis):
    store = _page_store(app_db)
    _, owner = P.create_region(store, "Regio Rivierenland")
    P.import_sheet(store, q, munis, owner, messy_xlsx(fixed=True), "r.xlsx")
    _, council = P.add_council_link(store, owner, "Raad van Tiel")

    at = app_page("pages/regio.py", r=council)
    assert not at.exception
    assert "Alleen kijken (Raad van Tiel)" in _texts(at)
    labels = {b.label for b in at.button}
    assert not labels & {"Ronde starten", "Inlezen", "Link maken", "Intrekken"}
    assert not at.get("file_uploader") and not at.selectbox  # no upload, no choice of a round to start
    assert [t.label for t in at.tabs] == [
        "Waar eerst kijken",
        "Lappendeken",
        "Domein en vorm",
        "Motieven en uitkomsten",
        "Trend",
        "Inlezen en exporteren",
    ]
    assert len(at.get("download_button")) == 3  # exports are allowed

    owner_at = app_page("pages/regio.py", r=owner)
    assert not owner_at.exception
    assert "Ronde starten" in {b.label for b in owner_at.button}
    assert owner_at.get("file_uploader") and "Links" in [t.label for t in owner_at.tabs]


def test_page_owner_starts_a_round_and_gets_a_begeleiderslink(app_db, q, munis):
    store = _page_store(app_db)
    _, owner = P.create_region(store, "Regio Rivierenland")
    P.import_sheet(store, q, munis, owner, messy_xlsx(fixed=True), "r.xlsx")
    at = app_page("pages/regio.py", r=owner)
    at.selectbox(key="regio_round_coop").select_index(0)
    next(b for b in at.button if b.label == "Ronde starten").click().run()
    assert not at.exception
    code = next(c.value for c in at.code if "/dashboard?f=" in c.value)
    session = store.session_by_facilitator_token(code.split("f=", 1)[1])
    assert session is not None and store.cooperation_of_session(session.id) is not None


def test_page_with_a_wrong_or_revoked_link_says_geen_toegang(app_db):
    store = _page_store(app_db)
    _, owner = P.create_region(store, "Regio Rivierenland")
    link, council = P.add_council_link(store, owner, "Raad van Tiel")
    P.revoke_link(store, owner, link.id)
    for token in (council, "x" * 43):
        at = app_page("pages/regio.py", r=token)
        assert not at.exception
        assert [t.value for t in at.title] == ["Geen toegang"]
        assert not at.button and not at.get("download_button")


def test_the_slide_shows_the_overview_for_any_link(app_db, q, munis):
    store = _page_store(app_db)
    _, owner = P.create_region(store, "Regio Rivierenland")
    P.import_sheet(store, q, munis, owner, messy_xlsx(fixed=True), "r.xlsx")
    _, council = P.add_council_link(store, owner, "Raad van Tiel")
    at = app_page("pages/regio.py", r=council, dia="1")
    assert not at.exception
    assert _plain(at.title[0].value) == "Samenwerkingen in Regio Rivierenland"
    numbers = next(h.proto.body for h in at.get("html") if "regio-numbers" in h.proto.body)
    assert "<span>Samenwerkingen</span><b>4</b>" in numbers and "<span>Gemeenten</span><b>5</b>" in numbers
    assert not at.button


def test_page_shows_rounds_results_with_dutch_numbers(app_db, q, munis):
    from services import cooperation
    from tests.test_portfolio import _answer

    store = _page_store(app_db)
    _, owner = P.create_region(store, "Regio Rivierenland")
    P.import_sheet(store, q, munis, owner, messy_xlsx(fixed=True), "r.xlsx")
    rsd = next(i for i in P.items(store, P.open_region(store, owner)) if i.entry.ref == "R-01")
    for value in (2, 5):
        session, _ = P.start_round(store, q, owner, rsd.cooperation_id)
        _answer(store, q, session, value)
        cooperation.set_closed(store, q, session.id, True)
    at = app_page("pages/regio.py", r=owner)
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    trend = next(f for f in frames if "Ronde 2" in f.columns)
    eerlijk = trend[(trend["Samenwerking"] == "Regionale Sociale Dienst") & (trend["Onderdeel"] == "Eerlijk")]
    assert eerlijk[["Ronde 1", "Ronde 2"]].values.tolist() == [["2,0", "5,0"]]
    budgets = next(f for f in frames if "2026" in f.columns)
    assert budgets.loc[budgets["Gemeente"] == "Tiel", "2026"].item() == "€ 1.250.000"
    flags = next(f for f in frames if "Op rood" in f.columns)
    assert flags["Advies"].tolist() == ["Stoppen"]
    assert at.selectbox(key="regio_trend_coop").value == rsd.cooperation_id
    assert len(at.get("vega_lite_chart")) == 4  # advice bars, memberships, and the two trend figures


def test_names_from_the_sheet_are_shown_as_text(app_db, q, munis):
    from ui.text import md

    name = "Regio [klik](https://x.nl) *vet* :smile: <b>"
    store = _page_store(app_db)
    _, owner = P.create_region(store, name)
    sheet_csv = b'Samenwerking;Vorm;Domein;Gemeenten\n=HYPERLINK("x") **GR**;Convenant;Afval;Tiel, Buren\n'
    assert P.import_sheet(store, q, munis, owner, sheet_csv, "x.csv").ok
    at = app_page("pages/regio.py", r=owner, dia="1")
    assert not at.exception
    assert at.title[0].value == md(f"Samenwerkingen in {name}")
    exported = P.export_csv(store, q, owner)
    assert exported.decode("utf-8-sig").splitlines()[1].split(";")[1].startswith("\"'=HYPERLINK")  # neutralised for Excel
    again = P.import_sheet(store, q, munis, owner, exported, "x.csv")  # and read back as the same name
    assert again.ok and (again.added, again.updated, again.unchanged) == (0, 0, 1)
    xlsx = P.import_sheet(store, q, munis, owner, P.export_xlsx(store, q, owner), "x.xlsx")
    assert xlsx.ok and (xlsx.added, xlsx.updated, xlsx.unchanged) == (0, 0, 1)


def test_page_owner_makes_a_council_link_and_revokes_it(app_db):
    store = _page_store(app_db)
    _, owner = P.create_region(store, "Regio Rivierenland")
    at = app_page("pages/regio.py", r=owner)
    next(t for t in at.text_input if t.label == "Voor wie").input("Raad van Buren")
    next(b for b in at.button if b.label == "Link maken").click().run()
    assert not at.exception
    url = next(c.value for c in at.code if "/regio?r=" in c.value)
    council = url.split("r=", 1)[1]
    access = P.open_region(store, council)
    assert access is not None and not access.can_change and access.link.label == "Raad van Buren"
    next(b for b in at.button if b.label == "Intrekken").click().run()
    assert not at.exception
    assert P.open_region(store, council) is None
    assert P.open_region(store, owner) is not None  # the link in use has no Intrekken button
