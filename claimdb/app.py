"""The application factory: configuration in layers, the database, sign-in, the pages, the API, the commands."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from claimdb import api, auth, cli, config, db, handlers, sessions, web
from claimdb.paths import STATIC, TEMPLATES


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build an app. Config layers, last wins: defaults, instance/config.py, CLAIMDB_* env, overrides."""
    overrides = dict(overrides or {})
    instance_path = overrides.pop("INSTANCE_PATH", None) or os.environ.get("CLAIMDB_INSTANCE_PATH") or "instance"
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()),
        instance_relative_config=True,
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC),
    )
    app.config.from_object(config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CLAIMDB")
    app.config.from_mapping(overrides)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'claimdb.sqlite3'}"
    app.config["SECRET_KEY"] = _secret_key(app)
    if app.config.get("ENV") == "production":  # served over HTTPS: cookies never travel in clear text
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    app.json.sort_keys = False  # type: ignore[attr-defined]  # records read in their documented field order
    app.session_interface = sessions.CookieSessions()

    db.init_app(app)
    auth.init_app(app)
    handlers.init_app(app)
    app.register_blueprint(web.bp)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    auth.csrf.exempt(api.bp)  # the API checks CSRF itself, only for cookie sessions (claimdb.api)
    for command in cli.cli.commands.values():  # `flask --app claimdb …` offers claimdb's own commands
        app.cli.add_command(command)
    return app


MIN_SECRET_KEY_BYTES = 32


def _secret_key(app: Flask) -> str:
    """The configured key; else the instance's own key, made on first start outside production."""
    key = app.config.get("SECRET_KEY")
    production = app.config.get("ENV") == "production"
    if production and (not key or len(key if isinstance(key, bytes) else str(key).encode()) < MIN_SECRET_KEY_BYTES):
        raise RuntimeError(
            f"CLAIMDB_SECRET_KEY is {'too short' if key else 'not set'}. In production (CLAIMDB_ENV=production) "
            f"claimdb will not start without a secret key of at least {MIN_SECRET_KEY_BYTES} bytes: set "
            "CLAIMDB_SECRET_KEY (or SECRET_KEY in instance/config.py) to the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    if key:
        return key.decode() if isinstance(key, bytes) else str(key)
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()
