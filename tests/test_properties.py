"""Properties of the services that must hold for any input, not just the examples we thought of.

Hypothesis drives the record services (the path every form, API call and import takes) on both
engines. Examples are few and unhurried (deadline None) so CI stays short; the database is wiped
between examples.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, text

from claimdb.db import Base, db
from claimdb.errors import Invalid
from claimdb.models import values
from claimdb.normalize import normalize_name
from claimdb.partialdate import PartialDate
from claimdb.services.exchange import document_import, exports
from claimdb.services.paging import Page
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES
from claimdb.services.search import names

from web_support import snapshot

FEW = settings(max_examples=15, deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                      HealthCheck.data_too_large])


def wipe(_app: Flask) -> None:
    """Every table empty and ids from 1 again (an import into an empty database keeps the file's ids).

    Runs in the test's own app context: a nested one would have a second session, and on SQLite a
    second writer waiting for the first."""
    db.session.rollback()
    # DELETE, not TRUNCATE: far cheaper on tables this small, and ids need not restart (an import
    # into empty tables keeps the file's ids whatever the sequences say).
    db.session.execute(text("UPDATE statement SET reported_by_id = NULL"))  # statements report statements
    for table in reversed(Base.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


def rows(app: Flask) -> Any:
    """Every row of every table (snapshot reads in its own session, so end ours first)."""
    db.session.rollback()
    return snapshot(app)


def make(noun: str, **payload: Any) -> dict[str, Any]:
    return lifecycle.create(db.session, RESOURCES[noun], payload)


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäéñşçABCDEZ", min_size=1, max_size=8)
phrases = st.lists(words, min_size=1, max_size=6).map(" ".join)
partial_dates = st.one_of(
    st.integers(1000, 2100).map(str),
    st.tuples(st.integers(1000, 2100), st.integers(1, 12)).map(lambda t: f"{t[0]:04d}-{t[1]:02d}"),
    st.dates(datetime.date(1000, 1, 1), datetime.date(2100, 12, 31)).map(lambda d: d.isoformat()),
)


# ---------------------------------------------------------------- partial dates


@FEW
@given(dates=st.lists(partial_dates, min_size=1, max_size=6))
def test_partial_dates_round_trip_through_records_and_sort_in_order(ctx: Flask, dates: list[str]) -> None:
    wipe(ctx)
    for n, value in enumerate(dates):
        made = make("claims", text=f"dated claim {n}", occurred=value)
        parsed = PartialDate.parse(value)
        assert made["occurred"] == parsed.isoformat() == value
        assert PartialDate.parse(parsed.isoformat()) == parsed
    page = lifecycle.list_records(db.session, RESOURCES["claims"], {"sort": "occurred"},
                                  Page(1, 50))
    firsts = [c.occurred for c in page.items]
    assert firsts == sorted(firsts)


# ---------------------------------------------------------------- names


articles = st.sampled_from(["", "al-", "Al ", "the ", "el-"])


ARTICLES = {"al", "el", "ul", "the"}
meaningful_names = phrases.filter(lambda n: any(w.casefold() not in ARTICLES for w in n.split()))


@FEW
@given(name=meaningful_names, article=articles)
def test_a_name_is_found_whatever_its_case_diacritics_hyphens_and_article(ctx: Flask, name: str,
                                                                          article: str) -> None:
    wipe(ctx)
    key = normalize_name(name)
    assert normalize_name(key) == key  # idempotent
    actor = make("actors", name=name, kind="person")
    plain = name.translate(str.maketrans("äéñşç", "aensc"))
    for variant in (name.upper(), name.lower(), plain, name.replace(" ", "-"), article + name):
        assert normalize_name(variant) == key, (name, variant)
        found = names.resolve(db.session, variant)
        assert actor["id"] in [a.id for a in found.actors], (name, variant)


# ---------------------------------------------------------------- chains


@FEW
@given(edits=st.lists(st.tuples(st.integers(0, 4), st.one_of(st.none(), st.integers(0, 4))), min_size=1,
                      max_size=12))
def test_no_reported_by_edit_ever_makes_a_cycle(ctx: Flask, edits: list[tuple[int, int | None]]) -> None:
    wipe(ctx)
    speaker = make("actors", name="Speaker", kind="person")["id"]
    source = make("sources", title="A source", kind="news_article", body="")["id"]
    ids = [make("statements", source_id=source, speaker_id=speaker, text=f"s{n}", quote_type="paraphrase")["id"]
           for n in range(5)]
    for child, parent in edits:
        current = lifecycle.get(db.session, RESOURCES["statements"], ids[child])
        before = {i: lifecycle.get(db.session, RESOURCES["statements"], i)["reported_by_id"] for i in ids}
        try:
            lifecycle.update(db.session, RESOURCES["statements"], ids[child], {
                "version": current["version"], "reported_by_id": None if parent is None else ids[parent]})
        except Invalid as e:
            assert e.errors.get("reported_by_id"), e.errors
            after = {i: lifecycle.get(db.session, RESOURCES["statements"], i)["reported_by_id"] for i in ids}
            assert after == before  # refused: nothing changed
        parents = {i: lifecycle.get(db.session, RESOURCES["statements"], i)["reported_by_id"] for i in ids}
        for start in ids:  # every chain ends at the source within as many steps as there are statements
            seen, at = set(), start
            while at is not None:
                assert at not in seen, f"cycle through {at}"
                seen.add(at)
                at = parents[at]


# ---------------------------------------------------------------- spans


body_words = st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "Nusra", "Hazzm", "said", "the", ","]),
                      min_size=3, max_size=30).map(" ".join)
body_edits = st.lists(st.tuples(st.sampled_from(["insert", "delete", "replace"]), st.integers(0, 400),
                                st.integers(0, 20), st.sampled_from(["", "x", " alpha ", "QUOTE", "the QUOTE "])),
                      min_size=1, max_size=4)


def _apply(body: str, edit: tuple[str, int, int, str]) -> str:
    action, at, length, piece = edit
    at = min(at, len(body))
    if action == "insert":
        return body[:at] + piece + body[at:]
    if action == "delete":
        return body[:at] + body[at + length:]
    return body[:at] + piece + body[at + length:]


@FEW
@given(before=body_words, after=body_words, edits=body_edits)
def test_a_span_moves_with_its_quote_or_the_edit_is_refused(ctx: Flask, before: str, after: str,
                                                            edits: list[tuple[str, int, int, str]]) -> None:
    wipe(ctx)
    quote = "QUOTE said QUOTE-END"
    body = f"{before} {quote} {after}"
    speaker = make("actors", name="Speaker", kind="person")["id"]
    source = make("sources", title="A source", kind="news_article", body=body)
    start = body.index(quote)
    st_id = make("statements", source_id=source["id"], speaker_id=speaker, text=quote, quote_type="direct",
                 span={"start": start, "end": start + len(quote)})["id"]
    for edit in edits:
        current = lifecycle.get(db.session, RESOURCES["sources"], source["id"])
        new_body = _apply(current["body"], edit)
        try:
            lifecycle.update(db.session, RESOURCES["sources"], source["id"],
                             {"version": current["version"], "body": new_body})
        except Invalid as e:
            assert e.detail and e.errors  # refused, saying why
            assert lifecycle.get(db.session, RESOURCES["sources"], source["id"])["body"] == current["body"]
            continue
        stored = lifecycle.get(db.session, RESOURCES["sources"], source["id"])["body"]
        assert stored == new_body
        statement = lifecycle.get(db.session, RESOURCES["statements"], st_id)
        span = statement["span"]
        assert span is not None and stored[span["start"]:span["end"]] == quote  # moved with its quote


# ---------------------------------------------------------------- import and export


@st.composite
def documents(draw: Any) -> dict[str, Any]:
    """An arbitrary valid claimdb/1 document: actors, sources, claims, statements with reporting chains."""
    n_actors = draw(st.integers(1, 4))
    actors = [{"id": i + 1, "name": f"{draw(phrases)} {i}", "kind": draw(st.sampled_from(sorted(values.ActorKind))),
               "aliases": [{"name": f"{draw(phrases)} alias {i}"}] if draw(st.booleans()) else []}
              for i in range(n_actors)]
    n_sources = draw(st.integers(1, 3))
    sources = [{"id": i + 1, "title": draw(phrases), "kind": draw(st.sampled_from(sorted(values.SourceKind))),
                "published": draw(st.one_of(st.none(), partial_dates)), "body": draw(phrases)}
               for i in range(n_sources)]
    claims = [{"id": i + 1, "text": draw(phrases), "status": draw(st.sampled_from(sorted(values.ClaimStatus))),
               "occurred": draw(st.one_of(st.none(), partial_dates)),
               "tags": sorted(set(draw(st.lists(words, max_size=3))))}
              for i in range(draw(st.integers(0, 4)))]
    statements: list[dict[str, Any]] = []
    for i in range(draw(st.integers(0, 6))):
        source = draw(st.integers(1, n_sources))
        earlier = [s["id"] for s in statements if s["source_id"] == source]
        links = [{"claim_id": c["id"], "stance": draw(st.sampled_from(sorted(values.Stance))),
                  "certainty": draw(st.sampled_from(sorted(values.Certainty)))}
                 for c in claims if draw(st.booleans())]
        statements.append({"id": i + 1, "source_id": source, "speaker_id": draw(st.integers(1, n_actors)),
                           "reported_by_id": draw(st.sampled_from([None, *earlier])), "text": draw(phrases),
                           "quote_type": draw(st.sampled_from(sorted(values.QuoteType))), "claims": links})
    return {"format": "claimdb/1", "actors": actors, "sources": sources, "claims": claims, "statements": statements}


def _export() -> dict[str, Any]:
    return json.loads("".join(exports.document_chunks(db.session)))


@FEW
@given(doc=documents())
def test_any_valid_document_survives_an_import_export_round_trip(ctx: Flask, doc: dict[str, Any]) -> None:
    wipe(ctx)
    document_import.import_document(db.session, json.loads(json.dumps(doc)))
    first = _export()
    for section in ("actors", "sources", "claims", "statements"):
        assert len(first[section]) == len(doc[section])
        for mine, out in zip(doc[section], first[section], strict=True):
            for key, value in mine.items():
                if key == "aliases":
                    assert [a["name"] for a in out[key]] == [a["name"] for a in value]
                elif key == "claims":
                    assert sorted(json.dumps(x, sort_keys=True) for x in out[key]) == sorted(
                        json.dumps(x, sort_keys=True) for x in value)
                else:
                    assert out[key] == value, (section, key)
    wipe(ctx)
    document_import.import_document(db.session, first)
    assert _export() == first


def _break(doc: dict[str, Any], how: str) -> dict[str, Any]:
    broken = json.loads(json.dumps(doc))
    if how == "missing reference":
        broken["statements"].append({"id": 999, "source_id": 77, "speaker_id": 1, "text": "x",
                                     "quote_type": "direct"})
    elif how == "unknown field":
        broken["actors"][0]["colour"] = "red"
    elif how == "wrong type":
        broken["sources"][0]["title"] = 42
    elif how == "bad date":
        broken["sources"][0]["published"] = "the day after"
    elif how == "duplicate id":
        broken["actors"].append(dict(broken["actors"][0]))
    elif how == "cycle":
        broken["statements"] += [
            {"id": 900, "source_id": 1, "speaker_id": 1, "reported_by_id": 901, "text": "a", "quote_type": "direct"},
            {"id": 901, "source_id": 1, "speaker_id": 1, "reported_by_id": 900, "text": "b", "quote_type": "direct"}]
    elif how == "unknown section":
        broken["rumours"] = []
    return broken


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                        max_size=3), max_leaves=10)


@FEW
@given(doc=documents(), how=st.sampled_from(["missing reference", "unknown field", "wrong type", "bad date",
                                             "duplicate id", "cycle", "unknown section"]), junk=json_values)
def test_an_invalid_document_is_refused_with_a_message_and_writes_nothing(ctx: Flask, doc: dict[str, Any],
                                                                          how: str, junk: Any) -> None:
    wipe(ctx)
    make("actors", name="Already here", kind="person")
    before = rows(ctx)
    for bad in (_break(doc, how), junk, {"format": "claimdb/1", "actors": junk}):
        if isinstance(bad, dict) and bad.get("format") == "claimdb/1" and bad.get("actors") in ([], None):
            continue  # an empty document is valid
        with pytest.raises(Invalid) as refused:
            document_import.import_document(db.session, bad)
        assert refused.value.detail and refused.value.errors, how
        db.session.rollback()
        assert rows(ctx) == before, how
