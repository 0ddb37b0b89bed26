"""Accounts, passwords and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from claimdb.errors import Invalid, NotFound
from claimdb.models import ApiToken, User
from claimdb.models.users import utcnow
from claimdb.models.values import Role

MIN_PASSWORD = 8


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid({"password": f"Use at least {MIN_PASSWORD} characters."})


def create_user(session: Session, username: str, password: str, role: str) -> User:
    """A new account; usernames are case-insensitive and stored in lower case."""
    username = username.strip().lower()
    errors = {}
    if not username or len(username) > 100 or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        errors["username"] = "Use 1–100 letters, digits, dots, hyphens or underscores."
    if role not in Role:
        errors["role"] = f"Choose one of: {', '.join(Role)}."
    if len(password) < MIN_PASSWORD:
        errors["password"] = f"Use at least {MIN_PASSWORD} characters."
    if not errors and session.scalar(select(User.id).where(User.username == username)) is not None:
        errors["username"] = f"There is already a user called {username}."
    if errors:
        raise Invalid(errors)
    user = User(username=username, password_hash=generate_password_hash(password), role=role, active=True)
    session.add(user)
    session.commit()
    return user


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user {user_id}.")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this password, or None (same answer for unknown user and bad password)."""
    user = find_user(session, username)
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user


def set_role(session: Session, user: User, role: str) -> None:
    if role not in Role:
        raise Invalid({"role": f"Choose one of: {', '.join(Role)}."})
    user.role = role
    session.commit()


def set_active(session: Session, user: User, active: bool) -> None:
    user.active = active
    session.commit()


def set_password(session: Session, user: User, password: str) -> None:
    _check_password(password)
    user.password_hash = generate_password_hash(password)
    session.commit()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, label: str | None = None) -> str:
    """A new bearer token for the user; only its hash is stored, so it is shown once."""
    token = "cdb_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_hash_token(token), label=label))
    session.commit()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The active owner of an unrevoked token; records its last use (to the minute)."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(token)))
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    now = utcnow()
    last = row.last_used_at
    if last is None or (now - (last if last.tzinfo else last.replace(tzinfo=now.tzinfo))).total_seconds() > 60:
        row.last_used_at = now
        try:
            session.commit()
        except OperationalError:  # best effort: a busy database must not refuse the request
            session.rollback()
            user = session.get(User, row.user_id)
    return user


def list_tokens(session: Session) -> list[tuple[ApiToken, User]]:
    rows = session.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id))
    return [(t, u) for t, u in rows]


def revoke_token(session: Session, token_id: int) -> None:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"There is no token {token_id}.")
    row.revoked_at = utcnow()
    session.commit()
