"""The only code that opens rules/: loads each data file and validates it with pydantic.

A malformed file stops with a RulesError naming the file, the line and what is wrong.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import RulesError
from .schema import FactType

T = TypeVar("T", bound=BaseModel)


def rules_dir() -> Path:
    """rules/ of this checkout, or FINFACTS_RULES when set (a user's own rules)."""
    env = os.environ.get("FINFACTS_RULES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "rules", here / "_rules"):
        if candidate.is_dir():
            return candidate
    raise RulesError(str(here.parent / "rules"), None, "rules folder not found")


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- numbers -------------------------------------------------------------------------


class Magnitude(_Rules):
    scale: int = Field(gt=0)
    words: list[str]
    abbreviations: list[str]
    abbreviations_alone: list[str] = Field(
        description="abbreviations that may stand without a currency or unit after them"
    )


class NumberLexicon(_Rules):
    number_words: list[str]
    magnitudes: list[Magnitude]
    collectives: dict[str, int]
    fractions: dict[str, float]


# --- money ---------------------------------------------------------------------------


class Currency(_Rules):
    code: str = Field(pattern=r"^[A-Z]{3}$")
    symbols: list[str]
    codes: list[str]
    names: list[str]


class CurrencyTable(_Rules):
    currencies: list[Currency]
    minor_units: list[str]

    @field_validator("currencies")
    @classmethod
    def _unique_codes(cls, value: list[Currency]) -> list[Currency]:
        codes = [c.code for c in value]
        dupes = {c for c in codes if codes.count(c) > 1}
        if dupes:
            raise ValueError(f"currency listed twice: {sorted(dupes)}")
        return value


# --- quantities ------------------------------------------------------------------------


class Unit(_Rules):
    unit: str
    label: Literal["QUANTITY", "PERCENT"]
    symbols: dict[str, float]
    words: dict[str, float]


class UnitTable(_Rules):
    units: list[Unit]
    # nouns after "de" that a bare magnitude measures with no unit of ours ("barils")
    not_units: list[str] = []


class CountNoun(_Rules):
    metric: str = Field(pattern=r"^[a-z_]+$")
    nouns: list[str]


class CountTable(_Rules):
    counts: list[CountNoun]
    before: list[str]
    qualifiers: dict[str, str]
    verbs_with_en: dict[str, list[str]]


# --- modifiers -------------------------------------------------------------------------


class Modifier(_Rules):
    phrase: str
    bound: Literal["min", "max"] | None = None
    approx: bool = False
    article: bool = True


class RangeForm(_Rules):
    opener: str | None
    joiners: list[str]


class ModifierTable(_Rules):
    before: list[Modifier]
    after: list[Modifier]
    articles: list[str]
    ranges: list[RangeForm]
    change_words: list[str]
    comparisons: list[str]


# --- loading -------------------------------------------------------------------------


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the YAML node at a pydantic error location."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if k.value == str(key)]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key >= len(node.value):
                break
            node = node.value[key]
        else:
            break
        line = node.start_mark.line + 1
    return line


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "(top level)"
    return f"{where}: {error['msg']}"


def load_yaml(relative: str, model: type[T], base: Path | None = None) -> T:
    """Read rules/<relative> and validate it as `model`; RulesError names file and line."""
    path = (base or rules_dir()) / relative
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(str(path), None, f"cannot read: {exc}") from exc
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RulesError(str(path), mark.line + 1 if mark else None, str(exc)) from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise RulesError(str(path), _line_of(node, first["loc"]), _describe(first)) from exc


def load_jsonl(relative: str, model: type[T], base: Path | None = None) -> list[T]:
    """Read a JSON Lines rules file, validating every line as `model`."""
    path = (base or rules_dir()) / relative
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(str(path), None, f"cannot read: {exc}") from exc
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            records.append(model.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise RulesError(str(path), number, f"not JSON: {exc.msg}") from exc
        except ValidationError as exc:
            raise RulesError(str(path), number, _describe(exc.errors()[0])) from exc
    return records


@cache
def number_lexicon() -> NumberLexicon:
    return load_yaml("numbers/lexicon.yaml", NumberLexicon)


@cache
def currency_table() -> CurrencyTable:
    return load_yaml("money/currencies.yaml", CurrencyTable)


@cache
def unit_table() -> UnitTable:
    return load_yaml("quantities/units.yaml", UnitTable)


@cache
def count_table() -> CountTable:
    return load_yaml("counts/nouns.yaml", CountTable)


@cache
def modifier_table() -> ModifierTable:
    return load_yaml("modifiers/bounds.yaml", ModifierTable)


# --- organisations -----------------------------------------------------------------------


class Organisation(_Rules):
    name: str = Field(min_length=1)
    kind: Literal["company", "investor", "media", "public_body", "bank"]
    aliases: list[str]


class Product(_Rules):
    name: str = Field(min_length=1)
    owner: str
    aliases: list[str]


class Gazetteer(_Rules):
    organisations: list[Organisation]
    products: list[Product]

    @field_validator("products")
    @classmethod
    def _owners_exist(cls, value: list[Product], info: Any) -> list[Product]:
        names = {o.name for o in info.data.get("organisations", [])}
        for product in value:
            if product.owner not in names:
                raise ValueError(f"product {product.name!r}: owner {product.owner!r} is not listed")
        return value


class Stoplist(_Rules):
    not_organisations: list[str]


# A pattern token {"_": {"finfacts_org": true}} stands for an organisation already found.
ORG_MARK = "finfacts_org"


class OrgPattern(_Rules):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    org: Literal["left", "right"] = Field(description="which end of the match holds the name")
    pattern: list[dict[str, Any]] = Field(min_length=1)
    veto: list[Literal["PER", "LOC", "MISC"]] = Field(
        default_factory=lambda: ["PER"],
        description="model labels that overrule this pattern (a weak context yields to LOC)",
    )
    refuses: bool = Field(
        default=False, description="the name pointed at is no organisation: 'le plateau de X'"
    )
    examples: list[str] = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _known_extensions(cls, tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The one custom attribute a token may test: `finfacts_org` (an organisation found)."""
        for token in tokens:
            unknown = set(token.get("_", {})) - {ORG_MARK}
            if unknown:
                raise ValueError(f"unknown token attribute(s) {sorted(unknown)}: only {ORG_MARK}")
        return tokens


@cache
def gazetteer() -> Gazetteer:
    return load_yaml("organisations/gazetteer.yaml", Gazetteer)


@cache
def org_stoplist() -> Stoplist:
    return load_yaml("organisations/stoplist.yaml", Stoplist)


@cache
def org_patterns() -> list[OrgPattern]:
    return load_jsonl("organisations/patterns.jsonl", OrgPattern)


# --- dates -------------------------------------------------------------------------------


Grain = Literal["day", "week", "month", "quarter", "half", "year"]


def _ordered(value: tuple[int, int]) -> tuple[int, int]:
    if value[0] > value[1]:
        raise ValueError(f"first {value[0]} comes after last {value[1]}")
    return value


def _part(low: int, high: int) -> Any:
    """[first, last] within low..high: months of a year, days of a month, years of a decade."""
    bound = Annotated[int, Field(ge=low, le=high)]
    return Annotated[tuple[bound, bound], AfterValidator(_ordered)]


Month = Annotated[int, Field(ge=1, le=12)]
YearPart, MonthPart, DecadePart = _part(1, 12), _part(1, 31), _part(0, 9)


class DateLexicon(_Rules):
    """rules/dates/lexicon.yaml: the words of dates and periods (each key is documented there).

    Constraints sit on each entry, so an error names the entry's own line ("mars: 13")."""

    months: dict[str, Month]
    near_future_days: int = Field(ge=0, le=183)
    abbreviated_months: list[str]
    cued_months: list[str]
    month_cues: list[str]
    weekdays: dict[str, Annotated[int, Field(ge=0, le=6)]]
    relative_days: dict[str, int]
    relative_years: dict[str, int]
    past_words: list[str]
    future_words: list[str]
    recent_words: list[str]
    coming_words: list[str]
    first_words: list[str]
    rolling_words: list[str]
    current_words: list[str]
    units: dict[str, Grain]
    cycle_articles: list[str]
    this_words: list[str]
    span_articles: list[str]
    ago_words: list[str]
    in_words: list[str]
    ordinals: dict[str, Annotated[int, Field(ge=1, le=4)]]
    last_ordinals: list[str]
    quarter_words: list[str]
    half_words: list[str]
    quarter_letters: list[str]
    half_letters: list[str]
    letter_cues: list[str]
    year_parts: dict[str, YearPart]
    month_parts: dict[str, MonthPart]
    decade_parts: dict[str, DecadePart]
    part_links: list[str]
    current_year_words: list[str]
    decade_words: list[str]
    until_words: list[str]
    since_words: list[str]
    from_words: list[str]
    prefix_links: list[str]
    range_openers: list[str]
    range_joiners: list[str]
    fiscal_words: list[str]
    split_fiscal_year_start_month: Month = Field(ge=2)
    fiscal_close_words: list[str]
    fiscal_determiners: list[str]
    comparisons: list[str]
    not_years_before: list[str]

    @field_validator("abbreviated_months", "cued_months")
    @classmethod
    def _listed_months(cls, value: list[str], info: Any) -> list[str]:
        months = {m.lower() for m in info.data.get("months", {})}
        missing = [m for m in value if m.lower() not in months]
        if missing:
            raise ValueError(f"not listed under months: {missing}")
        return value


@cache
def date_lexicon() -> DateLexicon:
    return load_yaml("dates/lexicon.yaml", DateLexicon)


class LegalSuffixes(_Rules):
    suffixes: list[str]


@cache
def legal_suffixes() -> LegalSuffixes:
    return load_yaml("organisations/legal_suffixes.yaml", LegalSuffixes)


# --- facts -------------------------------------------------------------------------------


class TriggerSet(_Rules):
    phrases: list[str] = Field(min_length=1)
    examples: list[str] = Field(min_length=1)


class TriggerTable(_Rules):
    not_facts: TriggerSet
    types: dict[FactType, TriggerSet]


class Roles(_Rules):
    lead: list[str]
    agent: list[str]
    provider: list[str]
    target: list[str]
    supplier: list[str]
    venue: list[str]


class AttributeCues(_Rules):
    basis: dict[Literal["pre_money", "post_money", "market_cap", "ipo"], list[str]]
    rounds: dict[str, list[str]]
    stake_words: list[str]
    rise_words: list[str]
    fall_words: list[str]
    tranches: dict[str, list[str]]
    headcount_metrics: dict[str, list[str]]


class FactContext(_Rules):
    clause_marks: list[str]
    status: dict[Literal["conditional", "target", "forecast", "planned", "announced"], list[str]]
    attribution_before: list[str]
    attribution_after: list[str]
    roles: Roles
    anaphors: list[str]
    not_organisations: list[str]
    observers: list[str] = []
    investor_nouns: list[str] = []
    sole_investor_cues: list[str] = []
    attributes: AttributeCues
    measures: dict[str, list[str]]
    round_investor_verbs: dict[Literal["lead", "follow"], list[str]]


@cache
def fact_triggers() -> TriggerTable:
    return load_yaml("facts/triggers.yaml", TriggerTable)


@cache
def fact_context() -> FactContext:
    return load_yaml("facts/context.yaml", FactContext)
