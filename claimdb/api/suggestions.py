"""Attribution suggestions in the API: read a source's suggestions, dismiss one, accept one, train the model.

`GET /sources/ID/suggestions` answers DESIGN.md's shape exactly (`{"items": [...]}`, ordered by
`span.start`, code-point offsets); `?min_confidence=` (0–1, default the source page's threshold,
`claimdb.attribution.DEFAULT_MIN_CONFIDENCE`) lowers or raises the bar. Accepting records the statement
through the ordinary create and answers it as a read does (201); dismissing hides it for that source.
`/suggestions/training` tells whether retraining is due (GET) and retrains now (POST, analysts).
"""

from __future__ import annotations

import math
from typing import Any

from flask import Response, current_app, jsonify, url_for
from pydantic import BaseModel, Field

from claimdb.api import bp
from claimdb.api.spec import Builder, json_content, problem_responses, ref
from claimdb.api.wire import json_body, query_args, session
from claimdb.attribution import DEFAULT_MIN_CONFIDENCE
from claimdb.errors import Invalid
from claimdb.rules import MAX_ID
from claimdb.services import suggestions
from claimdb.services.suggestions.desk import AcceptIn, DismissIn

SOURCE = f"/sources/<int(min=1, max={MAX_ID}):record_id>/suggestions"


def _min_confidence(args: dict[str, str]) -> float:
    text = args.get("min_confidence")
    if text is None or text == "":
        return DEFAULT_MIN_CONFIDENCE
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:
        raise Invalid({"min_confidence": "A number from 0 to 1 (0 shows every suggestion)."})
    return value


@bp.get(SOURCE, endpoint="suggestions_list")
def suggestions_list(record_id: int) -> Response:
    """The source's suggestions not dismissed, at least min_confidence confident, in span order."""
    items = suggestions.proposals(session(), record_id, min_confidence=_min_confidence(query_args()))
    return jsonify({"items": [p.json() for p in items]})


@bp.post(f"{SOURCE}/dismissals", endpoint="suggestions_dismiss")
def suggestions_dismiss(record_id: int) -> tuple[Response, int]:
    """Hide one suggestion for this source (201; 200 when it already was)."""
    dismissal, created = suggestions.dismiss(session(), record_id, json_body())
    return jsonify(dismissal), 201 if created else 200


@bp.post(f"{SOURCE}/accept", endpoint="suggestions_accept")
def suggestions_accept(record_id: int) -> Response:
    """Record one suggestion as a statement; the statement as a read returns it."""
    record = suggestions.accept(session(), record_id, json_body())
    retrain_quietly()
    response = jsonify(record)
    response.status_code = 201
    response.headers["Location"] = url_for("api.statements_get", record_id=record["id"])
    return response


def retrain_quietly() -> None:
    """Retrain when due and cheap; the statement is already stored, so a failure here is only logged."""
    try:
        suggestions.retrain_if_due(session())
    except Exception:  # never turn a recorded statement into an error page
        session().rollback()
        current_app.logger.exception("Retraining the suggestion model after an accepted suggestion failed")


@bp.get("/suggestions/training", endpoint="suggestions_training")
def suggestions_training() -> Response:
    """Whether a model is trained, on how much, and whether retraining is due."""
    return jsonify(suggestions.status(session()).json())


@bp.post("/suggestions/training", endpoint="suggestions_train")
def suggestions_train() -> Response:
    """Retrain the model from the desk's statements and dismissals now."""
    report = suggestions.train_from_desk(session())
    return jsonify({"report": report.json(), "status": suggestions.status(session()).json()})


# ---------------------------------------------------------------- the OpenAPI description


class SuggestionSpan(BaseModel):
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class SuggestedSpeaker(BaseModel):
    id: int | None = Field(description="The actor whose name or alias matches; null when none or several do.")
    name: str = Field(description="That actor's name, else the name as written (\"\" when nobody is named).")


class SuggestionItem(BaseModel):
    """One proposed statement: what is said (span), who said it (speaker), with which words (cue)."""

    span: SuggestionSpan
    text: str
    quote_type: str
    cue: str
    cue_span: SuggestionSpan | None
    hedge: str | None
    speaker: SuggestedSpeaker
    speaker_span: SuggestionSpan | None
    reported_by: int | None = Field(description="Index in items of the suggestion this one is relayed through.")
    statement_id: int | None = Field(description="The recorded statement on (almost) the same span.")
    confidence: float = Field(ge=0, le=1)


class SuggestionList(BaseModel):
    """A source's suggestions, ordered by span.start; offsets are code points into the body."""

    items: list[SuggestionItem]


class Dismissal(BaseModel):
    """A dismissed suggestion: hidden for its source from now on."""

    source_id: int
    span: SuggestionSpan
    text: str
    cue: str | None
    speaker: str | None
    dismissed_by: str | None
    dismissed_at: str | None


class TrainingStatus(BaseModel):
    """The trained model's size and age, and whether retraining is due."""

    trained_at: str | None
    sources: int
    attributions: int
    dismissals: int
    statements: int
    new_statements: int
    retrain_every: int
    due: bool


class TrainingReport(BaseModel):
    sources: int
    attributions: int
    dismissals: int
    statements_seen: int
    seconds: float
    weights: int
    floor: float


class TrainingResult(BaseModel):
    """What a training learnt from, and the status after it."""

    report: TrainingReport
    status: TrainingStatus


ID_PARAMETER = {"name": "id", "in": "path", "required": True, "description": "The source.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


def openapi_paths(builder: Builder, routes: set[str]) -> dict[str, Any]:
    """The paths of this module's routes that the app has."""
    base = SOURCE
    paths: dict[str, Any] = {}
    tags = ["suggestions"]
    if base in routes:
        paths["/sources/{id}/suggestions"] = {"parameters": [ID_PARAMETER], "get": {
            "operationId": "list_suggestions", "tags": tags, "summary": "Suggested statements in a source",
            "parameters": [{"name": "min_confidence", "in": "query", "description": (
                f"Leave out suggestions less confident than this (default {DEFAULT_MIN_CONFIDENCE}, as the "
                "source page; 0 gives all)."), "schema": {"type": "number", "minimum": 0, "maximum": 1}}],
            "responses": {"200": {"description": "The suggestions.", "content": json_content(
                builder.model(SuggestionList))}, **problem_responses(401, 403, 404, 422)}}}
    if f"{base}/dismissals" in routes:
        paths["/sources/{id}/suggestions/dismissals"] = {"parameters": [ID_PARAMETER], "post": {
            "operationId": "dismiss_suggestion", "tags": tags, "summary": "Dismiss a suggestion for this source",
            "requestBody": {"required": True, "content": json_content(builder.model(DismissIn))},
            "responses": {
                "201": {"description": "Dismissed.", "content": json_content(builder.model(Dismissal))},
                "200": {"description": "It already was.", "content": json_content(ref("Dismissal"))},
                **problem_responses(400, 401, 403, 404, 415, 422)}}}
    if f"{base}/accept" in routes:
        paths["/sources/{id}/suggestions/accept"] = {"parameters": [ID_PARAMETER], "post": {
            "operationId": "accept_suggestion", "tags": tags, "summary": "Record a suggestion as a statement",
            "description": "The suggestion's span, plus any statement field to set otherwise than suggested. "
                           "A speaker that resolved to no single actor needs `speaker_id` (else 422).",
            "requestBody": {"required": True, "content": json_content(builder.model(AcceptIn))},
            "responses": {
                "201": {"description": "The new statement, as a read returns it.",
                        "headers": {"Location": {"schema": {"type": "string"}, "description": "Its URL."}},
                        "content": json_content(ref("Statement"))},
                **problem_responses(400, 401, 403, 404, 415, 422)}}}
    if "/suggestions/training" in routes:
        paths["/suggestions/training"] = {
            "get": {"operationId": "suggestion_training", "tags": tags, "summary": "The suggestion model's status",
                    "responses": {"200": {"description": "Its status.", "content": json_content(
                        builder.model(TrainingStatus))}, **problem_responses(401, 403)}},
            "post": {"operationId": "train_suggestions", "tags": tags,
                     "summary": "Retrain the suggestion model from the desk now",
                     "responses": {"200": {"description": "Trained.", "content": json_content(
                         builder.model(TrainingResult))}, **problem_responses(401, 403, 422)}}}
    return paths
