"""Attribution chains: who reported whom, outermost first, and the chain read as a sentence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimdb.models import Actor, Statement

MAX_CHAIN = 50  # deeper reporting than this is a data error, not journalism


def chains(session: Session, statements: Sequence[Statement]) -> dict[int, list[dict[str, Any]]]:
    """Each statement's attribution chain, outermost first, ending with itself.

    One query per level of nesting plus one for the speakers' names, whatever the number of statements.
    """
    rows: dict[int, tuple[int, int | None, str | None, str | None]] = {
        s.id: (s.speaker_id, s.reported_by_id, s.cue, s.hedge) for s in statements}
    wanted = {r[1] for r in rows.values() if r[1] is not None} - rows.keys()
    for _ in range(MAX_CHAIN):
        if not wanted:
            break
        found = session.execute(select(Statement.id, Statement.speaker_id, Statement.reported_by_id, Statement.cue,
                                       Statement.hedge).where(Statement.id.in_(wanted))).all()
        for r in found:
            rows[r.id] = (r.speaker_id, r.reported_by_id, r.cue, r.hedge)
        wanted = {r.reported_by_id for r in found if r.reported_by_id is not None} - rows.keys()
    names = dict(session.execute(select(Actor.id, Actor.name).where(
        Actor.id.in_({r[0] for r in rows.values()}))).all()) if rows else {}
    result = {}
    for s in statements:
        levels: list[dict[str, Any]] = []
        seen: set[int] = set()
        current: int | None = s.id
        while current is not None and current in rows and current not in seen:
            seen.add(current)
            speaker_id, parent, cue, hedge = rows[current]
            levels.append({"statement_id": current, "speaker": {"id": speaker_id, "name": names.get(speaker_id)},
                           "cue": cue, "hedge": hedge})
            current = parent
        result[s.id] = levels[::-1]
    return result


SOURCE_NOUNS = {
    "news_article": "The article", "communique": "The communiqué", "social_post": "The post", "video": "The video",
    "report": "The report", "interview": "The interview", "press_conference": "The press conference",
    "other": "The source",
}


def chain_sentence(source_kind: str, chain: Sequence[dict[str, Any]], text: str | None = None) -> str:
    """"The article reports that Mujahed al-Sham said that the Levant Front stated “…”"."""
    parts = [f"{SOURCE_NOUNS.get(source_kind, 'The source')} reports"]
    for level in chain:
        hedge = f" ({level['hedge']})" if level.get("hedge") else ""
        parts.append(f"{level['speaker']['name']}{hedge} {_verb(level.get('cue'))}")
    sentence = " that ".join(parts)
    return f"{sentence}: “{text}”" if text else sentence


NOUN_CUES = frozenset({"statement", "communique", "communiqué", "announcement", "report", "post", "video",
                       "interview", "letter", "message", "tweet", "press"})


def _verb(cue: str | None) -> str:
    """The cue as the chain's verb. Verbs read as they are ("said", "claims", "according to"); a noun
    cue such as "statement" becomes "said (in a statement)" so the sentence still reads."""
    if not cue:
        return "said"
    words = cue.lower().split()
    if words[0] in ("a", "an", "the") and len(words) > 1 and words[1] in NOUN_CUES:
        return f"said (in {cue})"
    if words[0] in NOUN_CUES:
        return f"said (in a {cue})"
    return cue
