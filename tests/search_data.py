"""Small worlds for the search and report tests, built through lifecycle.create like an analyst would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from claimdb.db import db
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES


def make(session: Session, plural: str, **fields: Any) -> dict[str, Any]:
    return lifecycle.create(session, RESOURCES[plural], fields)


class World:
    """Nusra, Hazzm, the Levant Front, their people over time, three articles and a communiqué."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.nusra = make(session, "actors", name="Nusra Front", kind="faction",
                          aliases=[{"name": "Jabhat al-Nusra", "language": "en"},
                                   {"name": "جَبْهَة النُّصْرَة", "language": "ar"}])
        self.hazzm = make(session, "actors", name="Hazzm Movement", kind="faction", aliases=[{"name": "Hazzm"}])
        self.levant = make(session, "actors", name="Levant Front", kind="faction",
                           aliases=[{"name": "Levant Force"}])
        self.qahtani = make(session, "actors", name="Abu Maria al-Qahtani", kind="person",
                            aliases=[{"name": "أبو ماريا القحطاني", "language": "ar"}])
        self.aridi = make(session, "actors", name="Sami al-Aridi", kind="person")
        self.sham = make(session, "actors", name="Mujahed al-Sham", kind="person")
        self.spokes = make(session, "actors", name="Abu Omar", kind="person")
        self.outlet = make(session, "actors", name="Al-Araby", kind="media", reliability="C")
        # Qahtani: Nusra's Sharia leader until end of 2014; Aridi from 2015 on (open end).
        make(session, "affiliations", member_id=self.qahtani["id"], organization_id=self.nusra["id"],
             role="leader", start="2012", end="2014-12")
        make(session, "affiliations", member_id=self.aridi["id"], organization_id=self.nusra["id"],
             role="leader", start="2015")
        make(session, "affiliations", member_id=self.spokes["id"], organization_id=self.nusra["id"],
             role="spokesperson", start="2014", end="2016")
        self.sources = [
            make(session, "sources", title=f"Article {i}", kind="news_article", publisher_id=self.outlet["id"],
                 published=f"2015-03-0{i}", body=f"Article {i} body.", reliability=grade)
            for i, grade in ((1, "B"), (2, "C"), (3, "E"))]
        self.communique = make(session, "sources", title="Nusra communiqué", kind="communique",
                               published="2015-02-20", body="Statement.", reliability="F")

    def statement(self, source: dict[str, Any], speaker: dict[str, Any], text: str, **fields: Any) -> dict[str, Any]:
        fields.setdefault("quote_type", "paraphrase")
        return make(self.session, "statements", source_id=source["id"], speaker_id=speaker["id"], text=text, **fields)


@contextmanager
def query_counter(bind: Session | Engine | Flask) -> Iterator[list[str]]:
    """The SQL statements the engine (the session's, or the app's, whatever request runs it) runs inside
    the block."""
    seen: list[str] = []
    if isinstance(bind, Flask):
        with bind.app_context():
            engine = db.engine
    else:
        engine = bind if isinstance(bind, Engine) else bind.get_bind()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)
