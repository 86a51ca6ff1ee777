"""The exports area of the Begeleidersscherm, in two plainly separate kinds, each file built when clicked:
'Resultaten voor de raad' (shareable: tables, images, the raadsrapportage) and 'Ruwe antwoorden'
(the begeleider's working file, not for publication)."""

from __future__ import annotations

import streamlit as st

from exports import session as session_exports
from formatting import file_stamp
from questionnaire.loader import Questionnaire
from services import report, workshop
from storage import Session, Store


def panel(store: Store, q: Questionnaire, session: Session) -> None:
    """Downloads; each file is built when it is clicked, from the answers as they are at that moment."""

    def fresh() -> workshop.SessionData:
        return workshop.load_session_data(store, q, store.session(session.id))

    def raad_report():
        return report.raad_report(store, q, store.session(session.id))

    base = f"samenwerkingsspiegel-{session.join_code}-{file_stamp()}"
    common = {"width": "stretch", "on_click": "ignore"}
    st.markdown("#### Resultaten voor de raad")
    st.markdown(
        "Mag gedeeld worden: alleen cijfers per groep, geen rij per deelnemer. Groepen kleiner dan "
        f"{session.min_group_size} staan er niet in en zijn ook niet terug te rekenen (zie de Toelichting)."
    )
    left, right = st.columns(2)
    with left:
        st.download_button(
            "Raadsrapportage (PDF, voor het raadsinformatiesysteem)",
            lambda: report.pdf(raad_report()),
            file_name=f"{base}-raadsrapportage.pdf",
            mime="application/pdf",
            key="dl_report_pdf",
            type="primary",
            **common,
        )
    with right:
        st.download_button(
            "Raadsrapportage (Word, om te bewerken tot raadsvoorstel)",
            lambda: report.docx(raad_report()),
            file_name=f"{base}-raadsrapportage.docx",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            key="dl_report_docx",
            **common,
        )
    cols = st.columns(len(session_exports.COUNCIL_FILES))
    for n, (name, kind) in enumerate(session_exports.COUNCIL_FILES.items()):
        with cols[n]:
            st.download_button(
                kind.label,
                lambda name=name: session_exports.council_file(fresh(), q, name),
                file_name=f"{base}-{kind.suffix}",
                mime=kind.mime,
                key=f"dl_council_{n}",
                **common,
            )
    if session.revealed:
        st.markdown("**Grafieken als afbeelding (PNG, en SVG om te vergroten), voor een raadsvoorstel**")
        cols = st.columns(3)
        for n, (key, title) in enumerate(workshop.FIGURE_TITLES.items()):
            with cols[n % 3]:
                st.download_button(
                    title,
                    lambda key=key: workshop.figure_image(fresh(), q, key, "png"),
                    file_name=f"{base}-{key}.png",
                    mime="image/png",
                    key=f"dl_png_{key}",
                    **common,
                )
                st.download_button(
                    f"{title} (SVG)",
                    lambda key=key: workshop.figure_image(fresh(), q, key, "svg"),
                    file_name=f"{base}-{key}.svg",
                    mime="image/svg+xml",
                    key=f"dl_svg_{key}",
                    **common,
                )
    else:
        st.caption("De grafieken zijn als afbeelding te downloaden zodra de resultaten zichtbaar zijn.")

    st.markdown("#### Ruwe antwoorden – niet publiceren")
    st.warning(session_exports.RAW_WARNING, icon=":material/warning:")
    cols = st.columns(len(session_exports.RAW_FILES))
    for n, (name, kind) in enumerate(session_exports.RAW_FILES.items()):
        with cols[n]:
            st.download_button(
                kind.label,
                lambda name=name: session_exports.raw_file(fresh(), q, name),
                file_name=f"{base}-{kind.suffix}",
                mime=kind.mime,
                key=f"dl_raw_{n}",
                help="Niet publiceren: losse antwoorden per deelnemer.",
                **common,
            )
