"""Netwerkregie: a region's portfolio as verbs. Opening a region by its link, the owner's changes
(import, links, starting a round), exports and the overview. No Streamlit.

Every change takes the owner token and checks it here: a council's read-only link can open and
export the overview, and is refused for anything that changes it (``NotAllowed``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pandas as pd

from formatting import now
from portfolio import sheet, views, writer
from portfolio.model import Budget, Entry
from questionnaire.loader import Questionnaire
from questionnaire.municipalities import MunicipalityList
from scoring import trend as trends
from services import cooperation
from storage.regions import OWNER, READ, PortfolioItem, Region, RegionLink
from storage.store import InvalidInput, Session, Store, StoreError


class NotAllowed(StoreError):
    """A change asked with a link that may only read (or none)."""


READ_ONLY = "Met deze link kunt u het overzicht bekijken, niet wijzigen. Wijzigen kan alleen met de eigenaarslink."


@dataclass(frozen=True)
class Access:
    region: Region
    link: RegionLink

    @property
    def can_change(self) -> bool:
        return self.link.kind == OWNER


def open_region(store: Store, token: str | None) -> Access | None:
    """The region a link opens (owner or read-only); None for an unknown or revoked link."""
    link = store.region_link_by_token(token)
    if link is None:
        return None
    region = store.region(link.region_id)
    return None if region is None else Access(region, link)


def _owner(store: Store, token: str | None) -> Access:
    access = open_region(store, token)
    if access is None or not access.can_change:
        raise NotAllowed(READ_ONLY)
    return access


def create_region(store: Store, name: str) -> tuple[Region, str]:
    """A new region; returns it and its owner token (the eigenaarslink, shown once)."""
    return store.create_region(name)


def add_council_link(store: Store, owner_token: str, label: str) -> tuple[RegionLink, str]:
    """A read-only link for a council (or anyone who should only look); the token is shown once."""
    access = _owner(store, owner_token)
    return store.create_region_link(access.region.id, READ, label)


def add_owner_link(store: Store, owner_token: str, label: str) -> tuple[RegionLink, str]:
    access = _owner(store, owner_token)
    return store.create_region_link(access.region.id, OWNER, label)


def links(store: Store, owner_token: str) -> list[RegionLink]:
    return store.region_links(_owner(store, owner_token).region.id)


def revoke_link(store: Store, owner_token: str, link_id: int) -> None:
    access = _owner(store, owner_token)
    if link_id == access.link.id:
        raise InvalidInput("U kunt de link waarmee u nu werkt niet intrekken; gebruik daarvoor een andere eigenaarslink.")
    store.revoke_region_link(access.region.id, link_id)


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportResult:
    reading: sheet.Reading
    added: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return self.reading.ok

    @property
    def unchanged(self) -> int:
        return len(self.reading.entries) - self.added - self.updated


def import_sheet(
    store: Store,
    q: Questionnaire,
    munis: MunicipalityList,
    owner_token: str,
    data: bytes,
    filename: str,
    mapping: dict[str, str] | None = None,
) -> ImportResult:
    """Check the whole file, then write all of it in one transaction, or nothing when any row has
    an error. A cooperation already in the region (same Kenmerk, else same name) is updated."""
    access = _owner(store, owner_token)
    reading = sheet.read_portfolio(data, filename, q, munis, mapping)
    if not reading.ok:
        return ImportResult(reading)
    items = [
        PortfolioItem(
            key=e.key,
            ref=e.ref,
            name=e.name,
            form=e.form,
            domain=e.domain,
            municipalities=e.municipalities,
            start_year=e.start_year,
            motives=e.motives,
            evaluation_moments=e.evaluation_moments,
            budgets=None if e.budgets is None else tuple((b.municipality, b.year, b.amount) for b in e.budgets),
        )
        for e in reading.entries
    ]
    added, updated = store.import_portfolio(access.region.id, items)
    return ImportResult(reading, added, updated)


# ---------------------------------------------------------------- the portfolio as items


def items(store: Store, access: Access) -> list[views.Item]:
    """The region's cooperations with their rounds; each round summary is parsed once."""
    rows = store.portfolio_rows(access.region.id)
    partners: dict[int, list[str]] = {}
    for r in rows.municipalities:
        partners.setdefault(r["cooperation_id"], []).append(r["name"])
    budgets: dict[int, list[Budget]] = {}
    for b in rows.budgets:
        budgets.setdefault(b["cooperation_id"], []).append(
            Budget(municipality=b["municipality"], year=b["year"], amount=b["amount"])
        )
    rounds: dict[int, list[views.RoundInfo]] = {}
    for r in rows.rounds:
        mine = rounds.setdefault(r["cooperation_id"], [])
        mine.append(
            views.RoundInfo(
                number=len(mine) + 1,
                held_at=_aware(r["held_at"]),
                summary=None if r["summary"] is None else json.loads(r["summary"]),
            )
        )
    out = []
    for c in rows.cooperations:
        entry = Entry.model_construct(  # stored rows were checked on import: no second validation
            key=c["key"],
            ref=c["ref"],
            name=c["name"],
            form=c["form"],
            domain=c["domain"],
            municipalities=tuple(partners.get(c["id"], ())),
            start_year=c["start_year"],
            motives=tuple(json.loads(c["motives"] or "[]")),
            evaluation_moments=tuple(date.fromisoformat(d) for d in json.loads(c["evaluation_moments"] or "[]")),
            budgets=tuple(budgets.get(c["id"], ())),
        )
        out.append(views.Item(c["id"], entry, tuple(rounds.get(c["id"], ()))))
    return out


def _aware(value):
    from storage.store import _aware as aware

    return aware(value)


@dataclass(frozen=True)
class Overview:
    region: Region
    can_change: bool
    items: list[views.Item]
    matrix: pd.DataFrame
    counts: pd.DataFrame
    pairs: pd.DataFrame
    by_domain: pd.DataFrame
    by_form: pd.DataFrame
    evaluations: pd.DataFrame
    flags: pd.DataFrame
    motives: pd.DataFrame
    trend: pd.DataFrame
    advice_spread: pd.DataFrame
    budgets: pd.DataFrame

    @property
    def n_cooperations(self) -> int:
        return len(self.items)

    @property
    def n_municipalities(self) -> int:
        return len(self.matrix.index)


def overview(store: Store, q: Questionnaire, access: Access, today: date | None = None) -> Overview:
    """Everything the region's page shows, from one bulk read (what the page calls on open)."""
    today = today or now().date()
    its = items(store, access)
    return Overview(
        region=access.region,
        can_change=access.can_change,
        items=its,
        matrix=views.matrix(its),
        counts=views.counts(its),
        pairs=views.pairs(its),
        by_domain=views.by_choice(its, q, "domain"),
        by_form=views.by_choice(its, q, "form"),
        evaluations=views.evaluations(its, today),
        flags=views.flags(its, q),
        motives=views.motives(its, q),
        trend=views.trend(its, q),
        advice_spread=views.advice_spread(its, q),
        budgets=views.budgets(its),
    )


# ---------------------------------------------------------------- export


def export_xlsx(store: Store, q: Questionnaire, token: str) -> bytes:
    """The portfolio in the import template (plus the latest round's results); any valid link may export."""
    access = _any(store, token)
    its = items(store, access)
    return writer.workbook([i.entry for i in its], q, access.region.name, views.results_columns(its, q))


def export_csv(store: Store, q: Questionnaire, token: str) -> bytes:
    access = _any(store, token)
    its = items(store, access)
    return writer.csv_file([i.entry for i in its], q, views.results_columns(its, q))


def export_budgets_csv(store: Store, token: str) -> bytes:
    return writer.budgets_csv([i.entry for i in items(store, _any(store, token))])


def _any(store: Store, token: str | None) -> Access:
    access = open_region(store, token)
    if access is None:
        raise NotAllowed("Deze link opent geen regio (meer).")
    return access


# ---------------------------------------------------------------- the trend of one cooperation


def cooperation_trend(store: Store, q: Questionnaire, access: Access, cooperation_id: int) -> trends.Trend | None:
    """The trend of a cooperation of this region over its closed rounds (their published summaries,
    as everywhere in the portfolio); None with fewer than two."""
    if store.region_of_cooperation(cooperation_id) != access.region.id:
        raise InvalidInput("Deze samenwerking staat niet in deze regio.")
    closed = [r for r in store.rounds(cooperation_id) if r.summary is not None]
    if len(closed) < 2:
        return None
    scores = [cooperation.round_scores(store, q, r) for r in closed]
    return trends.build(scores, [s.id for s in q.scored_sections()], q.scoring.trend_change)


def trend_figures(store: Store, q: Questionnaire, access: Access, cooperation_id: int, *, size: str = "normal") -> list:
    """The same trend figures as the raadsrapportage (``services.trend_figures``): what changed since
    the round before, and the advice per round. Empty with fewer than two closed rounds."""
    from services import trend_figures as figures

    found = cooperation_trend(store, q, access, cooperation_id)
    if found is None:
        return []
    partners = list(store.cooperation(cooperation_id).municipalities)
    return figures.trend_figures(found, q, size=size, municipalities=partners)


# ---------------------------------------------------------------- from the portfolio to a round


def start_round(store: Store, q: Questionnaire, owner_token: str, cooperation_id: int) -> tuple[Session, str]:
    """The next spiegel round of a cooperation in this region. Its partners come from the
    portfolio; the choices of the previous round when its session still exists, else the content's
    defaults. Returns the session and its begeleiderstoken. The round's results come back into the
    portfolio when it closes (``services.cooperation.set_closed`` writes the summary)."""
    access = _owner(store, owner_token)
    if store.region_of_cooperation(cooperation_id) != access.region.id:
        raise InvalidInput("Deze samenwerking staat niet in deze regio.")
    previous = next(
        (store.session(r.session_id) for r in reversed(store.rounds(cooperation_id)) if r.session_id is not None), None
    )
    if previous is not None:
        return cooperation.start_next_round(store, q, previous)
    coop = store.cooperation(cooperation_id)
    return cooperation.start_round(store, q, coop, cooperation.default_setup(q))


