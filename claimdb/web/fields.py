"""Form fields that speak the API's language: each knows how to read a record's value and how to send it back.

A field with `payload(session)` converts what the analyst typed into the API value (raising Invalid
keyed by its own name); a field with `from_api(value)` turns a stored value into what the form shows.
editing.form_payload / editing.form_data call these; plain WTForms fields get the generic treatment.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from claimdb.errors import Invalid
from claimdb.models.values import ActorKind
from claimdb.partialdate import PartialDate, PartialDateError
from claimdb.rules import has_control, parse_id
from claimdb.services.records import claims as claim_service
from claimdb.services.search import names


def clean_text(value: Any) -> str | None:
    """Browser text as the API wants it: CRLF -> LF, empty -> None (the schema says if it is required)."""
    if value is None:
        return None
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text if text.strip() else None


def choices(values: dict[Any, str], blank: str | None = None) -> list[Any]:
    """SelectField choices from a value set in models/values.py, optionally with an empty first choice."""
    items = [(str(k), label) for k, label in values.items()]
    pairs = [("", blank), *items] if blank is not None else items
    return [_choice(value, label) for value, label in pairs]


try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms import SelectChoice

    def _choice(value: str, label: str) -> Any:
        return SelectChoice(value, label)
except ImportError:  # pragma: no cover - older WTForms

    def _choice(value: str, label: str) -> Any:
        return (value, label)


class OptionalSelectField(SelectField):
    """A select whose empty choice means "none"; any other value is checked by the service."""

    def pre_validate(self, form: Any) -> None:
        if self.data in ("", None):
            return
        super().pre_validate(form)

    def payload(self, _session: Session) -> Any:
        return self.data or None


class IntSelectField(OptionalSelectField):
    """A select over integer codes (credibility 1–6), sent as an integer."""

    def payload(self, _session: Session) -> Any:
        return int(self.data) if self.data not in ("", None) and str(self.data).isdigit() else None

    def from_api(self, value: Any) -> str:
        return "" if value is None else str(value)


class PartialDateField(StringField):
    """A date as analysts write it ("2015", "March 2015", "1 March 2015", "2015-03-01")."""

    def pre_validate(self, form: Any) -> None:
        text = (self.data or "").strip()
        if not text:
            return
        try:
            PartialDate.parse(text, lenient=True)
        except PartialDateError as e:
            raise StopValidation(str(e)) from None

    def payload(self, _session: Session) -> str | None:
        text = (self.data or "").strip()
        if not text:
            return None
        try:
            return PartialDate.parse(text, lenient=True).isoformat()
        except PartialDateError as e:
            raise Invalid({self.name: str(e)}) from None

    def from_api(self, value: Any) -> str:
        return PartialDate.parse(value).human() if value else ""


class RefField(StringField):
    """A record id typed or chosen from a list (a text input so a lookup script can drive it)."""

    noun = "record"

    def _text(self) -> str:
        text = (self.data or "").strip()
        if has_control(text):
            raise Invalid({self.name: "Remove control characters."})
        return text

    def _id(self) -> int | None:
        text = self._text()
        if not text:
            return None
        if (record_id := parse_id(text)) is not None:
            return record_id
        raise Invalid({self.name: f"Pick a {self.noun} from the list or type its number."})

    def payload(self, _session: Session) -> int | None:
        return self._id()

    def from_api(self, value: Any) -> str:
        return "" if value is None else str(value)


class StatementRefField(RefField):
    noun = "statement"
    lookup_endpoint: str | None = None  # the web.lookup_* endpoint its searchable select asks


class StatementLookupField(StatementRefField):
    """A statement picked by number or by words of its text, through /lookup/statements."""

    lookup_endpoint = "web.lookup_statements"
    create_endpoint = None


class SourceRefField(RefField):
    noun = "source"
    lookup_endpoint: str | None = None  # the web.lookup_* endpoint its searchable select asks


class ActorField(RefField):
    """An actor by id or by any of its names (resolved like the search: aliases, any script)."""

    noun = "actor"
    lookup_endpoint = "web.lookup_actors"
    create_endpoint = "web.create_actor_inline"
    # Creating a missing actor from the list asks its kind: one "Create … as a <kind>" option each.
    create_kinds: tuple[str, ...] = tuple(ActorKind)

    def payload(self, session: Session) -> int | None:
        text = self._text()
        if not text:
            return None
        if parse_id(text) is not None:
            return self._id()
        return names.resolve_one(session, text, self.name).id


class MediaActorField(ActorField):
    """A publisher: an actor of kind media; one created from the list is a media outlet."""

    create_kinds = ("media",)


class ClaimField(RefField):
    """A claim by id, or by words of its text when they match exactly one claim."""

    noun = "claim"
    lookup_endpoint = "web.lookup_claims"
    create_endpoint = "web.create_claim_inline"

    def payload(self, session: Session) -> int | None:
        text = self._text()
        if not text:
            return None
        if parse_id(text) is not None:
            return self._id()
        found = claim_service.lookup_claims(session, text, limit=2)
        if len(found) == 1:
            return int(found[0]["id"])
        if not found:
            raise Invalid({self.name: f"No claim contains “{text}”. Pick one from the list or create it first."})
        raise Invalid({self.name: f"Several claims contain “{text}”. Pick one from the list."})


class TagsField(StringField):
    """Comma-separated tags: "kidnapping, Aleppo" -> ["kidnapping", "Aleppo"]."""

    def payload(self, _session: Session) -> list[str]:
        return [t.strip() for t in (self.data or "").split(",") if t.strip()]

    def from_api(self, value: Any) -> str:
        return ", ".join(value or [])


class AliasesField(TextAreaField):
    """One alias per line, an optional language code in brackets at the end: "جبهة النصرة [ar]"."""

    def payload(self, _session: Session) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for line in (self.data or "").replace("\r\n", "\n").split("\n"):
            line = line.strip()
            if not line:
                continue
            name, language = line, None
            if line.endswith("]") and "[" in line:
                head, _, tail = line.rpartition("[")
                if head.strip():
                    name, language = head.strip(), tail[:-1].strip() or None
            out.append({"name": name, "language": language})
        return out

    def from_api(self, value: Any) -> str:
        return "\n".join(f"{a['name']} [{a['language']}]" if a.get("language") else a["name"] for a in value or [])


class VersionField(HiddenField):
    """The version the analyst started editing from; sent back so a stale edit is refused."""

    def version(self) -> int | None:
        text = str(self.data or "").strip()
        return int(text) if text.isascii() and text.isdigit() and len(text) < 18 else None


class StartedField(HiddenField):
    """The record as the analyst first saw it (JSON), so a stale edit can show what someone else changed
    even when the audit trail has no entry for that version (records loaded by an import)."""

    def state(self) -> dict[str, Any] | None:
        try:
            value = json.loads(self.data or "")
        except ValueError:
            return None
        return value if isinstance(value, dict) else None


__all__ = [
    "ActorField",
    "AliasesField",
    "ClaimField",
    "IntSelectField",
    "MediaActorField",
    "OptionalSelectField",
    "PartialDateField",
    "RefField",
    "SourceRefField",
    "StartedField",
    "StatementLookupField",
    "StatementRefField",
    "TagsField",
    "ValidationError",
    "VersionField",
    "choices",
    "clean_text",
]
