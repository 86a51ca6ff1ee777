"""The list of Dutch municipalities people choose from.

The data lives in ``questionnaire/data/gemeenten.csv`` (``code,naam,provincie``, UTF-8) with a
small ``gemeenten.meta.yaml`` next to it (``peildatum``, ``bron``, ``aantal``, and ``aliassen``: the
file of other names people search for, ``naam,alias,soort``, e.g. "Den Haag" for 's-Gravenhage or
"Weesp" for Amsterdam). A broken file
raises :class:`questionnaire.loader.ContentError` with a one-line Dutch message that names the
file, the row or municipality, and what is wrong.
"""

from __future__ import annotations

import csv
import datetime
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from questionnaire.loader import ContentError

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_PATH = DATA_DIR / "gemeenten.csv"

COLUMNS = ("code", "naam", "provincie")
_CODE = re.compile(r"^GM\d{4}$")
# "'s-Gravenhage" and "'s-Hertogenbosch" are looked up under G and H by Dutch readers.
_SORT_PREFIX = re.compile(r"^['’`]s[-\s]+", re.IGNORECASE)


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    province: str


def sort_key(name: str) -> str:
    """Key that sorts names the way Dutch readers expect.

    A leading "'s-" is ignored, case does not matter and accents are folded, so "'s-Hertogenbosch"
    sits among the H's and "Súdwest-Fryslân" among the S's.
    """
    s = _SORT_PREFIX.sub("", name.strip())
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s.casefold()


@dataclass(frozen=True)
class MunicipalityList:
    reference_date: datetime.date
    source: str
    items: tuple[Municipality, ...]
    aliases: tuple[tuple[str, str], ...] = ()  # (official name, other name), in file order

    def label(self, name: str) -> str:
        """What a search list shows for ``name``: the official name with the other names people
        look for, "'s-Gravenhage (Den Haag)". The browser filters on this text; the value kept
        is still the official name."""
        other = self._aliases_of.get(name)
        return f"{name} ({', '.join(other)})" if other else name

    @cached_property
    def _aliases_of(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for name, alias in self.aliases:
            out.setdefault(name, []).append(alias)
        return {k: tuple(v) for k, v in out.items()}

    def names(self) -> list[str]:
        """All names, sorted as Dutch readers expect (see :func:`sort_key`)."""
        return sorted((m.name for m in self.items), key=lambda n: (sort_key(n), n))

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        return name.strip() in self._name_set

    def __len__(self) -> int:
        return len(self.items)

    @cached_property
    def _name_set(self) -> frozenset[str]:
        return frozenset(m.name for m in self.items)

    def by_name(self, name: str) -> Municipality | None:
        name = name.strip()
        return next((m for m in self.items if m.name == name), None)


# ---------------------------------------------------------------- loading


def _meta_path(csv_path: Path) -> Path:
    return csv_path.with_name(csv_path.name.removesuffix(".csv") + ".meta.yaml")


def _read_meta(path: Path) -> tuple[datetime.date, str, int]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(path.name, None, "het bestand met peildatum, bron en aantal ontbreekt") from None
    except OSError as e:
        raise ContentError(path.name, None, f"kan het bestand niet lezen ({e.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"regel {mark.line + 1}" if mark else None
        raise ContentError(path.name, where, f"geen geldige YAML ({getattr(e, 'problem', e)})") from None
    if not isinstance(data, dict):
        raise ContentError(path.name, None, "het bestand moet de velden peildatum, bron en aantal bevatten")
    for key in ("peildatum", "bron", "aantal"):
        if key not in data or data[key] in (None, ""):
            raise ContentError(path.name, f"veld '{key}'", "dit veld ontbreekt of is leeg")
    peildatum = data["peildatum"]
    if isinstance(peildatum, str):
        try:
            peildatum = datetime.date.fromisoformat(peildatum)
        except ValueError:
            peildatum = None
    if not isinstance(peildatum, datetime.date) or isinstance(peildatum, datetime.datetime):
        raise ContentError(path.name, "veld 'peildatum'", f"geen geldige datum (JJJJ-MM-DD): {data['peildatum']!r}")
    aantal = data["aantal"]
    if not isinstance(aantal, int) or isinstance(aantal, bool) or aantal < 1:
        raise ContentError(path.name, "veld 'aantal'", f"moet een positief geheel getal zijn, niet {aantal!r}")
    bron = " ".join(str(data["bron"]).split())
    return peildatum, bron, aantal


def _read_rows(path: Path) -> list[Municipality]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ContentError(path.name, None, "het bestand met gemeenten ontbreekt") from None
    except UnicodeDecodeError:
        raise ContentError(path.name, None, "het bestand is geen geldige UTF-8-tekst") from None
    except OSError as e:
        raise ContentError(path.name, None, f"kan het bestand niet lezen ({e.strerror})") from None

    reader = csv.reader(text.splitlines())
    try:
        header = next(reader)
    except StopIteration:
        raise ContentError(path.name, None, "het bestand is leeg (verwacht de kopregel code,naam,provincie)") from None
    header = [h.strip().lower() for h in header]
    for col in COLUMNS:
        if col not in header:
            found = ", ".join(h for h in header if h) or "geen"
            raise ContentError(path.name, "kopregel", f"kolom '{col}' ontbreekt (gevonden: {found})")
    idx = {col: header.index(col) for col in COLUMNS}

    items: list[Municipality] = []
    seen_names: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    for lineno, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank line
        if len(row) != len(header):
            raise ContentError(path.name, f"regel {lineno}", f"verwacht {len(header)} velden, maar vond er {len(row)}")
        code, name, province = (row[idx[c]].strip() for c in COLUMNS)
        label = f"regel {lineno}" + (f" (gemeente '{name}')" if name else "")
        if not name:
            raise ContentError(path.name, label, "de naam van de gemeente is leeg")
        if not _CODE.match(code):
            raise ContentError(path.name, label, f"ongeldige CBS-code '{code}' (verwacht GM gevolgd door 4 cijfers)")
        if not province:
            raise ContentError(path.name, label, "de provincie is leeg")
        if name in seen_names:
            raise ContentError(path.name, label, f"dubbele naam: '{name}' staat ook op regel {seen_names[name]}")
        if code in seen_codes:
            raise ContentError(path.name, label, f"dubbele code: '{code}' staat ook op regel {seen_codes[code]}")
        seen_names[name] = lineno
        seen_codes[code] = lineno
        items.append(Municipality(code=code, name=name, province=province))
    return items


def _read_aliases(meta_path: Path, names: set[str]) -> tuple[tuple[str, str], ...]:
    """The other names of the file named under ``aliassen.bestand`` in the meta file (optional)."""
    data = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    block = data.get("aliassen")
    if block is None:
        return ()
    if not isinstance(block, dict) or not block.get("bestand") or not block.get("bron"):
        raise ContentError(meta_path.name, "veld 'aliassen'", "noem 'bestand' en 'bron' van de andere namen")
    path = meta_path.with_name(str(block["bestand"]))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError:
        raise ContentError(path.name, None, "het bestand met andere namen ontbreekt of is onleesbaar") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or [h.strip().lower() for h in rows[0]] != ["naam", "alias", "soort"]:
        raise ContentError(path.name, "kopregel", "verwacht de kolommen naam,alias,soort")
    out: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3 or not all(cell.strip() for cell in row):
            raise ContentError(path.name, f"regel {lineno}", "verwacht drie gevulde velden: naam, alias, soort")
        name, alias = row[0].strip(), row[1].strip()
        if name not in names:
            raise ContentError(path.name, f"regel {lineno}", f"'{name}' staat niet in de lijst met gemeenten")
        if alias in names:
            raise ContentError(path.name, f"regel {lineno}", f"'{alias}' is zelf een gemeente, geen andere naam")
        if alias in seen:
            raise ContentError(path.name, f"regel {lineno}", f"'{alias}' staat ook op regel {seen[alias]}")
        seen[alias] = lineno
        out.append((name, alias))
    return tuple(out)


def _load(path: Path) -> MunicipalityList:
    meta_path = _meta_path(path)
    reference_date, source, expected = _read_meta(meta_path)
    items = _read_rows(path)
    if len(items) != expected:
        raise ContentError(
            path.name,
            None,
            f"het bestand bevat {len(items)} gemeenten, maar {meta_path.name} noemt aantal {expected}",
        )
    aliases = _read_aliases(meta_path, {m.name for m in items})
    return MunicipalityList(reference_date=reference_date, source=source, items=tuple(items), aliases=aliases)


@lru_cache(maxsize=1)
def _load_default() -> MunicipalityList:
    return _load(DEFAULT_PATH)


def load_municipalities(path: Path | str | None = None) -> MunicipalityList:
    """Load and check the municipality list.

    Without ``path`` the bundled list is read once and cached. Raises ContentError (one line,
    in Dutch) when the csv or its meta file is malformed.
    """
    if path is None:
        return _load_default()
    return _load(Path(path))
