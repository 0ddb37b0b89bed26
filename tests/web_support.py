"""Small data for the web tests, built through the record services (the same path the forms take)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from claimdb.db import Base, db
from claimdb.services.records import lifecycle
from claimdb.services.records.registry import RESOURCES

BODY = ("Nusra said Hazzm kidnapped four Nusra members. Mujahed al-Sham said the Levant Front "
        "would intervene. Hazzm denied it.")
# One speaker, one sentence: the source most single-statement web tests start from.
CLASHES = "Mujahed al-Sham said the clashes began two nights ago, around Base 46."
QUOTE = "Hazzm kidnapped four Nusra members"
QUOTE_AT = BODY.index(QUOTE)


@dataclass
class Data:
    nusra: int
    hazzm: int
    sham: int
    levant: int
    outlet: int
    source: int
    statement: int
    denial: int
    claim: int
    other_claim: int
    contradiction: int
    accusation: int
    affiliation: int


def create(noun: str, **payload: Any) -> int:
    return int(lifecycle.create(db.session, RESOURCES[noun], payload)["id"])


def build(app: Flask) -> Data:
    with app.app_context():
        nusra = create("actors", name="Nusra Front", kind="faction",
                       aliases=[{"name": "Jabhat al-Nusra"}, {"name": "جبهة النصرة", "language": "ar"}])
        hazzm = create("actors", name="Harakat Hazzm", kind="faction", aliases=[{"name": "Hazzm"}])
        sham = create("actors", name="Mujahed al-Sham", kind="person")
        levant = create("actors", name="Levant Front", kind="faction", aliases=[{"name": "Levant Force"}])
        outlet = create("actors", name="Syria Direct", kind="media", reliability="B")
        source = create("sources", title="Nusra drives Hazzm from Aleppo", kind="news_article", publisher_id=outlet,
                        published="2015-03-01", body=BODY)
        claim = create("claims", text="Hazzm kidnapped four Nusra members", occurred="2015-02", status="disputed",
                       tags=["kidnapping"])
        other = create("claims", text="Hazzm kidnapped nobody", status="unverified")
        statement = create("statements", source_id=source, speaker_id=nusra, text=QUOTE, quote_type="direct",
                           cue="said", stated="2015-03-01", span={"start": QUOTE_AT, "end": QUOTE_AT + len(QUOTE)},
                           claims=[{"claim_id": claim, "stance": "asserts", "certainty": "certain"}])
        denial = create("statements", source_id=source, speaker_id=hazzm, text="Hazzm denied it",
                        quote_type="paraphrase",
                        claims=[{"claim_id": claim, "stance": "denies", "certainty": "probable"}])
        contradiction = create("contradictions", claim_a_id=claim, claim_b_id=other, kind="negation")
        accusation = create("accusations", statement_id=statement, accused_id=hazzm, act="kidnapped four members",
                            category="kidnapping", claim_id=claim)
        affiliation = create("affiliations", member_id=sham, organization_id=levant, role="spokesperson",
                             start="2014")
        return Data(nusra, hazzm, sham, levant, outlet, source, statement, denial, claim, other, contradiction,
                    accusation, affiliation)


PASSWORD = "pw-test-1234"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1)


def token(client: FlaskClient, path: str = "/") -> str:
    """The CSRF token of the page at path, as a browser would read it before posting."""
    return csrf_token(client.get(path).get_data(as_text=True))


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> FlaskClient:
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token(client, "/login")})
    assert response.status_code in (302, 303), response.status_code
    return client


def post_form(client: Any, path: str, data: dict[str, Any], form_path: str | None = None) -> Any:
    """Post data to path with the CSRF token of the form page (path itself unless form_path)."""
    return client.post(path, data={**data, "csrf_token": token(client, form_path or path)})


def make(app: Flask, kind: str, payload: dict[str, Any]) -> int:
    """Create a record through the record service (the path every form and API call takes)."""
    with app.app_context():
        return int(lifecycle.create(db.session, RESOURCES[kind], payload)["id"])


def read(app: Flask, kind: str, record_id: int) -> dict[str, Any]:
    with app.app_context():
        return lifecycle.get(db.session, RESOURCES[kind], record_id)


def form_fields(html: str) -> dict[str, str]:
    """The values of a page's inputs, textareas and selected options, as a browser would post them."""
    import html as html_mod

    out: dict[str, str] = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        if "name" in attrs and attrs.get("type") not in ("checkbox", "radio", "submit"):
            out[attrs["name"]] = html_mod.unescape(attrs.get("value", ""))
    for name, text in re.findall(r'<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        # As a browser parses it: one newline right after <textarea> is not part of the value.
        value = html_mod.unescape(text).replace("\r\n", "\n")
        out[name] = value.removeprefix("\n")
    for name, body in re.findall(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', body) or re.search(
            r'<option[^>]*selected[^>]*value="([^"]*)"', body) or re.search(r'<option[^>]*value="([^"]*)"', body)
        if chosen:
            out[name] = html_mod.unescape(chosen.group(1))
    return out


def text(response: Any) -> str:
    return response.get_data(as_text=True)


# Bookkeeping a refused request may still write: the API notes when a token was last used.
VOLATILE = {("api_token", "last_used_at")}


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: equal before and after a refused request when it stored nothing."""
    with app.app_context():
        rows: dict[str, list[tuple[Any, ...]]] = {}
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE]
            rows[table.name] = sorted((tuple(row) for row in db.session.execute(select(*columns))), key=repr)
        return rows
