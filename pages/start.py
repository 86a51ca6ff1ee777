"""Start page (served at /): the zelfscan, joining a workshop by code, or organising one."""

import streamlit as st

from services import cooperation as cooperations
from storage import StoreError
from storage.store import MAX_NAME
from ui import context, join, privacy, setup, text, theme

theme.apply()

q = context.questionnaire()
params = st.query_params

if "p" in params:  # a short resume link /?p=... goes to the questionnaire
    st.switch_page("pages/vragenlijst.py", query_params={"p": params.get("p", "")})

if "code" in params:
    join.render(params.get("code"))
    st.stop()

st.title("Samenwerkingsspiegel")
st.markdown(
    f"{q.settings.intro}\n\nHet invullen duurt ongeveer **{q.settings.minutes} minuten**. "
    "U kunt tussendoor stoppen: met uw persoonlijke link gaat u later verder waar u was."
)

tab_scan, tab_join, tab_host = st.tabs(["Zelfscan", "Meedoen met code", "Organiseren"])

# A cooperation's zelfscan link (/?samenwerking=...) fills in its name and partners.
linked = context.store().cooperation_by_scan_key(params.get("samenwerking")) if "samenwerking" in params else None

with tab_scan:
    st.header("Zelfscan: kijk alleen naar uw samenwerking")  # h2 directly under the page title (h1)
    munis = context.municipalities()
    if "samenwerking" in params and linked is None:
        st.warning("Deze zelfscanlink hoort bij geen bekende samenwerking. U kunt de zelfscan hieronder gewoon invullen.")
    with st.form("zelfscan_start", border=False):
        if linked is not None:
            st.markdown(f"Samenwerking: **{text.md(linked.name)}**")
            cooperation = linked.name
        else:
            cooperation = st.text_input(
                "Naam van de samenwerking",
                # No max_chars: the browser would silently empty a longer paste; the length is checked below.
                placeholder="Bijvoorbeeld: GR Sociaal Domein Rivierenland",
            )
            st.caption(f"Hooguit {MAX_NAME} tekens.")
        options = list(linked.municipalities) if linked is not None else munis.names()
        municipality = st.selectbox(
            "Uw gemeente",
            options,
            index=None,
            format_func=munis.label,  # "'s-Gravenhage (Den Haag)": typing Den Haag finds it
            placeholder="Typ om te zoeken…",
            help=(
                "De partnergemeenten van deze samenwerking."
                if linked is not None
                else f"Lijst van alle Nederlandse gemeenten, peildatum {munis.reference_date:%d-%m-%Y}."
            ),
        )
        role_labels = {r.id: r.label for r in q.settings.roles}
        role = st.selectbox("Uw rol", list(role_labels), index=None, format_func=role_labels.get, placeholder="Kies uw rol")
        if linked is not None:
            required_kind = linked.required_kind
        else:
            required_kind = setup.required_kind_select(q, key="zelfscan_required")
        extra_sections = setup.optional_modules_select(q, key="zelfscan_modules")
        started = st.form_submit_button("Start de zelfscan", type="primary", width="stretch")
    if started:
        problems = []
        if not cooperation.strip():
            problems.append("Vul de naam van de samenwerking in.")
        elif text.too_long(cooperation, MAX_NAME, "De naam van de samenwerking"):
            problems.append(text.too_long(cooperation, MAX_NAME, "De naam van de samenwerking"))
        if municipality is None:
            problems.append("Kies uw gemeente.")
        if role is None:
            problems.append("Kies uw rol.")
        if problems:
            st.error(" ".join(problems))
        else:
            try:
                store = context.store()
                participant, token = store.create_participant(cooperation=cooperation, municipality=municipality, role=role)
                if required_kind or extra_sections:
                    chosen = set(q.default_section_ids) | set(extra_sections)
                    store.set_participant_options(
                        participant.id, required_kind=required_kind, sections=[s.id for s in q.sections if s.id in chosen]
                    )
                cooperations.record_scan(store, q, participant.id, linked)
            except StoreError as e:
                st.error(str(e))
            else:
                st.switch_page("pages/vragenlijst.py", query_params={"p": token})

with tab_join:
    join.code_form()

with tab_host:
    st.markdown(
        "Begeleidt u een bijeenkomst met raden en colleges van meerdere gemeenten? Maak een sessie aan. "
        "Deelnemers doen mee op hun eigen telefoon via een deelnamecode of QR-code; het scherm in de zaal "
        "vult zich terwijl de antwoorden binnenkomen."
    )
    st.page_link("pages/workshop.py", label="Een workshop-sessie aanmaken", icon="➡️")
privacy.footer()
