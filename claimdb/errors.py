"""Domain errors: raised by services, turned into a page or a problem+json body by one handler."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request the domain refuses; carries an HTTP status so every face reports it alike."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, errors: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors: dict[str, str] = errors or {}

    def extra(self) -> dict[str, Any]:
        """Members added to the problem+json body beyond status, title, detail and errors."""
        return {}


class BadRequest(DomainError):
    status = 400
    title = "Bad request"


class Unauthorized(DomainError):
    status = 401
    title = "Authentication required"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Invalid(DomainError):
    """Input that breaks a rule; `errors` maps each field name to its message."""

    status = 422
    title = "Invalid input"

    def __init__(self, errors: dict[str, str], detail: str | None = None) -> None:
        super().__init__(detail or "; ".join(f"{k}: {v}" for k, v in errors.items()), errors=errors)


class Conflict(DomainError):
    """A stale edit: the record changed since it was read; `current` is what it is now."""

    status = 409
    title = "Edit conflict"

    def __init__(self, detail: str, *, current: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.current = current

    def extra(self) -> dict[str, Any]:
        return {"current": self.current} if self.current is not None else {}


class InUse(DomainError):
    """A delete refused because other records depend on this one."""

    status = 409
    title = "Record in use"

    def __init__(self, detail: str, dependants: list[dict[str, Any]]) -> None:
        super().__init__(detail)
        self.dependants = dependants

    def extra(self) -> dict[str, Any]:
        return {"dependants": self.dependants}


class Unavailable(DomainError):
    """The database cannot do what was asked right now (disk full, read-only, missing, unreachable, busy).

    Nothing of the request was stored; the form that sent it comes back with what was typed.
    """

    status = 503
    title = "Database unavailable"

    def __init__(self, detail: str, *, title: str | None = None, status: int | None = None,
                 retry_after: int | None = None) -> None:
        super().__init__(detail)
        self.title = title or self.title
        self.status = status or self.status
        self.retry_after = retry_after
