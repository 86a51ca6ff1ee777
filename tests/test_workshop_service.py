"""services.workshop (and charts.compare through it) on a real SQLite store with the real content.

The session: three municipalities, anonymity minimum 3, the five sections below plus 'stopcriteria'
(not 'signalen', the raad section or the optional modules).
Every statement of a section is answered so that the section score is a whole number
(a reverse statement gets 6 - score), which keeps the arithmetic easy:

    pseudonym  municipality  role          fundament eerlijk eigenaarschap successen ervaringen  stop
    B1         Berkdal       raadslid      4         3       4             3         4           4
    B2         Berkdal       raadslid      4         3       5             3         4           4
    B3         Berkdal       wethouder     4         4       5             3         4           4
    B4         Berkdal       ambtenaar     4         4       4             3         4           4   (+1 'weet niet')
    B5         Berkdal       raadslid      -- joined, never answered: does not count --
    M1         Meerwijk      raadslid      4         3       2             3         2           2
    M2         Meerwijk      griffier      4         3       3             4         3           2
    M3         Meerwijk      burgemeester  3         3       2             3         3           2
    O1         Ooststad      raadslid      1         1       1             1         1           5
    O2         Ooststad      anders        1         1       1             1         1           5

Ooststad (2 people) is below the minimum; its extreme answers would change every finding if
they leaked into a comparison.
"""

from __future__ import annotations

import dataclasses
import json
import math

import pandas as pd
import pytest

from services import workshop
from services.workshop import FIGURE_TITLES, Figure, comparison_figures, load_session_data, participant_comparison

MUNICIPALITIES = ["Berkdal", "Meerwijk", "Ooststad"]
SECTIONS = ["fundament", "eerlijk", "eigenaarschap", "successen", "ervaringen"]
PEOPLE = [
    ("B1", "Berkdal", "raadslid", [4, 3, 4, 3, 4], 4),
    ("B2", "Berkdal", "raadslid", [4, 3, 5, 3, 4], 4),
    ("B3", "Berkdal", "wethouder", [4, 4, 5, 3, 4], 4),
    ("B4", "Berkdal", "ambtenaar", [4, 4, 4, 3, 4], 4),
    ("B5", "Berkdal", "raadslid", None, None),
    ("M1", "Meerwijk", "raadslid", [4, 3, 2, 3, 2], 2),
    ("M2", "Meerwijk", "griffier", [4, 3, 3, 4, 3], 2),
    ("M3", "Meerwijk", "burgemeester", [3, 3, 2, 3, 3], 2),
    ("O1", "Ooststad", "raadslid", [1, 1, 1, 1, 1], 5),
    ("O2", "Ooststad", "anders", [1, 1, 1, 1, 1], 5),
]
LABEL_COLUMNS = {"Onderdeel", "Gemeente", "Criterium", "Rol", "Stelling", "Gespreksonderwerp"}


def answers_for(q, scores: list[int], stop: int, dont_know: tuple[str, ...] = ()) -> dict[str, int]:
    """Answers that give exactly ``scores`` per section (reverse statements answered 6 - score)."""
    values = {}
    for section_id, score in zip(SECTIONS, scores, strict=True):
        for item in q.section_by_id[section_id].items:
            values[item.id] = 6 - score if item.reverse else score
    for section in q.stop_sections():  # also 'signalen', which is not in the session: must be ignored
        for item in section.items:
            values[item.id] = 6 - stop if item.reverse else stop
    for item_id in dont_know:
        values[item_id] = q.scale.dont_know.code
    return values


def build_session(store, q, people=PEOPLE, *, municipalities=MUNICIPALITIES, sections=None, min_n=3, name="Regio Test"):
    """Create the session and its participants through the real Store. Returns (session, {key: pseudonym})."""
    sections = sections or [*SECTIONS, "stopcriteria"]
    session, _token = store.create_session(name, municipalities, [r.id for r in q.settings.roles], sections, min_n)
    names = {}
    for key, municipality, role, scores, stop in people:
        p, _ = store.create_participant(cooperation=name, municipality=municipality, role=role, session_id=session.id)
        names[key] = p.pseudonym
        if scores is not None:
            extra = (q.section_by_id["eigenaarschap"].items[0].id,) if key == "B4" else ()
            store.save_answers(p.id, answers_for(q, scores, stop, extra))
    return store.session(session.id), names


@pytest.fixture
def built(store, q):
    session, names = build_session(store, q)
    return load_session_data(store, q, session), names


def by_key(figures: list[Figure]) -> dict[str, Figure]:
    return {f.key: f for f in figures}


def is_number(value) -> bool:
    return (
        isinstance(value, (int, float)) and not isinstance(value, bool) and not (isinstance(value, float) and math.isnan(value))
    )


# ---------------------------------------------------------------- load_session_data


def test_load_session_data(built, q):
    data, names = built
    assert list(data.participants.columns) == [
        "participant",
        "municipality",
        "role",
        "role_group",
        "joined_at",
        "finished_at",
        "step",
    ]
    assert len(data.participants) == 10  # B5 is a participant, just not an active one
    assert set(data.active["participant"]) == {names[k] for k in names if k != "B5"}
    assert dict(zip(data.participants["participant"], data.participants["role_group"], strict=True))[names["M2"]] == "raad"

    # Only statements of the session's sections: 24 scored + 12 stop statements per person, not 'signalen'.
    assert list(data.answers.columns) == ["participant", "item", "value", "answered_at"]
    session_items = {i.id for s in q.sections if s.id in {*SECTIONS, "stopcriteria"} for i in s.items}
    assert len(session_items) == 24 + 12
    assert set(data.answers["item"]) <= session_items
    assert len(data.answers) == 9 * len(session_items)
    assert str(data.answers["answered_at"].dt.tz) == "UTC"

    assert set(data.sections["section"]) == set(SECTIONS)
    assert set(data.criteria["section"]) == {"stopcriteria"}
    own = data.sections.set_index(["participant", "section"])["score"]
    assert own[(names["B4"], "eigenaarschap")] == 4.0  # the 'weet niet' is not counted
    assert own[(names["M1"], "eigenaarschap")] == 2.0
    advice = dict(zip(data.advice["participant"], data.advice["advice"], strict=True))
    assert advice[names["B1"]] == "stoppen"  # five criteria on red (4,0)
    assert advice[names["M1"]] == "doorgaan"  # all green (2,0)
    assert data.municipalities == MUNICIPALITIES
    assert data.role_groups(q) == ["raad", "college", "ambtelijk", "overig"]


# ---------------------------------------------------------------- the figures


def test_figures_keys_titles_and_serialise(built, q):
    data, _ = built
    figures = comparison_figures(data, q, size="projector")
    assert [f.key for f in figures] == list(FIGURE_TITLES)
    assert [f.key for f in figures] == [
        "heatmap_gemeenten",
        "spreiding_gemeenten",
        "stellingen",
        "stopcriteria_gemeenten",
        "advies_gemeenten",
        "heatmap_rollen",
    ]
    for f in figures:
        assert f.title == FIGURE_TITLES[f.key]
        assert f.caption.endswith(".") and f.caption.count(". ") == 0, f.caption  # one sentence
        spec = f.chart.to_dict()
        assert spec["config"]["axis"]["labelFontSize"] == 28  # projector sizes applied last
        assert isinstance(f.table, pd.DataFrame) and len(f.table)
    for f in comparison_figures(data, q, size="normal"):
        assert f.chart.to_dict()["config"]["axis"]["labelFontSize"] == 13


def test_small_municipality_is_suppressed_everywhere(built, q):
    data, _ = built
    figures = comparison_figures(data, q)
    for f in figures:
        assert "Ooststad" not in f.caption, f.caption
        if "Gemeente" in f.table.columns:
            rows = f.table[f.table["Gemeente"] == "Ooststad"]
            assert len(rows), f.key
            for _, row in rows.iterrows():
                for col, value in row.items():
                    assert not is_number(value), (f.key, col, value)
                    if col not in LABEL_COLUMNS:
                        assert value in ("minder dan 3", "te weinig deelnemers"), (f.key, col, value)
                        assert (value == "minder dan 3") == (col in workshop.COUNT_COLUMNS), (f.key, col, value)
        # Nor does the data inside the chart carry a number for Ooststad.
        for rows in f.chart.to_dict().get("datasets", {}).values():
            for r in rows:
                if any(isinstance(v, str) and v.startswith("Ooststad") for v in r.values()):
                    assert not any(is_number(v) for v in r.values()), (f.key, r)


def test_heatmap_caption_names_largest_gap(built, q):
    data, _ = built
    f = by_key(comparison_figures(data, q))["heatmap_gemeenten"]
    # Means (Ooststad left out):     Berkdal                 Meerwijk
    #   fundament      (4+4+4+4)/4 = 4.0    (4+4+3)/3 = 3.667   gap 0.333
    #   eerlijk        (3+3+4+4)/4 = 3.5    (3+3+3)/3 = 3.0     gap 0.5
    #   eigenaarschap  (4+5+5+4)/4 = 4.5    (2+3+2)/3 = 2.333   gap 2.167  <- largest
    #   successen      (3+3+3+3)/4 = 3.0    (3+4+3)/3 = 3.333   gap 0.333
    #   ervaringen     (4+4+4+4)/4 = 4.0    (2+3+3)/3 = 2.667   gap 1.333
    assert f.caption == "Grootste verschil bij Eigenaarschap: Berkdal 4,5 tegenover Meerwijk 2,3."
    t = f.table.set_index(["Onderdeel", "Gemeente"])
    assert t.loc[("Eigenaarschap", "Berkdal"), "Gemiddelde"] == "4,5"  # a decimal comma on the screen
    assert t.loc[("Eigenaarschap", "Meerwijk"), "Gemiddelde"] == "2,3"  # rounded to 1 decimal
    assert t.loc[("Gedeelde ambitie en urgentie", "Meerwijk"), "Gemiddelde"] == "3,7"
    assert t.loc[("Eigenaarschap", "Berkdal"), "Deelnemers"] == "4"  # B5 (no answers) does not count
    numbers = f.numbers.set_index(["Onderdeel", "Gemeente"])  # the same table with numbers as numbers
    assert numbers.loc[("Eigenaarschap", "Meerwijk"), "Gemiddelde"] == 2.3
    assert t.loc[("Eigenaarschap", "Berkdal"), "Band"] == "Sterk"
    assert list(f.table.columns) == ["Onderdeel", "Gemeente", "Deelnemers", "Gemiddelde", "Band"]
    # The cell text in the chart: mean with a decimal comma and n on a second line.
    labels = {r["label"] for rows in f.chart.to_dict()["datasets"].values() for r in rows if "label" in r}
    assert {"4,5\n4 deelnemers", "2,3\n3 deelnemers", "te weinig\ndeelnemers"} <= labels


def test_spread_marks_conversation_topics(built, q):
    data, _ = built
    f = by_key(comparison_figures(data, q))["spreiding_gemeenten"]
    # Gaps >= 1.0 (conversation_gap): Eigenaarschap 4.5 - 2.333 = 2.167, Ervaringen delen 4.0 - 2.667 = 1.333.
    assert f.caption == (
        "Onderwerpen voor het gesprek (verschil van 1,0 punt of meer tussen gemeenten): "
        "Eigenaarschap (2,2) en Ervaringen delen (1,3)."
    )
    topic = f.table.drop_duplicates("Onderdeel").set_index("Onderdeel")["Gespreksonderwerp"]
    assert topic["Eigenaarschap"] == "ja" and topic["Ervaringen delen"] == "ja"
    assert topic["Eerlijk"] == "nee" and topic["Gedeelde ambitie en urgentie"] == "nee"
    spec = json.dumps(f.chart.to_dict(), ensure_ascii=False)
    assert "⚑ gespreksonderwerp (verschil 2,2)" in spec
    assert "⚑ gespreksonderwerp (verschil 1,3)" in spec
    assert "(verschil 0,5)" not in spec
    t = f.table.set_index(["Onderdeel", "Gemeente"])
    # Sample std of Berkdal's eigenaarschap (4, 5, 5, 4): sqrt(4 * 0.25 / 3) = 0.577.
    assert t.loc[("Eigenaarschap", "Berkdal"), "Spreiding (sd)"] == "0,6"


def test_other_captions(built, q):
    data, _ = built
    figs = by_key(comparison_figures(data, q))
    # Every stop criterion: Berkdal 4,0 (rood), Meerwijk 2,0 (groen); Ooststad's 5,0 stays hidden.
    assert figs["stopcriteria_gemeenten"].caption == (
        "5 van de 5 stopcriteria staan bij minstens één gemeente op rood; "
        "het sterkste signaal: Geen gedeelde opgave meer in Berkdal (4,0, rood)."
    )
    assert (
        figs["advies_gemeenten"].caption == "Meest voorkomend advies: Berkdal Stoppen (4 van 4) en Meerwijk Doorgaan (3 van 3)."
    )
    advice = figs["advies_gemeenten"].table.set_index("Gemeente")
    assert advice.loc["Berkdal", "Stoppen (%)"] == "100,0" and advice.loc["Meerwijk", "Doorgaan (%)"] == "100,0"
    # Roles: raad = B1, B2, M1, M2, O1 (5); college = B3, M3 (2); ambtelijk = B4 (1); overig = O2 (1).
    # Raad: fundament (4+4+4+4+1)/5 = 3.4 (highest), eerlijk (3+3+3+3+1)/5 = 2.6 (lowest).
    assert figs["heatmap_rollen"].caption == (
        "Alleen de rol Raad heeft 3 of meer deelnemers, dus vergelijken tussen rollen kan nog niet; "
        "daar scoort Gedeelde ambitie en urgentie het hoogst (3,4) en Eerlijk het laagst (2,6)."
    )
    roles = figs["heatmap_rollen"].table
    assert set(roles["Rol"]) == {"Raad", "College", "Ambtelijk", "Overig"}
    assert (roles.loc[roles["Rol"] != "Raad", "Gemiddelde"] == "te weinig deelnemers").all()
    assert (roles.loc[roles["Rol"] != "Raad", "Deelnemers"] == "minder dan 3").all()
    # Read in each statement's direction (for a negatively worded statement 'oneens' is positive).
    # Fundament statements: B1-B4, M1, M2 positive (4), M3 neutral (3), O1, O2 negative: 6 of 9 = 67%,
    # the first in content order wins the tie. Eigenaarschap statements: M1, M3 (2) and O1, O2 (1)
    # negative: 4 of 9 = 44%, again the first one wins.
    assert figs["stellingen"].caption == (
        "Meest positief: ‘Ik weet wat de gemeenten in deze samenwerking samen willen bereiken.’ (67% eens); "
        "meest kritisch: ‘De gemeenten hebben samen bepaald hoe deze samenwerking werkt.’ (44% oneens)."
    )


def test_likert_table_whole_group(built, q):
    data, _ = built
    f = by_key(comparison_figures(data, q))["stellingen"]
    assert len(f.table) == 24  # the statements of the five scored sections
    row = f.table.set_index("Stelling").loc[q.section_by_id["eigenaarschap"].items[0].text]
    # Nine answers: B1 4, B2 5, B3 5, B4 weet niet, M1 2, M2 3, M3 2, O1 1, O2 1.
    assert row["Beantwoord door"] == "9"
    assert row["Helemaal oneens (%)"] == "22,2"  # 200 / 9
    assert row["Weet niet / n.v.t. (%)"] == "11,1"  # 100 / 9
    spec = f.chart.to_dict()
    assert "hconcat" in spec  # 'weet niet' is its own bar next to the diverging bars


def test_session_minimum_is_used(store, q):
    session, _ = build_session(store, q, min_n=2)
    data = load_session_data(store, q, session)
    f = by_key(comparison_figures(data, q))["heatmap_gemeenten"]
    # With a minimum of 2 Ooststad (1,0 everywhere) counts: eigenaarschap 4,5 against 1,0.
    assert f.caption == "Grootste verschil bij Eigenaarschap: Berkdal 4,5 tegenover Ooststad 1,0."
    roles = by_key(comparison_figures(data, q))["heatmap_rollen"].table
    assert (roles.loc[roles["Rol"].isin(["Ambtelijk", "Overig"]), "Deelnemers"] == "minder dan 2").all()


def test_participant_comparison(built, q):
    data, names = built
    ooststad = participant_comparison(data, q, names["O1"]).set_index("Onderdeel")
    assert list(ooststad.columns) == ["Uw score", "Uw gemeente", "Hele groep"]
    assert list(ooststad.index) == [s.title for s in q.scored_sections(SECTIONS)]
    assert (ooststad["Uw gemeente"] == "te weinig deelnemers").all()
    assert ooststad.loc["Eigenaarschap", "Uw score"] == "1,0"
    # Whole group (9 people): (4+5+5+4 + 2+3+2 + 1+1) / 9 = 27 / 9 = 3.0
    assert ooststad.loc["Eigenaarschap", "Hele groep"] == "3,0"
    berkdal = participant_comparison(data, q, names["B2"]).set_index("Onderdeel")
    assert berkdal.loc["Eigenaarschap", "Uw score"] == "5,0"
    assert berkdal.loc["Eigenaarschap", "Uw gemeente"] == "4,5"
    assert berkdal.loc["Eerlijk", "Uw gemeente"] == "3,5"
    nobody = participant_comparison(data, q, names["B5"]).set_index("Onderdeel")
    assert (nobody["Uw score"] == workshop.NO_SCORE).all()


# ---------------------------------------------------------------- thin data


def test_empty_session(store, q):
    session, _ = build_session(store, q, people=[])
    data = load_session_data(store, q, session)
    assert data.participants.empty and data.answers.empty and data.sections.empty and data.advice.empty
    figures = comparison_figures(data, q)
    assert [f.key for f in figures] == list(FIGURE_TITLES)
    for f in figures:
        f.chart.to_dict()
        assert f.caption
    figs = by_key(figures)
    assert figs["heatmap_gemeenten"].caption == (
        "Nog geen gemeente heeft 3 of meer deelnemers met een score; groepen kleiner dan 3 worden niet getoond."
    )
    assert figs["heatmap_rollen"].caption.startswith("Nog geen rol heeft 3 of meer deelnemers")
    assert figs["spreiding_gemeenten"].caption.startswith("Nog geen gemeente heeft 3")
    assert figs["stellingen"].caption.startswith("Nog geen stelling is door 3 of meer deelnemers beantwoord")
    assert figs["advies_gemeenten"].caption.startswith("Nog geen gemeente heeft 3 of meer deelnemers met een advies")
    heat = figs["heatmap_gemeenten"].table
    assert set(heat["Gemeente"]) == set(MUNICIPALITIES) and (heat["Gemiddelde"] == "te weinig deelnemers").all()
    comparison = participant_comparison(data, q, "D-NIEMAND")
    assert (comparison["Uw score"] == workshop.NO_SCORE).all() and (comparison["Hele groep"] == "te weinig deelnemers").all()


def test_only_one_municipality_large_enough(store, q):
    people = [p for p in PEOPLE if p[0] in ("B1", "B2", "B3", "M1")]
    session, _ = build_session(store, q, people=people)
    data = load_session_data(store, q, session)
    figs = by_key(comparison_figures(data, q))
    for f in figs.values():
        f.chart.to_dict()
    # Berkdal (B1-B3): fundament 4, eerlijk (3+3+4)/3 = 3.333, eigenaarschap (4+5+5)/3 = 4.667,
    # successen 3, ervaringen 4.
    assert figs["heatmap_gemeenten"].caption == (
        "Alleen Berkdal heeft 3 of meer deelnemers, dus vergelijken tussen gemeenten kan nog niet; "
        "daar scoort Eigenaarschap het hoogst (4,7) en Successen erkennen en vieren het laagst (3,0)."
    )
    assert figs["spreiding_gemeenten"].caption == figs["heatmap_gemeenten"].caption
    heat = figs["heatmap_gemeenten"].table
    assert (heat.loc[heat["Gemeente"] != "Berkdal", "Gemiddelde"] == "te weinig deelnemers").all()
    assert "Meerwijk" not in figs["advies_gemeenten"].caption
    spread = json.dumps(figs["spreiding_gemeenten"].chart.to_dict(), ensure_ascii=False)
    assert "Niet getoond (te weinig deelnemers): Meerwijk, Ooststad." in spread


def test_session_without_stop_sections(store, q):
    session, _ = build_session(store, q, sections=SECTIONS)
    data = load_session_data(store, q, session)
    assert data.criteria.empty
    figs = by_key(comparison_figures(data, q))
    assert figs["stopcriteria_gemeenten"].caption == "Deze sessie bevat geen stopcriteria."
    assert figs["advies_gemeenten"].caption.startswith("Deze sessie bevat geen stopcriteria")
    for f in figs.values():
        f.chart.to_dict()


def test_figures_with_an_unlisted_municipality(store, q, built):
    """A participant whose municipality is not in the session list still gets a place (and a colour)."""
    data, _ = built
    extra = data.participants.iloc[[0]].assign(municipality="Zuidhaven")
    other = dataclasses.replace(data, participants=pd.concat([data.participants.iloc[1:], extra], ignore_index=True))
    assert other.municipalities == [*MUNICIPALITIES, "Zuidhaven"]
    assert "Zuidhaven" in other.colours
    heat = by_key(comparison_figures(other, q))["heatmap_gemeenten"].table
    assert (heat.loc[heat["Gemeente"] == "Zuidhaven", "Gemiddelde"] == "te weinig deelnemers").all()


def test_advice_caption_with_many_municipalities(store, q):
    # Four municipalities of three: stop statements 4 (every criterion red: 'stoppen') or 2 ('doorgaan').
    people = [
        (f"{m[0]}{k}", m, "raadslid", [3, 3, 3, 3, 3], stop)
        for m, stop in [("Berkdal", 4), ("Meerwijk", 2), ("Ooststad", 4), ("Zuidhaven", 4)]
        for k in range(3)
    ]
    session, _ = build_session(store, q, people=people, municipalities=[*MUNICIPALITIES, "Zuidhaven"])
    figs = by_key(comparison_figures(load_session_data(store, q, session), q))
    assert (
        figs["advies_gemeenten"].caption == "In 3 van de 4 gemeenten komt Stoppen het meest voor: Berkdal, Ooststad en Zuidhaven."
    )
    # All sections score 3,0 everywhere: no difference to report.
    assert figs["heatmap_gemeenten"].caption == "De gemeenten geven elk onderdeel dezelfde gemiddelde score; er is geen verschil."


def test_tables_round_like_the_charts(store, q):
    """The number in a table cell is the number in the chart cell: one rounding (half up), never
    a float rounding first (4,15 is 4,2 in both)."""
    from services.workshop import _round, dutch_table

    assert _round(4.15) == 4.2 and _round(4.1499999999999995) == 4.2 and _round(2.25) == 2.3
    table = dutch_table(pd.DataFrame({"Gemiddelde": [4.15, None, 3.0], "Deelnemers": [3, 4, 5], "Band": ["Sterk", "", "x"]}))
    assert table["Gemiddelde"].tolist() == ["4,2", "", "3,0"] and table["Deelnemers"].tolist() == ["3", "4", "5"]
    session, _ = build_session(store, q)
    data = load_session_data(store, q, session)
    f = by_key(comparison_figures(data, q))["heatmap_gemeenten"]
    in_chart = {
        (r["onderdeel"], r["groep"]): r["label"].split("\n")[0]
        for rows in f.chart.to_dict()["datasets"].values()
        for r in rows
        if not r.get("verborgen", True)
    }
    for r in f.table.itertuples():
        if (r.Onderdeel, r.Gemeente) in in_chart:
            assert r.Gemiddelde == in_chart[(r.Onderdeel, r.Gemeente)]
