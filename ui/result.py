"""The personal result page: scores, profile chart, stop-criteria traffic light, tips, CSV, print."""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

from charts.profile import profile_spec
from charts.style import SIGNAL_COLOUR, fmt_number
from findings import topic_parts
from formatting import fmt_date
from questionnaire.loader import Questionnaire
from services import report, scan
from storage import Participant, Session, SessionClosed, Store
from ui import links
from ui.text import md


def fmt(value: float | None, decimals: int = 1) -> str:
    return fmt_number(value, decimals, missing="–")


def _reopen(store: Store, participant_id: int, steps: int) -> None:
    try:
        store.reopen(participant_id, steps - 1)
    except SessionClosed as e:
        st.session_state["_closed_message"] = str(e)


def _signal_dot(q: Questionnaire, signal_id: str | None) -> str:
    ids = [s.id for s in q.scoring.signals]
    colour = SIGNAL_COLOUR.get(ids.index(signal_id), "#999") if signal_id in ids else "#BBBBBB"
    return f'<span class="signal" style="background:{colour}"></span>'


def _file_name(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40]
    return slug or "samenwerking"


def _pdf_download(q: Questionnaire, store: Store, participant: Participant, session: Session | None) -> None:
    """'Uw eigen beeld' as a PDF of one or two pages. Made on request (a second tap), not with every
    draw of the result page: a hall asks for its result at once, and the PDF costs a few tenths of a second."""
    key = f"_own_pdf_{participant.id}"
    made = st.session_state.get(key)
    if made is None:
        if st.button("Maak een PDF van mijn resultaat", width="stretch", key="make_pdf"):
            with st.spinner("De PDF wordt gemaakt…"):
                st.session_state[key] = report.pdf(report.zelfscan_report(store, q, participant, session))
            st.rerun()
        return
    st.download_button(
        "Download mijn resultaat (PDF)",
        data=made,
        file_name=f"uw-eigen-beeld-{_file_name(participant.cooperation)}.pdf",
        mime="application/pdf",
        type="primary",
        width="stretch",
        key="download_pdf",
    )


def _topic_line(topic) -> str:
    """One numbered line of the top three: what, the number, and the matching tip (words: findings)."""
    title, rest = topic_parts(topic)
    space = " " if rest.startswith(" ") else ""  # md() trims the text it escapes
    return f"**{md(title)}**{space}{md(rest)}" + (f"  \n   *Tip:* {md(topic.tip)}" if topic.tip else "")


def render(
    q: Questionnaire, store: Store, participant: Participant, session: Session | None, token: str
) -> scan.PersonalResult:
    scope = scan.scope_of(store, participant, session)
    section_ids = scope.section_ids
    answers = store.answers_of(participant.id)
    result = scan.personal_result(q, answers, section_ids, required=scope.required)
    role = q.role_by_id.get(participant.role)

    st.title("Uw resultaat")
    st.markdown(
        f"**{md(participant.cooperation)}** · {md(participant.municipality)} · "
        f"{role.label if role else md(participant.role)} · ingevuld op {fmt_date(participant.finished_at)}"
    )
    message = st.session_state.pop("_closed_message", None)
    if message:
        st.warning(message)

    # -- scores per section
    st.header("Hoe staat de samenwerking ervoor?")
    table = pd.DataFrame(
        {
            "Onderdeel": result.sections["title"],
            "Score": [fmt(v) for v in result.sections["score"]],
            "Band": result.sections["band_label"].fillna("Geen score"),
            "Wat betekent dit?": [
                m if st_ == "ok" else f"Te weinig stellingen beantwoord ({a} van {n}) voor een score."
                for m, st_, a, n in zip(
                    result.sections["meaning"], result.sections["status"], result.sections["n_answered"], result.sections["n_items"], strict=True
                )
            ],
        }
    )
    if len(table):
        st.table(table.set_index("Onderdeel"))
        if len(result.scored):
            st.vega_lite_chart(profile_spec(result.sections, q), width="stretch")
        st.caption(
            "Score = gemiddelde van uw antwoorden (1 = helemaal oneens … 5 = helemaal eens); bij stellingen die "
            "omgekeerd zijn geformuleerd telt 6 min uw antwoord. ‘Weet niet’ telt niet mee. "
            + " · ".join(f"{b.label}: vanaf {fmt(b.min)}" for b in q.scoring.bands)
        )

    # -- stop criteria and advice
    if len(result.criteria):
        st.header("Stopcriteria: stoplicht")
        advice = result.advice
        if advice is None or advice.advice is None:
            st.info(advice.reason if advice else "Te weinig stopcriteria beantwoord om een advies te geven.")
        else:
            meaning = q.advice_by_id[advice.advice].meaning
            drivers = [q.criterion_by_id[c].title for c in advice.drivers]
            st.markdown(
                f"### Advies: {advice.label}\n{meaning}\n\n**Waarom?** {advice.reason}"
                + (f"\n\n**Bepalend:** {'; '.join(drivers)}." if drivers else "")
            )
            if scope.required:
                kind = q.required_kind_label.get(scope.required_kind, scope.required_kind)
                st.caption(f"Wettelijk verplichte samenwerking ({md(kind)}): uittreden is geen mogelijkheid.")
            st.caption("Dit advies is een startpunt voor het gesprek in de raad, geen oordeel.")
        rows = []
        section = None
        for r in result.criteria.itertuples():
            if r.section != section:  # stop criteria and practice signals under their own heading
                section = r.section
                rows.append(
                    f"<tr><th colspan='3' style='text-align:left;padding-top:0.6rem'>"
                    f"{html.escape(q.section_by_id[section].title)}</th></tr>"
                )
            rows.append(
                f"<tr><td>{_signal_dot(q, r.signal)}{html.escape(r.signal_label if isinstance(r.signal_label, str) else 'Geen score')}</td>"
                f"<td>{html.escape(r.title)}</td><td style='text-align:right'>{fmt(r.score)}</td></tr>"
            )
        st.html(
            "<table style='width:100%;border-collapse:collapse;font-size:1rem'>"
            "<thead><tr><th style='text-align:left'>Signaal</th><th style='text-align:left'>Criterium</th>"
            "<th style='text-align:right'>Score</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        )
        st.caption(
            "Score = hoe sterk u het waarschuwingssignaal herkent (5 = helemaal aanwezig). "
            + " · ".join(f"{s.label}: vanaf {fmt(s.min)}" for s in q.scoring.signals)
            + ". Alleen stopcriteria kunnen leiden tot uitkleden of stoppen; signalen uit de praktijk hooguit tot herijken."
        )

    # -- comparison with the group (workshop participants, once the facilitator reveals)
    if session is not None:
        st.header("Vergelijking met uw gemeente en de hele groep")
        if not session.revealed:
            st.info(
                "De begeleider heeft de resultaten van de groep nog niet getoond. "
                "Zodra dat gebeurt, ziet u hier hoe uw antwoorden zich verhouden tot uw gemeente en de hele groep."
            )
            st.button("Opnieuw kijken", key="refresh_compare")
        else:
            from services import workshop

            data = workshop.load_session_data(store, q, session)
            st.table(workshop.participant_comparison(data, q, participant.pseudonym).set_index("Onderdeel"))
            st.caption(f"Groepen met minder dan {session.min_group_size} deelnemers worden niet getoond (‘te weinig deelnemers’).")

    # -- tips
    if result.tips:
        st.header("Tips voor uw zwakste principes")
        for section, score in result.tips:
            st.subheader(f"{section.title} ({fmt(score)})")
            st.markdown("\n".join(f"- {tip}" for tip in section.tips))
    elif len(result.scored):
        st.success("Alle principes scoren sterk. Houd vast wat werkt en vier dat met de partners.")

    # -- the top three for the conversation (one source: scoring.top_topics)
    if result.topics:
        st.header("Drie onderwerpen voor het gesprek")
        st.markdown("\n".join(f"{n}. {_topic_line(t)}" for n, t in enumerate(result.topics, start=1)))

    # -- actions
    st.divider()
    st.download_button(
        "Download mijn antwoorden en scores (CSV voor Excel)",
        data=scan.personal_csv(q, answers, result, section_ids, required=scope.required),  # made with the page: a deferred (callable) download was lost once in CI
        file_name=f"samenwerkingsspiegel-{_file_name(participant.cooperation)}.csv",
        mime="text/csv",
        width="stretch",
        key="download_csv",
    )
    _pdf_download(q, store, participant, session)
    steps = len(scan.scan_sections(q, section_ids, scope.required))
    st.button(
        "Antwoorden aanpassen",
        on_click=_reopen,
        args=(store, participant.id, steps),
        disabled=bool(session and session.closed),
        key="reopen",
    )
    with st.expander("Uw persoonlijke link"):
        st.markdown("Met deze link ziet u dit resultaat later terug.")
        st.code(links.resume_url(token), language=None, wrap_lines=True)
    return result
