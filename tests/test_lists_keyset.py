"""Lists read by keyset: following `next` from the first page yields every record exactly once, in the
order the sort promises (ties by id, records without a value last), on every list and every sort; a
cursor this server did not give out is a 400 problem; list pages and the speaker search run a
bounded number of queries."""

from __future__ import annotations

import base64
import html
import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from claimdb.db import db
from claimdb.models import Statement
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES
from claimdb.services.statement_views import VIEW_COLUMNS, statement_views, stmt_query, stmts

from search_data import World, query_counter

BODY = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa"


def create(noun: str, **payload: Any) -> int:
    return int(lifecycle.create(db.session, RESOURCES[noun], payload)["id"])


def build(app: Flask) -> None:
    """A few records of each noun with tied values and missing ones in every sortable column."""
    with app.app_context():
        words = ["delta", "alpha", "delta", "charlie", "bravo", "alpha", "echo", "bravo"]
        kinds = ["person", "faction", "person", "media", "faction", "person", "media", "person"]
        actors = [create("actors", name=w, kind=k) for w, k in zip(words, kinds, strict=True)]
        media = [a for a, k in zip(actors, kinds, strict=True) if k == "media"]
        days = ["2015-03-01", None, "2015-03-01", "2014-01-02", None, "2016-05-05", "2014-01-02"]
        grades = ["B", None, "B", "A", None, "C", "A"]
        sources = [create("sources", title=words[i], kind="news_article", publisher_id=media[i % 2],
                          published=days[i], reliability=grades[i], body=BODY) for i in range(7)]
        statements = []
        for i in range(9):
            span = None if i % 3 == 1 else {"start": 6 * (i % 4), "end": 6 * (i % 4) + 5}
            statements.append(create("statements", source_id=sources[i % 3], speaker_id=actors[(i * 5) % 8],
                                     text=f"statement {i}", quote_type="paraphrase", stated=days[i % 7],
                                     span=span))
        statuses = ["disputed", "unverified", "disputed", "confirmed", "refuted", "unverified", "disputed"]
        claims = [create("claims", text=words[i], occurred=days[(i + 2) % 7], status=statuses[i]) for i in range(7)]
        for i in range(7):
            create("accusations", statement_id=statements[i], accused_id=actors[(i * 5 + 1) % 8],
                   act=words[(i + 1) % 8], category=[None, "kidnapping", "shelling", None][i % 4])
        for i, (a, b) in enumerate([(0, 1), (0, 2), (1, 3), (2, 4), (3, 5), (4, 6), (5, 6)]):
            create("contradictions", claim_a_id=claims[a], claim_b_id=claims[b],
                   kind=["negation", "numeric", "negation", "temporal"][i % 4],
                   status=["open", "resolved", "open"][i % 3])
        ends = [None, "2016-01-01", None, "2015-06-06", "2016-01-01", None]
        starts = ["2014-01-02", None, "2014-01-02", None, "2015-01-01", "2013-03-03"]
        for i in range(6):
            create("affiliations", member_id=actors[[0, 2, 3, 5, 6, 7][i]], organization_id=actors[[1, 4][i % 2]],
                   role=["member", "leader", "member", "spokesperson", "leader", "member"][i],
                   start=starts[i], end=ends[i])


# What each offered sort reads off an API item.
SORT_VALUES: dict[str, dict[str, Any]] = {
    "statements": {"stated": lambda r: r["stated"], "source": lambda r: r["source_id"],
                   "speaker": lambda r: r["speaker_id"], "span": lambda r: (r["span"] or {}).get("start")},
    "claims": {"text": lambda r: r["text"], "occurred": lambda r: r["occurred"], "status": lambda r: r["status"]},
    "sources": {"title": lambda r: r["title"], "published": lambda r: r["published"],
                "reliability": lambda r: r["reliability"]},
    "actors": {"name": lambda r: r["name"], "kind": lambda r: r["kind"]},
    "affiliations": {"start": lambda r: r["start"], "end": lambda r: r["end"], "role": lambda r: r["role"]},
    "accusations": {"category": lambda r: r["category"], "act": lambda r: r["act"]},
    "contradictions": {"status": lambda r: r["status"], "kind": lambda r: r["kind"]},
}


def test_every_sort_has_its_values_listed() -> None:
    for plural, resource in RESOURCES.items():
        assert set(SORT_VALUES[plural]) == set(resource.sorts), plural


def expected(items: list[dict[str, Any]], value: Any, descending: bool) -> list[int]:
    """Rows with a value by (value, id), then rows without one by id; both reversed for a descending sort."""
    valued = sorted((r for r in items if value(r) is not None), key=lambda r: (value(r), r["id"]), reverse=descending)
    empty = sorted((r for r in items if value(r) is None), key=lambda r: r["id"], reverse=descending)
    return [r["id"] for r in valued + empty]


def follow(client: FlaskClient, url: str, headers: dict[str, str]) -> tuple[list[int], list[dict[str, Any]]]:
    ids: list[int] = []
    items: list[dict[str, Any]] = []
    seen = 0
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.get_json())
        body = response.get_json()
        items += body["items"]
        ids += [r["id"] for r in body["items"]]
        url = body["next"]
        seen += 1
        assert seen < 50, "the next links do not end"
        if url:
            assert "after=" in url and not re.search(r"[?&]page=", url)
    return ids, items


@pytest.mark.parametrize("plural", sorted(RESOURCES))
def test_following_next_yields_every_row_once_in_order(app: Flask, client: FlaskClient, api_for: Any,
                                                        plural: str) -> None:
    build(app)
    headers = api_for("viewer")
    everything = client.get(f"/api/v1/{plural}?per_page=200", headers=headers).get_json()["items"]
    assert len(everything) >= 6
    for sort in ["id", *RESOURCES[plural].sorts]:
        value = (lambda r: r["id"]) if sort == "id" else SORT_VALUES[plural][sort]
        for descending in (False, True):
            arg = f"-{sort}" if descending else sort
            ids, _ = follow(client, f"/api/v1/{plural}?sort={arg}&per_page=2", headers)
            assert ids == expected(everything, value, descending), (plural, arg)
            # explicit pages agree with the cursor walk
            paged = []
            for n in range(1, len(everything) // 2 + 2):
                paged += [r["id"] for r in client.get(f"/api/v1/{plural}?sort={arg}&per_page=2&page={n}",
                                                      headers=headers).get_json()["items"]]
            assert paged == ids, (plural, arg)


def test_a_cursor_keeps_the_filters_and_the_total(app: Flask, client: FlaskClient, api_for: Any) -> None:
    build(app)
    headers = api_for("viewer")
    first = client.get("/api/v1/claims?status=disputed&sort=-occurred&per_page=1", headers=headers)
    body = first.get_json()
    assert body["total"] == 3 and "status=disputed" in body["next"]
    second = client.get(body["next"], headers=headers).get_json()
    assert second["total"] == 3 and len(second["items"]) == 1
    assert second["items"][0]["status"] == "disputed"


def token(raw: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")


BAD_CURSORS = [
    "x", "!!!", "a" * 3000, "ünïcode", token({"sort": "-id"}), token([1, 2, 3, 4, 0]), token(["-id", None, 1, 0]),
    token(["-id", None, 0, 2, 0]), token(["-id", None, 1, 1, 0]), token(["-id", None, True, 2, 0]),
    token(["-id", None, 2 ** 40, 2, 0]), token(["-id", None, 1, 10 ** 9, 0]), token(["-id", [1], 1, 2, 0]),
    token(["-id", None, 1, 2, 2]), token(["-id", None, 1, 2, True]), token(["-id", None, 1, 2]),
    token(["occurred", None, 1, 2, 0]),  # made for another sort
    base64.urlsafe_b64encode(b"\xff\xfe").decode(), base64.urlsafe_b64encode(b"[").decode(),
]


@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_a_bad_cursor_is_a_400_problem(app: Flask, client: FlaskClient, api_for: Any, cursor: str) -> None:
    response = client.get("/api/v1/claims", query_string={"after": cursor}, headers=api_for("viewer"))
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert set(response.get_json()["errors"]) == {"after"}


@pytest.mark.parametrize(("sort", "value"), [("occurred", 5), ("occurred", "2015-13-01"), ("occurred", "March"),
                                             ("text", 7), ("-status", None), ("id", None)])
def test_a_cursor_value_of_the_wrong_type_is_a_400_problem(app: Flask, client: FlaskClient, api_for: Any,
                                                            sort: str, value: Any) -> None:
    cursor = token([sort, value, 1, 2, 0] if sort != "id" else ["-id", None, 1, 2, 0])
    response = client.get("/api/v1/claims", query_string={"after": cursor, "sort": sort},
                          headers=api_for("viewer"))
    if sort == "id":  # the default order is -id: a cursor for it does not fit ?sort=id
        assert response.status_code == 400
        return
    assert response.status_code == 400 and response.mimetype == "application/problem+json"


def test_the_web_list_next_link_follows_the_cursor(app: Flask, client_for: Any) -> None:
    build(app)
    viewer = client_for("viewer")
    url: str | None = "/claims?sort=-occurred&per_page=2"
    seen: list[int] = []
    while url:
        page = viewer.get(url)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        rows = text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        seen += [int(i) for i in dict.fromkeys(re.findall(r'href="/claims/(\d+)"', rows))]
        found = re.search(r'<a href="([^"]+)" rel="next">', text)
        url = html.unescape(found.group(1)) if found else None
        if url:
            assert "after=" in url and not re.search(r"[?&]page=", url)
    assert len(seen) == len(set(seen)) == 7
    bad = viewer.get("/claims?after=nonsense")
    assert bad.status_code == 400


def test_list_pages_run_a_bounded_number_of_queries(app: Flask, client: FlaskClient, api_for: Any) -> None:
    build(app)
    headers = api_for("viewer")
    for plural in RESOURCES:
        counts = []
        for url in (f"/api/v1/{plural}?per_page=2", f"/api/v1/{plural}?per_page=5&page=2"):
            first = client.get(url, headers=headers).get_json()
            with query_counter(app) as seen:
                assert client.get(first["next"] or url, headers=headers).status_code == 200
            counts.append(len(seen))
        # BEGIN, the user, the ids (two segments at most, or a count to skip one), the rows, the total,
        # and the page's batch loads: never one more per row
        assert max(counts) <= 10, (plural, counts)


def test_the_speaker_search_runs_a_bounded_number_of_queries(app: Flask, client: FlaskClient,
                                                              api_for: Any) -> None:
    with app.app_context():
        world = World(db.session)
        for i in range(12):
            parent = world.statement(world.sources[0], world.qahtani, f"said {i}", stated="2015-03-01")
            world.statement(world.sources[0], world.spokes, f"relayed {i}", reported_by_id=parent["id"])
    headers = api_for("viewer")
    client.get("/api/v1/search?speaker=Abu Omar", headers=headers)  # the token's last use is recorded
    for per_page in (2, 10):
        with query_counter(app) as seen:
            body = client.get(f"/api/v1/search?speaker=Abu Omar&per_page={per_page}", headers=headers).get_json()
        assert len(body["items"]) == per_page and body["total"] == 12
        assert [level["speaker"]["name"] for level in body["items"][0]["chain"]] == ["Abu Maria al-Qahtani",
                                                                                      "Abu Omar"]
        # BEGIN, the token and its user, the names, the page (with its count, sources, speakers and the
        # statements they report through); one more per further level of reporting (none here)
        assert len(seen) <= 4, seen


def test_stmt_rows_read_as_the_views_read(app: Flask) -> None:
    with app.app_context():
        world = World(db.session)
        top = world.statement(world.communique, world.nusra, "Nusra said", stated="2015-02")
        world.statement(world.sources[1], world.qahtani, "Qahtani said", stated="2015")
        world.statement(world.communique, world.spokes, "Omar relayed", reported_by_id=top["id"], hedge="reportedly")
        session = db.session
        entities = list(session.scalars(select(Statement).order_by(Statement.id)))
        rows = list(session.execute(select(*VIEW_COLUMNS).order_by(Statement.id)))
        stances = {entities[0].id: "asserts"}
        views = [v.stmt() for v in statement_views(session, entities, stances=stances)]
        assert stmts(session, rows, stances=stances) == views
        joined = list(session.execute(stmt_query().order_by(Statement.id)))
        assert stmts(session, joined, stances=stances) == views
        assert views[2]["chain"][0]["speaker"]["name"] == "Nusra Front"


def test_a_capped_total_is_carried_by_the_cursor(app: Flask, client: FlaskClient, api_for: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from claimdb.services import paging

    build(app)
    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    headers = api_for("viewer")
    first = client.get("/api/v1/statements?per_page=2", headers=headers)
    assert first.headers.get("X-Total-Capped") == "true" and first.get_json()["total"] == 3
    with query_counter(app) as seen:
        second = client.get(first.get_json()["next"], headers=headers)
    assert second.headers.get("X-Total-Capped") == "true" and second.get_json()["total"] >= 4
    assert not any("count(" in sql.lower() for sql in seen)  # not counted again
    ids, _ = follow(client, "/api/v1/statements?per_page=2", headers)
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 9
