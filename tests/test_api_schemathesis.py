"""Property-based run of the whole API against its own OpenAPI document (schemathesis).

Bounded so CI stays quick: a few dozen generated requests per operation, positive data only (the
negative cases are written out in test_api_errors.py), on a small data set. It asserts that no
request gets a 5xx and that every response's status, content type and body match the document.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from claimdb import create_app
from claimdb.api import openapi

EXTRA = "the property-based API run needs the test extra: pip install -c constraints.txt -e '.[test]'"
schemathesis = pytest.importorskip("schemathesis", reason=EXTRA)
pytest.importorskip("hypothesis", reason=EXTRA)

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

MAX_EXAMPLES = 25
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance]


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    """SQLite only (overrides conftest's engine parameter): PostgreSQL runs the same code in the other API tests."""
    target = tmp_path / "claimdb.sqlite3"
    shutil.copyfile(sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def admin_headers(data: dict[str, int], api_for: Any) -> dict[str, str]:
    return dict(api_for("admin"))


def document() -> dict[str, Any]:
    """The document as the app serves it, from a throwaway app (it depends on code, not on data)."""
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "schema",
                      "INSTANCE_PATH": tempfile.gettempdir()})
    with app.test_request_context():
        return openapi.build(app)


CONFIG = schemathesis.Config.from_dict({
    "generation": {"mode": "positive", "max-examples": MAX_EXAMPLES, "database": "none"},
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "seed": 20150301,
})
schema = schemathesis.openapi.from_dict(document(), config=CONFIG)


@pytest.mark.schemathesis
@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
def test_the_api_honours_its_document(case: Any, app: Flask, admin_headers: dict[str, str]) -> None:
    case.call_and_validate(app=app, headers=admin_headers, checks=CHECKS)
