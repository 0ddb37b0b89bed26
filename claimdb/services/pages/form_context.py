"""What the statement and source forms look up around the record being typed: briefs, candidates, losses.

Small, single-purpose queries, each bounded, so a form page stays fast on a big archive.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only, selectinload

from claimdb import attribution
from claimdb.attribution import Suggestion
from claimdb.errors import Invalid, NotFound
from claimdb.models import Actor, Source, Statement
from claimdb.partialdate import PartialDate
from claimdb.services.records.spans import Anchor, reanchor
from claimdb.services.search import names


def source_brief(session: Session, source_id: int | None) -> Source | None:
    """A source's title and body length for the statement form, without the relationship loads."""
    if source_id is None:
        return None
    return session.scalars(select(Source).where(Source.id == source_id)
                           .options(load_only(Source.id, Source.title, Source.kind, Source.body, Source.published,
                                              Source.published_precision))).first()


def statement_brief(session: Session, statement_id: int | None) -> Statement | None:
    """A statement with its speaker, to name a reporting statement on a form."""
    if statement_id is None:
        return None
    return session.scalars(select(Statement).where(Statement.id == statement_id)
                           .options(selectinload(Statement.speaker))).first()


def enclosing_statements(session: Session, source_id: int, start: int, end: int) -> list[Statement]:
    """Statements of the source whose span contains [start, end): candidates to report a selection through.

    Innermost first, so the likeliest reporter comes first.
    """
    return list(session.scalars(
        select(Statement).where(Statement.source_id == source_id, Statement.span_start <= start,
                                Statement.span_end >= end)
        .options(selectinload(Statement.speaker))
        .order_by((Statement.span_end - Statement.span_start), Statement.id).limit(5)))


def lost_spans(session: Session, source_id: int, body: str) -> list[Statement]:
    """The statements whose quoted span a corrected body would lose (as the source's update will refuse)."""
    statements = session.scalars(select(Statement).where(Statement.source_id == source_id,
                                                         Statement.span_start.is_not(None))
                                 .options(selectinload(Statement.speaker)).order_by(Statement.span_start)).all()
    return [st for st in statements
            if reanchor(body, Anchor(st.span_start or 0, st.span_end or 0, st.span_prefix or "", st.span_quote or "",
                                     st.span_suffix or "")) is None]


def recent_speakers(session: Session, source_id: int, limit: int = 200) -> list[Actor]:
    """Every speaker of a source (up to `limit`), most recent first: one-click picks on the next form."""
    latest = (select(Statement.speaker_id, func.max(Statement.id).label("last"))
              .where(Statement.source_id == source_id).group_by(Statement.speaker_id).subquery())
    return list(session.scalars(select(Actor).join(latest, latest.c.speaker_id == Actor.id)
                                .order_by(latest.c.last.desc()).limit(limit)))


# ---------------------------------------------------------------- prefill from a selection

QUOTES = "\"“”«»„‘’'"
NAME_RUN = re.compile(r"(?:[A-Z][\w'’-]*|al-[A-Z][\w'’-]*)(?:\s+(?:(?:al|of|the|de|bin|ibn|abu|Abu)[\s-]+)?"
                      r"(?:[A-Z][\w'’-]*|al-[A-Z][\w'’-]*))*")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LOOKBACK = 400  # characters before a selection searched for the speaker's name
MAX_NAME_TRIES = 8


@dataclass
class Guess:
    """What a selection's surroundings suggest for a new statement: every value editable, each with why."""

    values: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def put(self, name: str, value: Any, reason: str) -> None:
        if value not in (None, "") and name not in self.values:
            self.values[name] = str(value)
            self.reasons[name] = reason


@lru_cache(maxsize=8)
def _suggestions(body: str) -> tuple[Suggestion, ...]:
    """The attribution rules' proposals for a body (pure text analysis, cached: bodies repeat per source)."""
    return tuple(attribution.suggest(body))


def overlapping_suggestion(body: str, start: int, end: int) -> Suggestion | None:
    """The proposal that covers most of the selection (at least half of it), the tighter fit winning a tie:
    selecting "Trump" in "Clinton blasts Trump over …" still finds the proposal with its cue and speaker."""
    best, score = None, 0.0
    for s in _suggestions(body):
        shared = min(end, s.span.end) - max(start, s.span.start)
        if shared <= 0 or shared / (end - start) < 0.5:
            continue
        value = shared / (end - start) + 0.5 * shared / (s.span.end - s.span.start)
        if value > score:
            best, score = s, value
    return best


def _proper_name(text: str) -> bool:
    """A name as written ("Donald Trump"), not a description ("the Democratic candidate") or a pronoun."""
    words = text.split()
    return 0 < len(words) <= 5 and words[0].lower() not in ("the", "a", "an") and all(
        w[:1].isupper() or w.lower() in ("al", "of", "de", "bin", "ibn") or w.lower().startswith("al-") for w in words)


# Capitalised words that start a sentence rather than a name ("Yesterday Clinton said").
NOT_NAMES = frozenset((
    "a", "an", "and", "as", "at", "but", "by", "during", "for", "from", "he", "her", "his", "if", "in", "it",
    "its", "mr", "mrs", "ms", "dr", "on", "or", "our", "she", "since", "so", "that", "the", "their", "then",
    "there", "these", "they", "this", "those", "to", "under", "when", "where", "while", "with", "yesterday",
    "today", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"
))


def fuller_name(body: str, name: str) -> str:
    """The longest way the text writes a name that ends like this one: "Clinton" is "Hillary Clinton" in an
    article that says so once. The name itself when the text has no longer form (or only sentence starts)."""
    words = name.split()
    best = words
    for m in NAME_RUN.finditer(body):
        run = re.sub(r"['’]s$", "", m.group(0)).split()
        if run and run[-1].lower().startswith("al-") and run[-1][3:] == words[-1]:  # "al-Sham" ends "Sham"
            run[-1] = words[-1]
            tail = [*run[:-1], "al-" + words[-1]]
        else:
            tail = run
        extra = run[:-len(words)]
        if (len(best) < len(run) <= 4 and run[-len(words):] == words
                and not any(w.lower() in NOT_NAMES for w in extra)):
            best = tail
    return " ".join(best)


def _one_actor(session: Session, text: str) -> Actor | None:
    found = names.resolve(session, text)
    return found.actors[0] if len(found.actors) == 1 else None


def nearest_named_actor(session: Session, body: str, start: int) -> Actor | None:
    """The actor named nearest before `start` (in the last LOOKBACK characters), matched by name or alias."""
    window = body[max(0, start - LOOKBACK):start]
    runs = [m.group(0) for m in NAME_RUN.finditer(window)]
    tried = 0
    for run in reversed(runs):
        words = run.split()
        # "Mujahed al-Sham" and "Sham"; a sentence's first word ("Despite") simply resolves to nobody.
        for candidate in dict.fromkeys([run, *(words[-1:] if len(words) > 1 else [])]):
            if tried >= MAX_NAME_TRIES:
                return None
            tried += 1
            actor = _one_actor(session, candidate)
            if actor is not None:
                return actor
    return None


def inside_quotes(body: str, start: int, end: int) -> bool:
    """A selection between quotation marks is most likely a direct quote ("…the fighting," he said)."""
    if not 0 <= start < end <= len(body):
        return False
    if body[start] in QUOTES and body[end - 1] in QUOTES and end - start > 2:  # the marks were selected too
        return True
    return start > 0 and body[start - 1] in QUOTES and any(c in QUOTES for c in body[end:end + 2])


def date_in_text(context: str, published: PartialDate | None) -> tuple[PartialDate, str] | None:
    """A day the words around the selection name relative to the source's date ("on Saturday", "yesterday")."""
    if published is None or published.precision != "day":
        return None
    words = re.findall(r"[a-z]+", context.lower())
    if "yesterday" in words:
        return PartialDate(published.first - dt.timedelta(days=1), "day"), "“yesterday”"
    for name in WEEKDAYS:
        if name in words:
            back = (published.first.weekday() - WEEKDAYS.index(name)) % 7 or 7
            return PartialDate(published.first - dt.timedelta(days=back), "day"), f"“{name.capitalize()}”"
    return None


def selection_guess(session: Session, source: Source, start: int, end: int) -> Guess:
    """Prefill for a statement made from body[start:end]: reporter, speaker, cue, hedge, quote type, date.

    The enclosing recorded statement reports it; the attribution rules' proposal overlapping it gives
    the cue, hedge, quote type and speaker (resolved by alias); otherwise the enclosing statement's
    speaker, else the actor named nearest before it. The date is the one the sentence names, else the
    reporting statement's, else the source's.
    """
    guess = Guess()
    body = source.body or ""
    if not 0 <= start < end <= len(body):
        return guess
    enclosing = [st for st in enclosing_statements(session, source.id, start, end)
                 if (st.span_start, st.span_end) != (start, end)]
    parent = enclosing[0] if enclosing else None
    if parent is not None:
        guess.put("reported_by_id", parent.id, f"the selection lies inside statement #{parent.id}")
    found = overlapping_suggestion(body, start, end)
    if found is not None:
        guess.put("cue", found.cue, "the reporting verb next to the selection")
        guess.put("hedge", found.hedge, "the hedge next to the selection")
        if found.speaker_name:
            actor = _one_actor(session, found.speaker_name)
            if actor is not None:
                guess.put("speaker_id", actor.id, f"named “{found.speaker_name}” in the attribution")
    if found is not None and "speaker_id" not in guess.values and _proper_name(found.speaker_name):
        full = fuller_name(body, found.speaker_name)
        written = f"“{full}” (written “{found.speaker_name}” here)" if full != found.speaker_name \
            else f"“{full}”"
        guess.put("speaker_id", full, f"{written} is named in the attribution but not recorded: create it")
    if parent is not None:
        guess.put("speaker_id", parent.speaker_id, f"the speaker of statement #{parent.id}")
    actor = nearest_named_actor(session, body, start)
    if actor is not None:
        guess.put("speaker_id", actor.id, "the actor named nearest before the selection")
    if inside_quotes(body, start, end):
        guess.put("quote_type", "direct", "the selection is between quotation marks")
    elif found is not None and found.quote_type == "direct" and (found.span.start, found.span.end) == (start, end):
        guess.put("quote_type", "direct", "a quotation")
    sentence_start = max(body.rfind(".", 0, start), body.rfind("\n", 0, start)) + 1
    sentence_end = min([i for i in (body.find(".", end), body.find("\n", end)) if i != -1] or [len(body)])
    named = date_in_text(body[sentence_start:sentence_end], source.published_date)
    if named is not None:
        guess.put("stated", named[0].human(), f"the text says {named[1]}")
    if parent is not None and parent.stated_date is not None:
        guess.put("stated", parent.stated_date.human(), f"the date of statement #{parent.id}")
    if source.published_date is not None:
        guess.put("stated", source.published_date.human(), "the source's publication date")
    return guess


def named_nearby(session: Session, body: str, start: int, end: int, limit: int = 4) -> list[dict[str, Any]]:
    """Who the sentence around a selection names, each as the text writes it in full and resolved to an actor
    when exactly one has that name or alias: one-press speakers when the guess took the wrong one."""
    sentence_start = max(body.rfind(".", 0, start), body.rfind("\n", 0, start)) + 1
    sentence_end = min([i for i in (body.find(".", end), body.find("\n", end)) if i != -1] or [len(body)])
    found: dict[str, dict[str, Any]] = {}
    for m in NAME_RUN.finditer(body[sentence_start:sentence_end]):
        run = re.sub(r"['’]s$", "", m.group(0))
        while run.split() and run.split()[0].lower() in NOT_NAMES:
            run = run.split(" ", 1)[1] if " " in run else ""
        if not run or not _proper_name(run):
            continue
        full = fuller_name(body, run)
        actor = _one_actor(session, full) or _one_actor(session, run)
        if actor is None and " " not in full:  # "Democratic", "Reuters": too often not a speaker's name
            continue
        name = actor.name if actor is not None else full
        if name not in found:
            found[name] = {"id": actor.id if actor is not None else None, "name": name}
        if len(found) >= limit:
            break
    return list(found.values())


def selection_card(session: Session, source_id: int, start: int, end: int) -> dict[str, Any]:
    """The source page's confirm card for body[start:end]: the guesses GET /statements/new prefills
    (selection_guess), with the speaker named, the likely reporters and every speaker of the source to
    pick from instead. Reads only. Raises NotFound (no such source) or Invalid (a span outside the body)."""
    source = source_brief(session, source_id)
    if source is None:
        raise NotFound(f"There is no source {source_id}.")
    body = source.body or ""
    if not 0 <= start < end <= len(body):
        raise Invalid({"span": f"The selection must lie inside the body (0–{len(body)}) and end after it starts."})
    guess = selection_guess(session, source, start, end)
    values = {"quote_type": "indirect", **guess.values, "text": body[start:end],
              "span_start": str(start), "span_end": str(end), "source_id": str(source.id)}
    speakers = recent_speakers(session, source.id)
    typed = values.get("speaker_id", "")
    speaker: dict[str, Any] | None = None
    if typed.isdigit():
        actor = next((a for a in speakers if a.id == int(typed)), None) or session.get(Actor, int(typed))
        speaker = {"id": actor.id, "name": actor.name} if actor is not None else None
    elif typed:
        speaker = {"id": None, "name": typed}
    reporters = [st for st in enclosing_statements(session, source.id, start, end)
                 if (st.span_start, st.span_end) != (start, end)]
    taken = {a.name for a in speakers} | {speaker["name"] if speaker else ""}
    return {
        "named": [n for n in named_nearby(session, body, start, end) if n["name"] not in taken],
        "span": {"start": start, "end": end}, "text": body[start:end], "values": values,
        "reasons": guess.reasons, "speaker": speaker,
        "speakers": [{"id": a.id, "name": a.name} for a in speakers],
        "reporters": [{"id": st.id, "speaker": st.speaker.name, "cue": st.cue, "text": st.text[:160]}
                      for st in reporters],
    }
