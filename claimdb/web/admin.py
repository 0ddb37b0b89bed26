"""Administration: user accounts (create, role, deactivate, reset password) and API tokens. Admins only."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from claimdb import auth
from claimdb.errors import Forbidden, Invalid
from claimdb.services import users
from claimdb.web import bp
from claimdb.web.editing import apply_errors, session
from claimdb.web.forms import EmptyForm, PasswordResetForm, TokenCreateForm, UserCreateForm, UserRoleForm

USER_ID = "<int(max=2147483647):user_id>"


def _users_page(form: UserCreateForm, status: int = 200) -> ResponseReturnValue:
    rows = users.list_users(session())
    return render_template("admin/users.html", form=form, rows=rows, role_form=UserRoleForm,
                           password_form=PasswordResetForm, empty=EmptyForm()), status


@bp.get("/admin/users")
@auth.require("admin")
def admin_users() -> ResponseReturnValue:
    return _users_page(UserCreateForm(formdata=None))


@bp.post("/admin/users")
@auth.require("admin")
def admin_users_create() -> ResponseReturnValue:
    form = UserCreateForm()
    if form.validate():
        try:
            user = users.create_user(session(), form.username.data or "", form.password.data or "",
                                     form.role.data or "viewer")
        except Invalid as e:
            apply_errors(form, e.errors)
        else:
            flash(f"User {user.username} created with the {user.role} role.", "success")
            return redirect(url_for("web.admin_users"))
    return _users_page(form, 422)


def _not_self(user_id: int, what: str) -> None:
    """An admin cannot lock themself out; another admin has to do it."""
    if user_id == current_user.id:
        raise Forbidden(f"You cannot {what} your own account; ask another admin.")


@bp.post(f"/admin/users/{USER_ID}/role")
@auth.require("admin")
def admin_user_role(user_id: int) -> ResponseReturnValue:
    user = users.get_user(session(), user_id)
    form = UserRoleForm()
    if form.validate():
        if form.role.data != user.role:
            _not_self(user_id, "change the role of")
            users.set_role(session(), user, form.role.data or "")
            flash(f"{user.username} is now {user.role}.", "success")
        return redirect(url_for("web.admin_users"))
    flash(f"Choose a role for {user.username}.", "error")
    return redirect(url_for("web.admin_users"))


@bp.post(f"/admin/users/{USER_ID}/deactivate")
@auth.require("admin")
def admin_user_deactivate(user_id: int) -> ResponseReturnValue:
    user = users.get_user(session(), user_id)
    _not_self(user_id, "deactivate")
    users.set_active(session(), user, False)
    flash(f"{user.username} is deactivated: signed out everywhere, unable to sign in, and their API tokens are "
          "revoked.", "success")
    return redirect(url_for("web.admin_users"))


@bp.post(f"/admin/users/{USER_ID}/reactivate")
@auth.require("admin")
def admin_user_reactivate(user_id: int) -> ResponseReturnValue:
    user = users.get_user(session(), user_id)
    users.set_active(session(), user, True)
    flash(f"{user.username} can sign in again.", "success")
    return redirect(url_for("web.admin_users"))


@bp.post(f"/admin/users/{USER_ID}/password")
@auth.require("admin")
def admin_user_password(user_id: int) -> ResponseReturnValue:
    user = users.get_user(session(), user_id)
    form = PasswordResetForm()
    if not form.validate():
        flash(f"The new password for {user.username} must have at least {users.MIN_PASSWORD} characters.", "error")
        return redirect(url_for("web.admin_users"))
    users.set_password(session(), user, form.password.data or "")
    flash(f"The password of {user.username} was reset and they were signed out everywhere. Tell them to change it.",
          "success")
    return redirect(url_for("web.admin_users"))


@bp.post(f"/admin/users/{USER_ID}/delete")
@auth.require("admin")
def admin_user_delete(user_id: int) -> ResponseReturnValue:
    """Remove an account, its sessions and its tokens; the audit trail keeps the name."""
    EmptyForm()
    user = users.get_user(session(), user_id)
    _not_self(user_id, "delete")
    name = user.username
    users.delete_user(session(), user)
    flash(f"{name} was deleted; their sessions and API tokens no longer work.", "success")
    return redirect(url_for("web.admin_users"))


def _tokens_page(form: TokenCreateForm, new_token: str | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template("admin/tokens.html", form=form, rows=users.list_tokens(session()), new_token=new_token,
                           empty=EmptyForm()), status


@bp.get("/admin/tokens")
@auth.require("admin")
def admin_tokens() -> ResponseReturnValue:
    return _tokens_page(TokenCreateForm(formdata=None))


@bp.post("/admin/tokens")
@auth.require("admin")
def admin_tokens_create() -> ResponseReturnValue:
    """A token for the signed-in admin, shown once on this page (only its hash is kept)."""
    form = TokenCreateForm()
    if not form.validate():
        return _tokens_page(form, status=422)
    token = users.create_token(session(), current_user._get_current_object(), (form.label.data or "").strip() or None)
    return _tokens_page(TokenCreateForm(formdata=None), new_token=token, status=201)


@bp.post("/admin/tokens/<int(max=2147483647):token_id>/revoke")
@auth.require("admin")
def admin_tokens_revoke(token_id: int) -> ResponseReturnValue:
    users.revoke_token(session(), token_id)
    flash(f"Token #{token_id} revoked.", "success")
    return redirect(url_for("web.admin_tokens"))
