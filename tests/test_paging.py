"""Page sizes come from the app's configuration (PER_PAGE, MAX_PER_PAGE), on the web and the API alike."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from claimdb.config import Defaults
from claimdb.errors import Invalid
from claimdb.services.paging import Page

from web_support import make, text


def test_without_configuration_the_defaults_apply() -> None:
    assert (Defaults.PER_PAGE, Defaults.MAX_PER_PAGE) == (50, 200)  # the API document promises per_page ≤ 200
    assert Page.from_args({}) == Page(1, 50) == Page()
    assert Page.from_args({"per_page": "200"}).size == 200
    with pytest.raises(Invalid) as refused:
        Page.from_args({"per_page": "201"})
    assert refused.value.errors == {"per_page": "At most 200."}


def test_the_configuration_sets_the_default_and_the_limit() -> None:
    config = {"PER_PAGE": 2, "MAX_PER_PAGE": 3}
    assert Page.from_args({}, config) == Page(1, 2)
    assert Page.from_args({"page": "4", "per_page": "3"}, config) == Page(4, 3)
    assert Page.from_args({}, config, default_size=25) == Page(1, 3)  # a view's own default stays within the limit
    with pytest.raises(Invalid) as refused:
        Page.from_args({"per_page": "4"}, config)
    assert refused.value.errors == {"per_page": "At most 3."}


def test_the_api_and_the_web_lists_read_the_configuration(app: Flask, client: FlaskClient, api_for: Any,
                                                         client_for: Any) -> None:
    for n in range(5):
        make(app, "claims", {"text": f"Claim number {n}"})
    app.config.update(PER_PAGE=2, MAX_PER_PAGE=3)
    headers = api_for("viewer")
    listed = client.get("/api/v1/claims", headers=headers).get_json()
    assert len(listed["items"]) == 2 and listed["total"] == 5 and listed["next"]
    assert len(client.get("/api/v1/claims?per_page=3", headers=headers).get_json()["items"]) == 3
    refused = client.get("/api/v1/claims?per_page=4", headers=headers)
    assert refused.status_code == 422 and refused.get_json()["errors"] == {"per_page": "At most 3."}
    viewer = client_for("viewer")
    page = text(viewer.get("/claims"))
    assert sum(f"Claim number {n}" in page for n in range(5)) == 2
    assert "At most 3." in text(viewer.get("/claims?per_page=4"))
