"""Building blocks of the OpenAPI document: shared shapes, $refs, problem responses."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

REF = "#/components/schemas/{model}"
PROBLEM = "application/problem+json"


class Speaker(BaseModel):
    id: int
    name: str | None


class ChainLevel(BaseModel):
    """One level of an attribution chain: who spoke, with which cue verb and hedge."""

    statement_id: int
    speaker: Speaker
    cue: str | None
    hedge: str | None


class Dependant(BaseModel):
    """A record that keeps another from being deleted."""

    type: str
    id: int
    label: str


class Problem(BaseModel):
    """An RFC 9457 problem; `errors` maps each bad field (or "body") to a message."""

    type: str = "about:blank"
    status: int
    title: str
    detail: str | None = None
    errors: dict[str, str] = Field(default_factory=dict)
    current: dict[str, Any] | None = Field(None, description="A stale edit (409): the record as it is now.")
    dependants: list[Dependant] | None = Field(None, description="A refused delete (409): what depends on it.")


def ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def problem_responses(*codes: int) -> dict[str, Any]:
    why = {
        400: "Not JSON, not an object, or (browser session) a missing CSRF token.",
        401: "No bearer token and no session, or an unknown or revoked token.",
        403: "Your role may not do this (viewers read, analysts write, admins delete).",
        404: "No such record.",
        409: "A stale `version` (the problem carries `current`) or a delete others depend on (`dependants`).",
        415: "The body is not sent as application/json.",
        422: "Bad input; `errors` maps each field to its message.",
    }
    return {str(code): {"description": why[code], "content": {PROBLEM: {"schema": ref("Problem")}}}
            for code in codes}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}



class Builder:
    """Collects component schemas while the paths are written."""

    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {}

    def model(self, model: type[BaseModel]) -> dict[str, str]:
        """A $ref to the model's schema, adding it and its definitions to the components."""
        schema = model.model_json_schema(ref_template=REF)
        self.schemas.update(schema.pop("$defs", {}))
        self.schemas[model.__name__] = schema
        return ref(model.__name__)
