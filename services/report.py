"""The reports: a session's raadsrapportage and a person's zelfscan ("uw eigen beeld"), as a report model
(reports/model.py) built from the same figures, findings and top three as the screens. No Streamlit.

    raad_report(store, q, session) -> Report      zelfscan_report(store, q, participant) -> Report
    pdf(report) -> bytes (reports/pdf.py)         docx(report) -> bytes (reports/docx.py)
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

import findings
from charts.style import fmt_number
from exports import images
from formatting import fmt_written
from questionnaire.loader import Questionnaire
from reports.docx import render_docx
from reports.model import Block, FigureBlock, Report, Table
from reports.pdf import render_pdf
from scoring import disclosure
from services import cooperation, open_answers, presenter, scan, workshop
from storage import Participant, Session, Store

APP = "Samenwerkingsspiegel"
# Pixels of a chart's plot on an A4 page (17 cm): its 13 px labels print at about 8 pt.
PAGE_PLOT_WIDTH = 520
STATEMENT_BAR_WIDTH = 300


def pdf(report: Report) -> bytes:
    return render_pdf(report)


def docx(report: Report) -> bytes:
    return render_docx(report)


def table_of(frame: pd.DataFrame, caption: str = "") -> Table:
    """A figure's table as report text (its numbers are Dutch text already; missing is empty)."""
    rows = [
        ["" if (v is None or (isinstance(v, float) and pd.isna(v))) else str(v) for v in row]
        for row in frame.itertuples(index=False)
    ]
    return Table([str(c) for c in frame.columns], rows, caption)


def _wide(frame: pd.DataFrame, rows: str, cols: str, value: str, extra: str | None = None) -> pd.DataFrame:
    """A figure's long table (one row per unit and group) as a compact grid: units down, groups across,
    the value (with ``extra`` in brackets, e.g. the band) in the cells; order as in the figure."""
    cell = frame[value].astype(str)
    if extra is not None:
        shown = ~frame[extra].isna() & (frame[extra].astype(str) != frame[value].astype(str))
        cell = cell.where(~shown, cell + " (" + frame[extra].astype(str).str.lower() + ")")
    grid = frame.assign(_cell=cell).pivot(index=rows, columns=cols, values="_cell")
    grid = grid.reindex(index=list(dict.fromkeys(frame[rows])), columns=list(dict.fromkeys(frame[cols])))
    return grid.reset_index().rename_axis(columns=None)


def report_table(fig: workshop.Figure) -> Table:
    """The numbers behind a figure, laid out for paper: the same cells as the screen's table."""
    t = fig.table
    if fig.key in ("heatmap_gemeenten", "heatmap_rollen"):
        group = "Gemeente" if "Gemeente" in t.columns else "Rol"
        return table_of(_wide(t, "Onderdeel", group, "Gemiddelde", "Band"), "Gemiddelde score (band) per onderdeel")
    if fig.key == "spreiding_gemeenten":
        grid = _wide(t, "Onderdeel", "Gemeente", "Spreiding (sd)")
        topic = t.drop_duplicates("Onderdeel").set_index("Onderdeel")["Gespreksonderwerp"]
        grid["Gespreksonderwerp"] = grid["Onderdeel"].map(topic)
        return table_of(grid, "Spreiding binnen elke gemeente (standaardafwijking) en of het onderdeel een gespreksonderwerp is")
    if fig.key == "stopcriteria_gemeenten":
        return table_of(_wide(t, "Criterium", "Gemeente", "Gemiddelde", "Signaal"), "Score (stoplicht) per criterium")
    if fig.key.startswith("stellingen"):
        return table_of(t.drop(columns=["Onderdeel"]), "Percentage van de antwoorden per stelling")
    return table_of(t)


def _figure_block(fig: workshop.Figure) -> FigureBlock:
    chart = fig.chart.properties(title="")  # the report's own heading and sentence say what it is
    return FigureBlock(
        key=fig.key,
        title=fig.title,
        finding=fig.caption,
        svg=images.chart_svg(chart, width=PAGE_PLOT_WIDTH),
        png=images.chart_png(chart, width=PAGE_PLOT_WIDTH),
        table=report_table(fig),
        alt=f"Grafiek: {fig.title}. {fig.caption} De cijfers staan in de tabel eronder.",
    )


def _text(value, missing: str) -> str:
    return missing if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def count_text(n: int, min_n: int) -> str:
    """A count as it may be published: exact from the session's minimum up (or 0), else 'minder dan N'."""
    return str(disclosure.count_label(n, min_n))  # one rule for counts (scoring.disclosure)


def _response_tables(data: workshop.SessionData, q: Questionnaire) -> list[Table]:
    """Response per municipality (joined, filled in; 'minder dan N' below the minimum) and per role.
    The roles are counted only among the municipalities shown with a number, with small roles taken
    together (``disclosure.merge_small_groups``), and without a finished column: otherwise the role
    counts minus the shown municipalities would give a small municipality's count back."""
    min_n = data.min_n
    people = data.participants
    rows, shown = [], []
    for m in data.municipalities:
        mine = people[people["municipality"] == m]
        rows.append([m, count_text(len(mine), min_n), count_text(int(mine["finished_at"].notna().sum()), min_n)])
        if len(mine) >= min_n:
            shown.append(m)
    counted = people[people["municipality"].isin(shown)]
    label = {**q.role_group_label, disclosure.MERGED_ROLES: disclosure.MERGED_ROLES}
    merged, _ = disclosure.merge_small_groups(counted, "role_group", min_n)
    order = [*data.role_groups(q), disclosure.MERGED_ROLES]
    sizes = merged["role_group"].value_counts()
    by_role = [[label.get(g, str(g)), count_text(int(sizes[g]), min_n)] for g in order if g in sizes.index]
    return [
        Table(["Gemeente", "Aangemeld", "Ingevuld"], rows, "Respons per gemeente"),
        Table(["Rol", "Aangemeld"], by_role, "Respons per rol (alleen de gemeenten met cijfers; kleine rollen samengenomen)"),
    ]


def _method(q: Questionnaire, min_n: int | None) -> Block:
    scale = ", ".join(f"{o.label.lower()} = {o.value}" for o in q.scale.options)
    bands = "; ".join(
        f"{b.label.lower()} vanaf {fmt_number(b.min)}" if i < len(q.scoring.bands) - 1 else f"{b.label.lower()} daaronder"
        for i, b in enumerate(q.scoring.bands)
    )
    signals = "; ".join(
        f"{s.label.lower()} vanaf {fmt_number(s.min)}" if i < len(q.scoring.signals) - 1 else f"{s.label.lower()} daaronder"
        for i, s in enumerate(q.scoring.signals)
    )
    paragraphs = [
        f"Antwoordschaal: {scale}. ‘{q.scale.dont_know.label}’ wordt bewaard maar telt nooit als getal mee.",
        "Score per onderdeel: het gemiddelde van de beantwoorde stellingen. Een negatief gestelde stelling telt "
        "omgekeerd (6 min het antwoord). Is minder dan de helft van de stellingen beantwoord, dan krijgt het onderdeel "
        "geen score. Elke score wordt één keer afgerond, half naar boven, op één decimaal; band en stoplicht komen van "
        "dat afgeronde getal.",
        f"Banden: {bands}. Stoplicht bij de stopcriteria en signalen (hoe hoger, hoe sterker het signaal): {signals}.",
        "Overeenstemming binnen een groep: " + " ".join(q.scoring.agreement.explanation.split()),
        "Advies: de regels worden van boven naar beneden gelezen; de eerste die opgaat geeft het advies. "
        "Het advies is een startpunt voor het gesprek in de raad, geen oordeel.",
    ]
    rules = [(f"{q.advice_by_id[r.advice].label}: ", r.reason) for r in q.settings.advice_rules]
    if min_n is not None:
        paragraphs.append(
            f"Anonimiteit: een gemeente of rol met minder dan {min_n} deelnemers wordt nergens met een getal getoond, "
            "en wie in zo'n kleine groep zit, telt ook niet mee in de cijfers van de hele groep; zo is een kleine groep "
            "niet terug te rekenen uit de andere cijfers. Aantallen onder de grens staan als ‘minder dan "
            f"{min_n}’."
        )
    return Block("Hoe is gemeten?", paragraphs=paragraphs, numbered=rules, page_break_before=True)


def _annex(q: Questionnaire, section_ids: list[str], skipped: set[str] = frozenset()) -> Block:
    rows, n = [], 0
    for s in q.sections:
        if s.id not in section_ids:
            continue
        for item in s.items:
            if item.id in skipped:
                continue
            n += 1
            note = []
            if item.reverse:
                note.append("telt omgekeerd")
            if item.criterion:
                note.append(q.criterion_by_id[item.criterion].title)
            rows.append([str(n), s.title, item.text, "; ".join(note)])
    return Block(
        "Bijlage: alle stellingen",
        paragraphs=[
            "De stellingen zoals de deelnemers ze lazen, per onderdeel, met het stopcriterium of signaal waar ze bij horen."
        ],
        tables=[Table(["Nr", "Onderdeel", "Stelling", "Toelichting"], rows)],
        page_break_before=True,
    )


def _topics_block(topics) -> Block:
    if not topics:
        return Block(
            "Drie onderwerpen voor het gesprek", paragraphs=["Er zijn nog te weinig antwoorden om onderwerpen te kiezen."]
        )
    numbered = []
    for t in topics:
        title, rest = findings.topic_parts(t)
        numbered.append((title, rest + (f" Tip: {t.tip}" if t.tip else "")))
    return Block(
        "Drie onderwerpen voor het gesprek",
        paragraphs=["De onderwerpen die de tijd van de raad het meest waard zijn, elk met een tip om ermee aan de slag te gaan."],
        numbered=numbered,
    )


def _trend_block(store: Store, q: Questionnaire, data: workshop.SessionData) -> tuple[Block | None, str | None]:
    """From round 2 on: the trend figures (with what could not be compared) and the summary's trend sentence."""
    found = cooperation.trend(store, q, data.session, live=data)
    if found is None:
        return None, None
    from findings import trend as trend_findings
    figs = {f.key: f for f in presenter.trend_figures(store, q, data, size="normal")}
    notes = trend_findings.not_compared_sentences(found, q)
    paragraphs = [
        f"Deze samenwerking is eerder gemeten: {findings.join([found.labels[n] for n in found.rounds])}. "
        "Vergeleken worden alleen de onderdelen die in beide rondes met dezelfde stellingen zijn gevraagd. Elke ronde "
        "houdt haar eigen anonimiteitsgrens: een groep die in een ronde te klein was, heeft daar geen cijfer en geen verschil.",
        *notes,
    ]
    shown = [_figure_block(figs[k]) for k in (presenter.TREND, presenter.TREND_ADVICE) if k in figs]
    return Block("Vergelijking met de eerdere rondes", paragraphs=paragraphs, figures=shown, page_break_before=True), (
        trend_findings.trend_sentence(found, q)
    )


def raad_report(store: Store, q: Questionnaire, session: Session, moment: datetime | None = None) -> Report:
    """The raadsrapportage of one session: what the room saw, with method, statements and colophon;
    from the second round of a cooperation on, with the trend since the round before."""
    data = workshop.load_session_data(store, q, session)
    when = fmt_written(moment) if moment else fmt_written()
    figs = {f.key: f for f in workshop.comparison_figures(data, q, size="normal")}
    counted = data.public.n_counted  # who count (complementary suppression); never the exact total
    trend_block, trend_sentence = _trend_block(store, q, data)
    summary = [
        f"{counted} deelnemers uit {len(session.municipalities)} partnergemeenten telden mee in de resultaten "
        f"(groepen kleiner dan {data.min_n} niet meegerekend).",
        figs["heatmap_gemeenten"].caption,
        figs["spreiding_gemeenten"].caption,
    ]
    if trend_sentence:
        summary.append(trend_sentence)
    if data.stop_ids(q):
        summary += [figs["stopcriteria_gemeenten"].caption, figs["advies_gemeenten"].caption]
    picture = [_figure_block(figs[k]) for k in ("heatmap_gemeenten", "spreiding_gemeenten", "heatmap_rollen")]
    statements = [
        _figure_block(workshop.section_statements_figure(data, q, sid, size="normal", width=STATEMENT_BAR_WIDTH))
        for sid in data.section_ids(q)
    ]
    blocks = [
        Block("Samenvatting", paragraphs=[" ".join(summary)]),
        _topics_block(workshop.conversation_topics(data, q)),
        Block("Beeld per onderdeel en gemeente", figures=picture, page_break_before=True),
        *([trend_block] if trend_block else []),
        Block("Antwoorden per stelling", figures=statements, page_break_before=True),
    ]
    if data.stop_ids(q):
        blocks.append(
            Block(
                "Stopcriteria en advies",
                paragraphs=[
                    "Bij de stopcriteria en signalen betekent ‘eens’ dat het waarschuwingssignaal aanwezig is. "
                    "Alleen stopcriteria kunnen leiden tot uitkleden of stoppen; signalen uit de praktijk hooguit tot herijken."
                ],
                figures=[_figure_block(figs["stopcriteria_gemeenten"]), _figure_block(figs["advies_gemeenten"])],
                page_break_before=True,
            )
        )
    asked = open_answers.questions(store, q, session)
    answered = [(question, open_answers.approved_texts(store, session.id, i)) for i, question in enumerate(asked)]
    if any(texts for _, texts in answered):
        blocks.append(
            Block(
                "Open antwoorden",
                paragraphs=["De antwoorden die de begeleider heeft goedgekeurd, zonder naam of gemeente, op alfabet."]
                + [f"{question}" for question, texts in answered if texts],
                bullets=[t for _, texts in answered for t in texts],
            )
        )
    blocks += [_method(q, data.min_n), _annex(q, list(session.sections))]
    coop = store.cooperation_of_session(session.id)
    this_round = store.round_of_session(session.id)
    stored = store.content_version(this_round.content_hash) if this_round else None
    version = stored[0] if stored else "onbekend (van vóór de versieregistratie)"
    record_lines = []
    if coop is not None:
        record_lines.append(
            f"Vorm: {cooperation.form_label(q, coop.form)} · domein: {cooperation.domain_label(q, coop.domain)}"
        )
    if this_round is not None:
        record_lines.append(f"{cooperation.round_label(this_round)} · vragenlijst versie {version}")
    return Report(
        kind="raad",
        title=f"Raadsrapportage: {session.name}",
        subtitle="Samenwerkingsspiegel · evaluatie van een samenwerking tussen gemeenten",
        cooperation=session.name,
        date=when,
        cover_lines=[
            f"Samenwerking: {session.name}",
            *record_lines,
            f"Partnergemeenten: {findings.join(list(session.municipalities))}",
            f"Datum: {when}",
            f"Anonimiteitsgrens: groepen vanaf {data.min_n} deelnemers",
        ],
        cover_tables=_response_tables(data, q),
        blocks=blocks,
        colophon=[
            f"Gemaakt met {APP} op {when}.",
            f"Vragenlijst: {sum(len(q.section_by_id[s].items) for s in session.sections if s in q.section_by_id)} stellingen "
            f"in {len(session.sections)} onderdelen (versie {version}); de bronnen staan bij elke stelling in de inhoud van de app.",
            "Dit rapport bevat geen antwoorden van personen, alleen groepscijfers vanaf de anonimiteitsgrens.",
        ],
    )


def zelfscan_report(
    store: Store, q: Questionnaire, participant: Participant, session: Session | None = None, moment: datetime | None = None
) -> Report:
    """One person's result (zelfscan, or a participant's own in a session) as a document of one or two
    pages: clearly 'uw eigen beeld'."""
    scope = scan.scope_of(store, participant, session)
    answers = store.answers_of(participant.id)
    result = scan.personal_result(q, answers, scope.section_ids, required=scope.required)
    when = fmt_written(moment) if moment else fmt_written()
    role = q.role_by_id.get(participant.role)
    scores = Table(
        ["Onderdeel", "Score", "Band"],
        [
            [r.title, fmt_number(r.score) if r.status == "ok" else "–", _text(r.band_label, "Geen score")]
            for r in result.sections.itertuples()
        ],
    )
    blocks = [Block("Uw scores per onderdeel", tables=[scores])]
    if len(result.criteria):
        crit = Table(
            ["Stopcriterium of signaal", "Score", "Stoplicht"],
            [
                [r.title, fmt_number(r.score) if r.status == "ok" else "–", _text(r.signal_label, "Geen score")]
                for r in result.criteria.itertuples()
            ],
        )
        advice = result.advice
        lines = []
        if advice is not None and advice.advice is not None:
            lines = [f"Advies: {advice.label}. {q.advice_by_id[advice.advice].meaning}", f"Waarom? {advice.reason}"]
            if advice.drivers:
                lines.append("Bepalend: " + "; ".join(q.criterion_by_id[c].title for c in advice.drivers) + ".")
        elif advice is not None:
            lines = [advice.reason]
        lines.append("Dit advies is een startpunt voor het gesprek in de raad, geen oordeel.")
        blocks.append(Block("Stopcriteria en advies", paragraphs=lines, tables=[crit]))
    blocks.append(_topics_block(result.topics))
    blocks.append(
        Block(
            "Hoe is gemeten?",
            paragraphs=[
                "Score = het gemiddelde van uw antwoorden (1 = helemaal oneens … 5 = helemaal eens); bij negatief gestelde "
                "stellingen telt 6 min uw antwoord. ‘Weet niet’ telt niet mee. Elke score is één keer afgerond op één decimaal. "
                + " · ".join(f"{b.label}: vanaf {fmt_number(b.min)}" for b in q.scoring.bands)
                + ".",
                "Dit is uw eigen beeld van de samenwerking, geen oordeel van de raad of van de partners.",
            ],
        )
    )
    return Report(
        kind="zelfscan",
        title=f"Uw eigen beeld: {participant.cooperation}",
        subtitle="Samenwerkingsspiegel · zelfscan",
        cooperation=participant.cooperation,
        date=when,
        cover_lines=[
            f"Samenwerking: {participant.cooperation}",
            f"Gemeente: {participant.municipality} · rol: {role.label if role else participant.role}",
            f"Ingevuld op: {fmt_written(participant.finished_at) if participant.finished_at else when}",
        ],
        cover_tables=[],
        blocks=blocks,
        colophon=[f"Gemaakt met {APP} op {when}. Alleen u heeft dit document; de app bewaart geen naam."],
    )
