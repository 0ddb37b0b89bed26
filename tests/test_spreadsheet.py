"""Spreadsheet import: reuse by alias, preview without changes, all-or-nothing with row/column errors."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from claimdb.models import Actor, Statement
from claimdb.services.exchange import spreadsheet

from web_support import csrf_token

SHEET = """Speaker,Speaker faction,Source title,Source URL,Published,Statement,Claim,Stance,Accused,Accusation category
Jabhat al-Nusra,,Desk log,https://example.org/a,March 2015,Hazzm kidnapped four of our members,\
Hazzm kidnapped four members,asserts,Hazzm,kidnapping
Abu Maria al-Qahtani,Nusra Front,Desk log,https://example.org/a,2015-03-01,We work with rebel factions,,,,
A new voice,A new faction,Another log,,2015,Nobody kidnapped anyone,Hazzm kidnapped four members,denies,,
"""


def count(session: Any, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)))


def test_preview_changes_nothing_and_import_reuses_aliases(session: Any, demo: Any) -> None:
    actors, statements = count(session, Actor), count(session, Statement)
    preview = spreadsheet.import_sheet(session, SHEET, commit=False)
    assert not preview.committed and preview.created["statements"] == 3
    assert (count(session, Actor), count(session, Statement)) == (actors, statements)
    done = spreadsheet.import_sheet(session, SHEET, commit=True)
    assert done.committed
    assert count(session, Statement) == statements + 3
    # "Jabhat al-Nusra" and "Nusra Front" are the demo's Nusra; Qahtani and Hazzm exist too
    assert set(done.new_names["actors"]) == {"A new voice", "A new faction"}
    assert done.created["claims"] == 1 and done.created["accusations"] == 1


def test_bad_rows_are_reported_by_row_and_column(session: Any) -> None:
    sheet = ("speaker,source_title,statement,published,stance\n"
             "Someone,Log,Said a thing,2015-02-30,asserts\n"
             ",Log,No speaker,,\n"
             "Someone,Log,Said,,maybe\n")
    with pytest.raises(spreadsheet.SheetRefused) as refused:
        spreadsheet.import_sheet(session, sheet, commit=True)
    found = {(p.row, p.column) for p in refused.value.report.problems}
    assert found == {(2, "published"), (3, "speaker"), (4, "stance")}
    assert count(session, Statement) == 0 and count(session, Actor) == 0


def test_unknown_and_missing_columns(session: Any) -> None:
    with pytest.raises(spreadsheet.SheetRefused) as refused:
        spreadsheet.import_sheet(session, "speaker,colour\nX,red\n", commit=False)
    assert {(p.row, p.column) for p in refused.value.report.problems} >= {
        (1, "colour"), (1, "source_title"), (1, "statement")}


def test_upload_page_previews_then_imports(app: Flask, client_for: Any) -> None:
    client = client_for("analyst")
    page = client.get("/import")
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), "action": "preview",
            "file": (io.BytesIO(SHEET.encode()), "sheet.csv")}
    preview = client.post("/import", data=data, content_type="multipart/form-data")
    assert preview.status_code == 200 and "Would import" in preview.get_data(as_text=True)
    page_html = preview.get_data(as_text=True)
    content = re.search(r'name="content"[^>]*value="([^"]*)"', page_html)
    assert content is not None, "the preview does not carry the file's text for the confirmation"
    done = client.post("/import", data={"csrf_token": csrf_token(page_html), "action": "import",
                                        "content": html.unescape(content.group(1))})
    assert done.status_code == 302
    assert client_for("viewer").get("/import").status_code == 403


def big_sheet(rows: int, *, bad_row: int | None = None) -> str:
    lines = ["speaker,speaker_faction,source_title,source_url,statement,claim,stance,accused"]
    for n in range(rows):
        text = f"Convoy {n} was stopped" if n + 2 != bad_row else "Convoy \x07 stopped"
        lines.append(f"Person {n % 40},Faction {n % 3},Log {n // 25},,{text},Claim {n % 7},asserts,"
                     f"{'Person 5' if n % 11 == 0 and n % 40 != 5 else ''}")
    return "\n".join(lines) + "\n"


def test_a_bad_row_after_written_chunks_leaves_nothing(session: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from claimdb.services.exchange import bulkload

    monkeypatch.setattr(bulkload, "CHUNK_ROWS", 40)  # chunks are written before row 290 is checked
    with pytest.raises(spreadsheet.SheetRefused) as refused:
        spreadsheet.import_sheet(session, big_sheet(300, bad_row=290), commit=True)
    assert [(p.row, p.column) for p in refused.value.report.problems] == [(290, "statement")]
    assert count(session, Statement) == 0 and count(session, Actor) == 0
    done = spreadsheet.import_sheet(session, big_sheet(300), commit=True)
    assert done.created["statements"] == 300 and count(session, Statement) == 300
    # 40 people (Person 5 also accused: one actor) and 3 factions; 7 claims; 12 sources
    assert (done.created["actors"], done.created["claims"], done.created["sources"]) == (43, 7, 12)
    again = spreadsheet.import_sheet(session, big_sheet(50), commit=True)
    assert "actors" not in again.created and again.reused["actors"] >= 43


def test_row_problems_and_field_problems_come_together(session: Any) -> None:
    sheet = ("speaker,source_title,statement,stance\n"
             "Someone,Log,Fine,maybe\n"
             "Someone,Log,\x07bell,asserts\n")
    with pytest.raises(spreadsheet.SheetRefused) as refused:
        spreadsheet.import_sheet(session, sheet, commit=True)
    assert [(p.row, p.column) for p in refused.value.report.problems] == [(2, "stance"), (3, "statement")]


def test_stored_names_and_claims_are_found_in_a_few_queries(session: Any) -> None:
    from claimdb.models import ActorAlias, Claim

    first = spreadsheet.import_sheet(session, "speaker,source_title,statement,claim\n"
                                              "Abu Bakr,Log,One,Hazzm Kidnapped Four\n"
                                              "Abu Omar,Log,Two,Other claim\n", commit=True)
    assert first.created["actors"] == 2 and first.created["claims"] == 2
    omar = session.scalar(select(Actor).where(Actor.name == "Abu Omar"))
    session.add(ActorAlias(actor_id=omar.id, name="Abu  Bakr!", normalized="abu bakr"))  # now two actors say it
    session.commit()
    with pytest.raises(spreadsheet.SheetRefused) as refused:
        spreadsheet.import_sheet(session, "speaker,source_title,statement\nabu bakr,Log,Three\n", commit=True)
    [problem] = refused.value.report.problems
    assert (problem.row, problem.column) == (2, "speaker") and "matches several actors" in problem.message
    again = spreadsheet.import_sheet(session, "speaker,source_title,statement,claim\n"
                                              "ABU OMAR,Log,Four,hazzm kidnapped four\n", commit=True)
    assert "actors" not in again.created and "claims" not in again.created
    assert again.reused["actors"] == 1 and again.reused["claims"] == 1
    assert count(session, Claim) == 2
