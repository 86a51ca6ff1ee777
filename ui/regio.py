"""The region's page (netwerkregie): a new region, the overview's tabs with a table beside each view,
import and export, council links and starting a round; and the overview as one projector slide.

Buttons that change something are only drawn for an owner link, and every change goes through
``services.portfolio`` with the owner token, which refuses a read-only link on its own."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts import portfolio as portfolio_charts
from charts.style import fmt_number
from formatting import file_stamp, fmt_datetime, fmt_day
from portfolio import model as columns
from portfolio import sheet, views
from questionnaire.loader import Questionnaire
from questionnaire.municipalities import MunicipalityList
from services import portfolio
from storage import Store
from storage.regions import OWNER, READ
from storage.store import StoreError
from ui import links
from ui.text import md

PARAM = "r"  # /regio?r=<token>
SLIDE_PARAM = "dia"  # /regio?r=<token>&dia=1: the overview as one slide for the projector
_NEW_REGION = "_regio_new_owner_token"
_NEW_LINKS = "_regio_new_links"  # {link id: token} made in this tab
_NEW_ROUND = "_regio_new_round"  # (cooperation name, begeleiderstoken)
_IMPORT = "_regio_import_result"
HIDDEN = ["cooperation_id"]
SLIDE_ROWS = 5
MAX_ERRORS_SHOWN = 50


def region_url(token: str, **extra: str) -> str:
    return links.app_url("regio", **{PARAM: token, **extra})


def css(*, slide: bool = False) -> None:
    if slide:  # the slide has to fit 1280x720 too: less white above the title
        st.html("<style>.stMainBlockContainer { padding-top: 1.5rem; padding-bottom: 0; }</style>")
    st.html(
        """<style>
        .st-key-regio_slide p, .st-key-regio_slide li { font-size: 28px; line-height: 1.35; }
        .st-key-regio_slide h1 { font-size: 48px; }
        .st-key-regio_slide h2 { font-size: 36px; }
        .st-key-regio_trend [data-testid="stVegaLiteChart"] { overflow-x: auto; }
        .regio-numbers { display: grid; grid-template-columns: repeat(4, 1fr); gap: 0.5rem 1.5rem; margin: 0.5rem 0 1rem; }
        .regio-number { display: flex; flex-direction: column; }
        .regio-number span { font-size: 1rem; color: #333; }
        .regio-number b { font-size: 2.5rem; font-weight: 600; line-height: 1.1; }
        .regio-numbers.big span { font-size: 28px; }
        .regio-numbers.big b { font-size: 72px; }
        @media (max-width: 640px) { .regio-numbers { grid-template-columns: repeat(2, 1fr); } }
        </style>"""
    )


# ---------------------------------------------------------------- no token: a new region


def new_region(store: Store) -> None:
    st.title("Regio-overzicht van samenwerkingen")
    st.markdown(
        "Een overzicht van alle samenwerkingen in uw regio: welke gemeente zit in welke samenwerking, welke "
        "evaluaties eraan komen, en waar de antwoorden van de partners zeggen dat een samenwerking herijkt, "
        "uitgekleed of beëindigd moet worden. U maakt het overzicht één keer; daarna opent u het met de "
        "**eigenaarslink**. Elke raad kan een eigen link krijgen die alleen kan kijken."
    )
    token = st.session_state.get(_NEW_REGION)
    if token:
        st.success("Het regio-overzicht is gemaakt. Bewaar deze eigenaarslink goed: hij wordt maar één keer getoond.")
        st.code(region_url(token), language=None, wrap_lines=True)
        st.link_button("Regio-overzicht openen", region_url(token), type="primary")
        return
    with st.form("new_region"):
        name = st.text_input("Naam van de regio", placeholder="Bijvoorbeeld: Regio Rivierenland")
        done = st.form_submit_button("Regio-overzicht maken", type="primary")
    if done:
        try:
            _, token = portfolio.create_region(store, name)
        except StoreError as e:
            st.error(str(e))
            return
        st.session_state[_NEW_REGION] = token
        st.rerun()


def no_access() -> None:
    st.title("Geen toegang")
    st.error(
        "Dit regio-overzicht opent alleen met een geldige link. Controleer of u de hele link hebt gekopieerd; "
        "een ingetrokken link werkt niet meer. Vraag de griffie om een nieuwe link."
    )


# ---------------------------------------------------------------- the overview


def _table(frame: pd.DataFrame, empty: str, **kw) -> None:
    if frame is None or not len(frame):
        st.info(empty)
        return
    st.dataframe(frame.drop(columns=[c for c in HIDDEN if c in frame.columns]), hide_index=True, width="stretch", **kw)


def _days(frame: pd.DataFrame, *cols: str) -> pd.DataFrame:
    out = frame.copy()
    for c in cols:
        out[c] = out[c].map(lambda d: fmt_day(d) if d is not None and not pd.isna(d) else "")
    return out


def page(store: Store, q: Questionnaire, munis: MunicipalityList, token: str, access: portfolio.Access) -> None:
    ov = portfolio.overview(store, q, access)
    st.title(md(f"Regio-overzicht: {ov.region.name}"))
    if access.can_change:
        st.caption("U werkt met de eigenaarslink: u kunt inlezen, links maken en rondes starten.")
    else:
        st.caption(md(f"Alleen kijken ({access.link.label}): u kunt het overzicht bekijken en exporteren, niet wijzigen."))
    _numbers(ov)
    st.link_button("Als dia tonen (presentatiescherm)", region_url(token, **{SLIDE_PARAM: "1"}))
    if not ov.items:
        st.info(
            "Er staan nog geen samenwerkingen in dit overzicht."
            + (" Lees hieronder uw overzicht in." if access.can_change else "")
        )
    names = ["Waar eerst kijken", "Lappendeken", "Domein en vorm", "Motieven en uitkomsten", "Trend", "Inlezen en exporteren"]
    if access.can_change:
        names.append("Links")
    tabs = st.tabs(names)
    with tabs[0]:
        _first_look(store, q, token, ov)
    with tabs[1]:
        _lappendeken(ov)
    with tabs[2]:
        _domain_form(ov)
    with tabs[3]:
        st.markdown(
            "Per motief om samen te werken: wat zeiden de partners erover in de laatste ronde? Welke stellingen bij "
            "welk motief horen, staat in de vragenlijst (bijvoorbeeld *Lagere kosten*: ‘Begrote besparing blijft uit’)."
        )
        _table(ov.motives, "Nog geen motieven ingevuld.")
    with tabs[4]:
        _trend(store, q, access, ov)
    with tabs[5]:
        _import_export(store, q, munis, token, access)
    if access.can_change:
        with tabs[6]:
            _links(store, token, access)


def numbers(ov: portfolio.Overview) -> list[tuple[str, int]]:
    overdue = int((ov.evaluations["Status"] == views.OVERDUE).sum()) if len(ov.evaluations) else 0
    return [
        ("Samenwerkingen", ov.n_cooperations),
        ("Gemeenten", ov.n_municipalities),
        ("Evaluaties te laat", overdue),
        ("Om naar te kijken", len(ov.flags)),
    ]


def _numbers(ov: portfolio.Overview, *, big: bool = False) -> None:
    """The four numbers in a grid: four across on a wide screen, two by two on a phone (st.columns
    would stack them into one long column there). Only fixed labels and integers go into the HTML."""
    cells = "".join(
        f'<div class="regio-number" role="listitem"><span>{label}</span><b>{value}</b></div>' for label, value in numbers(ov)
    )
    st.html(f'<div class="regio-numbers{" big" if big else ""}" role="list">{cells}</div>')


def _first_look(store: Store, q: Questionnaire, token: str, ov: portfolio.Overview) -> None:
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Signalen in de laatste ronde")
        st.caption("Samenwerkingen met een stopcriterium of signaal op rood, of een ander advies dan doorgaan.")
        _table(
            ov.flags, "Geen samenwerking met een rood stopcriterium of een advies om te herijken, uit te kleden of te stoppen."
        )
        st.subheader("Evaluaties die eraan komen of te laat zijn")
        st.caption(f"Te laat: het moment is voorbij zonder ronde. Binnenkort: binnen {views.DUE_DAYS} dagen.")
        _table(_days(ov.evaluations, "Evaluatiemoment", "Laatste ronde"), "Geen evaluatie te laat of binnenkort.")
    with right:
        if len(ov.advice_spread):
            order = [a.id for a in q.settings.advices]
            st.altair_chart(portfolio_charts.advice_bars(ov.advice_spread, order), width="stretch")
        if ov.can_change and ov.items:
            _start_round(store, q, token, ov)


def _start_round(store: Store, q: Questionnaire, token: str, ov: portfolio.Overview) -> None:
    st.subheader("Nieuwe spiegelronde starten")
    first = list(ov.flags["cooperation_id"]) + list(ov.evaluations["cooperation_id"])
    order = list(dict.fromkeys(first + [i.cooperation_id for i in ov.items]))
    name_of = {i.cooperation_id: i.entry.name for i in ov.items}
    chosen = st.selectbox("Samenwerking", order, format_func=lambda cid: name_of[cid], key="regio_round_coop")
    st.caption(
        "De partners komen uit dit overzicht, de keuzes uit de vorige ronde. De uitkomsten komen hier terug als de ronde sluit."
    )
    if st.button("Ronde starten", type="primary", key="regio_start_round"):
        try:
            _, facilitator = portfolio.start_round(store, q, token, int(chosen))
        except StoreError as e:
            st.error(str(e))
        else:
            st.session_state[_NEW_ROUND] = (name_of[chosen], facilitator)
    made = st.session_state.get(_NEW_ROUND)
    if made:
        st.success(md(f"De ronde voor {made[0]} is gestart. Dit is de begeleiderslink (alleen nu getoond):"))
        st.code(links.facilitator_url(made[1]), language=None, wrap_lines=True)
        st.link_button("Begeleidersscherm openen", links.facilitator_url(made[1]))


def _lappendeken(ov: portfolio.Overview) -> None:
    st.markdown("Welke gemeente zit in hoeveel samenwerkingen, en met welke partners het vaakst.")
    left, right = st.columns([2, 3])
    with left:
        if len(ov.counts):
            st.altair_chart(portfolio_charts.memberships(ov.counts), width="stretch")
    with right:
        _table(ov.counts, "Nog geen samenwerkingen.")
        st.markdown("**Vaakst samen**")
        _table(ov.pairs, "Nog geen samenwerkingen.")
    st.markdown("**Gemeente × samenwerking** (● = doet mee)")
    if len(ov.matrix):
        st.dataframe(ov.matrix, width="stretch")
    st.markdown("**Bijdragen per gemeente en jaar** (euro, opgeteld over de samenwerkingen)")
    years = [c for c in ov.budgets.columns if c not in ("Gemeente", "Samenwerkingen")]
    budgets = ov.budgets.copy()
    for y in years:
        budgets[y] = budgets[y].map(views.fmt_euro)
    _table(budgets, "Nog geen bijdragen ingelezen (blad Bijdragen).")


def _domain_form(ov: portfolio.Overview) -> None:
    left, right = st.columns(2)
    with left:
        st.markdown("**Per domein**")
        _table(ov.by_domain, "Nog geen samenwerkingen.")
    with right:
        st.markdown("**Per vorm**")
        _table(ov.by_form, "Nog geen samenwerkingen.")


def _trend(store: Store, q: Questionnaire, access: portfolio.Access, ov: portfolio.Overview) -> None:
    if not len(ov.trend):
        st.info("Nog geen samenwerking met twee of meer rondes met uitkomsten.")
        return
    names = dict(zip(ov.trend["cooperation_id"], ov.trend["Samenwerking"], strict=True))
    chosen = st.selectbox("Samenwerking", list(names), format_func=lambda cid: names[cid], key="regio_trend_coop")
    with st.container(key="regio_trend"):  # the trend grid is 900 px wide: on a phone it scrolls sideways
        for fig in portfolio.trend_figures(store, q, access, int(chosen)):  # the chart carries the title
            st.caption(md(fig.caption))
            st.altair_chart(fig.chart, width="stretch")
    st.markdown("**Alle samenwerkingen**: het gemiddelde van alle deelnemers per onderdeel, per ronde (1 tot 5).")
    wide = ov.trend.pivot_table(index=["Samenwerking", "Onderdeel"], columns="Ronde", values="Gemiddelde", sort=False)
    wide.columns = [f"Ronde {c}" for c in wide.columns]
    shown = wide.map(lambda v: fmt_number(v, missing="–")).reset_index()  # decimal comma, as everywhere
    st.dataframe(shown, hide_index=True, width="stretch")


def _import_export(store: Store, q: Questionnaire, munis: MunicipalityList, token: str, access: portfolio.Access) -> None:
    st.subheader("Exporteren")
    st.caption("In hetzelfde sjabloon als het inlezen, met de uitkomsten van de laatste ronde erbij.")
    stamp = file_stamp()
    c1, c2, c3 = st.columns(3)
    # Made when clicked (Streamlit runs the callable then), not on every run of the page; the
    # service checks the link again at that moment.
    c1.download_button(
        "Excel (.xlsx)", lambda: portfolio.export_xlsx(store, q, token), f"regio-overzicht-{stamp}.xlsx", key="dl_xlsx"
    )
    c2.download_button(
        "CSV voor Excel", lambda: portfolio.export_csv(store, q, token), f"regio-overzicht-{stamp}.csv", key="dl_csv"
    )
    c3.download_button(
        "Bijdragen (CSV)", lambda: portfolio.export_budgets_csv(store, token), f"regio-bijdragen-{stamp}.csv", key="dl_budgets"
    )
    if not access.can_change:
        return
    st.subheader("Inlezen")
    st.markdown(
        f"Een Excel- of CSV-bestand met één rij per samenwerking en de kolommen {', '.join(columns.COLUMNS)} "
        f"(verplicht: {', '.join(columns.REQUIRED)}). Een eigen blad kan ook: koppel dan hieronder de kolommen. "
        "Een bestand met een fout leest niets in. Opnieuw inlezen werkt bij en maakt niets dubbel."
    )
    upload = st.file_uploader("Bestand kiezen", type=["xlsx", "csv"], key="regio_upload")
    if upload is None:
        return
    data = upload.getvalue()
    try:
        headers = sheet.sheet_headers(data, upload.name)
    except sheet.FileProblem as e:
        st.error(str(e))
        return
    mapping = _mapping(headers)
    if st.button("Inlezen", type="primary", key="regio_import"):
        try:
            st.session_state[_IMPORT] = portfolio.import_sheet(store, q, munis, token, data, upload.name, mapping)
        except StoreError as e:
            st.error(str(e))
            return
    result = st.session_state.get(_IMPORT)
    if result is None:
        return
    if result.ok:
        st.success(f"Ingelezen: {result.added} nieuw, {result.updated} bijgewerkt, {result.unchanged} ongewijzigd.")
        if result.reading.ignored_columns:
            st.caption("Niet gebruikt (geen kolom van het sjabloon): " + ", ".join(result.reading.ignored_columns))
    else:
        st.error(
            f"Er is niets ingelezen: het bestand heeft {len(result.reading.errors)} fout(en). Verbeter ze en lees het opnieuw in."
        )
        # One line per error, so a long message wraps (a table cell would cut it off); the cell
        # values quoted in the messages come from the file and are shown as text.
        shown = result.reading.errors[:MAX_ERRORS_SHOWN]
        st.markdown("\n\n".join(md(e.text) for e in shown))
        if len(result.reading.errors) > len(shown):
            st.markdown(f"En nog {len(result.reading.errors) - len(shown)} fouten.")


def _mapping(headers: list[str]) -> dict[str, str]:
    """Selectboxes for the file's columns the template does not know by name."""
    unknown = sheet.unmapped(headers)
    if not unknown:
        return {}
    out = {}
    with st.expander(f"Kolommen koppelen ({len(unknown)} kolom(men) met een eigen naam)"):
        choices = ["(niet gebruiken)", *columns.COLUMNS]
        for n, h in enumerate(unknown):
            pick = st.selectbox(md(h), choices, key=f"regio_map_{n}")
            if pick != choices[0]:
                out[h] = pick
    return out


def _links(store: Store, token: str, access: portfolio.Access) -> None:
    st.markdown(
        "Geef elke raad een eigen **alleen-lezen link**: die opent dit overzicht en de exports, en kan niets "
        "veranderen. Een link wordt alleen bij het maken getoond; een link die uitlekt, trekt u hier in."
    )
    new = st.session_state.setdefault(_NEW_LINKS, {})
    with st.form("regio_new_link", clear_on_submit=True):
        label = st.text_input("Voor wie", placeholder="Bijvoorbeeld: Raad van Tiel")
        owner = st.checkbox("Deze link mag ook wijzigen (eigenaarslink voor een collega)")
        made = st.form_submit_button("Link maken")
    if made:
        try:
            link, new_token = (portfolio.add_owner_link if owner else portfolio.add_council_link)(store, token, label)
        except StoreError as e:
            st.error(str(e))
        else:
            new[link.id] = new_token
    for link in portfolio.links(store, token):
        state = (
            f"ingetrokken {fmt_datetime(link.revoked_at)}"
            if link.revoked_at
            else ("deze link gebruikt u nu" if link.id == access.link.id else "werkt")
        )
        kind = {OWNER: "Eigenaarslink", READ: "Alleen-lezen link"}[link.kind]
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.markdown(md(f"{kind} · {link.label} · gemaakt {fmt_datetime(link.created_at)} · {state}"))
        if link.id in new and not link.revoked_at:
            left.code(region_url(new[link.id]), language=None, wrap_lines=True)
        if link.revoked_at is None and link.id != access.link.id:
            if right.button("Intrekken", key=f"regio_revoke_{link.id}"):
                portfolio.revoke_link(store, token, link.id)
                st.rerun()


# ---------------------------------------------------------------- the projector slide


def slide(store: Store, q: Questionnaire, access: portfolio.Access) -> None:
    """One slide for a regional council conference: the numbers, who is in how many, where to look."""
    ov = portfolio.overview(store, q, access)
    with st.container(key="regio_slide"):
        st.title(md(f"Samenwerkingen in {ov.region.name}"))
        _numbers(ov, big=True)
        left, right = st.columns([1, 1])
        with left:
            if len(ov.counts):
                st.altair_chart(
                    portfolio_charts.memberships(ov.counts.head(8), size="projector", title="Meeste samenwerkingen"),
                    width="stretch",
                )
        with right:
            st.header("Waar eerst kijken")
            if not len(ov.flags):
                st.markdown(
                    "Geen samenwerking met een rood stopcriterium of een advies om te herijken, uit te kleden of te stoppen."
                )
            for row in ov.flags.head(SLIDE_ROWS).itertuples():
                st.markdown(f"{md(row.Samenwerking)} – **{md(row.Advies)}**")
            if len(ov.flags) > SLIDE_ROWS:
                st.markdown(f"En nog {len(ov.flags) - SLIDE_ROWS} andere.")
