"""What a record may contain: one set of input schemas for the API, the web forms and import.

The API validates requests and builds its OpenAPI document from these same classes, so the
contract cannot drift from the rules. Strict: a wrong JSON type, an unknown field or a value
outside its set is refused, never coerced.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from claimdb.errors import Invalid
from claimdb.models import values
from claimdb.partialdate import PartialDateError, parse_iso
from claimdb.rules import CONTROL_CHARS, CONTROL_MESSAGE, INVISIBLE, INVISIBLE_MESSAGE, MAX_ID, has_control

# Checked by pydantic-core's regex engine rather than a Python callback: imports validate
# hundreds of thousands of strings. Messages are chosen from the input in `message` below.
NO_CONTROL = f"^[^{CONTROL_CHARS}]*$"
NOT_BLANK = f"^[^{CONTROL_CHARS}]*[^\\x00-\\x20\\x7f{INVISIBLE}][^{CONTROL_CHARS}]*$"


def _partial_date(value: str) -> str:
    try:
        parse_iso(value)
    except PartialDateError as e:
        raise ValueError(str(e)) from None
    return value


Text500 = Annotated[str, Field(max_length=500, pattern=NO_CONTROL)]
Name = Annotated[str, Field(min_length=1, max_length=500, pattern=NOT_BLANK)]
LongText = Annotated[str, Field(max_length=20_000, pattern=NO_CONTROL)]
RequiredLongText = Annotated[str, Field(min_length=1, max_length=20_000, pattern=NOT_BLANK)]
Body = Annotated[str, Field(max_length=2_000_000, pattern=NO_CONTROL)]
Language = Annotated[str, Field(min_length=2, max_length=35, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
DateText = Annotated[
    str, Field(pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$", examples=["2015", "2015-03", "2015-03-01"]),
    AfterValidator(_partial_date),
]
Url = Annotated[str, Field(max_length=2000, pattern=r"^https?://[^\x00-\x20\x7f]+$")]
Ref = Annotated[int, Field(ge=1, le=MAX_ID)]
Tag = Annotated[str, Field(min_length=1, max_length=100, pattern=NOT_BLANK)]



def _one_of(value_set: Mapping[str, str]) -> Any:
    """The value set (claimdb.models.values) as a Literal: pydantic refuses any other value, and the
    OpenAPI document lists the members as an enum. The models' CHECKs come from the same dicts."""
    return Literal[tuple(value_set)]


if TYPE_CHECKING:  # to the type checker each is a str; at run time pydantic sees the Literal
    ActorKind = str
    AffiliationRole = str
    SourceKind = str
    Reliability = str
    QuoteType = str
    Stance = str
    Certainty = str
    ClaimStatus = str
    ContradictionKind = str
    ContradictionStatus = str
else:
    ActorKind = _one_of(values.ActorKind)
    AffiliationRole = _one_of(values.AffiliationRole)
    SourceKind = _one_of(values.SourceKind)
    Reliability = _one_of(values.Reliability)
    QuoteType = _one_of(values.QuoteType)
    Stance = _one_of(values.Stance)
    Certainty = _one_of(values.Certainty)
    ClaimStatus = _one_of(values.ClaimStatus)
    ContradictionKind = _one_of(values.ContradictionKind)
    ContradictionStatus = _one_of(values.ContradictionStatus)
Credibility = Annotated[int, Field(ge=min(values.Credibility), le=max(values.Credibility))]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class AliasIn(Strict):
    name: Name
    language: Language | None = None


class ActorIn(Strict):
    """An actor: anyone who can speak or be spoken of."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "name": "Nusra Front", "kind": "faction", "description": "Syrian al-Qaeda franchise", "reliability": None,
        "aliases": [{"name": "Jabhat al-Nusra", "language": "en"}, {"name": "جبهة النصرة", "language": "ar"}]}]})

    name: Name
    kind: ActorKind
    description: LongText | None = None
    reliability: Reliability | None = None
    aliases: list[AliasIn] = Field(default_factory=list, max_length=500)


class AffiliationIn(Strict):
    """Actor A belongs to / leads / speaks for / merged into actor B over a span of partial dates."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "member_id": 2, "organization_id": 3, "role": "member", "start": "2015-02", "end": None,
        "statement_id": 20, "note": "Hazzm joined the Levant Front \"a month ago\""}]})

    member_id: Ref
    organization_id: Ref
    role: AffiliationRole
    start: DateText | None = None
    end: DateText | None = None
    statement_id: Ref | None = None
    note: LongText | None = None


class SourceIn(Strict):
    """A document; `body` is the text statements are anchored in."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "title": "Syrian Nusra Front assault drives Hazzm from Aleppo", "kind": "news_article", "publisher_id": 1,
        "author": None, "url": None, "published": "2015-03-01", "language": "en", "original_language": "ar",
        "body": "The Nusra Front and Hazzm have fought a low-scale war…", "reliability": "C",
        "note": "An edited translation from the outlet's Arabic edition."}]})

    title: Name
    kind: SourceKind
    publisher_id: Ref | None = None
    author: Text500 | None = None
    url: Url | None = None
    published: DateText | None = None
    language: Language | None = None
    original_language: Language | None = None
    body: Body = ""
    reliability: Reliability | None = None
    note: LongText | None = None


class SpanIn(Strict):
    """Character offsets into the source body, end exclusive."""

    start: Annotated[int, Field(ge=0, le=2_000_000)]
    end: Annotated[int, Field(ge=0, le=2_000_000)]


class ClaimLinkIn(Strict):
    claim_id: Ref
    stance: Stance
    certainty: Certainty = "unknown"


class StatementIn(Strict):
    """One utterance by a speaker in a source, optionally reported through another statement."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "source_id": 1, "speaker_id": 9, "reported_by_id": 12, "text": "it would intervene if fighting broke out",
        "quote_type": "indirect", "cue": "statement", "hedge": None, "stated": "2015-02",
        "span": {"start": 1712, "end": 1790}, "credibility": 3,
        "claims": [{"claim_id": 5, "stance": "asserts", "certainty": "probable"}]}]})

    source_id: Ref
    speaker_id: Ref
    reported_by_id: Ref | None = None
    text: RequiredLongText
    quote_type: QuoteType
    cue: Text500 | None = None
    hedge: Text500 | None = None
    stated: DateText | None = None
    span: SpanIn | None = None
    credibility: Credibility | None = None
    claims: list[ClaimLinkIn] = Field(default_factory=list, max_length=500)


class ClaimIn(Strict):
    """A normalised proposition, independent of who says it."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "text": "Hazzm kidnapped four Nusra members and leaders", "occurred": "2015-02", "location": "Aleppo",
        "status": "disputed", "tags": ["kidnapping"]}]})

    text: RequiredLongText
    occurred: DateText | None = None
    location: Text500 | None = None
    status: ClaimStatus = "unverified"
    tags: list[Tag] = Field(default_factory=list, max_length=100)


class AccusationIn(Strict):
    """Which party accuses which, of what, in which statement (the accuser defaults to its speaker)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "statement_id": 14, "accuser_id": 2, "accused_id": 3, "act": "kidnapped four Nusra members and leaders",
        "category": "kidnapping", "claim_id": 1}]})

    statement_id: Ref
    accuser_id: Ref | None = None
    accused_id: Ref
    act: Name
    category: Text500 | None = None
    claim_id: Ref | None = None


class ContradictionIn(Strict):
    """Two claims that cannot both be true."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "claim_a_id": 4, "claim_b_id": 7, "kind": "incompatible", "status": "open",
        "note": "Each side says the other started the fighting."}]})

    claim_a_id: Ref
    claim_b_id: Ref
    kind: ContradictionKind
    status: ContradictionStatus = "open"
    note: LongText | None = None


MESSAGES = {
    "missing": "Required.",
    "extra_forbidden": "Unknown field.",
    "string_type": "Must be a string.",
    "int_type": "Must be an integer.",
    "list_type": "Must be a list.",
    "model_type": "Must be an object.",
    "model_attributes_type": "Must be an object.",
    "dict_type": "Must be an object.",
}


def field_name(loc: tuple[int | str, ...]) -> str:
    """("span", "end") -> "span.end"; ("aliases", 0, "name") -> "aliases.0.name"."""
    return ".".join(str(part) for part in loc) or "body"


def message(error: Any) -> str:
    kind = error["type"]
    if kind == "literal_error":
        return f"Choose one of: {error['ctx']['expected']}."
    if kind == "string_too_long":
        return f"At most {error['ctx']['max_length']:,} characters."
    if kind == "string_too_short" and error["ctx"].get("min_length") == 1:
        return "Required."
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "string_pattern_mismatch":
        return _pattern_message(error)
    return MESSAGES.get(kind) or str(error["msg"])


def _pattern_message(error: Any) -> str:
    value, pattern = error.get("input"), error["ctx"]["pattern"]
    if isinstance(value, str) and has_control(value):
        return CONTROL_MESSAGE
    if pattern == NOT_BLANK:
        return INVISIBLE_MESSAGE if isinstance(value, str) and value.strip(" \t\n\r") else "Required."
    if pattern.startswith("^https?"):
        return "Use a web address starting with http:// or https://, without spaces."
    if pattern.startswith("^[0-9]{4}"):
        return "Use 2015, 2015-03 or 2015-03-01."
    if pattern.startswith("^[A-Za-z]{2,3}"):
        return "Use a language code such as en, ar or pt-BR."
    return str(error["msg"])


def validate(schema: type[Strict], payload: Any) -> Any:
    """The payload as a schema instance, or Invalid with a message for every bad field."""
    if not isinstance(payload, dict):
        raise Invalid({"body": "Send a JSON object."})
    try:
        return schema.model_validate(payload)
    except ValidationError as e:
        errors: dict[str, str] = {}
        for error in e.errors(include_url=False):
            errors.setdefault(field_name(tuple(error["loc"])), message(error))
        raise Invalid(errors) from None
