"""Pydantic v2 models for the questionnaire content.

The content lives as YAML under ``questionnaire/content``: one settings file
(``questionnaire.yaml``: scale, bands, roles, stop-criteria rule) and one file per
module under ``modules/`` (each holding one or more sections). Everything a person
reads and every threshold the scoring uses comes from these files; code holds none.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- scale and bands


class ScaleOption(_Strict):
    value: int = Field(ge=1, le=5)
    label: NonEmpty


class DontKnow(_Strict):
    code: int = Field(description="Stored code for 'weet niet / n.v.t.'; never counted as a number.")
    label: NonEmpty


class Scale(_Strict):
    options: list[ScaleOption]
    dont_know: DontKnow

    @model_validator(mode="after")
    def _five_points(self) -> Scale:
        values = [o.value for o in self.options]
        if values != [1, 2, 3, 4, 5]:
            raise ValueError(f"de schaal moet de waarden 1 t/m 5 in volgorde hebben, niet {values}")
        if self.dont_know.code in values:
            raise ValueError(f"de code voor 'weet niet' ({self.dont_know.code}) valt samen met een schaalwaarde")
        return self

    @property
    def values(self) -> list[int]:
        return [o.value for o in self.options]

    @property
    def max_value(self) -> int:
        return max(self.values)

    @property
    def min_value(self) -> int:
        return min(self.values)

    def label(self, code: int) -> str:
        if code == self.dont_know.code:
            return self.dont_know.label
        return next(o.label for o in self.options if o.value == code)


class Band(_Strict):
    id: Ident
    label: NonEmpty
    min: float = Field(ge=1, le=5, description="Lowest score that falls in this band (inclusive).")
    meaning: NonEmpty = Field(description="One line that interprets a section score in this band.")


class Signal(_Strict):
    id: Ident
    label: NonEmpty
    min: float = Field(ge=1, le=5, description="Lowest warning score (agreement with the warning) for this signal.")
    meaning: NonEmpty


class AgreementLevel(_Strict):
    id: Ident
    label: NonEmpty = Field(description="Plain words, e.g. 'grote overeenstemming'.")
    min: float = Field(ge=0, le=1, description="Lowest r_wg (rounded) that falls in this level (inclusive).")


class Agreement(_Strict):
    """How agreement within a group is measured and put in words (r_wg, James, Demaree & Wolf 1984)."""

    decimals: int = Field(ge=1, le=3, description="r_wg is rounded (half up) to this many decimals before it is put in words.")
    explanation: NonEmpty = Field(description="One line for people (exports, captions): what the number means.")
    levels: list[AgreementLevel] = Field(min_length=2)

    @field_validator("levels")
    @classmethod
    def _descending(cls, v: list[AgreementLevel]):
        mins = [lv.min for lv in v]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError(f"drempels staan niet in aflopende volgorde (van hoog naar laag): {mins}")
        if mins[-1] != 0:
            raise ValueError(f"de laagste drempel voor overeenstemming moet 0 zijn, niet {mins[-1]}")
        return v


class Scoring(_Strict):
    min_answered_share: float = Field(gt=0, le=1)
    bands: list[Band] = Field(min_length=2)
    signals: list[Signal] = Field(min_length=2)
    default_min_group_size: int = Field(ge=1, le=50)
    conversation_gap: float = Field(gt=0, le=4, description="Gap between groups that marks a topic for the conversation.")
    conversation_max_topics: int = Field(default=3, ge=1, le=20, description="At most this many (the largest) gaps are topics.")
    trend_change: float = Field(
        default=0.5, gt=0, le=4, description="A score that rose or fell by at least this much since the previous round is named."
    )
    agreement: Agreement

    @field_validator("bands", "signals")
    @classmethod
    def _descending(cls, v: list):
        mins = [b.min for b in v]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError(f"drempels staan niet in aflopende volgorde (van hoog naar laag): {mins}")
        if mins[-1] != 1:
            raise ValueError(f"de laagste drempel moet 1 zijn zodat elke score ergens valt, niet {mins[-1]}")
        ids = [b.id for b in v]
        if len(set(ids)) != len(ids):
            raise ValueError(f"dubbele id in {ids}")
        return v


# ---------------------------------------------------------------- roles


class RoleGroup(_Strict):
    id: Ident
    label: NonEmpty


class Role(_Strict):
    id: Ident
    label: NonEmpty
    group: Ident


# ---------------------------------------------------------------- advice rule


class Advice(_Strict):
    id: Ident
    label: NonEmpty
    meaning: NonEmpty
    needs_stop_criterion: bool = Field(
        default=False,
        description="This advice may only come from a rule that a stop criterion (not a signal alone) makes hold.",
    )
    when_required: Ident | None = Field(
        default=None,
        description="When the cooperation is legally required, this advice gives way to that advice.",
    )


class Among(StrEnum):
    """Which criteria a count condition of an advice rule counts."""

    stopcriteria = "stopcriteria"
    signalen = "signalen"
    alle = "alle"


class AdviceRule(_Strict):
    """One line of the advice rule. All conditions that are set must hold."""

    advice: Ident
    reason: NonEmpty = Field(description="Plain-words reading of this rule, shown with the advice.")
    min_red: int | None = Field(default=None, ge=1, description="At least this many criteria on red.")
    min_orange_or_red: int | None = Field(default=None, ge=1, description="At least this many criteria orange or red.")
    among: Among = Field(default=Among.alle, description="Which criteria min_red and min_orange_or_red count.")
    red_any_of: list[Ident] | None = Field(default=None, min_length=1)
    orange_or_red_any_of: list[Ident] | None = Field(default=None, min_length=1)

    @property
    def is_default(self) -> bool:
        return not any(
            x is not None for x in (self.min_red, self.min_orange_or_red, self.red_any_of, self.orange_or_red_any_of)
        )

    @property
    def criteria_named(self) -> list[str]:
        return list(self.red_any_of or []) + list(self.orange_or_red_any_of or [])


# ---------------------------------------------------------------- sections and items


class Polarity(StrEnum):
    positive = "positive"  # agreeing means the cooperation does well
    warning = "warning"  # agreeing means a warning sign is present (stop criteria)


class Kind(StrEnum):
    fundament = "fundament"
    principe = "principe"
    thema = "thema"
    stop = "stop"


class CriterionKind(StrEnum):
    stopcriterium = "stopcriterium"  # a reason to stop (000_...: five situations)
    signaal = "signaal"  # a symptom from practice: a reason to look, never on its own a reason to stop


class Item(_Strict):
    id: Ident
    text: NonEmpty
    source: Annotated[str, StringConstraints(pattern=r"^\d{3}_[0-9a-f]+\.txt$")]
    reverse: bool = False
    criterion: Ident | None = None
    skip_when_required: bool = Field(
        default=False, description="Not asked when the cooperation is legally required (it says nothing there)."
    )


class Criterion(_Strict):
    id: Ident
    title: NonEmpty
    kind: CriterionKind
    explanation: NonEmpty
    tip: NonEmpty | None = Field(default=None, description="One step a griffier can put on the agenda when this is red.")


class Section(_Strict):
    id: Ident
    title: NonEmpty
    kind: Kind
    explanation: NonEmpty
    tips: list[NonEmpty] = Field(default_factory=list, max_length=3)
    outcome_tips: dict[Ident, NonEmpty] = Field(
        default_factory=dict, description="One tip per band id (the outcome of the section), shown for that outcome."
    )
    criteria: list[Criterion] = Field(default_factory=list)
    items: list[Item] = Field(min_length=2)

    @property
    def polarity(self) -> Polarity:
        return Polarity.warning if self.kind is Kind.stop else Polarity.positive

    @model_validator(mode="after")
    def _shape(self) -> Section:
        if self.kind is Kind.principe and not 2 <= len(self.tips) <= 3:
            raise ValueError(f"principe '{self.id}' heeft 2 of 3 tips nodig, niet {len(self.tips)}")
        if self.kind in (Kind.fundament, Kind.principe) and len(self.items) < 4:
            raise ValueError(f"sectie '{self.id}' heeft minstens 4 stellingen nodig, niet {len(self.items)}")
        ids = [i.id for i in self.items]
        for dup in {x for x in ids if ids.count(x) > 1}:
            raise ValueError(f"stelling '{dup}' komt twee keer voor")
        if self.kind is Kind.stop:
            if not self.criteria:
                raise ValueError(f"stopsectie '{self.id}' noemt geen criteria")
            known = {c.id for c in self.criteria}
            for item in self.items:
                if item.criterion not in known:
                    raise ValueError(
                        f"stelling '{item.id}' hoort bij onbekend criterium '{item.criterion}' (bekend: {sorted(known)})"
                    )
            for c in self.criteria:
                n = sum(1 for i in self.items if i.criterion == c.id)
                if n < 2:
                    raise ValueError(f"criterium '{c.id}' heeft minstens 2 stellingen nodig, niet {n}")
        else:
            if self.criteria:
                raise ValueError(f"alleen een stopsectie heeft criteria, '{self.id}' is '{self.kind.value}'")
            for item in self.items:
                if item.criterion is not None:
                    raise ValueError(f"stelling '{item.id}' noemt een criterium maar '{self.id}' is geen stopsectie")
        return self


class Module(_Strict):
    """One YAML file under modules/: a set of sections shown in this order."""

    id: Ident
    title: NonEmpty
    order: int = 100
    optional: bool = Field(default=False, description="Off unless chosen when a session or zelfscan is set up.")
    sections: list[Section] = Field(min_length=1)


class RequiredKind(_Strict):
    """A kind of legally required cooperation, offered as a choice at set-up."""

    id: Ident
    label: NonEmpty


class Choice(_Strict):
    """A labelled choice of a cooperation record (its form, domain or motive)."""

    id: Ident
    label: NonEmpty


class MotiveEvidence(_Strict):
    """Where the partners' answers speak to a motive to cooperate (netwerkregie: motives against results)."""

    criteria: list[Ident] = Field(default_factory=list, description="Stop criteria or signals whose score says the motive is not met.")
    sections: list[Ident] = Field(default_factory=list, description="Sections whose score says how the motive is served.")
    why: NonEmpty


class OpenQuestions(_Strict):
    """The open questions: a session asks up to ``max_per_session`` (set-up may change the text), a zelfscan one."""

    session_default: list[NonEmpty] = Field(min_length=1, max_length=2)
    max_per_session: int = Field(ge=1, le=2)
    zelfscan: NonEmpty
    hint: NonEmpty


class Settings(_Strict):
    """questionnaire.yaml: everything that is not a section."""

    title: NonEmpty
    version: NonEmpty = Field(
        default="1", max_length=20, description="Readable version of the content; raise it when a statement changes."
    )
    intro: NonEmpty
    minutes: int = Field(ge=1, le=120)
    scale: Scale
    scoring: Scoring
    role_groups: list[RoleGroup] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    advices: list[Advice] = Field(min_length=2)
    advice_rules: list[AdviceRule] = Field(min_length=1)
    required_kinds: list[RequiredKind] = Field(default_factory=list)
    cooperation_forms: list[Choice] = Field(default_factory=lambda: [Choice(id="anders", label="Anders")], min_length=1)
    domains: list[Choice] = Field(default_factory=lambda: [Choice(id="overig", label="Overig")], min_length=1)
    motives: list[Choice] = Field(default_factory=list)
    motive_evidence: dict[Ident, MotiveEvidence] = Field(default_factory=dict)
    open_questions: OpenQuestions

    @model_validator(mode="after")
    def _refs(self) -> Settings:
        groups = {g.id for g in self.role_groups}
        for r in self.roles:
            if r.group not in groups:
                raise ValueError(f"rol '{r.id}' verwijst naar onbekende rolgroep '{r.group}'")
        role_ids = [r.id for r in self.roles]
        for dup in {x for x in role_ids if role_ids.count(x) > 1}:
            raise ValueError(f"rol '{dup}' komt twee keer voor")
        advices = {a.id for a in self.advices}
        for rule in self.advice_rules:
            if rule.advice not in advices:
                raise ValueError(f"adviesregel noemt onbekend advies '{rule.advice}' (bekend: {sorted(advices)})")
        if not self.advice_rules[-1].is_default:
            raise ValueError("de laatste adviesregel moet zonder voorwaarden zijn (het advies als niets anders geldt)")
        for rule in self.advice_rules[:-1]:
            if rule.is_default:
                raise ValueError(f"adviesregel voor '{rule.advice}' heeft geen voorwaarden maar is niet de laatste")
        by_id = {a.id: a for a in self.advices}
        for a in self.advices:
            if a.when_required is not None:
                if a.when_required not in advices:
                    raise ValueError(f"advies '{a.id}' wijkt uit naar onbekend advies '{a.when_required}'")
                if by_id[a.when_required].when_required is not None:
                    raise ValueError(f"advies '{a.id}' wijkt uit naar '{a.when_required}', dat zelf ook uitwijkt")
        kinds = [k.id for k in self.required_kinds]
        for dup in {x for x in kinds if kinds.count(x) > 1}:
            raise ValueError(f"soort verplichte samenwerking '{dup}' komt twee keer voor")
        for name, choices in (("vorm", self.cooperation_forms), ("domein", self.domains), ("motief", self.motives)):
            ids = [c.id for c in choices]
            for dup in {x for x in ids if ids.count(x) > 1}:
                raise ValueError(f"{name} '{dup}' komt twee keer voor")
        motive_ids = {m.id for m in self.motives}
        for motive in self.motive_evidence:
            if motive not in motive_ids:
                raise ValueError(f"motive_evidence noemt onbekend motief '{motive}'")
        return self
