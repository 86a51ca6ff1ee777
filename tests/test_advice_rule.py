"""The advice rule of the real content, on hand-computed answer sheets (issue 12, items 1 and 2).

- Practice signals alone lead at most to herijken; uitkleden and stoppen need a stop criterion.
- In a legally required cooperation (veiligheidsregio, GGD, ...) the advice is never stoppen, and
  the statements that say nothing there are not asked.
Each sheet is a complete zelfscan (services.scan.personal_result), so the whole path from answers
to advice is checked, with the numbers worked out by hand in the comments.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import scoring
from questionnaire.loader import CONTENT_DIR, load_questionnaire
from questionnaire.models import CriterionKind
from services import scan


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(CONTENT_DIR)


def stop_items(q, criterion: str) -> list[str]:
    return [i.id for i in q.items if i.criterion == criterion]


def sheet(q, per_criterion: dict[str, list[int]]) -> dict[str, int]:
    """Answers on the stop statements: per criterion the values of its statements in content order.

    Every other statement of the default questionnaire gets 4 (eens), so the sections score 4.0
    (reverse statements 6 - 4 = 2 pull them down; they play no part in the advice).
    """
    answers = {i.id: 4 for s in q.scored_sections(q.default_section_ids) for i in s.items}
    for c, values in per_criterion.items():
        ids = stop_items(q, c)
        assert len(ids) >= len(values), c
        answers.update(dict(zip(ids, values, strict=False)))
    return answers


GREEN_STOP = {
    "geen_gedeelde_opgave": [1, 1, 1],
    "vermijdingsmotief": [1, 1],
    "uiteenlopende_ambities": [1, 1],
    "baten_uitgebleven": [1, 1, 1],
    "verstoorde_relaties": [1, 1],
}


def test_the_criteria_of_the_sheet(q):
    # The sheets below rely on these statements per criterion.
    assert stop_items(q, "geen_gedeelde_opgave") == ["stop_ambitie_verdwenen", "stop_elk_eigen_opgave", "stop_taken_zelf_doen"]
    assert stop_items(q, "vermijdingsmotief") == ["stop_fusie_voorkomen", "stop_druk_van_buiten"]
    assert stop_items(q, "geen_grip") == ["signaal_weinig_bijsturen", "signaal_onduidelijk_wie_beslist"]
    kinds = {c.id: c.kind for c in q.criteria}
    assert [c for c, k in kinds.items() if k is CriterionKind.signaal] == [
        "geen_grip",
        "meerdere_kapiteins",
        "efficiency_niet_ingeboekt",
    ]


def test_only_the_three_signals_red_is_herijken_not_stoppen(q):
    # The case of the issue: geen grip, meerdere kapiteins, efficiency niet ingeboekt all red.
    # Signals: (5 + 5) / 2 = 5.0 each -> rood. Stop criteria: 1.0 each -> groen.
    answers = sheet(q, {**GREEN_STOP, "geen_grip": [5, 5], "meerdere_kapiteins": [5, 5], "efficiency_niet_ingeboekt": [5, 5]})
    result = scan.personal_result(q, answers)
    signals = dict(zip(result.criteria["criterion"], result.criteria["signal"], strict=True))
    assert [c for c, s in signals.items() if s == "rood"] == ["geen_grip", "meerdere_kapiteins", "efficiency_niet_ingeboekt"]
    assert result.advice.advice == "herijken"
    assert result.advice.reason == "Een signaal uit de praktijk staat op rood."
    assert result.advice.drivers == ("geen_grip", "meerdere_kapiteins", "efficiency_niet_ingeboekt")


def test_three_red_stop_criteria_is_stoppen(q):
    # geen_gedeelde_opgave (5 + 5 + 4) / 3 = 4.67 -> 4.7 rood; uiteenlopende (4 + 4) / 2 = 4.0 rood;
    # verstoorde (5 + 4) / 2 = 4.5 rood; baten (3 + 3 + 4) / 3 = 3.33 -> 3.3 oranje.
    answers = sheet(
        q,
        {
            **GREEN_STOP,
            "geen_gedeelde_opgave": [5, 5, 4],
            "uiteenlopende_ambities": [4, 4],
            "verstoorde_relaties": [5, 4],
            "baten_uitgebleven": [3, 3, 4],
        },
    )
    result = scan.personal_result(q, answers)
    scores = dict(zip(result.criteria["criterion"], result.criteria["score"], strict=True))
    assert (scores["geen_gedeelde_opgave"], scores["uiteenlopende_ambities"], scores["verstoorde_relaties"]) == (4.7, 4.0, 4.5)
    assert scores["baten_uitgebleven"] == 3.3
    assert (result.advice.advice, result.advice.reason) == ("stoppen", "Drie of meer stopcriteria staan op rood.")
    assert result.advice.drivers == ("geen_gedeelde_opgave", "uiteenlopende_ambities", "verstoorde_relaties")


def test_veiligheidsregio_never_gets_stoppen(q):
    # Same sheet, but a legally required cooperation: stop_taken_zelf_doen and both vermijdingsmotief
    # statements are not asked. geen_gedeelde_opgave = (5 + 5) / 2 = 5.0 rood (the third is skipped);
    # still three stop criteria red -> rule 1 (stoppen), which gives way in a required cooperation.
    answers = sheet(
        q,
        {
            **GREEN_STOP,
            "geen_gedeelde_opgave": [5, 5, 4],
            "uiteenlopende_ambities": [4, 4],
            "verstoorde_relaties": [5, 4],
            "baten_uitgebleven": [3, 3, 4],
        },
    )
    result = scan.personal_result(q, answers, required=True)
    scores = dict(zip(result.criteria["criterion"], result.criteria["score"], strict=True))
    assert "vermijdingsmotief" not in scores  # not asked at all
    assert scores["geen_gedeelde_opgave"] == 5.0
    assert result.advice.advice == "wettelijk_bijsturen"
    assert result.advice.label == "Herijken of uitkleden binnen de wet"
    assert result.advice.meaning.startswith("Uittreden kan niet")
    assert result.advice.reason == "Drie of meer stopcriteria staan op rood."


def test_a_required_cooperation_does_not_ask_the_statements_that_say_nothing_there(q):
    steps = scan.scan_sections(q, None, required=True)
    asked = {i.id for s in steps for i in s.items}
    assert not asked & {"stop_taken_zelf_doen", "stop_fusie_voorkomen", "stop_druk_van_buiten"}
    assert "stop_ambitie_verdwenen" in asked
    assert len(asked) == sum(len(s.items) for s in scan.scan_sections(q, None)) - 3
    # answers given earlier on a skipped statement do not count
    answers = sheet(q, {**GREEN_STOP, "vermijdingsmotief": [5, 5]})
    assert scan.personal_result(q, answers).advice.drivers == ("vermijdingsmotief",)
    assert scan.personal_result(q, answers, required=True).advice.advice == "doorgaan"


def _all_combinations(q):
    """Every combination of groen/oranje/rood over the eight criteria (3^8 = 6561 'participants')."""
    crit = [c.id for c in q.criteria]
    combos = list(itertools.product(["groen", "oranje", "rood"], repeat=len(crit)))
    rows = [(f"p{k:05d}", c, s) for k, combo in enumerate(combos) for c, s in zip(crit, combo, strict=True)]
    frame = pd.DataFrame(rows, columns=["participant", "criterion", "signal"])
    return crit, np.array(combos, dtype=object), frame


def test_every_combination_signals_alone_lead_at_most_to_herijken(q):
    crit, combos, frame = _all_combinations(q)
    out = scoring.advise_participants(frame, q)
    stop_cols = [k for k, c in enumerate(crit) if q.criterion_by_id[c].kind is CriterionKind.stopcriterium]
    no_red_stop = ~(combos[:, stop_cols] == "rood").any(axis=1)
    assert no_red_stop.sum() == 2**5 * 3**3  # 32 stop patterns without red x 27 signal patterns
    assert set(out.loc[no_red_stop, "advice"]) <= {"doorgaan", "herijken"}
    assert set(out.loc[no_red_stop, "advice"]) == {"doorgaan", "herijken"}  # both occur
    # and a red stop criterion never ends in doorgaan
    assert "doorgaan" not in set(out.loc[~no_red_stop, "advice"])


def test_every_combination_a_required_cooperation_never_stops(q):
    _, _, frame = _all_combinations(q)
    free = scoring.advise_participants(frame, q)
    required = scoring.advise_participants(frame, q, required=True)
    assert "stoppen" not in set(required["advice"])
    was_stoppen = (free["advice"] == "stoppen").to_numpy()
    assert was_stoppen.any()
    assert set(required.loc[was_stoppen, "advice"]) == {"wettelijk_bijsturen"}
    # everything else is the same advice, for the same reason and drivers
    pd.testing.assert_frame_equal(required[~was_stoppen], free[~was_stoppen])
    assert (required.loc[was_stoppen, "drivers"] == free.loc[was_stoppen, "drivers"]).all()


def test_personal_csv_names_the_drivers_and_the_criterion_of_each_stop_statement(q):
    import io

    answers = sheet(q, {**GREEN_STOP, "baten_uitgebleven": [5, 4, 4]})  # 13 / 3 = 4.33 -> 4.3 rood -> uitkleden
    result = scan.personal_result(q, answers)
    df = pd.read_csv(io.BytesIO(scan.personal_csv(q, answers, result)), sep=";", decimal=",", encoding="utf-8-sig")
    advice = df[df["Soort"] == "Advies"].iloc[0]
    assert advice["Uitkomst"] == "Uitkleden"
    assert advice["Omschrijving"] == "De beloofde opbrengst van de samenwerking blijft uit. Bepalend: Beloofde opbrengst blijft uit."
    rows = df[df["Soort"] == "Antwoord"].set_index("Code")
    assert rows.loc["stop_overleg_kost_meer", "Onderdeel"] == "Stopcriteria: Beloofde opbrengst blijft uit"
    assert rows.loc["signaal_kosten_hoger", "Onderdeel"] == "Signalen in de praktijk: Begrote besparing blijft uit"
    crit = df[df["Soort"] == "Stopcriterium"].set_index("Code")
    assert crit.loc["baten_uitgebleven", "Score"] == 4.3
