"""The database itself refuses what breaks the model, whatever code writes to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from claimdb.models import (
    Accusation,
    Actor,
    ActorAlias,
    Affiliation,
    Claim,
    Contradiction,
    Source,
    Statement,
    StatementClaim,
    User,
)


@pytest.fixture
def base(session: Any) -> dict[str, int]:
    """Two actors, a source, a statement and two claims, committed."""
    a = Actor(name="Nusra Front", normalized="nusra front", kind="faction")
    b = Actor(name="Hazzm", normalized="hazzm", kind="faction")
    src = Source(title="Article", kind="news_article", body="Nusra said Hazzm kidnapped four members.")
    c1, c2 = Claim(text="Hazzm kidnapped four Nusra members"), Claim(text="Nobody was kidnapped")
    session.add_all([a, b, src, c1, c2])
    session.flush()
    st = Statement(source_id=src.id, speaker_id=a.id, text="Hazzm kidnapped", quote_type="indirect")
    session.add(st)
    session.commit()
    return {"a": a.id, "b": b.id, "src": src.id, "st": st.id, "c1": c1.id, "c2": c2.id}


def _refused(session: Any, record: Any) -> None:
    session.add(record)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


BAD: list[tuple[str, Any]] = [
    ("actor kind", lambda ids: Actor(name="X", normalized="x", kind="wizard")),
    ("actor reliability", lambda ids: Actor(name="X", normalized="x", kind="person", reliability="Z")),
    ("source kind", lambda ids: Source(title="t", kind="tweetstorm", body="")),
    ("source reliability", lambda ids: Source(title="t", kind="report", body="", reliability="G")),
    ("published precision", lambda ids: Source(title="t", kind="report", body="", published=dt.date(2015, 1, 1),
                                               published_precision="week")),
    ("date without precision", lambda ids: Source(title="t", kind="report", body="", published=dt.date(2015, 1, 1))),
    ("quote type", lambda ids: Statement(source_id=ids["src"], speaker_id=ids["a"], text="t", quote_type="rumour")),
    ("credibility", lambda ids: Statement(source_id=ids["src"], speaker_id=ids["a"], text="t", quote_type="direct",
                                          credibility=7)),
    ("span order", lambda ids: Statement(source_id=ids["src"], speaker_id=ids["a"], text="t", quote_type="direct",
                                         span_start=9, span_end=3)),
    ("half a span", lambda ids: Statement(source_id=ids["src"], speaker_id=ids["a"], text="t", quote_type="direct",
                                          span_start=3)),
    ("missing speaker", lambda ids: Statement(source_id=ids["src"], speaker_id=999, text="t", quote_type="direct")),
    ("stance", lambda ids: StatementClaim(statement_id=ids["st"], claim_id=ids["c1"], stance="maybe",
                                          certainty="unknown")),
    ("certainty", lambda ids: StatementClaim(statement_id=ids["st"], claim_id=ids["c1"], stance="asserts",
                                             certainty="sure")),
    ("claim status", lambda ids: Claim(text="t", status="true")),
    ("self accusation", lambda ids: Accusation(statement_id=ids["st"], accuser_id=ids["a"], accused_id=ids["a"],
                                               act="x")),
    ("self affiliation", lambda ids: Affiliation(member_id=ids["a"], organization_id=ids["a"], role="member")),
    ("affiliation role", lambda ids: Affiliation(member_id=ids["a"], organization_id=ids["b"], role="friend")),
    ("end before start", lambda ids: Affiliation(member_id=ids["a"], organization_id=ids["b"], role="member",
                                                 start_on=dt.date(2015, 1, 1), start_on_precision="year",
                                                 end_on=dt.date(2014, 1, 1), end_on_precision="year",
                                                 end_last=dt.date(2014, 12, 31))),
    ("self contradiction", lambda ids: Contradiction(claim_a_id=ids["c1"], claim_b_id=ids["c1"], kind="negation")),
    ("contradiction kind", lambda ids: Contradiction(claim_a_id=ids["c1"], claim_b_id=ids["c2"], kind="vibes")),
    ("user role", lambda ids: User(username="u", password_hash="x", role="root")),
]


@pytest.mark.parametrize("make", [m for _, m in BAD], ids=[n for n, _ in BAD])
def test_database_refuses(session: Any, base: dict[str, int], make: Any) -> None:
    _refused(session, make(base))


def test_contradiction_pair_is_unique_in_either_order(session: Any, base: dict[str, int]) -> None:
    session.add(Contradiction(claim_a_id=base["c1"], claim_b_id=base["c2"], kind="negation"))
    session.commit()
    _refused(session, Contradiction(claim_a_id=base["c2"], claim_b_id=base["c1"], kind="negation"))


def test_alias_normalized_form_is_unique_per_actor(session: Any, base: dict[str, int]) -> None:
    session.add(ActorAlias(actor_id=base["a"], name="Jabhat al-Nusra", normalized="jabhat nusra"))
    session.commit()
    _refused(session, ActorAlias(actor_id=base["a"], name="Jabhat Nusra", normalized="jabhat nusra"))
    session.add(ActorAlias(actor_id=base["b"], name="Jabhat al-Nusra", normalized="jabhat nusra"))  # another actor
    session.commit()


def test_deleting_a_speaker_with_statements_is_restricted(session: Any, base: dict[str, int]) -> None:
    with pytest.raises(IntegrityError):
        session.execute(text("DELETE FROM actor WHERE id = :id"), {"id": base["a"]})
        session.flush()
    session.rollback()
    assert session.get(Actor, base["a"]) is not None


def test_username_is_unique(session: Any) -> None:
    session.add(User(username="anna", password_hash="x", role="viewer"))
    session.commit()
    _refused(session, User(username="anna", password_hash="y", role="admin"))
