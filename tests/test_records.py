"""The record services: attribution chains, audit, versions, guarded deletes, alias rules."""

from __future__ import annotations

from typing import Any

import pytest

from claimdb.errors import Conflict, InUse, Invalid
from claimdb.services import audit
from claimdb.services.records import lifecycle
from claimdb.services.records.chains import chain_sentence
from claimdb.services.records.registry import RESOURCES as R
from claimdb.services.search.names import resolve

BODY = ("Despite a statement from the Levant Force that it would intervene if fighting broke out between the two "
        "groups, no such action was taken, said Sham.")


@pytest.fixture
def article(session: Any) -> dict[str, Any]:
    """The nested attribution of the sample article, built through the services."""
    outlet = lifecycle.create(session, R["actors"], {"name": "The outlet", "kind": "media"})
    sham = lifecycle.create(session, R["actors"], {"name": "Mujahed al-Sham", "kind": "person"})
    levant = lifecycle.create(session, R["actors"], {
        "name": "Levant Front", "kind": "faction",
        "aliases": [{"name": "Levant Force", "language": "en"}, {"name": "الجبهة الشامية", "language": "ar"},
                    {"name": "the Levant-Front"}]})
    src = lifecycle.create(session, R["sources"], {"title": "Article", "kind": "news_article",
                                                  "publisher_id": outlet["id"], "body": BODY})
    said = lifecycle.create(session, R["statements"], {
        "source_id": src["id"], "speaker_id": sham["id"], "text": "no such action was taken",
        "quote_type": "indirect", "cue": "said", "span": {"start": BODY.index("no such"), "end": BODY.index(", said")}})
    pledge = lifecycle.create(session, R["statements"], {
        "source_id": src["id"], "speaker_id": levant["id"], "reported_by_id": said["id"],
        "text": "it would intervene if fighting broke out", "quote_type": "indirect", "cue": "stated"})
    detail = lifecycle.create(session, R["statements"], {
        "source_id": src["id"], "speaker_id": levant["id"], "reported_by_id": pledge["id"],
        "text": "between the two groups", "quote_type": "paraphrase", "hedge": "reportedly"})
    return {"outlet": outlet, "sham": sham, "levant": levant, "src": src, "said": said, "pledge": pledge,
            "detail": detail}


def test_a_three_level_chain_reads_outermost_first(session: Any, article: dict[str, Any]) -> None:
    chain = lifecycle.get(session, R["statements"], article["detail"]["id"])["chain"]
    assert [level["speaker"]["name"] for level in chain] == ["Mujahed al-Sham", "Levant Front", "Levant Front"]
    assert [level["statement_id"] for level in chain][-1] == article["detail"]["id"]
    sentence = chain_sentence("news_article", chain[:2])
    assert sentence == "The article reports that Mujahed al-Sham said that Levant Front stated"
    assert "(reportedly)" in chain_sentence("news_article", chain)


def test_duplicate_aliases_are_kept_once_first_spelling_wins(article: dict[str, Any]) -> None:
    names = [a["name"] for a in article["levant"]["aliases"]]
    assert names == ["Levant Force", "الجبهة الشامية"]  # "the Levant-Front" normalizes like the name


def test_aliases_resolve_names(session: Any, article: dict[str, Any]) -> None:
    assert [a.name for a in resolve(session, "levant force").actors] == ["Levant Front"]
    assert [a.name for a in resolve(session, "الجَبْهَة الشّامِيّة").actors] == ["Levant Front"]
    assert [a.name for a in resolve(session, "Sham").actors] == ["Mujahed al-Sham"]


def test_reporting_loops_and_other_sources_are_refused(session: Any, article: dict[str, Any]) -> None:
    said = article["said"]
    with pytest.raises(Invalid) as loop:
        lifecycle.update(session, R["statements"], said["id"], {"version": said["version"],
                                                               "reported_by_id": article["detail"]["id"]})
    assert "loop" in loop.value.errors["reported_by_id"]
    other = lifecycle.create(session, R["sources"], {"title": "Other", "kind": "report", "body": "x"})
    with pytest.raises(Invalid) as elsewhere:
        lifecycle.create(session, R["statements"], {"source_id": other["id"], "speaker_id": article["sham"]["id"],
                                                   "text": "t", "quote_type": "indirect",
                                                   "reported_by_id": said["id"]})
    assert "another source" in elsewhere.value.errors["reported_by_id"]


def test_stale_version_changes_nothing(session: Any, article: dict[str, Any]) -> None:
    claim = lifecycle.create(session, R["claims"], {"text": "The Levant Front intervened"})
    lifecycle.update(session, R["claims"], claim["id"], {"version": claim["version"], "status": "disputed"})
    with pytest.raises(Conflict) as stale:
        lifecycle.update(session, R["claims"], claim["id"], {"version": claim["version"], "status": "refuted"})
    assert stale.value.current is not None and stale.value.current["status"] == "disputed"
    assert lifecycle.get(session, R["claims"], claim["id"])["status"] == "disputed"


def test_collection_changes_bump_the_version(session: Any, article: dict[str, Any]) -> None:
    levant = article["levant"]
    after = lifecycle.update(session, R["actors"], levant["id"], {"version": levant["version"], "aliases": []})
    assert after["version"] == levant["version"] + 1 and after["aliases"] == []


def test_every_change_is_audited_with_before_and_after(session: Any, article: dict[str, Any]) -> None:
    claim = lifecycle.create(session, R["claims"], {"text": "Nusra attacked first"})
    changed = lifecycle.update(session, R["claims"], claim["id"],
                               {"version": 1, "text": "Nusra attacked Base 46 first"})
    lifecycle.delete(session, R["claims"], claim["id"])
    entries = audit.history(session, "claim", claim["id"])
    assert [e.action for e in entries] == ["delete", "update", "create"]
    update = entries[1]
    assert update.before["text"] == "Nusra attacked first" and update.after == changed
    assert [c.field for c in audit.changes(update)] == ["text"]


def test_an_unchanged_update_writes_nothing(session: Any, article: dict[str, Any]) -> None:
    claim = lifecycle.create(session, R["claims"], {"text": "x"})
    same = lifecycle.update(session, R["claims"], claim["id"], {"version": 1, "text": "x"})
    assert same["version"] == 1 and len(audit.history(session, "claim", claim["id"])) == 1


def test_delete_of_a_speaker_is_guarded(session: Any, article: dict[str, Any]) -> None:
    with pytest.raises(InUse) as in_use:
        lifecycle.delete(session, R["actors"], article["sham"]["id"])
    assert {d["type"] for d in in_use.value.dependants} == {"statement"}
    with pytest.raises(InUse):
        lifecycle.delete(session, R["statements"], article["said"]["id"])  # others are reported through it


def test_body_correction_moves_spans_and_refuses_orphans(session: Any, article: dict[str, Any]) -> None:
    src = article["src"]
    moved = lifecycle.update(session, R["sources"], src["id"], {"version": src["version"], "body": "UPDATE: " + BODY})
    said = lifecycle.get(session, R["statements"], article["said"]["id"])
    assert said["span"]["start"] == BODY.index("no such") + len("UPDATE: ")
    assert said["version"] == article["said"]["version"] + 1
    with pytest.raises(Invalid) as orphan:
        lifecycle.update(session, R["sources"], src["id"], {"version": moved["version"], "body": "All rewritten."})
    assert f"#{said['id']}" in orphan.value.errors["body"]


@pytest.mark.parametrize("payload,field", [
    ({"name": "x" * 501, "kind": "person"}, "name"),
    ({"name": "ok", "kind": "person", "colour": "red"}, "colour"),
    ({"name": 5, "kind": "person"}, "name"),
    ({"name": "tab\tok but bell\x07", "kind": "person"}, "name"),
    ({"name": "ok", "kind": "person", "aliases": [{"language": "en"}]}, "aliases.0.name"),
])
def test_bad_actor_input_is_refused_by_field(session: Any, payload: dict[str, Any], field: str) -> None:
    with pytest.raises(Invalid) as bad:
        lifecycle.create(session, R["actors"], payload)
    assert field in bad.value.errors


def test_a_noun_cue_still_reads_as_a_sentence() -> None:
    chain = [{"statement_id": 1, "speaker": {"id": 1, "name": "Levant Front"}, "cue": "statement", "hedge": None}]
    assert chain_sentence("news_article", chain) == "The article reports that Levant Front said (in a statement)"


def test_lists_put_undated_records_last_on_every_engine(session: Any) -> None:
    for text, occurred in (("undated", None), ("old", "2014"), ("new", "2015-03")):
        lifecycle.create(session, R["claims"], {"text": text, "occurred": occurred})
    for sort in ("occurred", "-occurred"):
        page = lifecycle.list_json(session, R["claims"], {"sort": sort}, lifecycle.Page())
        assert page.items[-1]["text"] == "undated"
    found = lifecycle.list_json(session, R["claims"], {"q": "NEW"}, lifecycle.Page())
    assert [c["text"] for c in found.items] == ["new"]  # case-insensitive on PostgreSQL too
