"""Analysts saving at the same moment: nothing lost, nothing duplicated, one winner per version, never a 500.

Each thread has its own test client, so its own app context, session and connection (on PostgreSQL a
separate server connection). A barrier releases them together so their transactions really overlap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from claimdb.db import db
from claimdb.models import AuditEntry, Claim, Source, Statement

from web_support import build, form_fields, make, read, text

EDITORS = 8


def together(n: int, work: Callable[[int, threading.Barrier], Any]) -> list[Any]:
    """Run work(i, barrier) in n threads at once and return the results in order (re-raising errors)."""
    barrier = threading.Barrier(n, timeout=60)
    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(lambda i: work(i, barrier), range(n)))


def test_simultaneous_api_edits_of_one_version_have_exactly_one_winner(app: Flask, api_for: Any) -> None:
    d = build(app)
    headers = [api_for("analyst") for _ in range(EDITORS)]
    for noun, record_id, field in (("claims", d.claim, "text"), ("statements", d.denial, "text")):
        version = read(app, noun, record_id)["version"]

        def edit(i: int, barrier: threading.Barrier, noun: str = noun, record_id: int = record_id,
                 field: str = field, version: int = version) -> Any:
            client = app.test_client()
            barrier.wait()
            return client.patch(f"/api/v1/{noun}/{record_id}", headers=headers[i],
                                json={"version": version, field: f"Edited by analyst {i}"})

        responses = together(EDITORS, edit)
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200] + [409] * (EDITORS - 1), (noun, statuses)
        winner = next(r.get_json() for r in responses if r.status_code == 200)
        stored = read(app, noun, record_id)
        assert stored == winner and stored["version"] == version + 1
        for loser in (r.get_json() for r in responses if r.status_code == 409):
            assert loser["current"]["version"] >= version + 1  # the record as the winner left it
            assert loser["current"][field] == winner[field]
        with app.app_context():
            updates = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.action == "update", AuditEntry.entity_id == record_id,
                AuditEntry.entity == noun.removesuffix("s")))
        assert updates == 1


@pytest.mark.parametrize("noun", ["claims", "statements"])
def test_simultaneous_web_edits_keep_the_losers_input_and_show_the_diff(app: Flask, users: Any, client_for: Any,
                                                                         noun: str) -> None:
    d = build(app)
    record_id = d.claim if noun == "claims" else d.denial
    clients = [client_for("analyst") for _ in range(EDITORS)]
    forms = [form_fields(text(c.get(f"/{noun}/{record_id}/edit"))) for c in clients]
    version = forms[0]["version"]

    def edit(i: int, barrier: threading.Barrier) -> Any:
        barrier.wait()
        return clients[i].post(f"/{noun}/{record_id}/edit", data={**forms[i], "text": f"Typed by analyst {i}"})

    responses = together(EDITORS, edit)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302] + [409] * (EDITORS - 1), statuses
    stored = read(app, noun, record_id)
    assert stored["version"] == int(version) + 1
    for i, response in enumerate(responses):
        if response.status_code != 409:
            continue
        page = text(response)
        assert f"Typed by analyst {i}" in page  # the analyst's own input
        assert stored["text"] in page  # what the winner changed, in the diff
        assert 'class="conflict"' in page
        assert form_fields(page)["version"] == version


def test_many_writers_lose_and_duplicate_nothing(app: Flask, api_for: Any) -> None:
    d = build(app)
    writers, each = 6, 4
    headers = [api_for("analyst") for _ in range(writers)]

    def work(i: int, barrier: threading.Barrier) -> list[tuple[int, int]]:
        client = app.test_client()
        barrier.wait()
        done = []
        for k in range(each):
            made = client.post("/api/v1/claims", headers=headers[i], json={"text": f"claim {i}.{k}"})
            assert made.status_code == 201, made.get_json()
            claim = made.get_json()
            edited = client.patch(f"/api/v1/claims/{claim['id']}", headers=headers[i],
                                  json={"version": claim["version"], "status": "disputed", "tags": [f"w{i}"]})
            assert edited.status_code == 200, edited.get_json()
            st = client.post("/api/v1/statements", headers=headers[i], json={
                "source_id": d.source, "speaker_id": d.nusra, "text": f"said {i}.{k}", "quote_type": "paraphrase",
                "claims": [{"claim_id": claim["id"], "stance": "asserts", "certainty": "certain"}]})
            assert st.status_code == 201, st.get_json()
            # Everyone also edits the one shared source now and then; conflicts are allowed, 500s are not.
            source = client.get(f"/api/v1/sources/{d.source}", headers=headers[i]).get_json()
            shared = client.patch(f"/api/v1/sources/{d.source}", headers=headers[i],
                                  json={"version": source["version"], "author": f"writer {i}.{k}"})
            assert shared.status_code in (200, 409), shared.get_json()
            done.append((claim["id"], st.get_json()["id"]))
        return done

    made = [pair for batch in together(writers, work) for pair in batch]
    claim_ids = [c for c, _ in made]
    assert len(set(claim_ids)) == writers * each
    with app.app_context():
        texts = db.session.scalars(select(Claim.text).where(Claim.id.in_(claim_ids))).all()
        assert sorted(texts) == sorted(f"claim {i}.{k}" for i in range(writers) for k in range(each))
        assert set(db.session.scalars(select(Claim.status).where(Claim.id.in_(claim_ids)))) == {"disputed"}
        said = db.session.scalar(select(func.count()).select_from(Statement).where(Statement.text.like("said %")))
        assert said == writers * each
        source = db.session.get(Source, d.source)
        assert source is not None
        author_updates = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity == "source", AuditEntry.action == "update"))
        assert source.version == 1 + author_updates  # every accepted edit is one version, none lost


def test_a_delete_racing_creates_leaves_no_orphan_and_no_500(app: Flask, api_for: Any) -> None:
    d = build(app)
    outlet = make(app, "actors", {"name": "Short-lived outlet", "kind": "media"})
    source = make(app, "sources", {"title": "Doomed source", "kind": "news_article", "publisher_id": outlet,
                                   "body": "Somebody said something."})
    admin = api_for("admin")
    analysts = [api_for("analyst") for _ in range(EDITORS - 1)]

    def work(i: int, barrier: threading.Barrier) -> int:
        client = app.test_client()
        barrier.wait()
        if i == 0:
            return int(client.delete(f"/api/v1/sources/{source}", headers=admin).status_code)
        return int(client.post("/api/v1/statements", headers=analysts[i - 1], json={
            "source_id": source, "speaker_id": d.hazzm, "text": f"racer {i}", "quote_type": "paraphrase"}).status_code)

    statuses = together(EDITORS, work)
    assert all(s < 500 for s in statuses), statuses
    with app.app_context():
        exists = db.session.get(Source, source) is not None
        racers = db.session.scalar(select(func.count()).select_from(Statement).where(Statement.source_id == source))
        orphans = db.session.scalar(select(func.count()).select_from(Statement).where(
            Statement.source_id.not_in(select(Source.id))))
    assert orphans == 0
    if statuses[0] == 204:
        assert not exists and racers == 0 and all(s in (201, 409, 422) for s in statuses[1:])
        assert all(s != 201 for s in statuses[1:])  # a statement created before the delete would have blocked it
    else:
        assert statuses[0] == 409 and exists and racers == statuses[1:].count(201) > 0
