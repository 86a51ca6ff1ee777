"""The portfolio's record of one cooperation as a validated model, and the sheet's template columns."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

# The template: what the export writes and the import reads (column header -> what it holds).
KEY, NAME, FORM, DOMAIN, MUNIS, START, MOTIVES, MOMENTS = (
    "Kenmerk",
    "Samenwerking",
    "Vorm",
    "Domein",
    "Gemeenten",
    "Startjaar",
    "Motieven",
    "Evaluatiemomenten",
)
COLUMNS = (KEY, NAME, FORM, DOMAIN, MUNIS, START, MOTIVES, MOMENTS)
REQUIRED = (NAME, FORM, DOMAIN, MUNIS)
# The budget sheet (long form: one row per cooperation, municipality and year).
BUDGET_SHEET = "Bijdragen"
MAIN_SHEET = "Samenwerkingen"
B_MUNI, B_YEAR, B_AMOUNT = "Gemeente", "Jaar", "Bedrag (euro)"
BUDGET_COLUMNS = (KEY, NAME, B_MUNI, B_YEAR, B_AMOUNT)
MIN_PARTNERS, MAX_PARTNERS = 2, 20  # as a workshop round asks (storage.create_session)
MIN_YEAR, MAX_YEAR = 1900, 2100


class Budget(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    municipality: str
    year: int = Field(ge=MIN_YEAR, le=MAX_YEAR)
    amount: int  # whole euros


class Entry(BaseModel):
    """One cooperation of a region's portfolio, as a checked sheet row gives it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str  # stable key a re-import matches on: the Kenmerk, else the name (see ``entry_key``)
    ref: str | None = None  # the Kenmerk as typed
    name: str
    form: str  # a questionnaire.yaml cooperation_forms id
    domain: str  # a domains id
    municipalities: tuple[str, ...] = Field(min_length=MIN_PARTNERS, max_length=MAX_PARTNERS)
    start_year: int | None = Field(default=None, ge=MIN_YEAR, le=MAX_YEAR)
    motives: tuple[str, ...] = ()
    evaluation_moments: tuple[date, ...] = ()
    budgets: tuple[Budget, ...] | None = None  # None: the file had no budget sheet (leave them as they are)


def entry_key(ref: str | None, name: str) -> str:
    """A re-import finds a cooperation by its Kenmerk, or by its name when the sheet has none;
    case and repeated spaces do not matter."""
    if ref:
        return "kenmerk:" + " ".join(ref.split()).casefold()
    return "naam:" + " ".join(name.split()).casefold()
