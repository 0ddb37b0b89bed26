"""Attribution chains: who reported whom, outermost first, and the chain read as a sentence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from claimdb.models import Actor, Statement

MAX_CHAIN = 50  # deeper reporting than this is a data error, not journalism


# One level of a chain: the statement's speaker, the statement it reports through, its cue and hedge.
Level = tuple[int, int | None, str | None, str | None]

_PARENTS = (select(Statement.id, Statement.speaker_id, Actor.name, Statement.reported_by_id, Statement.cue,
                   Statement.hedge).join(Actor, Actor.id == Statement.speaker_id)
            .where(Statement.id.in_(bindparam("ids", expanding=True))))
_NAMES = select(Actor.id, Actor.name).where(Actor.id.in_(bindparam("ids", expanding=True)))


def chains(session: Session, statements: Sequence[Statement]) -> dict[int, list[dict[str, Any]]]:
    """Each statement's attribution chain, outermost first, ending with itself.

    One query per level of nesting plus one for the speakers' names, whatever the number of statements.
    """
    levels = {s.id: (s.speaker_id, s.reported_by_id, s.cue, s.hedge) for s in statements}
    return walk_chains(session, [s.id for s in statements], levels, {})


def walk_chains(session: Session, ids: Sequence[int], levels: dict[int, Level],
                names: dict[int, str | None]) -> dict[int, list[dict[str, Any]]]:
    """The chains of `ids`, given the levels and speakers' names already at hand (both are completed in
    place): one query per missing level of nesting (names included), one for any names still missing.
    Plain columns, so they are read on the connection, without the ORM's result processing."""
    wanted = {r[1] for r in levels.values() if r[1] is not None} - levels.keys()
    for _ in range(MAX_CHAIN):
        if not wanted:
            break
        found = session.connection().execute(_PARENTS, {"ids": list(wanted)}).all()
        for r in found:
            levels[r.id] = (r.speaker_id, r.reported_by_id, r.cue, r.hedge)
            names[r.speaker_id] = r.name
        wanted = {r.reported_by_id for r in found if r.reported_by_id is not None} - levels.keys()
    unnamed = {r[0] for r in levels.values()} - names.keys()
    if unnamed:
        names.update((r.id, r.name) for r in session.connection().execute(_NAMES, {"ids": list(unnamed)}))
    result = {}
    for statement_id in ids:
        chain: list[dict[str, Any]] = []
        seen: set[int] = set()
        current: int | None = statement_id
        while current is not None and current in levels and current not in seen:
            seen.add(current)
            speaker_id, parent, cue, hedge = levels[current]
            chain.append({"statement_id": current, "speaker": {"id": speaker_id, "name": names.get(speaker_id)},
                          "cue": cue, "hedge": hedge})
            current = parent
        result[statement_id] = chain[::-1]
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
