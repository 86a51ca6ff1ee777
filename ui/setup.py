"""Set-up widgets shared by the zelfscan and workshop forms: legally required cooperation, optional modules."""

from __future__ import annotations

from datetime import date

import streamlit as st

from formatting import NotADate, parse_day
from questionnaire.loader import Questionnaire

NOT_REQUIRED = "Nee, de gemeenten doen vrijwillig mee"


def required_kind_select(q: Questionnaire, *, key: str) -> str | None:
    """'Is deze samenwerking wettelijk verplicht?': None (voluntary) or a required_kinds id."""
    labels = q.required_kind_label
    choice = st.selectbox(
        "Is deze samenwerking wettelijk verplicht?",
        [None, *labels],
        format_func=lambda k: NOT_REQUIRED if k is None else labels[k],
        key=key,
        help=(
            "Bij een verplichte samenwerking, zoals een veiligheidsregio, GGD of omgevingsdienst, is uittreden "
            "geen mogelijkheid. Het advies is dan nooit ‘stoppen’ en stellingen die daar niets zeggen, vallen weg."
        ),
    )
    return choice


def optional_modules_select(q: Questionnaire, *, key: str) -> list[str]:
    """Check boxes for the optional modules; returns the section ids of the chosen ones."""
    if not q.optional_modules:
        return []
    st.markdown("**Extra onderdelen** (niet verplicht)")
    chosen: list[str] = []
    for m in q.optional_modules:
        if st.checkbox(m.title, key=f"{key}_{m.id}"):
            chosen += [s.id for s in m.sections]
    return chosen


def record_selects(q: Questionnaire, *, key: str, form: str | None = None, domain: str | None = None) -> tuple[str, str]:
    """The form and the domain of a cooperation record (content lists), optionally preset."""
    forms = {c.id: c.label for c in q.settings.cooperation_forms}
    domains = {c.id: c.label for c in q.settings.domains}
    form_ids, domain_ids = list(forms), list(domains)
    chosen_form = st.selectbox(
        "Vorm van de samenwerking",
        form_ids,
        index=form_ids.index(form) if form in forms else form_ids.index("anders") if "anders" in forms else 0,
        format_func=forms.get,
        key=f"{key}_form",
        help="Een gemeenschappelijke regeling (Wgr) of een lichtere vorm, zoals een convenant of netwerk.",
    )
    chosen_domain = st.selectbox(
        "Domein",
        domain_ids,
        index=domain_ids.index(domain) if domain in domains else len(domain_ids) - 1,
        format_func=domains.get,
        key=f"{key}_domain",
    )
    return chosen_form, chosen_domain


def parse_moments(raw: str) -> tuple[list[date], list[str]]:
    """Evaluation moments typed as Dutch dates separated by commas or semicolons: (dates, problems)."""
    moments, problems = [], []
    for part in (raw or "").replace(";", ",").split(","):
        if not part.strip():
            continue
        try:
            moments.append(parse_day(part))
        except NotADate as e:
            problems.append(f"Evaluatiemoment: {e}")
    return moments, problems
