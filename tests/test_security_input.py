"""Names, aliases and titles made only of invisible characters are refused with a field error."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from web_support import post_form, text

INVISIBLE = ["\u200b", "\u00a0", "\ufeff", "\u202e", "\u200b\u200c\u200d\u2060", "\u00a0 \u3000",
             "\U000e0041\U000e0042", "\u3164", " \u200b "]
MESSAGE = "Use visible characters"


# Through the API (the schemas every face shares), so the tests do not depend on where they live.
@pytest.mark.parametrize("name", INVISIBLE)
def test_the_shared_check_refuses_invisible_only_names(app: Flask, users: Any, api_for: Any, name: str) -> None:
    client, headers = app.test_client(), api_for("analyst")
    for noun, payload, field in (("actors", {"name": name, "kind": "faction"}, "name"),
                                 ("actors", {"name": "Nusra", "kind": "faction", "aliases": [{"name": name}]},
                                  "aliases.0.name"),
                                 ("sources", {"title": name, "kind": "report"}, "title"),
                                 ("claims", {"text": name}, "text")):
        response = client.post(f"/api/v1/{noun}", json=payload, headers=headers)
        assert response.status_code == 422, (noun, payload)
        assert MESSAGE in response.get_json()["errors"][field], (payload, response.get_json())


@pytest.mark.parametrize("name", ["Nusra\u200b", "\u200fجبهة النصرة", "Levant\u00a0Front", "a\u200d", "Ü"])
def test_names_with_something_visible_pass(app: Flask, users: Any, api_for: Any, name: str) -> None:
    response = app.test_client().post("/api/v1/actors", json={"name": name, "kind": "faction"},
                                      headers=api_for("analyst"))
    assert response.status_code == 201 and response.get_json()["name"] == name


def test_an_empty_name_is_still_just_required(app: Flask, users: Any, api_for: Any) -> None:
    response = app.test_client().post("/api/v1/actors", json={"name": "   ", "kind": "faction"},
                                      headers=api_for("analyst"))
    assert response.status_code == 422 and response.get_json()["errors"]["name"] == "Required."


def test_the_api_refuses_an_invisible_actor_alias_and_title(app: Flask, users: Any, api_for: Any) -> None:
    client, headers = app.test_client(), api_for("analyst")
    response = client.post("/api/v1/actors", json={"name": "\u200b\u200b", "kind": "faction"}, headers=headers)
    assert response.status_code == 422 and MESSAGE in response.get_json()["errors"]["name"]
    response = client.post("/api/v1/actors", json={"name": "Nusra", "kind": "faction",
                                                   "aliases": [{"name": "\ufeff"}]}, headers=headers)
    assert response.status_code == 422 and MESSAGE in response.get_json()["errors"]["aliases.0.name"]
    response = client.post("/api/v1/sources", json={"title": "\u202e", "kind": "report"}, headers=headers)
    assert response.status_code == 422 and MESSAGE in response.get_json()["errors"]["title"]
    assert client.get("/api/v1/actors", headers=headers).get_json()["total"] == 0


def test_the_actor_form_says_so_next_to_the_field(app: Flask, users: Any, client_for: Any) -> None:
    analyst = client_for("analyst")
    response = post_form(analyst, "/actors/new", {"name": "\u200b\u00a0", "kind": "faction"})
    assert response.status_code == 422 and MESSAGE in text(response)


def test_an_oversized_request_is_refused_before_it_is_read(app: Flask, users: Any, api_for: Any) -> None:
    from claimdb.config import Defaults

    assert Defaults.MAX_CONTENT_LENGTH == 64 * 1024 * 1024
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = app.test_client().post("/api/v1/claims", data=b"{" + b" " * 2000 + b"}",
                                      headers={**api_for("analyst"), "Content-Type": "application/json"})
    assert response.status_code == 413
