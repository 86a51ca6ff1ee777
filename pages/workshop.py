"""Workshop set-up (begeleider): create a session, get the begeleiderslink, the presentatielink, the deelnamecode and the sessiekaart."""

import streamlit as st

from services import cooperation
from storage import StoreError
from storage.open_answers import MAX_OPEN_QUESTION
from storage.store import MAX_NAME, PROJECTOR
from ui import context, privacy, session_card, setup, text, theme

theme.apply()

q = context.questionnaire()
munis = context.municipalities()

st.title("Workshop organiseren")

created = st.session_state.get("created_session")
if created:
    token, code = created[:2]
    session_card.show(context.store(), token, code, st.session_state.get("created_projector"))
    if st.button("Nog een sessie aanmaken"):
        del st.session_state["created_session"]
        st.session_state.pop("created_projector", None)
        st.rerun()
    privacy.footer()
    st.stop()

st.markdown(
    "Maak een sessie aan voor een bijeenkomst met de raden en colleges van de partnergemeenten. "
    "U krijgt een deelnamecode en QR-code voor de deelnemers, een presentatiescherm voor de beamer en een begeleidersscherm voor uzelf."
)
with st.form("new_session"):
    # No max_chars: the browser would silently empty a longer paste; the length is checked below.
    name = st.text_input("Naam van de samenwerking", placeholder="Bijvoorbeeld: Regio Rivierenland")
    st.caption(f"Hooguit {MAX_NAME} tekens.")
    chosen = st.multiselect(
        "Partnergemeenten (2 tot en met 20)",
        munis.names(),
        max_selections=20,
        format_func=munis.label,  # "'s-Gravenhage (Den Haag)": typing Den Haag finds it
        placeholder="Typ om te zoeken…",
        help=f"Peildatum van de lijst: {munis.reference_date:%d-%m-%Y}.",
    )
    form, domain = setup.record_selects(q, key="session")
    moments_text = st.text_input(
        "Evaluatiemomenten uit de regeling (mag leeg blijven)",
        placeholder="Bijvoorbeeld: 1-6-2027, 1-6-2031",
        help="De datums waarop de regeling een evaluatie afspreekt. Scheid meerdere datums met een komma.",
    )
    role_labels = {r.id: r.label for r in q.settings.roles}
    roles = st.multiselect(
        "Rollen die deelnemers kunnen kiezen", list(role_labels), default=list(role_labels), format_func=role_labels.get
    )
    section_titles = {s.id: s.title for s in q.sections}
    sections = st.multiselect(
        "Onderdelen van de vragenlijst",
        list(section_titles),
        default=q.default_section_ids,  # optional modules (Succesfactoren, Vorm en structuur) are off until chosen
        format_func=section_titles.get,
    )
    required_kind = setup.required_kind_select(q, key="session_required")
    min_n = st.number_input(
        "Anonimiteitsgrens: toon groepen pas vanaf dit aantal deelnemers",
        min_value=1,
        max_value=50,
        value=q.scoring.default_min_group_size,
        step=1,
    )
    retention_months = privacy.retention_input()
    defaults = q.settings.open_questions.session_default
    open_1 = st.text_input("Open vraag aan het eind", value=defaults[0], help=f"Hooguit {MAX_OPEN_QUESTION} tekens.")
    open_2 = st.text_input(
        "Tweede open vraag (mag leeg blijven)",
        value=defaults[1] if len(defaults) > 1 else "",
        help=f"Hooguit {MAX_OPEN_QUESTION} tekens.",
    )
    st.caption("Antwoorden op open vragen ziet de zaal pas als u ze op het begeleidersscherm hebt goedgekeurd.")
    submitted = st.form_submit_button("Sessie aanmaken", type="primary", width="stretch")

if submitted:
    problems = []
    if not name.strip():
        problems.append("Vul de naam van de samenwerking in.")
    elif text.too_long(name, MAX_NAME, "De naam van de samenwerking"):
        problems.append(text.too_long(name, MAX_NAME, "De naam van de samenwerking"))
    if not 2 <= len(chosen) <= 20:
        problems.append("Kies 2 tot en met 20 partnergemeenten.")
    if not roles:
        problems.append("Kies minstens één rol.")
    if not sections:
        problems.append("Kies minstens één onderdeel.")
    moments, moment_problems = setup.parse_moments(moments_text)
    problems += moment_problems
    for label, asked in (("De open vraag", open_1), ("De tweede open vraag", open_2)):
        if text.too_long(asked, MAX_OPEN_QUESTION, label):
            problems.append(text.too_long(asked, MAX_OPEN_QUESTION, label))
    if problems:
        st.error(" ".join(problems))
    else:
        try:
            session, token = cooperation.start_first_round(
                context.store(),
                q,
                name=name,
                municipalities=chosen,
                form=form,
                domain=domain,
                required_kind=required_kind,
                evaluation_moments=moments,
                setup=cooperation.RoundSetup(roles, sections, int(min_n), retention_months, [open_1, open_2]),
            )
        except StoreError as e:
            st.error(str(e))
        else:
            st.session_state["created_session"] = (token, session.join_code)
            st.session_state["created_projector"] = context.store().create_link(session.id, PROJECTOR)[1]
            st.rerun()
privacy.footer()
