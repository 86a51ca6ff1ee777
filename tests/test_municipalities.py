"""The list of municipalities: complete for 1 January 2025, sorted the Dutch way, and a broken
file fails with one clear line."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest

from questionnaire.loader import ContentError
from questionnaire.municipalities import (
    DEFAULT_PATH,
    Municipality,
    MunicipalityList,
    load_municipalities,
    sort_key,
)

META = DEFAULT_PATH.with_name("gemeenten.meta.yaml")
ALIASES = DEFAULT_PATH.with_name("gemeenten-aliassen.csv")
PROVINCES = {
    "Groningen",
    "Fryslân",
    "Drenthe",
    "Overijssel",
    "Flevoland",
    "Gelderland",
    "Utrecht",
    "Noord-Holland",
    "Zuid-Holland",
    "Zeeland",
    "Noord-Brabant",
    "Limburg",
}


@pytest.fixture(scope="module")
def gm() -> MunicipalityList:
    return load_municipalities()


def test_the_2025_list_is_complete(gm):
    assert len(gm.items) == 342
    names = [m.name for m in gm.items]
    codes = [m.code for m in gm.items]
    assert len(set(names)) == 342
    assert len(set(codes)) == 342
    assert all(re.fullmatch(r"GM\d{4}", c) for c in codes)
    assert {m.province for m in gm.items} == PROVINCES
    assert gm.reference_date == datetime.date(2025, 1, 1)
    assert "CBS" in gm.source


def test_known_municipalities_with_official_spelling(gm):
    for name in (
        "'s-Hertogenbosch",
        "'s-Gravenhage",
        "Súdwest-Fryslân",
        "Noardeast-Fryslân",
        "Bergen (NH.)",
        "Bergen (L.)",
        "Hengelo",
        "Voorne aan Zee",
        "Dijk en Waard",
        "Land van Cuijk",
        "Maashorst",
        "Nuenen, Gerwen en Nederwetten",
    ):
        assert name in gm, name
    assert Municipality("GM0014", "Groningen", "Groningen") in gm.items
    assert gm.by_name("Voorne aan Zee") == Municipality("GM1992", "Voorne aan Zee", "Zuid-Holland")
    assert gm.by_name("Bergen (L.)").province == "Limburg"
    assert gm.by_name("Bergen (NH.)").province == "Noord-Holland"


def test_merged_municipalities_are_gone(gm):
    for old in ("Weesp", "Beemster", "Brielle", "Hellevoetsluis", "Westvoorne", "Heerhugowaard", "Uden", "Boxmeer"):
        assert old not in gm, old


def test_contains(gm):
    assert "Utrecht" in gm
    assert " Utrecht " in gm
    assert "Den Haag" not in gm  # the official name is 's-Gravenhage
    assert "" not in gm
    assert 42 not in gm


def test_names_are_sorted_the_dutch_way(gm):
    names = gm.names()
    assert len(names) == 342 and set(names) == {m.name for m in gm.items}
    assert names[0] == "Aa en Hunze"
    assert names[-1] == "Zwolle"
    # 's-Hertogenbosch among the H's, 's-Gravenhage among the G's
    h = names.index("'s-Hertogenbosch")
    assert names.index("Hengelo") < h < names.index("Heumen")
    assert sort_key(names[h - 1]).startswith("h") and sort_key(names[h + 1]).startswith("h")
    assert names.index("Gouda") < names.index("'s-Gravenhage") < names.index("Groningen")
    # accents folded: Súdwest-Fryslân among the S's
    assert names.index("Stichtse Vecht") < names.index("Súdwest-Fryslân") < names.index("Terneuzen")
    # case-insensitive: "De Bilt" and "de Bilt" sort alike
    assert sort_key("De Bilt") == sort_key("de bilt")
    assert names == sorted(names, key=lambda n: (sort_key(n), n))


def test_default_list_is_cached():
    assert load_municipalities() is load_municipalities()


# ---------------------------------------------------------------- broken files


@pytest.fixture
def copy(tmp_path) -> Path:
    target = tmp_path / "gemeenten.csv"
    shutil.copy(DEFAULT_PATH, target)
    shutil.copy(META, tmp_path / "gemeenten.meta.yaml")
    shutil.copy(ALIASES, tmp_path / ALIASES.name)
    return target


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def broken(path: Path, *fragments: str) -> str:
    with pytest.raises(ContentError) as info:
        load_municipalities(path)
    msg = str(info.value)
    assert "\n" not in msg, msg
    for fragment in fragments:
        assert fragment in msg, f"{fragment!r} missing from: {msg}"
    return msg


def test_copy_loads(copy):
    assert len(load_municipalities(copy).items) == 342


def test_missing_column(copy):
    lines = _lines(copy)
    _write(copy, [line.rsplit(",", 1)[0] for line in lines])  # drop the last column, 'provincie'
    broken(copy, "gemeenten.csv", "kolom 'provincie' ontbreekt")


def test_duplicate_name(copy):
    lines = _lines(copy)
    lines[2] = lines[2].replace(lines[2].split(",")[1], lines[1].split(",")[1])
    _write(copy, lines)
    broken(copy, "gemeenten.csv", "regel 3", "dubbele naam", lines[1].split(",")[1])


def test_count_mismatch_with_meta(copy):
    _write(copy, _lines(copy)[:-1])
    broken(copy, "gemeenten.csv", "341 gemeenten", "aantal 342")


def test_bad_code(copy):
    lines = _lines(copy)
    lines[5] = "0106" + lines[5][6:]
    _write(copy, lines)
    broken(copy, "gemeenten.csv", "regel 6", "ongeldige CBS-code")


def test_missing_meta(copy):
    copy.with_name("gemeenten.meta.yaml").unlink()
    broken(copy, "gemeenten.meta.yaml", "ontbreekt")


def test_not_utf8(copy):
    copy.write_bytes("code,naam,provincie\nGM1900,Súdwest-Fryslân,Fryslân\n".encode("latin-1"))
    broken(copy, "gemeenten.csv", "UTF-8")


# ---------------------------------------------------------------- other names (aliases)


def test_common_and_former_names_lead_to_the_official_name(gm):
    assert gm.label("'s-Gravenhage") == "'s-Gravenhage (Den Haag)"
    assert gm.label("'s-Hertogenbosch") == "'s-Hertogenbosch (Den Bosch)"
    assert gm.label("Amsterdam") == "Amsterdam (Weesp)"
    assert gm.label("Eemsdelta") == "Eemsdelta (Appingedam, Delfzijl, Loppersum)"
    assert "Hellevoetsluis" in gm.label("Voorne aan Zee")
    assert gm.label("Utrecht") == "Utrecht"  # no other name: just the name
    # Every municipality that merged since 2021 is findable under its old name.
    merged = {"Appingedam", "Delfzijl", "Loppersum", "Heerhugowaard", "Langedijk", "Boxmeer", "Cuijk", "Grave",
              "Mill en Sint Hubert", "Sint Anthonis", "Landerd", "Uden", "Beemster", "Weesp", "Brielle",
              "Hellevoetsluis", "Westvoorne", "Haaren"}
    assert merged <= {alias for _, alias in gm.aliases}
    assert all(alias not in gm for alias in merged)  # gone as municipalities, kept as names to search


def test_an_alias_of_an_unknown_municipality_is_refused(copy):
    path = copy.with_name(ALIASES.name)
    path.write_text(path.read_text(encoding="utf-8") + "Weesperkarspel,Weesp2,gangbare naam\n", encoding="utf-8")
    broken(copy, ALIASES.name, "Weesperkarspel", "staat niet in de lijst")


def test_an_alias_that_is_a_municipality_itself_is_refused(copy):
    path = copy.with_name(ALIASES.name)
    path.write_text(path.read_text(encoding="utf-8") + "Amsterdam,Utrecht,gangbare naam\n", encoding="utf-8")
    broken(copy, ALIASES.name, "'Utrecht' is zelf een gemeente")
