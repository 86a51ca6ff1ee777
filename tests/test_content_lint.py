"""Content lint: every statement follows shared/CONTENT-GUIDE.md in the ways a machine can check.

- no negation in a warning statement (stop criteria, signals, reverse-scored), so "oneens" is never
  a double negative; positive statements carry none either;
- at most 20 words;
- no "en" that joins two claims (only the listed fixed word pairs may use "en");
- a named subject: no bare "we", "wij", "ons"; "onze" only before a named group;
- unique wording: no two statements alike (same words, or nearly the same set of words).

The lint itself is tested on the statements of the first version, which it must reject.
"""

from __future__ import annotations

import itertools
import re

import pytest

from questionnaire.loader import CONTENT_DIR, load_questionnaire

NEGATIONS = {
    "niet", "geen", "nooit", "nauwelijks", "onvoldoende", "niemand", "niets", "nergens", "zelden", "amper",
    "weinig", "onduidelijk", "ontbreekt", "ontbreken", "zonder",
}  # fmt: skip
MAX_WORDS = 20
# "en" between two nouns that belong together is one idea, not two claims.
EN_PAIRS = {"opdrachtgever en uitvoerder"}
UNCLEAR_SUBJECTS = {"we", "wij", "ons"}
ONZE_OK = {"gemeente", "raad", "bestuurders", "inwoners", "college"}
SIMILAR = 0.6  # share of shared words (Jaccard) from which two statements count as the same wording
STOP_WORDS = {"de", "het", "een", "in", "van", "deze", "dat", "die", "is", "zijn", "op", "aan", "om", "te", "er"}


def words(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ]+", text.lower())


def lint_statement(text: str, *, warning: bool) -> list[str]:
    """Problems of one statement (empty list: fine)."""
    problems = []
    w = words(text)
    neg = sorted(set(w) & NEGATIONS)
    if neg:
        kind = "waarschuwingsstelling" if warning else "stelling"
        problems.append(f"{kind} met ontkenning {neg}")
    if len(text.split()) > MAX_WORDS:
        problems.append(f"{len(text.split())} woorden (hooguit {MAX_WORDS})")
    lowered = " ".join(w)
    for pair in EN_PAIRS:
        lowered = lowered.replace(pair, "")
    if "en" in lowered.split():
        problems.append("'en' verbindt twee beweringen")
    vague = sorted(set(w) & UNCLEAR_SUBJECTS)
    if vague:
        problems.append(f"onduidelijk onderwerp {vague}")
    for a, b in itertools.pairwise(w):
        if a == "onze" and b not in ONZE_OK:
            problems.append(f"'onze {b}': noem wie (onze gemeente, onze raad, ...)")
    return problems


def content_words(text: str) -> set[str]:
    return set(words(text)) - STOP_WORDS


def similar_pairs(texts: dict[str, str]) -> list[tuple[str, str, float]]:
    out = []
    for (ia, a), (ib, b) in itertools.combinations(texts.items(), 2):
        wa, wb = content_words(a), content_words(b)
        share = len(wa & wb) / len(wa | wb) if wa | wb else 1.0
        if " ".join(words(a)) == " ".join(words(b)) or share >= SIMILAR:
            out.append((ia, ib, round(share, 2)))
    return out


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(CONTENT_DIR)


def _statements(q):
    for s in q.sections:
        for item in s.items:
            yield s, item, (s.polarity.value == "warning" or item.reverse)


def test_every_statement_passes_the_lint(q):
    problems = {item.id: found for _, item, warning in _statements(q) if (found := lint_statement(item.text, warning=warning))}
    assert problems == {}


def test_no_two_statements_share_their_wording(q):
    assert similar_pairs({item.id: item.text for item in q.items}) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # statements of the first version, which the issue (12) found wanting
        ("De ambitie waarmee deze samenwerking begon, speelt nu geen rol meer.", "ontkenning"),
        ("De besparing die deze samenwerking zou opleveren, is niet gehaald.", "ontkenning"),
        ("Projecten die we samen wilden uitvoeren, komen niet van de grond.", "ontkenning"),
        ("Onze gemeente kan nauwelijks bijsturen op wat de samenwerking doet.", "ontkenning"),
        ("Het is mij niet duidelijk wie in deze samenwerking waarover beslist.", "ontkenning"),
        ("De besparing die in de begroting staat, zien we niet terug in de cijfers.", "ontkenning"),
        ("Elke gemeente maakt genoeg tijd, mensen en geld vrij voor de gezamenlijke doelen.", "'en'"),
        ("Wat elke gemeente inbrengt en wat zij eruit haalt, is met elkaar in evenwicht.", "'en'"),
        ("Als de belangen van de gemeenten verschillen, bespreken we dat openlijk.", "onderwerp"),
        ("We praten over onze samenwerking.", "onderwerp"),
        ("Dit is een stelling die veel te lang is omdat zij maar doorgaat en doorgaat zonder ooit op te houden hier.", "woorden"),
    ],
)
def test_the_lint_rejects_the_statements_of_the_first_version(text, problem):
    found = lint_statement(text, warning=True)
    assert any(problem in p for p in found), found


def test_the_lint_finds_two_statements_with_the_same_wording():
    pairs = similar_pairs(
        {
            "a": "De besparing die deze samenwerking zou opleveren, blijft uit.",
            "b": "De besparing die de samenwerking zou opleveren blijft uit!",
            "c": "Onze raad weet wat deze samenwerking kost.",
        }
    )
    assert [(a, b) for a, b, _ in pairs] == [("a", "b")]


def test_the_lint_accepts_a_clean_warning_statement():
    assert lint_statement("De gemeenten in deze samenwerking werken inmiddels elk aan een eigen opgave.", warning=True) == []
