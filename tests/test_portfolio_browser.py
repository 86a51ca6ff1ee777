"""Real browser: a griffier uploads the region's messy sheet on the regio-overzicht, sees the errors per
row and column and that nothing was read in, uploads the fixed sheet and sees the lappendeken; a
council's read-only link on a phone shows the overview without an upload. Waits are for conditions."""

from __future__ import annotations

import pytest

from services import portfolio as P
from storage import Store
from tests.support import PHONE, PROJECTOR, fresh_database_url, settle, shot, streamlit_server
from tests.test_portfolio import messy_xlsx

pytestmark = pytest.mark.browser


def _upload(page, tmp_path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="Inlezen", exact=True).wait_for(timeout=30_000)
    settle(page)
    page.get_by_role("button", name="Inlezen", exact=True).click()
    settle(page)


def test_a_griffier_uploads_a_messy_then_a_fixed_sheet(browser, tmp_path):
    url = fresh_database_url(tmp_path, "regio.db")
    store = Store(url)
    _, owner = P.create_region(store, "Regio Rivierenland")
    _, council = P.add_council_link(store, owner, "Raad van Tiel")
    with streamlit_server(url) as (base, _):
        page = browser.new_page(viewport=PROJECTOR)
        page.goto(f"{base}/regio?r={owner}")
        settle(page)
        page.get_by_role("tab", name="Inlezen en exporteren").click()
        settle(page)

        _upload(page, tmp_path, "regelingen.xlsx", messy_xlsx(fixed=False))
        page.get_by_text("Er is niets ingelezen: het bestand heeft 5 fout(en).").wait_for(timeout=30_000)
        shot(page, "regio-import-errors-1920")
        assert P.items(store, P.open_region(store, owner)) == []

        _upload(page, tmp_path, "regelingen-verbeterd.xlsx", messy_xlsx(fixed=True))
        page.get_by_text("Ingelezen: 4 nieuw, 0 bijgewerkt, 0 ongewijzigd.").wait_for(timeout=30_000)
        assert len(P.items(store, P.open_region(store, owner))) == 4
        page.get_by_role("tab", name="Lappendeken").click()
        page.get_by_text("Gemeente × samenwerking").wait_for(timeout=30_000)
        page.close()

        phone = browser.new_page(viewport=PHONE)
        phone.goto(f"{base}/regio?r={council}")
        settle(phone)
        phone.get_by_text("Alleen kijken (Raad van Tiel)").wait_for(timeout=30_000)
        phone.get_by_role("tab", name="Inlezen en exporteren").click()
        settle(phone)
        phone.get_by_role("button", name="Excel (.xlsx)").wait_for(timeout=30_000)
        assert phone.locator('[data-testid="stFileUploader"]').count() == 0
        assert phone.get_by_role("button", name="Ronde starten").count() == 0
        shot(phone, "regio-readonly-390", full=False)
        phone.close()
    store.dispose()
