"""The trend figures (services.trend_figures): chart data, tables and sentences from real rounds of one cooperation."""

from __future__ import annotations

import itertools
import json
from datetime import date

import pandas as pd
import pytest

import findings
from charts import trend as trend_chart
from charts.colour import contrast_ratio, delta_e2000, simulate_deuteranopia
from charts.style import INK, TOO_FEW_SHORT, fmt_number
from exports import images
from findings import trend as trend_words
from scoring import trend as trends
from services import cooperation, trend_figures

MUNIS = ["Tiel", "Culemborg", "Buren"]
SCORED = ["fundament", "eerlijk", "eigenaarschap", "successen", "ervaringen", "raad"]
SECTIONS = [*SCORED, "stopcriteria", "signalen"]
PNG = b"\x89PNG\r\n\x1a\n"


def setup(min_n: int = 3, sections=SECTIONS) -> cooperation.RoundSetup:
    return cooperation.RoundSetup(
        roles=["raadslid", "wethouder", "griffier"], sections=list(sections), min_n=min_n, retention_months=12, open_questions=[]
    )


def first_round(store, q, sections=SECTIONS, municipalities=MUNIS):
    session, _ = cooperation.start_first_round(
        store,
        q,
        name="GR Rivierenland",
        municipalities=list(municipalities),
        form="gr_openbaar_lichaam",
        domain="sociaal_domein",
        required_kind=None,
        evaluation_moments=[date(2027, 6, 1)],
        setup=setup(sections=sections),
    )
    return session


def answer(store, q, session, people: dict[str, list[dict[str, int] | int]], stop: int = 2):
    """people: municipality -> per participant the value per scored section (a dict; a section left out
    gets 3; or one value for every section). Every statement of a section gets that value (a reverse one
    6 - value), so a participant's section score is exactly it. Stop statements get the dict's "stop"
    value, else ``stop``."""
    for muni, persons in people.items():
        for values in persons:
            p, _ = store.create_participant(cooperation=session.name, session_id=session.id, municipality=muni, role="raadslid")
            answers = {}
            for s in q.sections:
                if s.id not in session.sections:
                    continue
                if isinstance(values, int):
                    v = values if s.id in SCORED else stop
                else:
                    v = values.get(s.id, 3) if s.id in SCORED else values.get("stop", stop)
                for i in s.items:
                    answers[i.id] = 6 - v if i.reverse else v
            store.save_answers(p.id, answers)
            store.finish(p.id)


def next_round(store, q, previous, people, stop: int = 2):
    cooperation.set_closed(store, q, previous.id, True)
    session, _ = cooperation.start_next_round(store, q, previous)
    answer(store, q, session, people, stop)
    return session


def _people(**columns: list[int]) -> list[dict[str, int]]:
    """Participants from per-section columns: _people(eerlijk=[3, 3, 4]) is three participants."""
    n = len(next(iter(columns.values())))
    return [{k: v[i] for k, v in columns.items()} for i in range(n)]


def two_rounds(store, q):
    """Three municipalities, two rounds. Round 1: Buren has 2 participants (below the minimum of 3) and
    counts nowhere. Exactly three changes of 0.5 or more: everyone on 'eerlijk' 3.3 -> 4.1, Tiel on
    'eigenaarschap' 4.0 -> 3.3, Culemborg on 'fundament' 2.7 -> 3.3; the rest moves less."""
    first = first_round(store, q)
    answer(
        store,
        q,
        first,
        {
            "Tiel": _people(eerlijk=[3, 3, 4], eigenaarschap=[4, 4, 4], fundament=[3, 3, 3], stop=[2, 2, 4]),
            "Culemborg": _people(eerlijk=[3, 3, 4], eigenaarschap=[3, 3, 3], fundament=[2, 3, 3], stop=[2, 2, 2]),
            "Buren": _people(eerlijk=[2, 2], stop=[5, 5]),
        },
    )
    second = next_round(
        store,
        q,
        first,
        {
            "Tiel": _people(eerlijk=[4, 4, 3], eigenaarschap=[3, 3, 4], fundament=[3, 3, 3], stop=[2, 4, 4]),
            "Culemborg": _people(eerlijk=[4, 4, 3], eigenaarschap=[3, 3, 4], fundament=[3, 3, 4], stop=[2, 2, 4]),
            "Buren": _people(eerlijk=[5, 5, 5], eigenaarschap=[3, 3, 4], fundament=[3, 3, 3], stop=[2, 4, 5]),
        },
    )
    return first, second


def three_rounds(store, q):
    """``two_rounds`` and a third round in which Buren is below the minimum again and 'De rol van de
    raad' falls everywhere."""
    first, second = two_rounds(store, q)
    third = next_round(
        store,
        q,
        second,
        {
            "Tiel": _people(eerlijk=[4, 4, 4], eigenaarschap=[4, 4, 4], raad=[2, 2, 3], stop=[2, 2, 2]),
            "Culemborg": _people(eerlijk=[5, 5, 4], fundament=[4, 4, 4], raad=[2, 2, 2], stop=[2, 4, 2]),
            "Buren": _people(eerlijk=[4, 4], successen=[4, 4], stop=[5, 5]),
        },
    )
    return first, second, third


def inline_values(spec) -> list[dict]:
    """Every data row the spec carries (its datasets and any inline values)."""
    out = [r for rows in spec.get("datasets", {}).values() for r in rows] if isinstance(spec, dict) else []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("values"), list) and all(isinstance(v, dict) for v in node["values"]):
                out.extend(node["values"])
            for k, v in node.items():
                if k != "datasets":
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return out


def data_names(node) -> set[str]:
    """The names of the datasets the spec's views refer to."""
    if isinstance(node, dict):
        found = {node["data"]["name"]} if isinstance(node.get("data"), dict) and "name" in node["data"] else set()
        return found.union(*(data_names(v) for k, v in node.items() if k != "datasets"))
    if isinstance(node, list):
        return set().union(*(data_names(v) for v in node)) if node else set()
    return set()


@pytest.fixture
def two(store, q):
    first, second = two_rounds(store, q)
    return cooperation.trend(store, q, second)


@pytest.fixture
def three(store, q):
    *_, third = three_rounds(store, q)
    return cooperation.trend(store, q, third)


# ---------------------------------------------------------------- the table


@pytest.mark.parametrize("which", ["two", "three"])
def test_the_table_shows_the_trend_numbers_as_rounded_and_hides_small_groups(which, request, q):
    t = request.getfixturevalue(which)
    fig = trend_figures.sections_figure(t, q, municipalities=MUNIS)
    labels = [t.labels[r] for r in t.rounds]
    assert list(fig.table.columns) == ["Onderdeel", "Gemeente", *labels, "Verschil"]
    title_of = {s.id: s.title for s in q.sections}
    shown = {(r["Onderdeel"], r["Gemeente"]): r for r in fig.table.to_dict("records")}
    for cell in t.table.itertuples():
        row = shown[(title_of[cell.section], "Alle gemeenten" if cell.group == trends.ALL else cell.group)]
        value = row[t.labels[cell.round]]
        if cell.suppressed:
            assert value == TOO_FEW_SHORT
        else:
            assert value == fmt_number(cell.mean) and float(value.replace(",", ".")) == cell.mean
    # Verschil is the latest minus the previous round, as shown, and equals Trend.changes where named.
    for ch in t.changes.itertuples():
        row = shown[(title_of[ch.section], "Alle gemeenten" if ch.group == trends.ALL else ch.group)]
        assert row["Verschil"] == ("+" if ch.delta > 0 else "-") + fmt_number(abs(ch.delta))
    # Everyone first, then the municipalities in the cooperation's order.
    first_section = fig.table[fig.table["Onderdeel"] == title_of["fundament"]]["Gemeente"].tolist()
    assert first_section[0] == "Alle gemeenten" and first_section[1:] == [m for m in MUNIS if m in first_section]
    # The same table with numbers as numbers.
    numbers = fig.numbers[labels[-1]]
    assert (
        numbers.map(lambda v: isinstance(v, float) or v == TOO_FEW_SHORT).all()
        and numbers.map(lambda v: isinstance(v, float)).any()
    )


def test_a_group_below_the_minimum_has_no_number_in_the_chart_or_the_table(two, q):
    fig = trend_figures.sections_figure(two, q, municipalities=MUNIS)
    round1 = two.labels[1]
    buren = fig.table[fig.table["Gemeente"] == "Buren"]
    assert (buren[round1] == TOO_FEW_SHORT).all() and buren["Verschil"].eq("").all()
    rows = inline_values(fig.spec())
    points = [r for r in rows if "ronde" in r and "score" in r]
    assert points and not [r for r in points if r["groep"] == "Buren" and r["ronde"] == round1]
    assert all(r["score"] is not None for r in points)
    # Buren's round 2 is drawn (3 participants), without a line: there is nothing to compare with.
    assert [r for r in points if r["groep"] == "Buren" and r["ronde"] == two.labels[2]]
    assert not [r for r in rows if "van" in r and "tot" in r and r.get("groep") == "Buren"]


def test_a_group_below_the_minimum_in_the_latest_round_says_so(three, q):
    fig = trend_figures.sections_figure(three, q, municipalities=MUNIS)
    rows = inline_values(fig.spec())
    latest = three.labels[3]
    assert not [r for r in rows if r.get("groep") == "Buren" and r.get("ronde") == latest]
    assert {r["onderdeel"] for r in rows if r.get("groep") == "Buren" and r.get("tekst") == f"ronde 3: {TOO_FEW_SHORT}"} == {
        s.title for s in q.scored_sections(SCORED)
    }
    assert (fig.table.loc[fig.table["Gemeente"] == "Buren", latest] == TOO_FEW_SHORT).all()


# ---------------------------------------------------------------- the sentences


def test_the_sentence_names_exactly_the_changes(two, q):
    assert len(two.changes) == trend_words.MAX_NAMED_CHANGES
    text = findings.trend_sentence(two, q)
    assert text.startswith("Sinds ronde 1 ")
    title_of = {s.id: s.title for s in q.sections}
    for ch in two.changes.itertuples():
        word = "gestegen" if ch.delta > 0 else "gedaald"
        assert f"‘{title_of[ch.section]}’ {word} van {fmt_number(ch.before)} naar {fmt_number(ch.after)}" in text
        if ch.group != trends.ALL:
            assert ch.group in text
    assert "(alle gemeenten)" in text
    # Nothing else: every quoted section is a change, and no municipality without a change is named.
    assert text.count("‘") == len(two.changes)
    for m in set(MUNIS) - set(two.changes["group"]):
        assert m not in text
    assert text == (
        "Sinds ronde 1 is ‘Eerlijk’ gestegen van 3,3 naar 4,1 (alle gemeenten); in Tiel is ‘Eigenaarschap’ gedaald"
        " van 4,0 naar 3,3; in Culemborg is ‘Gedeelde ambitie en urgentie’ gestegen van 2,7 naar 3,3."
    )


def test_no_change_is_said_plainly(store, q):
    first = first_round(store, q)
    answer(store, q, first, {m: [3, 3, 3] for m in MUNIS})
    second = next_round(store, q, first, {m: [3, 3, 3] for m in MUNIS})
    t = cooperation.trend(store, q, second)
    assert t.changes.empty
    assert findings.trend_sentence(t, q) == "Geen onderdeel is 0,5 of meer gestegen of gedaald sinds ronde 1."
    assert findings.not_compared_sentences(t, q) == []
    fig = trend_figures.sections_figure(t, q)
    assert not [r for r in inline_values(fig.spec()) if r.get("tekst", "").startswith(("+", trend_chart.MINUS))]


def _round(number, means, asked=("fundament", "eerlijk"), sig=None):
    rows = [
        {"group": g, "section": s, "n": None if m is None else 5, "mean": m, "suppressed": m is None}
        for (s, g), m in means.items()
    ]
    return trends.RoundScores(
        number,
        f"Ronde {number} (1 juni 2026)",
        tuple(asked),
        sig if sig is not None else {s: (("x", "t", False, None),) for s in asked},
        pd.DataFrame(rows, columns=trends.SECTION_COLUMNS),
        pd.DataFrame(
            [{"group": trends.ALL, "advice": "doorgaan", "count": 5, "n": 5, "suppressed": False}], columns=trends.ADVICE_COLUMNS
        ),
        5,
    )


def test_at_most_three_changes_are_named_and_the_rest_is_counted(q):
    before = {(s, g): 2.0 for s in ("fundament", "eerlijk") for g in (trends.ALL, "A", "B")}
    after = {(s, g): 3.0 for s in ("fundament", "eerlijk") for g in (trends.ALL, "A", "B")}
    t = trends.build([_round(1, before), _round(2, after)], ["fundament", "eerlijk"], 0.5)
    assert len(t.changes) == 6
    text = findings.trend_sentence(t, q)
    assert text == (
        "Sinds ronde 1 is ‘Gedeelde ambitie en urgentie’ gestegen van 2,0 naar 3,0 en ‘Eerlijk’ gestegen van 2,0 naar 3,0"
        " (alle gemeenten); in A is ‘Gedeelde ambitie en urgentie’ gestegen van 2,0 naar 3,0."
        " Er zijn nog 3 veranderingen van 0,5 of meer."
    )


def test_every_reason_for_not_comparing_has_its_sentence(q):
    t = trends.Trend(
        rounds=(1, 2, 3, 4),
        labels={},
        table=pd.DataFrame(columns=["section", "group", "round", "mean", "n", "suppressed"]),
        changes=pd.DataFrame(columns=["section", "group", "before", "after", "delta"]),
        advice=pd.DataFrame(columns=["round", "advice", "count", "n", "share"]),
        not_compared=(
            trends.NotCompared("", 1, trends.NO_DATA),
            trends.NotCompared("eerlijk", 3, trends.CHANGED),
            trends.NotCompared("eigenaarschap", 3, trends.CHANGED),
            trends.NotCompared("raad", 3, trends.NOT_ASKED),
            trends.NotCompared("fundament", 2, trends.UNKNOWN),
            trends.NotCompared("eerlijk", 2, trends.UNKNOWN),
            trends.NotCompared("vorm", 3, trends.NOT_IN_LATEST),
            trends.NotCompared("nieuw_onderdeel", 3, trends.CHANGED),
        ),
    )
    assert trend_words.not_compared_sentences(t, q) == [
        "‘Eerlijk’, ‘Eigenaarschap’ en ‘nieuw_onderdeel’ zijn in ronde 3 met andere stellingen gevraagd en zijn daarom niet vergeleken.",
        "‘De rol van de raad’ is in ronde 3 niet gevraagd en is daarom niet vergeleken.",
        "Van ronde 2 is niet bekend welke versie van de vragenlijst is gebruikt; die ronde is niet vergeleken.",
        "Van ronde 1 zijn geen gegevens meer.",
        "‘Vorm en structuur’ is in ronde 4 niet gevraagd (het laatst in ronde 3) en is daarom niet vergeleken.",
    ]


def test_a_changed_section_is_named_and_left_out_of_the_chart(store, q, changed_q):
    first = first_round(store, q)
    answer(store, q, first, {m: [2, 2, 2] for m in MUNIS})
    cooperation.set_closed(store, q, first.id, True)
    second, _ = cooperation.start_next_round(store, changed_q, first)
    answer(store, changed_q, second, {m: [4, 4, 4] for m in MUNIS})
    t = cooperation.trend(store, changed_q, second)
    sentences = findings.not_compared_sentences(t, changed_q)
    assert "‘Eerlijk’ is in ronde 1 met andere stellingen gevraagd en is daarom niet vergeleken." in sentences
    fig = trend_figures.sections_figure(t, changed_q, municipalities=MUNIS)
    rows = inline_values(fig.spec())
    r1 = t.labels[1]
    # In the chart: Eerlijk only for the latest round, no line, no change; the sentence in the subtitle.
    eerlijk = [r for r in rows if r.get("onderdeel") == "Eerlijk"]
    assert eerlijk and all(r.get("ronde") == t.labels[2] for r in eerlijk if "ronde" in r)
    assert not [r for r in eerlijk if "van" in r or r.get("tekst", "").startswith("+")]
    assert [r for r in rows if r.get("onderdeel") == "Eigenaarschap" and r.get("ronde") == r1]
    subtitle = json.dumps(fig.spec()["title"], ensure_ascii=False)
    assert "‘Eerlijk’ is in ronde 1 met andere stellingen gevraagd" in subtitle
    panel_titles = {tuple(p["title"]["text"]): p["title"]["subtitle"] for p in fig.spec()["concat"]}
    assert panel_titles[("Eerlijk",)] == trend_chart.ALONE and panel_titles[("Eigenaarschap",)] == ""
    # In the table: 'niet vergeleken' for round 1, and the sentence does not name Eerlijk.
    eerlijk_rows = fig.table[fig.table["Onderdeel"] == "Eerlijk"]
    assert (eerlijk_rows[r1] == trend_figures.NOT_COMPARED).all() and eerlijk_rows["Verschil"].eq("").all()
    assert "Eerlijk" not in fig.caption and "Eigenaarschap" in fig.caption


# ---------------------------------------------------------------- the chart


def test_the_chart_marks_exactly_the_changes(three, q):
    fig = trend_figures.sections_figure(three, q, municipalities=MUNIS)
    rows = inline_values(fig.spec())
    title_of = {s.id: s.title for s in q.sections}
    marked = {(r["onderdeel"], r["groep"], r["tekst"]) for r in rows if "op" in r}
    expected = {
        (title_of[c.section], trend_words.group_label(c.group), trend_chart.signed(c.delta)) for c in three.changes.itertuples()
    }
    assert marked == expected and expected
    # Every round is in the legend with its label; points only for the compared, shown cells.
    spec = json.dumps(fig.spec(), ensure_ascii=False)
    for r in three.rounds:
        assert three.labels[r] in spec
    points = [r for r in rows if "ronde" in r and "score" in r]
    shown = three.table[~three.table["suppressed"]]
    with_latest = set(zip(*[shown.loc[shown["round"] == three.latest, c] for c in ("section", "group")], strict=True))
    drawn = shown[[k in with_latest for k in zip(shown["section"], shown["group"], strict=True)]]
    assert len(points) == len(drawn) and len(drawn) < len(shown)  # Buren's rows: "ronde 3: te weinig deelnemers"


def test_too_many_municipalities_for_a_slide_keep_everyone_and_the_changed_ones(store, q):
    munis = ["Tiel", "Culemborg", "Buren", "Neder-Betuwe", "West Betuwe", "Maasdriel", "Zaltbommel"]
    first = first_round(store, q, municipalities=munis)
    answer(store, q, first, {m: [3, 3, 3] for m in munis})
    second = next_round(store, q, first, {**{m: [3, 3, 3] for m in munis}, "Maasdriel": [4, 4, 4]})
    t = cooperation.trend(store, q, second)
    titles = [s.title for s in q.scored_sections(SCORED)]
    assert not trend_chart.fits(titles, ["Alle gemeenten", *munis], "projector")
    fig = trend_figures.sections_figure(t, q, municipalities=munis)
    groups = {r["groep"] for r in inline_values(fig.spec()) if "groep" in r}
    assert groups == {"Alle gemeenten", "Maasdriel"}
    assert "de gemeenten die 0,5 of meer veranderd zijn; de tabel heeft elke gemeente" in json.dumps(
        fig.spec()["title"], ensure_ascii=False
    )
    assert set(fig.table["Gemeente"]) == {"Alle gemeenten", *munis}
    # The report ('normal') has room for all of them.
    normal = trend_figures.sections_figure(t, q, municipalities=munis, size="normal")
    assert {r["groep"] for r in inline_values(normal.spec()) if "groep" in r} == {"Alle gemeenten", *munis}


def test_up_and_down_stay_apart_for_everyone_and_stand_out_on_white():
    def both(a, b):
        return min(delta_e2000(a, b), delta_e2000(simulate_deuteranopia(a), simulate_deuteranopia(b)))

    assert both(trend_chart.UP, trend_chart.DOWN) >= 20
    for c in (trend_chart.UP, trend_chart.DOWN, trend_chart.EARLIER_INK, INK):
        assert contrast_ratio(c) >= 3, c
    for c in (trend_chart.UP, trend_chart.DOWN):
        assert both(c, INK) >= 20 and both(c, trend_chart.EARLIER_INK) >= 20  # the line is not a round's point
    assert trend_chart.signed(0.6) == "+0,6" and trend_chart.signed(-0.55) == trend_chart.MINUS + "0,6"


# ---------------------------------------------------------------- the advice per round


def test_the_advice_per_round_table_and_chart(two, q):
    fig = trend_figures.advice_figure(two, q)
    assert fig.key == "trend_advies" and fig.title == "Advies per ronde"
    assert list(fig.table.columns) == ["Ronde", "Advies", "Aantal", "Aandeel"]
    label = {a.id: a.label for a in q.settings.advices}
    for row in two.advice.itertuples():
        if row.advice not in trend_figures.advice_ids(two, q):
            assert row.count == 0
            continue
        cell = fig.table[(fig.table["Ronde"] == two.labels[row.round]) & (fig.table["Advies"] == label[row.advice])].iloc[0]
        assert cell["Aantal"] == str(int(row.count)) and cell["Aandeel"] == fmt_number(row.share * 100, 0) + "%"
    # Not legally required: 'stoppen' is shown, its required variant not.
    assert "Stoppen" in set(fig.table["Advies"]) and label["wettelijk_bijsturen"] not in set(fig.table["Advies"])
    bars = [r for r in inline_values(fig.spec()) if "advies" in r]
    assert {r["ronde"].split(":")[0] for r in bars} == {two.labels[1], two.labels[2]}
    assert fig.caption.startswith("In ronde 2 kreeg ") and "(in ronde 1: " in fig.caption


# ---------------------------------------------------------------- the figures as images


@pytest.mark.parametrize("size", ["projector", "normal"])
def test_the_figures_have_inline_data_and_convert_to_png(two, q, size):
    figs = trend_figures.trend_figures(two, q, size=size, municipalities=MUNIS)
    assert [f.key for f in figs] == ["trend_onderdelen", "trend_advies"]
    assert [f.title for f in figs] == ["Verandering sinds de vorige ronde", "Advies per ronde"]
    for fig in figs:
        spec = fig.spec()
        # The data is in the spec itself (never a reference to data elsewhere): safe from any thread.
        assert inline_values(spec) and data_names(spec) <= set(spec.get("datasets", {})), fig.key
        json.dumps(spec)  # plain JSON
        png = images.chart_png(fig)
        assert png.startswith(PNG) and len(png) > 10_000, fig.key
        assert fig.caption and fig.caption.endswith(".")


def test_a_console_can_choose_the_municipalities_to_draw(two, q):
    fig = trend_figures.trend_figures(two, q, municipalities=MUNIS, show=["Tiel"])[0]
    assert {r["groep"] for r in inline_values(fig.spec()) if "groep" in r} == {"Alle gemeenten", "Tiel"}
    assert "Hier alle gemeenten samen en Tiel; de tabel heeft elke gemeente." in json.dumps(
        fig.spec()["title"], ensure_ascii=False
    )
    assert set(fig.table["Gemeente"]) == {"Alle gemeenten", *MUNIS}


def test_a_round_from_before_content_versions_is_drawn_without_a_comparison(store, q):
    from sqlalchemy import update

    from storage import schema

    first = first_round(store, q)
    answer(store, q, first, {m: [3, 3, 3] for m in MUNIS})
    with store.engine.begin() as c:  # what migration 0005 leaves for a session made before it
        c.execute(update(schema.rounds).values(content_hash=None))
    second = next_round(store, q, first, {m: [4, 4, 4] for m in MUNIS})
    t = cooperation.trend(store, q, second)
    figs = trend_figures.trend_figures(t, q, municipalities=MUNIS)
    assert figs[0].caption == "Ronde 2 kan op geen enkel onderdeel met de ronde ervoor worden vergeleken."
    subtitle = json.dumps(figs[0].spec()["title"], ensure_ascii=False)
    assert "Van ronde 1 is niet bekend welke versie van de vragenlijst is gebruikt; die ronde is niet vergeleken." in subtitle
    assert list(figs[0].table.columns) == ["Onderdeel", "Gemeente", t.labels[2], "Verschil"]
    assert {r["ronde"] for r in inline_values(figs[0].spec()) if "ronde" in r and "score" in r} == {t.labels[2]}
    for fig in figs:
        assert images.chart_png(fig).startswith(PNG)


def test_a_legally_required_cooperation_shows_its_own_strongest_advice_in_the_strongest_colour(store, q):
    first, _ = cooperation.start_first_round(
        store,
        q,
        name="Veiligheidsregio X",
        municipalities=MUNIS,
        form="gr_openbaar_lichaam",
        domain="veiligheid",
        required_kind="veiligheidsregio",
        evaluation_moments=[],
        setup=setup(),
    )
    answer(store, q, first, {m: [3, 3, 3] for m in MUNIS}, stop=2)
    second = next_round(store, q, first, {m: [3, 3, 3] for m in MUNIS}, stop=5)
    t = cooperation.trend(store, q, second)
    ids = trend_figures.advice_ids(t, q)
    assert ids[-1] == "wettelijk_bijsturen" and "stoppen" not in ids and len(ids) == 4
    fig = trend_figures.advice_figure(t, q)
    colour = fig.spec()["layer"][0]["encoding"]["color"]["scale"]
    label = {a.id: a.label for a in q.settings.advices}
    assert (
        dict(zip(colour["domain"], colour["range"], strict=True))[label["wettelijk_bijsturen"]] == trend_chart.ADVICE_COLOURS[-1]
    )
    assert fig.caption == f"In ronde 2 kreeg 100% van de deelnemers het advies {label['wettelijk_bijsturen']} (in ronde 1: 0%)."


def test_five_advice_colours_stay_apart_for_everyone():
    colours = trend_chart.advice_colours(["a", "b", "c", "d", "e"])
    assert len(set(colours)) == 5
    for a, b in itertools.combinations(colours, 2):
        assert min(delta_e2000(a, b), delta_e2000(simulate_deuteranopia(a), simulate_deuteranopia(b))) >= 5, (a, b)
    assert trend_chart.advice_colours(["a", "b", "c", "d"]) == trend_chart.ADVICE_COLOURS


def test_a_latest_round_below_the_minimum_shows_no_number_anywhere(store, q):
    first = first_round(store, q)
    answer(store, q, first, {m: [3, 3, 3] for m in MUNIS})
    second = next_round(store, q, first, {"Tiel": [5, 5]})  # 2 participants in all
    t = cooperation.trend(store, q, second)
    sec, adv = trend_figures.trend_figures(t, q, municipalities=MUNIS)
    assert sec.caption == "In ronde 2 zijn te weinig deelnemers om te tonen, dus er is nog niets te vergelijken."
    assert (sec.table[t.labels[2]] == TOO_FEW_SHORT).all() and sec.table["Verschil"].eq("").all()
    rows = inline_values(sec.spec())
    assert not [r for r in rows if "score" in r and "ronde" in r]  # no point: the change would give round 2 away
    assert adv.caption == "Van ronde 2 zijn er te weinig deelnemers met een advies om te tonen."
    hidden = adv.table[adv.table["Ronde"] == t.labels[2]]
    assert (hidden["Aantal"] == TOO_FEW_SHORT).all() and (hidden["Aandeel"] == TOO_FEW_SHORT).all()
    assert "te weinig deelnemers om te tonen" in json.dumps(adv.spec(), ensure_ascii=False)
    assert not [r for r in inline_values(adv.spec()) if str(r.get("ronde", "")).startswith(t.labels[2]) and "procent" in r]
    for fig in (sec, adv):
        assert images.chart_png(fig).startswith(PNG)


def test_a_trend_with_no_number_at_all_still_has_its_table_and_a_message(store, q):
    first = first_round(store, q)
    answer(store, q, first, {"Tiel": [3, 3]})
    second = next_round(store, q, first, {"Tiel": [4, 4]})
    t = cooperation.trend(store, q, second)
    sec, adv = trend_figures.trend_figures(t, q, municipalities=MUNIS)
    assert "te weinig deelnemers" in sec.caption
    assert not [r for r in inline_values(sec.spec()) if "score" in r]
    for fig in (sec, adv):
        assert images.chart_png(fig).startswith(PNG)


def test_a_previous_round_below_the_minimum_is_said_plainly(store, q):
    first = first_round(store, q)
    answer(store, q, first, {"Tiel": [3, 3]})
    second = next_round(store, q, first, {m: [4, 4, 4] for m in MUNIS})
    t = cooperation.trend(store, q, second)
    assert (
        findings.trend_sentence(t, q) == "In ronde 1 waren te weinig deelnemers om te tonen, dus er is nog niets te vergelijken."
    )
    fig = trend_figures.sections_figure(t, q, municipalities=MUNIS)
    assert (fig.table[t.labels[1]] == TOO_FEW_SHORT).all()
