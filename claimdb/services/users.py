"""Accounts, passwords, sign-in sessions (with throttling) and API tokens."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from claimdb.errors import DomainError, Invalid, NotFound
from claimdb.models import ApiToken, LoginFailure, User, UserSession
from claimdb.models.users import new_session_key, utcnow
from claimdb.models.values import Role
from claimdb.services import audit

MIN_PASSWORD = 8

# Sign-in throttling: failures per username and per address inside a sliding window.
THROTTLE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_USER = 10
MAX_FAILURES_PER_ADDRESS = 50
# A session unused this long, or older than the lifetime, is over (each is checked on every request).
SESSION_IDLE = dt.timedelta(days=7)
SESSION_LIFETIME = dt.timedelta(days=30)
TOUCH_EVERY = dt.timedelta(minutes=1)

# Werkzeug's scrypt: deliberately slow. The test suite swaps in a fast method (tests/conftest.py), the
# same for real hashes and for the stand-in checked for unknown users, so they still cost alike.
PASSWORD_METHOD = "scrypt"


class Throttled(DomainError):
    """Too many failed sign-ins; `retry_after` is how many seconds until the window lets one through."""

    status = 429
    title = "Too many sign-in attempts"

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes != 1 else ''}.")
        self.retry_after = retry_after


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _snapshot(user: User) -> dict[str, Any]:
    """What the audit trail keeps of an account: never its password hash or session key."""
    return {"username": user.username, "role": user.role, "active": user.active}


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
    user = User(username=username, password_hash=generate_password_hash(password, PASSWORD_METHOD), role=role,
                active=True)
    session.add(user)
    session.flush()
    audit.record(session, "create", "user", user.id, None, _snapshot(user))
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


def _dummy_hash() -> str:
    """A hash to check when there is no account, so an unknown name costs what a wrong password does."""
    return _stand_in(PASSWORD_METHOD)


@functools.cache
def _stand_in(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method)


def authenticate(session: Session, username: str, password: str, address: str = "") -> User | None:
    """The active user with this password, or None: the same answer, after the same work (one password
    hash check), for an unknown user, a wrong password and a deactivated account.

    Raises Throttled, before checking anything, once the username or the address has had too many
    recent failures; a failure is recorded, a success forgets the username's failures.
    """
    name = username.strip().lower()[:100]
    address = address[:64]
    now = utcnow()
    _prune_failures(session, now)
    _refuse_if_throttled(session, name, address, now)
    user = find_user(session, name)
    matches = check_password_hash(user.password_hash if user is not None else _dummy_hash(), password)
    if user is None or not matches or not user.active:
        session.add(LoginFailure(at=now, username=name, address=address))
        session.commit()
        return None
    session.execute(delete(LoginFailure).where(LoginFailure.username == name))
    session.commit()
    return user


def _prune_failures(session: Session, now: dt.datetime) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - THROTTLE_WINDOW))


def _refuse_if_throttled(session: Session, username: str, address: str, now: dt.datetime) -> None:
    since = now - THROTTLE_WINDOW
    for column, value, limit in ((LoginFailure.username, username, MAX_FAILURES_PER_USER),
                                 (LoginFailure.address, address, MAX_FAILURES_PER_ADDRESS)):
        # The limit-th newest failure in the window: once it leaves the window, attempts are let through.
        times = session.scalars(select(LoginFailure.at).where(column == value, LoginFailure.at >= since)
                                .order_by(LoginFailure.at.desc()).limit(limit)).all()
        if len(times) >= limit:
            wait = (_aware(times[-1]) + THROTTLE_WINDOW - now).total_seconds()
            session.commit()  # keep the pruning
            raise Throttled(max(1, math.ceil(wait)))


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(session: Session, user: User) -> str:
    """Record a new signed-in browser for the user; returns the random key its cookie carries."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    session.execute(delete(UserSession).where(
        (UserSession.last_seen_at < now - SESSION_IDLE) | (UserSession.created_at < now - SESSION_LIFETIME)))
    session.add(UserSession(user_id=user.id, key_hash=_hash_key(key), created_at=now, last_seen_at=now))
    session.commit()
    return key


def user_for_session(session: Session, login_id: str, key: str | None) -> User | None:
    """The active user of a live session: `login_id` is User.get_id() ("id:session_key") as stored at
    sign-in, `key` the browser's own session key. Records the session's last use (to the minute)."""
    user_id, _, session_key = login_id.partition(":")
    if not key or not user_id.isdigit() or len(user_id) > 10:
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.active or not hmac.compare_digest(user.session_key, session_key):
        return None
    row = session.scalar(select(UserSession).where(UserSession.key_hash == _hash_key(key),
                                                   UserSession.user_id == user.id))
    if row is None:
        return None
    now = utcnow()
    if now - _aware(row.last_seen_at) > SESSION_IDLE or now - _aware(row.created_at) > SESSION_LIFETIME:
        return None
    if now - _aware(row.last_seen_at) > TOUCH_EVERY:
        row.last_seen_at = now
        try:
            session.commit()
        except OperationalError:  # best effort: a busy database must not sign anyone out
            session.rollback()
            user = session.get(User, int(user_id))
    return user


def end_session(session: Session, key: str | None) -> None:
    """Logout: this browser's session stops working, even from a copied cookie."""
    if key:
        session.execute(delete(UserSession).where(UserSession.key_hash == _hash_key(key)))
        session.commit()


def _end_all_sessions(session: Session, user: User) -> None:
    """Every browser signed in as the user is signed out at once (the caller commits)."""
    user.session_key = new_session_key()
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))


def _revoke_all_tokens(session: Session, user: User) -> None:
    session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


def count_sessions(session: Session, user: User) -> int:
    return int(session.scalar(select(func.count()).select_from(UserSession).where(UserSession.user_id == user.id)) or 0)


def set_role(session: Session, user: User, role: str) -> None:
    if role not in Role:
        raise Invalid({"role": f"Choose one of: {', '.join(Role)}."})
    before = _snapshot(user)
    user.role = role
    audit.record(session, "update", "user", user.id, before, _snapshot(user))
    session.commit()


def set_active(session: Session, user: User, active: bool) -> None:
    """Deactivating signs the user out everywhere and revokes their API tokens (reactivating restores neither)."""
    before = _snapshot(user)
    user.active = active
    if not active:
        _end_all_sessions(session, user)
        _revoke_all_tokens(session, user)
    audit.record(session, "update", "user", user.id, before, _snapshot(user))
    session.commit()


def set_password(session: Session, user: User, password: str) -> None:
    """A new password (changed or reset) ends every session of the user; their API tokens keep working."""
    _check_password(password)
    user.password_hash = generate_password_hash(password, PASSWORD_METHOD)
    _end_all_sessions(session, user)
    snapshot = _snapshot(user)
    audit.record(session, "update", "user", user.id, snapshot, {**snapshot, "password": "changed"})
    session.commit()


def delete_user(session: Session, user: User) -> None:
    """Remove an account: its sessions and tokens go with it (the audit trail keeps the username)."""
    _end_all_sessions(session, user)
    _revoke_all_tokens(session, user)
    audit.record(session, "delete", "user", user.id, _snapshot(user), None)
    session.delete(user)
    session.commit()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, label: str | None = None) -> str:
    """A new bearer token for the user; only its hash is stored, so it is shown once."""
    token = "cdb_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_hash_token(token), label=label))
    session.commit()
    return token


@dataclass(frozen=True)
class TokenUser:
    """A bearer token's owner as the API needs it (who, which role), read as plain columns.

    It speaks Flask-Login's user protocol, so `current_user` works the same for token and cookie
    callers; the API never needs the ORM object, and building one cost more than the lookup itself."""

    id: int
    username: str
    role: str
    active: bool = True
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        raise TypeError("A bearer token's user has no cookie session to sign in.")


# One query for a token and its owner, built once: it runs on every API request.
_TOKEN_OWNER = (select(ApiToken.id.label("token_id"), ApiToken.revoked_at, ApiToken.last_used_at, User.id,
                       User.username, User.role, User.active)
                .join(User, User.id == ApiToken.user_id).where(ApiToken.token_hash == bindparam("token_hash")))
_TOUCH_TOKEN = update(ApiToken).where(ApiToken.id == bindparam("token_id")).values(last_used_at=bindparam("now"))


def token_owner(session: Session, token: str) -> TokenUser | None:
    """The active owner of an unrevoked token; records its last use (to the minute)."""
    found = session.connection().execute(_TOKEN_OWNER, {"token_hash": _hash_token(token)}).first()
    if found is None or found.revoked_at is not None or not found.active:
        return None
    now = utcnow()
    last = found.last_used_at
    if last is None or (now - _aware(last)).total_seconds() > 60:
        try:
            session.connection().execute(_TOUCH_TOKEN, {"token_id": found.token_id, "now": now})
            session.commit()
        except OperationalError:  # best effort: a busy database must not refuse the request
            session.rollback()
    return TokenUser(found.id, found.username, found.role, found.active)


def user_for_token(session: Session, token: str) -> User | None:
    """The token's owner as an account (pages asked with a token); the same checks as token_owner."""
    owner = token_owner(session, token)
    return session.get(User, owner.id) if owner is not None else None


def list_tokens(session: Session) -> list[tuple[ApiToken, User]]:
    rows = session.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id))
    return [(t, u) for t, u in rows]


def revoke_token(session: Session, token_id: int) -> None:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"There is no token {token_id}.")
    row.revoked_at = utcnow()
    session.commit()
