"""The exports area of the Begeleidersscherm: result tables, answers and chart images, built when clicked."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from exports import session as session_exports
from questionnaire.loader import Questionnaire
from services import workshop
from storage import Session, Store


def panel(store: Store, q: Questionnaire, session: Session) -> None:
    """Downloads; each file is built when it is clicked, from the answers as they are at that moment."""

    def fresh() -> workshop.SessionData:
        return workshop.load_session_data(store, q, store.session(session.id))

    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    base = f"samenwerkingsspiegel-{session.join_code}-{stamp}"
    st.markdown(
        "De resultaat-exports tonen geen groepen kleiner dan "
        f"{session.min_group_size}. Het antwoordenbestand bevat losse (pseudonieme) antwoorden: alleen voor u als begeleider."
    )
    common = {"width": "stretch", "on_click": "ignore"}
    c1, c2 = st.columns(2)
    with c1:
        st.download_button(
            "Alles in één Excel-bestand (XLSX)",
            lambda: session_exports.workbook_xlsx(fresh(), q),
            file_name=f"{base}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="dl_xlsx",
            **common,
        )
        st.download_button(
            "Antwoorden, lange vorm (CSV voor analyse)",
            lambda: session_exports.answers_csv(fresh(), q),
            file_name=f"{base}-antwoorden.csv",
            mime="text/csv",
            key="dl_answers",
            **common,
        )
    with c2:
        for n, name in enumerate(session_exports.RESULT_TABLES):
            st.download_button(
                f"{name} (CSV voor Excel)",
                lambda name=name: session_exports.results_csv(fresh(), q, name),
                file_name=f"{base}-{name.lower().replace(' ', '-')}.csv",
                mime="text/csv",
                key=f"dl_results_{n}",
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

