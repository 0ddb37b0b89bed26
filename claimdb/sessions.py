"""The signed cookie session, left unread and unwritten for API calls that carry a bearer token."""

from __future__ import annotations

from flask import Flask, Request, Response
from flask import request as current_request  # save_session is not handed the request it answers
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin

from claimdb.auth import is_api_bearer_call


class CookieSessions(SecureCookieSessionInterface):
    """Flask's cookie session, except for API calls with a bearer token: they are judged by the token
    alone (claimdb.api.auth_checks), so a cookie sent along is never decoded and none is sent back
    (nor `Vary: Cookie`): an empty session stands in, and whatever is put in it is dropped."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if is_api_bearer_call(request):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if is_api_bearer_call(current_request):
            return
        super().save_session(app, session, response)
