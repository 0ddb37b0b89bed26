"""The value sets of the domain, each with the label analysts see. Stored as CHECK-constrained strings."""

from __future__ import annotations

ActorKind = {
    "person": "Person", "organization": "Organization", "faction": "Faction", "government": "Government",
    "media": "Media outlet", "group": "Group", "unknown": "Unknown / unnamed",
}
AffiliationRole = {
    "member": "Member of", "leader": "Leader of", "commander": "Commander in", "spokesperson": "Spokesperson for",
    "founder": "Founder of", "merged_into": "Merged into",
}
SourceKind = {
    "news_article": "News article", "communique": "Communiqué", "social_post": "Social media post", "video": "Video",
    "report": "Report", "interview": "Interview", "press_conference": "Press conference", "other": "Other",
}
# NATO Admiralty code: source reliability and information credibility.
Reliability = {
    "A": "A — Completely reliable", "B": "B — Usually reliable", "C": "C — Fairly reliable",
    "D": "D — Not usually reliable", "E": "E — Unreliable", "F": "F — Reliability cannot be judged",
}
Credibility = {
    1: "1 — Confirmed by other sources", 2: "2 — Probably true", 3: "3 — Possibly true",
    4: "4 — Doubtful", 5: "5 — Improbable", 6: "6 — Truth cannot be judged",
}
QuoteType = {"direct": "Direct quote", "indirect": "Indirect speech", "paraphrase": "Paraphrase"}
Stance = {"asserts": "asserts", "denies": "denies", "questions": "questions", "reports": "reports"}
Certainty = {"certain": "certain", "probable": "probable", "possible": "possible", "unknown": "unknown"}
ClaimStatus = {
    "unverified": "Unverified", "corroborated": "Corroborated", "disputed": "Disputed", "refuted": "Refuted",
    "confirmed": "Confirmed",
}
ContradictionKind = {
    "negation": "Negation", "incompatible": "Incompatible", "numeric": "Numeric", "temporal": "Temporal",
    "other": "Other",
}
ContradictionStatus = {"open": "Open", "resolved": "Resolved", "dismissed": "Dismissed"}
Role = {
    "viewer": "Viewer (reads)", "analyst": "Analyst (reads and writes)", "admin": "Admin (also deletes, manages users)",
}
Precision = {"year": "year", "month": "month", "day": "day"}

# Subsets the domain rules name (DESIGN.md, "Search by faction" and "independent origins").
# The roles by which a person speaks for an organization; merged_into is about organizations, not voices.
VOICE_ROLES = ("member", "leader", "commander", "spokesperson", "founder")
# Who speaks for an organization so fully that, counting independent origins, they count as it.
ORIGIN_ROLES = ("spokesperson", "leader")
# Actors that are organizations of some kind (they can have members and speak through them).
ORGANIZATION_KINDS = ("organization", "faction", "government", "group")
AuditAction = {"create": "created", "update": "updated", "delete": "deleted", "import": "imported"}


def check_in(column: str, values: dict[str, str] | dict[int, str]) -> str:
    """SQL for a CHECK that keeps a column inside a value set (NULL passes; nullability is separate)."""
    members = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values)
    return f"{column} IN ({members})"
