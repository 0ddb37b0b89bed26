"""What list pages render per row is cheap and unchanged: the Python badge renders what the macro it
replaced did, the templates' url_for builds what Flask's does, and every web list page runs the same
number of queries whatever the number of rows."""

from __future__ import annotations

from typing import Any

import flask
import pytest
from flask import Flask
from jinja2 import Environment
from markupsafe import Markup
from test_lists_keyset import build

from claimdb.models import values
from claimdb.services.records.registry import RESOURCES
from claimdb.web import urls
from claimdb.web.badges import badge

from search_data import query_counter

# The macro as it was in templates/_macros.html before it became claimdb/web/badges.py.
OLD_BADGE = """{% set _badge_meanings = {"reliability": values.Reliability, "credibility": values.Credibility} %}
{% macro badge(value, kind, verbose=false) -%}
  {%- if value is none or value == "" -%}
    <span class="badge badge-{{ kind }} badge-none">—<span class="visually-hidden"> no {{ kind }}</span></span>
  {%- else -%}
    {%- set v = value|string -%}
    {%- set key = (v|int) if kind == "credibility" and v.isdigit() else v|upper -%}
    {%- set label = _badge_meanings.get(kind, {}).get(key) -%}
    {%- set meaning = label.split(" — ", 1)[-1]|lower if label else none -%}
    {%- if meaning -%}
      <span class="badge badge-{{ kind }} badge-{{ kind }}-{{ v|lower }}" title="{{ kind|capitalize }} {{ v|upper }}: {{ meaning }}">{{ v|upper }}<span class="{{ 'badge-meaning' if verbose else 'visually-hidden' }}"> {{ meaning }}</span></span>
    {%- else -%}
      <span class="badge badge-{{ kind }} badge-{{ kind }}-{{ v|lower|replace(' ', '_') }}">{{ v|replace("_", " ") }}</span>
    {%- endif -%}
  {%- endif -%}
{%- endmacro %}"""  # noqa: E501

VALUES: list[Any] = [None, "", 0, 1, 3, 6, 7, "3", "²", "a", "b", "F", "g", "asserts", "news_article",
                     "press conference", "<b>&'\"", Markup("<i>x</i>"), "disputed", "open", "B — Usually reliable"]
KINDS = ["reliability", "credibility", "stance", "status", "certainty", "kind", "source-kind", "<kind>"]


@pytest.mark.parametrize("verbose", [False, True])
def test_the_badge_renders_what_the_macro_did(verbose: bool) -> None:
    env = Environment(autoescape=True)
    env.globals["values"] = values
    old = env.from_string(OLD_BADGE).module.badge  # type: ignore[attr-defined]
    for kind in KINDS:
        for value in VALUES:
            assert str(badge(value, kind, verbose)) == str(old(value, kind, verbose)), (value, kind)


def test_templates_url_for_builds_what_flasks_does(app: Flask) -> None:
    record_endpoints = [r.endpoint for r in app.url_map.iter_rules() if r.arguments == {"record_id"}]
    assert len(record_endpoints) > 20
    calls: list[tuple[str, dict[str, Any]]] = []
    for endpoint in record_endpoints:
        calls += [(endpoint, {"record_id": 1}), (endpoint, {"record_id": 2_147_483_647}),
                  (endpoint, {"record_id": 42, "_anchor": "statement-42"}),
                  (endpoint, {"record_id": 42, "_anchor": None}),
                  (endpoint, {"record_id": 42, "_anchor": "a b#c"}), (endpoint, {"record_id": 7, "tab": "history"})]
    calls += [("web.claims_list", {"tag": "a&b c/é"}), ("web.accusations_list", {"category": "kidnapping"}),
              ("web.statements_list", {"source_id": 3}), ("web.statements_list", {}),
              ("web.statements_new", {"source_id": None}), ("web.actors_detail", {"record_id": "12"})]
    for script_root in ("", "/claimdb"):
        with app.test_request_context("/statements", base_url=f"http://localhost{script_root}"):
            for _ in range(2):  # built, then remembered
                for endpoint, args in calls:
                    assert urls.url_for(endpoint, **args) == flask.url_for(endpoint, **args), (endpoint, args)


def test_web_list_pages_run_the_same_queries_for_few_rows_or_many(app: Flask, client_for: Any) -> None:
    build(app)
    viewer = client_for("viewer")
    for plural in RESOURCES:
        counts = []
        for url in (f"/{plural}?per_page=1", f"/{plural}?per_page=3", f"/{plural}?per_page=2&page=2"):
            viewer.get(url)
            with query_counter(app) as seen:
                assert viewer.get(url).status_code == 200
            counts.append(len(seen))
        assert len(set(counts[:2])) == 1, (plural, counts)
        # BEGIN, the session and its user, the ids, the rows, the total, the page's batch loads
        assert max(counts) <= LIMITS[plural], (plural, counts)


# Queries of a page of each web list (statements: BEGIN, the session and its user, the ids, the rows, the
# total, the chains' names, the sources, the claim links; no speaker or source relationship loads).
LIMITS = {"actors": 8, "affiliations": 7, "sources": 8, "statements": 9, "claims": 7, "accusations": 9,
          "contradictions": 7}
