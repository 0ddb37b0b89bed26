"""How the templates are built: every internal URL from url_for, the list pages from one macro."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Flask

from claimdb.paths import TEMPLATES
from claimdb.services.pages.lists import MAX_ACTORS

from web_support import make, text

LIST_PAGES = ("actors/list.html", "affiliations/list.html", "sources/index.html", "statements/index.html",
              "claims/list.html", "accusations/list.html", "contradictions/list.html")


def templates() -> list[Path]:
    return sorted(Path(TEMPLATES).rglob("*.html"))


def test_no_template_hard_codes_a_site_path() -> None:
    """Links, form actions, data-*-url attributes and macro arguments are built by url_for, so a route
    changes in one place. (None is exempt: external links are written in full, static files use url_for.)"""
    hard = re.compile(r"""(?:\b(?:href|action|src|data-[a-z-]*url)\s*=\s*["']/)|(?:["']/[a-z]+/[^"' ]*["']\s*~)"""
                      r"""|(?:\(\s*["']/[a-z])""")
    found = [f"{p.relative_to(TEMPLATES)}:{n}: {line.strip()[:100]}" for p in templates()
             for n, line in enumerate(p.read_text().splitlines(), 1) if hard.search(line)]
    assert found == []


def test_list_pages_share_one_macro() -> None:
    for name in LIST_PAGES:
        source = (Path(TEMPLATES) / name).read_text()
        assert '{% from "_list.html" import list_page %}' in source, name
        assert "list_page(" in source and "<table" not in source and "pager(" not in source, name


def test_actor_filters_resolve_every_matching_actor(app: Flask, users: Any, client_for: Any) -> None:
    """One rule for every list: a name stands for every actor it names (the page says which), within bounds."""
    first = make(app, "actors", {"name": "Twin Front", "kind": "faction"})
    second = make(app, "actors", {"name": "Other Front", "kind": "faction", "aliases": [{"name": "Twin Front"}]})
    target = make(app, "actors", {"name": "Target", "kind": "faction"})
    source = make(app, "sources", {"title": "A communiqué", "kind": "communique"})
    for speaker in (first, second):
        statement = make(app, "statements", {"source_id": source, "speaker_id": speaker, "text": f"said {speaker}",
                                             "quote_type": "paraphrase"})
        make(app, "accusations", {"statement_id": statement, "accused_id": target, "act": f"act by {speaker}"})
    viewer = client_for("viewer")
    for path in ("/accusations?accuser_id=Twin Front", "/statements?speaker=Twin Front"):
        response = viewer.get(path)
        page = text(response)
        assert response.status_code == 200 and "means" in page, path
        assert "Twin Front" in page and "Other Front" in page, path
    page = text(viewer.get("/accusations?accuser_id=Twin Front"))
    assert f"act by {first}" in page and f"act by {second}" in page
    for i in range(MAX_ACTORS + 1):
        make(app, "actors", {"name": f"Crowd member {i}", "kind": "person"})
    response = viewer.get("/affiliations?actor_id=Crowd")
    assert f"more than {MAX_ACTORS} actors" in text(response)
