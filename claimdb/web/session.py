"""Logging in and out."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from claimdb import auth
from claimdb.services import users
from claimdb.web import bp
from claimdb.web.editing import safe_next, session
from claimdb.web.forms import EmptyForm, LoginForm


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The only page open to anonymous visitors; `next` is honoured only for paths on this site."""
    target = safe_next(request.args.get("next")) or "/"
    if current_user.is_authenticated and request.method == "GET":
        return redirect(target)
    form = LoginForm()
    status = 200
    headers: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            user = users.authenticate(session(), form.username.data or "", form.password.data or "",
                                      request.remote_addr or "")
        except users.Throttled as e:
            form.form_errors.append(e.detail)
            status, headers = 429, {"Retry-After": str(e.retry_after)}
        else:
            if user is not None:
                auth.sign_in(user)
                flash(f"Signed in as {user.username}.", "success")
                return redirect(target)
            form.form_errors.append("Wrong username or password, or the account is deactivated.")
    elif request.method == "POST":
        status = 422
    return render_template("login.html", form=form), status, headers


@bp.post("/logout")
@auth.require("viewer")
def logout() -> ResponseReturnValue:
    """POST with the CSRF token (checked app-wide), so a link elsewhere cannot sign analysts out."""
    EmptyForm()
    auth.sign_out()
    flash("Signed out.", "message")
    return redirect(url_for("web.login"))
