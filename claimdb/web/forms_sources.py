"""Forms for sources and statements, named like the API's fields (span_start/span_end for a span)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import FieldList, Form, FormField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from claimdb.errors import Invalid
from claimdb.models.values import Certainty, Credibility, QuoteType, Reliability, SourceKind, Stance
from claimdb.web.fields import (
    ActorField,
    ClaimField,
    IntSelectField,
    MediaActorField,
    OptionalSelectField,
    PartialDateField,
    SourceRefField,
    StatementRefField,
    VersionField,
    choices,
)


class BodyField(TextAreaField):
    """A source body: kept exactly as typed (only browser line ends become \\n); empty is allowed."""

    def payload(self, _session: Session) -> str:
        return (self.data or "").replace("\r\n", "\n").replace("\r", "\n")


class SourceForm(FlaskForm):
    """A document; correcting its body re-anchors the statements' spans (or is refused)."""

    title = StringField("Title", validators=[InputRequired()])
    kind = SelectField("Kind", choices=choices(SourceKind), default="news_article")
    publisher_id = MediaActorField("Publisher", description="The media outlet (an actor of kind media). Optional.")
    author = StringField("Author")
    url = StringField("Web address", description="http:// or https://")
    published = PartialDateField("Published", description="“2015”, “March 2015” or “2015-03-01”.")
    language = StringField("Language", description="A language code: en, ar, fr-CA …")
    original_language = StringField("Original language",
                                    description="If this is a translation: the original's language code.")
    reliability = OptionalSelectField(
        "Reliability", choices=choices(Reliability, blank="— (the publisher's usual grade)"),
        description="Admiralty code A–F. Left empty on a new source, it takes the publisher's grade.")
    body = BodyField("Body text", description="The full text; statements are anchored in it by character offsets.")
    note = TextAreaField("Note")
    version = VersionField()


class ClaimRowForm(Form):
    """One link of a statement to a claim (a row of the edit form; CSRF is the parent form's)."""

    claim_id = ClaimField("Claim")
    stance = SelectField("Stance", choices=choices(Stance), default="asserts")
    certainty = SelectField("Certainty", choices=choices(Certainty), default="unknown")


class ClaimLinksField(FieldList):
    """The statement's claim links; like the API's `claims`, the rows replace the stored links."""

    def payload(self, session: Session) -> list[dict[str, Any]]:
        links, errors = [], {}
        for n, entry in enumerate(self.entries):
            row = entry.form
            try:
                claim_id = row.claim_id.payload(session)
            except Invalid as e:
                errors[f"claims.{n}.claim_id"] = next(iter(e.errors.values()))
                continue
            if claim_id is not None:
                links.append({"claim_id": claim_id, "stance": row.stance.data, "certainty": row.certainty.data})
        if errors:
            raise Invalid({"claims": "; ".join(f"row {k.split('.')[1]}: {v}" for k, v in errors.items())})
        return links

    def from_api(self, value: Any) -> list[dict[str, Any]]:
        """The stored links, then one empty row to add a link without a script."""
        rows = [{"claim_id": str(link["claim_id"]), "stance": link["stance"], "certainty": link["certainty"]}
                for link in value or []]
        return [*rows, {"claim_id": "", "stance": "asserts", "certainty": "unknown"}]


class StatementForm(FlaskForm):
    """One utterance by a speaker in a source, optionally reported through another statement."""

    source_id = SourceRefField("Source", validators=[InputRequired()])
    speaker_id = ActorField("Speaker", validators=[InputRequired()],
                            description="Who says it: type any of their names; create them if missing.")
    reported_by_id = StatementRefField(
        "Reported through", description="The statement (same source) that reports this one, if any: its number.")
    text = TextAreaField("What was said", validators=[InputRequired()],
                         description="A direct quote must equal the selected text exactly.")
    quote_type = RadioField("Quote type", choices=choices(QuoteType), default="indirect")
    cue = StringField("Cue", description="The reporting verb: said, claimed, accused …")
    hedge = StringField("Hedge", description="“reportedly”, “there are reports” … if any.")
    stated = PartialDateField("Stated", description="When it was said: “2015”, “March 2015”, “2015-03-01”.")
    span_start = IntegerField("Span from", validators=[Optional(), NumberRange(min=0)],
                              description="Character offset where the span starts in the body.")
    span_end = IntegerField("Span to", validators=[Optional(), NumberRange(min=0)],
                            description="Offset just after the span's last character.")
    credibility = IntSelectField("Credibility", choices=choices(Credibility, blank="— not graded"),
                                 description="Admiralty code 1–6: how credible the information is.")
    version = VersionField()

    def validate_span_start(self, field: IntegerField) -> None:
        if field.data is not None and not str((self.span_end.raw_data or [""])[0]).strip():
            raise ValidationError("Give both ends of the span, or neither.")

    def validate_span_end(self, field: IntegerField) -> None:
        start = self.span_start.data
        if start is None and not self.span_start.process_errors:
            raise ValidationError("Give both ends of the span, or neither.")
        if field.data is not None and start is not None and field.data <= start:
            raise ValidationError("The span must end after it starts.")


class StatementEditForm(StatementForm):
    """The edit form also manages the claim links, one row each (an empty row adds nothing)."""

    claims = ClaimLinksField(FormField(ClaimRowForm), label="Claims", min_entries=0)


class LinkClaimForm(FlaskForm):
    """"Link a claim" on a statement's page: an existing claim, or a new one typed in full."""

    claim_id = ClaimField("Claim", description="Type words of the claim or its number.")
    new_claim = TextAreaField("Or a new claim", description="The claim's text, if it is not recorded yet.")
    stance = SelectField("Stance", choices=choices(Stance), default="asserts")
    certainty = SelectField("Certainty", choices=choices(Certainty), default="unknown")

    def validate_new_claim(self, field: TextAreaField) -> None:
        typed = (self.claim_id.data or "").strip()
        text = (field.data or "").strip()
        if typed and text:
            raise ValidationError("Pick an existing claim or type a new one, not both.")
        if not typed and not text:
            raise ValidationError("Pick a claim or type the text of a new one.")
