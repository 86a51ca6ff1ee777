"""Begeleidersscherm: the cooperation record of this round, its rounds, the next round and the zelfscan link."""

from __future__ import annotations

import streamlit as st

from formatting import fmt_day
from questionnaire.loader import Questionnaire
from services import cooperation
from storage import Session, Store, StoreError
from storage.store import PROJECTOR
from ui import links, session_card, setup
from ui.text import md

NEW_ROUND_KEY = "new_round"  # (session id of this round, token, code, projector token) of the round just made


def title(store: Store, session: Session) -> str:
    """'Samenwerking en rondes (ronde 2 van 2)'."""
    r = store.round_of_session(session.id)
    if r is None:
        return "Samenwerking en rondes"
    total = len(store.rounds(r.cooperation_id))
    return f"Samenwerking en rondes (ronde {r.number} van {total})"


def panel(store: Store, q: Questionnaire, session: Session) -> None:
    coop = store.cooperation_of_session(session.id)
    this = store.round_of_session(session.id)
    if coop is None or this is None:
        st.info("Deze sessie hoort niet bij een samenwerking.")
        return
    made = st.session_state.get(NEW_ROUND_KEY)
    if made and made[0] == session.id:
        _token, code, projector = made[1:]
        session_card.show(store, _token, code, projector)
        if st.button("Klaar, deze melding sluiten", key="btn_new_round_done"):
            del st.session_state[NEW_ROUND_KEY]
            st.rerun()
        return
    record(q, coop)
    rounds = store.rounds(coop.id)
    lines = []
    for r in rounds:
        stored = store.content_version(r.content_hash)
        version = stored[0] if stored else "versie onbekend"
        mark = " ← deze sessie" if r.id == this.id else ""
        gone = " (sessie verwijderd; de resultaten zijn bewaard)" if r.session_id is None and r.summary else ""
        lines.append(f"- {cooperation.round_label(r)}, vragenlijst {version}{gone}{mark}")
    st.markdown("**Rondes**\n" + "\n".join(lines))
    next_round(store, q, session, len(rounds) + 1)
    st.markdown("**Zelfscanlink van deze samenwerking**")
    st.caption(
        "Met deze link vult een bestuurder of raadslid de zelfscan alleen in, met de naam en de partnergemeenten "
        "al ingevuld. De antwoorden blijven van die persoon en tellen niet mee in deze sessie."
    )
    st.code(links.scan_url(coop.scan_key), language=None, wrap_lines=True)
    with st.form("edit_record", border=True):
        st.markdown("**Gegevens van de samenwerking aanpassen**")
        form, domain = setup.record_selects(q, key="edit_record", form=coop.form, domain=coop.domain)
        moments_text = st.text_input(
            "Evaluatiemomenten uit de regeling",
            value=", ".join(f"{d.day}-{d.month}-{d.year}" for d in coop.evaluation_moments),
            help="Datums gescheiden door een komma, bijvoorbeeld 1-6-2027, 1-6-2031.",
        )
        saved = st.form_submit_button("Opslaan")
    if saved:
        moments, problems = setup.parse_moments(moments_text)
        if problems:
            st.error(" ".join(problems))
        else:
            try:
                cooperation.update_record(store, q, coop, form=form, domain=domain, evaluation_moments=moments)
            except StoreError as e:
                st.error(str(e))
            else:
                st.success("De gegevens van de samenwerking zijn opgeslagen.")


def record(q: Questionnaire, coop) -> None:
    required = q.required_kind_label.get(coop.required_kind, "ja") if coop.required_kind else "nee"
    moments = ", ".join(fmt_day(d) for d in coop.evaluation_moments) or "niet ingevuld"
    st.markdown(
        f"**{md(coop.name)}**  \n"
        f"Vorm: {cooperation.form_label(q, coop.form)} · Domein: {cooperation.domain_label(q, coop.domain)} · "
        f"Wettelijk verplicht: {required}  \n"
        f"Partners: {md(', '.join(coop.municipalities))}  \n"
        f"Evaluatiemomenten: {md(moments)}"
    )


def next_round(store: Store, q: Questionnaire, session: Session, number: int) -> None:
    setup_ = cooperation.next_round_setup(store, q, session)
    st.markdown(f"**Ronde {number} aanmaken**")
    st.caption(
        "De nieuwe ronde krijgt dezelfde partnergemeenten, rollen, onderdelen, anonimiteitsgrens, bewaartermijn en open "
        "vragen als deze ronde, en een eigen deelnamecode en links. Het presentatiescherm van de nieuwe ronde laat "
        "zien wat er sinds deze ronde is veranderd."
    )
    if st.button(f"Ronde {number} aanmaken", key="btn_new_round", type="primary"):
        if store.session_by_facilitator_token(st.query_params.get("f")) is None:
            st.rerun()  # the link was revoked meanwhile: the page turns into "Geen toegang"
        try:
            new, token = cooperation.start_next_round(store, q, session, setup_)
            projector = store.create_link(new.id, PROJECTOR)[1]
        except StoreError as e:
            st.error(str(e))
        else:
            st.session_state[NEW_ROUND_KEY] = (session.id, token, new.join_code, projector)
            st.rerun()
