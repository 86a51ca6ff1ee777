"""Load and validate the questionnaire content from YAML.

``load_questionnaire()`` reads ``content/questionnaire.yaml`` and every ``content/modules/*.yaml``
and returns one validated :class:`Questionnaire`. Any problem raises :class:`ContentError` whose
message names the file, the item (or section) and what is wrong, in one line, so the app can stop
with that message instead of a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import ValidationError

from questionnaire.models import Among, Criterion, CriterionKind, Item, Kind, Module, Section, Settings

CONTENT_DIR = Path(__file__).parent / "content"
CONTENT_DIR_ENV = "SPIEGEL_CONTENT_DIR"  # an operator (or a test) may point the app at another content folder


class ContentError(Exception):
    """A content file is broken. ``str(err)`` is the one-line message for a person."""

    def __init__(self, file: Path | str, where: str | None, problem: str):
        self.file = _display(Path(file))
        self.where = where
        self.problem = problem
        loc = f" bij {where}" if where else ""
        super().__init__(f"Fout in inhoudsbestand {self.file}{loc}: {problem}")


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key twice in one mapping (YAML would silently keep the last)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"de sleutel '{key}' staat twee keer in hetzelfde blok", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def _display(path: Path) -> str:
    """The path as a person recognises it: relative to the project when it lies inside it."""
    try:
        return str(path.resolve().relative_to(Path(__file__).resolve().parent.parent))
    except ValueError:
        return str(path)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(path, None, "het bestand is geen UTF-8-tekst; sla het op als UTF-8") from None
    except OSError as e:
        raise ContentError(path, None, f"kan het bestand niet lezen ({e.strerror})") from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"regel {mark.line + 1}" if mark else None
        problem = getattr(e, "problem", None) or str(e)
        problem = " ".join(str(problem).split())  # always one line
        raise ContentError(path, where, f"geen geldige YAML ({problem})") from None
    if not isinstance(data, dict):
        raise ContentError(path, None, "het bestand moet een YAML-mapping bevatten")
    return data


_DUTCH = {
    "missing": "veld '{field}' ontbreekt",
    "string_too_short": "veld '{field}' is leeg",
    "string_pattern_mismatch": "veld '{field}' heeft een ongeldige vorm ('{input}'); verwacht: {pattern}",
    "string_type": "veld '{field}' moet tekst zijn",
    "enum": "veld '{field}' heeft onbekende waarde '{input}'; kies uit {expected}",
    "extra_forbidden": "onbekend veld '{field}' (tikfout?)",
    "int_parsing": "veld '{field}' moet een geheel getal zijn, niet '{input}'",
    "int_type": "veld '{field}' moet een geheel getal zijn",
    "float_parsing": "veld '{field}' moet een getal zijn, niet '{input}'",
    "float_type": "veld '{field}' moet een getal zijn",
    "bool_parsing": "veld '{field}' moet true of false zijn, niet '{input}'",
    "bool_type": "veld '{field}' moet true of false zijn",
    "greater_than_equal": "veld '{field}' moet minstens {ge} zijn, niet {input}",
    "less_than_equal": "veld '{field}' mag hooguit {le} zijn, niet {input}",
    "greater_than": "veld '{field}' moet groter zijn dan {gt}, niet {input}",
    "too_short": "veld '{field}' heeft te weinig onderdelen (minstens {min_length})",
    "too_long": "veld '{field}' heeft te veel onderdelen (hooguit {max_length})",
    "list_type": "veld '{field}' moet een lijst zijn",
    "dict_type": "veld '{field}' moet een blok met velden zijn",
    "model_type": "veld '{field}' moet een blok met velden zijn",
}


def _message(err: dict) -> str:
    """One Dutch line for a pydantic error."""
    fields = [p for p in err["loc"] if isinstance(p, str)]
    field = fields[-1] if fields else "?"
    ctx = {k: v for k, v in (err.get("ctx") or {}).items()}
    template = _DUTCH.get(err["type"])
    if err["type"] == "value_error" or template is None:
        msg = str(err["msg"]).removeprefix("Value error, ")
        return msg if err["type"] == "value_error" else f"veld '{field}': {msg}"
    value = err.get("input")
    shown = value if isinstance(value, (str, int, float)) else "…"
    return template.format(field=field, input=str(shown)[:60], **{k: str(v).replace("' or '", "' of '") for k, v in ctx.items()})


def _where(data: Any, loc: tuple) -> str:
    """The nearest item/section/rule a person recognises on the error's path."""
    node, named = data, None
    for n, part in enumerate(loc):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                kind = "stelling" if "text" in node else ("sectie" if "items" in node else "onderdeel")
                named = f"{kind} '{node['id']}'"
            elif "advice" in node and isinstance(part, int):
                named = f"adviesregel {part + 1} ('{node.get('advice')}')"
            elif isinstance(part, int) and n > 0:
                parent = loc[n - 1]
                owner = f"{named} " if named else ""
                named = f"{owner}{parent} nr. {part + 1}"
    return named or "het bestand"


def _validate(model, data: Any, path: Path):
    try:
        return model.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        raise ContentError(path, _where(data, err["loc"]), _message(err)) from None


@dataclass(frozen=True)
class Questionnaire:
    settings: Settings
    modules: list[Module]
    files: dict[str, str] = field(default_factory=dict)  # section id -> file it came from

    # -- navigation over the content
    @cached_property
    def sections(self) -> list[Section]:
        return [s for m in self.modules for s in m.sections]

    @cached_property
    def section_by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}

    @cached_property
    def items(self) -> list[Item]:
        return [i for s in self.sections for i in s.items]

    @cached_property
    def item_by_id(self) -> dict[str, Item]:
        return {i.id: i for i in self.items}

    @cached_property
    def criteria(self) -> list[Criterion]:
        return [c for s in self.sections for c in s.criteria]

    @cached_property
    def criterion_by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    @property
    def scale(self):
        return self.settings.scale

    @property
    def scoring(self):
        return self.settings.scoring

    @cached_property
    def role_by_id(self):
        return {r.id: r for r in self.settings.roles}

    @cached_property
    def role_group_label(self) -> dict[str, str]:
        return {g.id: g.label for g in self.settings.role_groups}

    @cached_property
    def advice_by_id(self):
        return {a.id: a for a in self.settings.advices}

    def scored_sections(self, section_ids: list[str] | None = None) -> list[Section]:
        """Sections that get a score and a band (not the stop sections), optionally limited."""
        return [
            s for s in self.sections if s.kind is not Kind.stop and (section_ids is None or s.id in section_ids)
        ]

    def stop_sections(self, section_ids: list[str] | None = None) -> list[Section]:
        return [s for s in self.sections if s.kind is Kind.stop and (section_ids is None or s.id in section_ids)]

    @cached_property
    def default_section_ids(self) -> list[str]:
        """The sections asked when nobody chose: every section of a module that is not optional."""
        return [s.id for m in self.modules if not m.optional for s in m.sections]

    @cached_property
    def optional_modules(self) -> list[Module]:
        return [m for m in self.modules if m.optional]

    @cached_property
    def required_kind_label(self) -> dict[str, str]:
        return {k.id: k.label for k in self.settings.required_kinds}

    def asked_items(self, section: Section, required: bool = False) -> list[Item]:
        """The statements of ``section`` that are asked (a legally required cooperation skips some)."""
        return [i for i in section.items if not (required and i.skip_when_required)]

    @cached_property
    def item_table(self) -> pd.DataFrame:
        """One row per item: the facts scoring needs (section, polarity, reverse, criterion)."""
        rows = [
            {
                "item": i.id,
                "section": s.id,
                "polarity": s.polarity.value,
                "reverse": i.reverse,
                "criterion": i.criterion,
                "skip_when_required": i.skip_when_required,
                "position": n,
            }
            for n, (s, i) in enumerate((s, i) for s in self.sections for i in s.items)
        ]
        return pd.DataFrame(rows)


def load_questionnaire(content_dir: Path | str | None = None) -> Questionnaire:
    content_dir = Path(content_dir or os.environ.get(CONTENT_DIR_ENV) or CONTENT_DIR)
    settings_path = content_dir / "questionnaire.yaml"
    settings = _validate(Settings, _read_yaml(settings_path), settings_path)

    module_paths = sorted((content_dir / "modules").glob("*.yaml"))
    if not module_paths:
        raise ContentError(content_dir / "modules", None, "geen modules (*.yaml) gevonden")
    loaded: list[tuple[Module, Path]] = []
    for path in module_paths:
        loaded.append((_validate(Module, _read_yaml(path), path), path))
    loaded.sort(key=lambda mp: (mp[0].order, mp[1].name))

    seen_sections: dict[str, Path] = {}
    seen_items: dict[str, Path] = {}
    seen_criteria: dict[str, Path] = {}
    seen_modules: dict[str, Path] = {}
    files: dict[str, str] = {}
    for module, path in loaded:
        if module.id in seen_modules:
            raise ContentError(path, f"module '{module.id}'", f"dubbele module-id (ook in {seen_modules[module.id].name})")
        seen_modules[module.id] = path
        for s in module.sections:
            if s.id in seen_sections:
                raise ContentError(path, f"sectie '{s.id}'", f"dubbele sectie-id (ook in {seen_sections[s.id].name})")
            seen_sections[s.id] = path
            files[s.id] = path.name
            for c in s.criteria:
                if c.id in seen_criteria:
                    raise ContentError(path, f"criterium '{c.id}'", f"dubbele criterium-id (ook in {seen_criteria[c.id].name})")
                seen_criteria[c.id] = path
            for i in s.items:
                if i.id in seen_items:
                    raise ContentError(path, f"stelling '{i.id}'", f"dubbele stelling-id (ook in {seen_items[i.id].name})")
                seen_items[i.id] = path

    kind_of = {c.id: c.kind for m, _ in loaded for s in m.sections for c in s.criteria}
    advice_by_id = {a.id: a for a in settings.advices}
    for number, rule in enumerate(settings.advice_rules, start=1):
        where = f"adviesregel {number} ('{rule.advice}')"
        for cid in rule.criteria_named:
            if cid not in seen_criteria:
                raise ContentError(settings_path, where, f"noemt onbekend criterium '{cid}'")
        if advice_by_id[rule.advice].needs_stop_criterion and not _grounded(rule, kind_of):
            raise ContentError(
                settings_path,
                where,
                f"advies '{rule.advice}' mag alleen volgen uit stopcriteria, maar deze regel kan ook gelden "
                "met alleen signalen (tel 'among: stopcriteria' of noem alleen stopcriteria)",
            )
    band_ids = [b.id for b in settings.scoring.bands]
    for module, path in loaded:
        for s in module.sections:
            if s.outcome_tips and sorted(s.outcome_tips) != sorted(band_ids):
                raise ContentError(
                    path, f"sectie '{s.id}'", f"outcome_tips moet precies één tip per band hebben ({band_ids}), niet {sorted(s.outcome_tips)}"
                )
    return Questionnaire(settings=settings, modules=[m for m, _ in loaded], files=files)


def _grounded(rule, kind_of: dict[str, CriterionKind]) -> bool:
    """Whether every way this rule can hold needs at least one stop criterion (not a signal alone)."""
    if (rule.min_red is not None or rule.min_orange_or_red is not None) and rule.among is Among.stopcriteria:
        return True
    for listed in (rule.red_any_of, rule.orange_or_red_any_of):
        if listed and all(kind_of.get(c) is CriterionKind.stopcriterium for c in listed):
            return True
    return False
