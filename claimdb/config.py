"""Configuration defaults; instance/config.py and CLAIMDB_* environment variables override them."""

from __future__ import annotations


class Defaults:
    """Values used when nothing else is configured."""

    # None means instance/claimdb.sqlite3 under the instance folder (see claimdb.create_app).
    DATABASE_URL: str | None = None
    # None means: read instance/secret_key, creating it on first start, unless ENV is "production".
    SECRET_KEY: str | None = None
    ENV = "development"
    # Seconds a SQLite writer waits for the lock before giving up.
    SQLITE_BUSY_TIMEOUT = 30
    # Bytes of a SQLite file read through a memory map instead of read() calls: a page not yet in a
    # connection's own cache costs no system call and no copy (a speaker search read on a fresh
    # connection took 0.85 ms of CPU, 0.38 ms mapped). 0 turns it off (e.g. on a network filesystem).
    SQLITE_MMAP_SIZE = 1024 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Set CLAIMDB_SESSION_COOKIE_SECURE=true when served over HTTPS.
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_TIME_LIMIT = None  # a form left open over lunch still submits
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024
    PER_PAGE = 50
    MAX_PER_PAGE = 200
    # schema.org ClaimReview `author` (your organisation's name) for `export --format claimreview`.
    CLAIMREVIEW_AUTHOR: str | None = None
