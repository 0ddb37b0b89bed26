"""Full-text search over statement text with each engine's native index, behind one interface.

SQLite: the FTS5 external-content table `statement_fts`, kept in sync by triggers (see the
migration 4bbc017b7482). PostgreSQL: an expression GIN index on to_tsvector('simple', text).
What analysts type is never passed on as query syntax: it is cut into words, and each word is
quoted (FTS5) or handed to plainto_tsquery (PostgreSQL), so quotes, AND/OR/NOT, *, NEAR( and
brackets are just text. Every word must occur (implicit AND).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, column, exists, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from claimdb.models import Statement

MAX_QUERY_CHARS = 10_000
MAX_WORDS = 32
# Letters and digits only: what FTS5's unicode61 tokenizer and PostgreSQL's parser both see as words.
_WORD = re.compile(r"[^\W_]+")

_FTS = table("statement_fts", column("rowid"))

_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS statement_fts_ai AFTER INSERT ON statement BEGIN "
    "INSERT INTO statement_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS statement_fts_ad AFTER DELETE ON statement BEGIN "
    "INSERT INTO statement_fts(statement_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS statement_fts_au AFTER UPDATE OF text ON statement BEGIN "
    "INSERT INTO statement_fts(statement_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO statement_fts(rowid, text) VALUES (new.id, new.text); END",
]
TRIGGER_NAMES = ("statement_fts_ai", "statement_fts_ad", "statement_fts_au")


def words(value: str) -> list[str]:
    """The searchable words of what was typed, in order, each once, at most MAX_WORDS."""
    found = _WORD.findall(unicodedata.normalize("NFC", value))
    return list(dict.fromkeys(found))[:MAX_WORDS]


def _fold(word: str) -> str:
    """Case- and accent-blind form, as the index compares words."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).casefold()


def matches(session: Session, terms: Sequence[str], *, limit: int | None = None) -> Select[Any]:
    """SELECT id, score of statements containing every term; lower score ranks first.

    With `limit`, only the newest `limit` matches (highest ids) are considered, on both engines,
    so both rank the same candidates; the caller ranks within them.
    """
    if _dialect(session) == "postgresql":
        return _postgres_matches(terms, limit)
    return _sqlite_matches(terms, limit)


def _sqlite_matches(terms: Sequence[str], limit: int | None) -> Select[Any]:
    expression = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
    query: Any = (select(literal_column("statement_fts.rowid").label("id"),
                    literal_column("bm25(statement_fts)").label("score"))
             .select_from(_FTS)
             .where(text("statement_fts MATCH :fts_query").bindparams(fts_query=expression)))
    if limit is not None:
        # FTS5 walks its doclists newest-first cheaply; the newest matches are the ones kept.
        query = query.order_by(literal_column("statement_fts.rowid").desc()).limit(limit)
    return query


def _postgres_matches(terms: Sequence[str], limit: int | None) -> Select[Any]:
    vector = func.to_tsvector(literal_column("'simple'"), Statement.text)  # must match the GIN index expression
    tsquery = func.plainto_tsquery(literal_column("'simple'"), " ".join(terms))
    query = select(Statement.id.label("id"), (-func.ts_rank(vector, tsquery)).label("score")).where(
        vector.op("@@")(tsquery))
    if limit is not None:
        # The same candidates as on SQLite: the newest `limit` matches, chosen before ranking.
        query = query.order_by(Statement.id.desc()).limit(limit)
    return query


def match_condition(session: Session, terms: Sequence[str]) -> ColumnElement[bool]:
    """SQL: the current statement row contains every term, checked against the native index.

    For queries another index already narrows (a speaker, a faction, a source): a join with every
    match costs as much as there are matches, probing the index per narrowed row does not.
    """
    if _dialect(session) == "postgresql":
        vector = func.to_tsvector(literal_column("'simple'"), Statement.text)
        return vector.op("@@")(func.plainto_tsquery(literal_column("'simple'"), " ".join(terms)))
    expression = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
    return exists(select(literal_column("1")).select_from(_FTS).where(
        text("statement_fts MATCH :fts_query").bindparams(fts_query=expression),
        literal_column("statement_fts.rowid") == Statement.id))


def rank(rows: Sequence[tuple[int, str]], terms: Sequence[str]) -> list[int]:
    """Ids of (id, text) rows that all contain the terms, best first, by BM25's term-frequency part.

    Every row contains every term (implicit AND), so the inverse document frequency is the same for
    all of them and drops out. Used where per-row bm25() would re-read whole doclists (FTS5 computes
    its IDF per cursor).
    """
    wanted = {_fold(t) for t in terms}
    lengths, counts = [], []
    for _id, value in rows:
        tokens = [_fold(w) for w in _WORD.findall(value)]
        lengths.append(len(tokens) or 1)
        counts.append(Counter(t for t in tokens if t in wanted))
    average = sum(lengths) / len(lengths) if lengths else 1.0
    k1, b = 1.2, 0.75

    def score(i: int) -> float:
        norm = k1 * (1 - b + b * lengths[i] / average)
        return sum(n * (k1 + 1) / (n + norm) for n in counts[i].values())

    order = sorted(range(len(rows)), key=lambda i: (-score(i), -rows[i][0]))
    return [rows[i][0] for i in order]


def highlight(value: str, terms: Sequence[str]) -> list[tuple[str, bool]]:
    """The text cut into pieces, each (text, is_match): a match is a word equal to a search term once folded."""
    wanted = {_fold(t) for t in terms}
    pieces: list[tuple[str, bool]] = []
    last = 0
    if wanted:
        for match in _WORD.finditer(value):
            if _fold(match.group()) in wanted:
                if match.start() > last:
                    pieces.append((value[last:match.start()], False))
                pieces.append((match.group(), True))
                last = match.end()
    if last < len(value) or not pieces:
        pieces.append((value[last:], False))
    return pieces


def suspend(session: Session) -> None:
    """Stop keeping the index in step (bulk loads); call rebuild() before committing.

    SQLite drops the sync triggers; PostgreSQL maintains its GIN index itself (no-op).
    Runs in the caller's transaction and does not commit.
    """
    if _dialect(session) == "sqlite":
        for name in TRIGGER_NAMES:
            session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def rebuild(session: Session) -> None:
    """Restore the sync triggers if missing and rebuild the index from the statement table; merge
    both full-text indexes (statements, names) into one segment each.

    Also repairs an index that a batch table rebuild (which drops triggers) left behind.
    Runs in the caller's transaction and does not commit; no-op on PostgreSQL.
    """
    if _dialect(session) == "sqlite":
        for sql in _TRIGGERS:
            session.execute(text(sql))
        session.execute(text("INSERT INTO statement_fts(statement_fts) VALUES ('rebuild')"))
        # One merged segment: lookups by rowid (words within a speaker's statements) get several times faster.
        session.execute(text("INSERT INTO statement_fts(statement_fts) VALUES ('optimize')"))
        # The names' index (search.names) grows by small segments as names are added one by one (and by
        # one more per import, search.name_index); merged, the look-up every speaker search makes costs
        # a third (0.5 -> 0.17 ms).
        session.execute(text("INSERT INTO actor_name_fts(actor_name_fts) VALUES ('optimize')"))


def in_step(session: Session) -> bool:
    """Whether the index is being kept in step with the statement table (all triggers present)."""
    if _dialect(session) != "sqlite":
        return True
    found = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                                     "'statement_fts_%'")))
    return found >= set(TRIGGER_NAMES)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name
