"""The contradiction report as CSV (one row per statement) and as Markdown (to paste into a briefing)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from claimdb.rules import spreadsheet_cell
from claimdb.services.reports.contradictions import SECTIONS, Report, ReportFilters, contradiction_report, report_pages

DOWNLOAD_PAGE = 200  # entries loaded at a time while streaming

CSV_COLUMNS = [
    "section", "entry", "kind", "status", "side", "claim_id", "claim", "stance", "statement_id", "speaker",
    "chain", "source_id", "source", "reliability", "credibility", "stated", "origin", "origins", "text",
]


def chain_text(chain: list[dict[str, Any]]) -> str:
    """"Mujahed al-Sham (said) → Levant Front (statement)": the chain outermost first."""
    parts = []
    for level in chain:
        words = ", ".join(w for w in (level.get("cue"), level.get("hedge")) if w)
        parts.append(f"{level['speaker']['name']}" + (f" ({words})" if words else ""))
    return " → ".join(parts)


def _statement_cells(st: dict[str, Any]) -> dict[str, Any]:
    return {"stance": st.get("stance"), "statement_id": st["id"], "speaker": st["speaker"]["name"],
            "chain": chain_text(st["chain"]), "source_id": st["source"]["id"], "source": st["source"]["title"],
            "reliability": st["source"]["reliability"], "credibility": st["credibility"], "stated": st["stated"],
            "origin": (st.get("origin") or {}).get("name"), "text": st["text"]}


def csv_rows(report: Report) -> Iterator[dict[str, Any]]:
    for c in report.contradictions:
        for label, side in zip("AB", c["sides"], strict=False):
            base = {"section": "contradiction", "entry": c["id"], "kind": c["kind"], "status": c["status"],
                    "side": label, "claim_id": side["claim"]["id"], "claim": side["claim"]["text"],
                    "origins": side["origins"]}
            for st in side["statements"] or [{}]:
                yield {**base, **(_statement_cells(st) if st else {})}
    for s in report.stance_conflicts:
        base = {"section": "stance_conflict", "entry": s["claim"]["id"], "claim_id": s["claim"]["id"],
                "claim": s["claim"]["text"]}
        for side, key in (("asserted", "asserted_by"), ("denied", "denied_by")):
            for st in s[key]:
                yield {**base, "side": side, **_statement_cells(st)}
    for m in report.mutual_accusations:
        a, b = m["actors"]
        for acc in m["accusations"]:
            accuser, accused = (a, b) if acc["accuser_id"] == a["id"] else (b, a)
            yield {"section": "mutual_accusation", "entry": f"{a['id']}-{b['id']}", "kind": m["category"],
                   "side": f"{accuser['name']} accuses {accused['name']}", "claim": acc["act"],
                   **_statement_cells(acc["statement"])}


def download(session: Session, filters: ReportFilters, fmt: str) -> tuple[Iterator[str], str, str]:
    """(chunks, content type, file name) of the whole report as "csv" or "md", every entry of every
    section, streamed a page at a time: for either face to send."""
    if fmt == "csv":
        return csv_chunks(session, filters), "text/csv; charset=utf-8", "contradiction-report.csv"
    return markdown_chunks(session, filters), "text/markdown; charset=utf-8", "contradiction-report.md"


def _pages(session: Session, filters: ReportFilters) -> Iterator[Report]:
    for section in SECTIONS:
        yield from report_pages(session, filters, section, DOWNLOAD_PAGE)


def csv_chunks(session: Session, filters: ReportFilters) -> Iterator[str]:
    """The CSV, one chunk per page of entries."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for report in _pages(session, filters):
        for row in csv_rows(report):
            writer.writerow({k: spreadsheet_cell(row.get(k)) for k in CSV_COLUMNS})
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def markdown_chunks(session: Session, filters: ReportFilters) -> Iterator[str]:
    """The Markdown: the first page's summary, then every entry of each section, one chunk per page."""
    first = contradiction_report(session, filters.first_page)
    yield "\n".join(_md_head(first)) + "\n"
    for section in SECTIONS:
        yield "\n" + "\n".join(_MD_TITLES[section]) + "\n"
        for report in report_pages(session, filters, section, DOWNLOAD_PAGE):
            yield "\n".join(_md_entries(report, section)) + "\n"


def to_csv(report: Report) -> str:
    """One report (a page of each section) as CSV."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in csv_rows(report):
        writer.writerow({k: spreadsheet_cell(row.get(k)) for k in CSV_COLUMNS})
    return out.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md(value: Any) -> str:
    """Text safe inside a Markdown paragraph or table cell: specials escaped, one line."""
    text = " ".join(str("" if value is None else value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_statement(st: dict[str, Any]) -> str:
    grade = "".join(str(x) for x in (st["source"]["reliability"] or "–", st["credibility"] or "–"))
    origin = st.get("origin")
    via = f" — origin: {md(origin['name'])}" if origin and origin["id"] != st["speaker"]["id"] else ""
    return (f"  - #{st['id']} **{md(st['speaker']['name'])}** ({md(st['stated'] or 'undated')}, "
            f"{md(st['source']['title'])}, grade {grade}): “{md(st['text'])}”  \n"
            f"    chain: {md(chain_text(st['chain']))}{via}")


_MD_TITLES = {"contradictions": ["## Explicit contradictions", ""], "stance_conflicts": ["## Stance conflicts", ""],
              "mutual_accusations": ["## Mutual accusations", ""]}


def to_markdown(report: Report) -> str:
    """One report (a page of each section) as Markdown."""
    lines = _md_head(report)
    for section in SECTIONS:
        lines += _MD_TITLES[section] + _md_entries(report, section)
    return "\n".join(lines).rstrip() + "\n"


def _md_head(report: Report) -> list[str]:
    lines = ["# Contradiction report", ""]
    filters = report.filters.to_args()
    lines.append("Filters: " + (", ".join(f"{k} = {md(v)}" for k, v in filters.items()) if filters else "none"))
    for name, r in report.resolved.items():
        lines.append(f"{name.capitalize()} resolved to: " + (", ".join(md(a["name"]) for a in r.actors) or "nobody"))
    lines += [""] + [f"> {md(n)}" for n in report.notes]
    t = {s: f"at least {n}" if report.capped.get(s) else str(n) for s, n in report.totals.items()}
    lines += ["## Summary", "", f"- Explicit contradictions: {t['contradictions']}",
              f"- Stance conflicts: {t['stance_conflicts']}", f"- Mutual accusations: {t['mutual_accusations']}", ""]
    if contested := report.most_contested():
        lines += ["Most contested claims:", ""] + [
            f"1. {md(c['claim']['text'])} (asserted {c['asserted']}, denied {c['denied']})" for c in contested] + [""]
    if accusers := report.top_accusers():
        lines += ["| Accuser | Accused | Accusations |", "|---|---|---|"] + [
            f"| {md(e['accuser']['name'])} | {md(e['accused']['name'])} | {e['count']} |" for e in accusers] + [""]
    return lines


def _md_entries(report: Report, section: str) -> list[str]:
    lines: list[str] = []
    if section == "contradictions":
        for c in report.contradictions:
            lines += [f"### Contradiction #{c['id']} ({md(c['kind'])}, {md(c['status'])})", ""]
            if c["note"]:
                lines += [md(c["note"]), ""]
            for label, side in zip("AB", c["sides"], strict=False):
                lines.append(f"- **Side {label}:** {md(side['claim']['text'])} — {side['origins']} independent "
                             f"origin{'s' if side['origins'] != 1 else ''}")
                lines += [_md_statement(st) for st in side["statements"]] or ["  - no statement asserts it"]
            lines.append("")
    elif section == "stance_conflicts":
        for s in report.stance_conflicts:
            lines += [f"### {md(s['claim']['text'])}", "", "- **Asserted by:**"]
            lines += [_md_statement(st) for st in s["asserted_by"]]
            lines += ["- **Denied by:**"] + [_md_statement(st) for st in s["denied_by"]] + [""]
    else:
        for m in report.mutual_accusations:
            a, b = m["actors"]
            lines += [f"### {md(a['name'])} ⇄ {md(b['name'])}: {md(m['category'])}", ""]
            for acc in m["accusations"]:
                who = a if acc["accuser_id"] == a["id"] else b
                lines.append(f"- {md(who['name'])} accuses: {md(acc['act'])}")
                lines.append(_md_statement(acc["statement"]))
            lines.append("")
    return lines
