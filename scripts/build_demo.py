#!/usr/bin/env python
"""Build the claimdb/1 demo dataset for the sample article.

Dev tool, not imported by the package. Rerunnable:

    .venv/bin/python scripts/build_demo.py

Reads ../shared/seed/000_d74bd5c642664c38.txt (relative to the repository
root), locates every statement's span in the article body (never hand-typed
offsets), validates the whole document and writes
claimdb/demo/sample_article.json.

Every fact below is taken from the article's text; descriptions and claim
texts paraphrase it. Where a value needs an inference (a date from "a month
ago", the order of events) the record's note says so.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "seed" / "000_d74bd5c642664c38.txt"
OUTPUT = ROOT / "claimdb" / "demo" / "sample_article.json"

SOURCE_ID = "article"
OUTLET = "outlet"
PUBLISHED = "2015-03-01"

ACTOR_KINDS = {"person", "organization", "faction", "government", "media", "group", "unknown"}
RELIABILITY = {"A", "B", "C", "D", "E", "F"}
ROLES = {"member", "leader", "commander", "spokesperson", "founder", "merged_into"}
SOURCE_KINDS = {
    "news_article",
    "communique",
    "social_post",
    "video",
    "report",
    "interview",
    "press_conference",
    "other",
}
QUOTE_TYPES = {"direct", "indirect", "paraphrase"}
STANCES = {"asserts", "denies", "questions", "reports"}
CERTAINTIES = {"certain", "probable", "possible", "unknown"}
CLAIM_STATUSES = {"unverified", "corroborated", "disputed", "refuted", "confirmed"}
CONTRADICTION_KINDS = {"negation", "incompatible", "numeric", "temporal", "other"}
CONTRADICTION_STATUSES = {"open", "resolved", "dismissed"}

MINIMUMS = {
    "actors": 15,
    "affiliations": 3,
    "sources": 1,
    "statements": 25,
    "claims": 12,
    "accusations": 8,
    "contradictions": 3,
}

KEYS = {
    "actors": ["id", "name", "kind", "description", "reliability", "aliases"],
    "affiliations": [
        "id",
        "member_id",
        "organization_id",
        "role",
        "start",
        "end",
        "statement_id",
        "note",
    ],
    "sources": [
        "id",
        "title",
        "kind",
        "publisher_id",
        "author",
        "url",
        "published",
        "language",
        "original_language",
        "body",
        "reliability",
        "note",
    ],
    "statements": [
        "id",
        "source_id",
        "speaker_id",
        "reported_by_id",
        "text",
        "quote_type",
        "cue",
        "hedge",
        "stated",
        "span",
        "credibility",
        "claims",
    ],
    "claims": ["id", "text", "occurred", "location", "status", "tags"],
    "accusations": [
        "id",
        "statement_id",
        "accuser_id",
        "accused_id",
        "act",
        "category",
        "claim_id",
    ],
    "contradictions": ["id", "claim_a_id", "claim_b_id", "kind", "status", "note"],
}

PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


# --------------------------------------------------------------------------- spans


def _pattern(text: str) -> str:
    """Regex for `text` whose whitespace matches any run of whitespace.

    The article uses non-breaking spaces (U+00A0) in places; typing them in the
    quotes below would be error-prone, so a plain space here matches them.
    """
    return r"\s+".join(re.escape(word) for word in text.split())


def locate(
    body: str,
    text: str,
    *,
    within: str | None = None,
    occurrence: int | None = None,
    within_occurrence: int | None = None,
) -> tuple[int, int]:
    """Offsets (start, end exclusive) of `text` in `body`.

    `text` must occur exactly once (in `within`, itself located in `body`, when
    given) unless `occurrence` picks one explicitly.
    """
    base = 0
    haystack = body
    if within is not None:
        base, end = locate(body, within, occurrence=within_occurrence)
        haystack = body[base:end]
    matches = [m.span() for m in re.finditer(_pattern(text), haystack)]
    if occurrence is None:
        if len(matches) != 1:
            raise AssertionError(f"{text!r} occurs {len(matches)} times, expected exactly once")
        start, end = matches[0]
    else:
        if len(matches) <= occurrence:
            raise AssertionError(f"{text!r} has no occurrence #{occurrence}")
        start, end = matches[occurrence]
    return base + start, base + end


# --------------------------------------------------------------------------- actors


def actor(
    id_: str,
    name: str,
    kind: str,
    description: str | None,
    aliases: Iterable[tuple[str, str]] = (),
    reliability: str | None = None,
) -> dict[str, Any]:
    return {
        "id": id_,
        "name": name,
        "kind": kind,
        "description": description,
        "reliability": reliability,
        "aliases": [{"name": n, "language": lang} for n, lang in aliases],
    }


ACTORS = [
    actor(
        OUTLET,
        "The article's outlet",
        "media",
        "Publisher of the sample article. Its name is not given in the text; the article "
        'only says it is an edited translation from "our Arabic edition".',
    ),
    actor(
        "nusra",
        "Nusra Front",
        "faction",
        "Described by the article as the Syrian al-Qaeda franchise. Launched a tank-led "
        "offensive on Hazzm Movement positions in Aleppo's western countryside; is "
        "consolidating its control in Aleppo and establishing its own Sharia courts.",
        [("Jabhat al-Nusra", "en"), ("Nusra", "en"), ("جبهة النصرة", "ar")],
    ),
    actor(
        "hazzm",
        "Hazzm Movement",
        "faction",
        "Rebel group that fought the Nusra Front in Aleppo's western countryside and was "
        "forced to retreat from Atarib. It joined the Levant Front about a month before "
        "the article and reportedly merged with it after its defeat.",
        [("Hazzm", "en"), ("Harakat Hazm", "en"), ("حركة حزم", "ar")],
    ),
    actor(
        "levant-front",
        "Levant Front",
        "faction",
        "Rebel umbrella group, described as the largest rebel outfit and the largest "
        'opposition faction in Aleppo. The article once misspells it "Levant Force".',
        [("Levant Force", "en"), ("الجبهة الشامية", "ar")],
    ),
    actor(
        "ahrar-al-sham",
        "Ahrar al-Sham",
        "faction",
        'Salafist rebel movement ("the Ahrar al-Sham group"), called on by activists to '
        "intervene and end the Hazzm-Nusra fighting; Nusra took a more confrontational "
        "approach towards it.",
        [("أحرار الشام", "ar")],
    ),
    actor(
        "srf",
        "Syria Revolutionaries Front",
        "faction",
        "Rebel group based in Idlib. Nusra announced its hostility to it in August 2014, "
        "expelled it from Jabal al-Zawya and captured its local brigade commanders.",
        [("SRF", "en"), ("جبهة ثوار سوريا", "ar")],
    ),
    actor(
        "islamic-state",
        "Islamic State group",
        "faction",
        "The Islamic State group, to which, according to the article, Nusra moved "
        "ideologically closer under Sami al-Aridi.",
        [("Islamic State", "en"), ("الدولة الإسلامية", "ar")],
    ),
    actor(
        "syrian-regime",
        "Syrian regime",
        "government",
        "The Syrian regime and its forces, fighting the opposition around Bashkawi and "
        "dropping barrel bombs on opposition-controlled towns in northern Aleppo.",
    ),
    actor(
        "fsa",
        "Free Syrian Army",
        "faction",
        "Rebel force towards which Nusra took a more confrontational approach.",
        [("الجيش السوري الحر", "ar")],
    ),
    actor(
        "al-qaeda",
        "al-Qaeda",
        "organization",
        "Named in the article only as the organisation of which the Nusra Front is the Syrian franchise.",
        [("القاعدة", "ar")],
    ),
    actor(
        "mujahed-al-sham",
        "Mujahed al-Sham",
        "person",
        "Syrian activist quoted by the article on the Hazzm-Nusra clashes around Base 46 "
        "and the Levant Front's unkept pledge to intervene.",
        [("Sham", "en")],
    ),
    actor(
        "munzer-al-sallal",
        "Munzer al-Sallal",
        "person",
        "Deputy head of the provincial council in the opposition-run districts of Aleppo.",
    ),
    actor(
        "aleppo-council",
        "Aleppo provincial council",
        "organization",
        "The provincial council in the opposition-run districts of Aleppo.",
    ),
    actor("assem-zaidan", "Assem Zaidan", "person", "Activist quoted by the article in defence of Hazzm."),
    actor(
        "atarib-activists",
        "Atarib activist group",
        "group",
        "Unnamed activist group in Atarib that posted a statement on YouTube.",
    ),
    actor(
        "activists",
        "Activists",
        "group",
        "Unnamed activists who called on Nusra to send its fighters to the front lines "
        '("Activists called on Nusra ...").',
    ),
    actor(
        "figures-135",
        "135 leading cultural figures and activists",
        "group",
        "135 leading cultural figures and activists in Aleppo who issued a statement condemning Nusra.",
    ),
    actor(
        "al-qahtani",
        "Abu Maria al-Qahtani",
        "person",
        "Nusra's Sharia leader, under whom Nusra was hostile to the Islamic State group "
        "and worked closely with rebel factions; replaced by Sami al-Aridi.",
        [("أبو ماريا القحطاني", "ar")],
    ),
    actor(
        "al-aridi",
        "Sami al-Aridi",
        "person",
        "Jordanian who replaced Abu Maria al-Qahtani as Nusra's Sharia leader.",
        [("سامي العريدي", "ar")],
    ),
    actor(
        "unnamed-reports",
        'Unnamed sources ("there are reports")',
        "unknown",
        "Unnamed, unspecified sources behind the article's hedged attributions (\"there are "
        'reports that", "reportedly", passive "was asked").',
    ),
]


# --------------------------------------------------------------------------- claims


def claim(
    id_: str,
    text: str,
    occurred: str | None = None,
    location: str | None = None,
    status: str = "unverified",
    tags: Iterable[str] = (),
) -> dict[str, Any]:
    return {
        "id": id_,
        "text": text,
        "occurred": occurred,
        "location": location,
        "status": status,
        "tags": list(tags),
    }


CLAIMS = [
    claim(
        "c-hazzm-driven-from-aleppo",
        "The Nusra Front's assault drove the Hazzm Movement out of Aleppo.",
        location="Aleppo",
        tags=["hazzm-nusra-conflict"],
    ),
    claim(
        "c-low-scale-war",
        "The Nusra Front and Hazzm have fought a low-scale war behind rebel lines for months.",
        tags=["hazzm-nusra-conflict"],
    ),
    claim(
        "c-nusra-set-to-win",
        "The Nusra Front is set to emerge the victor of its conflict with Hazzm.",
        tags=["hazzm-nusra-conflict"],
    ),
    claim(
        "c-lf-largest",
        "The Levant Front is the largest rebel faction in Aleppo.",
        location="Aleppo",
        tags=["levant-front"],
    ),
    claim(
        "c-nusra-offensive",
        "The Nusra Front launched a tank-led offensive on Hazzm Movement positions, "
        "targeting the towns of Miznaz and al-Mashtal and the former army base Regiment 46 "
        "in Aleppo's western countryside.",
        occurred="2015-02",
        location="Miznaz, al-Mashtal and Regiment 46, western Aleppo countryside",
        status="corroborated",
        tags=["hazzm-nusra-conflict", "offensive"],
    ),
    claim(
        "c-hazzm-50-killed",
        "More than 50 Hazzm fighters were killed in the fighting with the Nusra Front.",
        location="western Aleppo countryside",
        tags=["hazzm-nusra-conflict", "casualties"],
    ),
    claim(
        "c-hazzm-retreat-atarib",
        "Hazzm fighters were forced to retreat from the town of Atarib in western Aleppo.",
        location="Atarib, western Aleppo",
        tags=["hazzm-nusra-conflict"],
    ),
    claim(
        "c-hazzm-merged-lf",
        "After its defeat, Hazzm merged with the Levant Front, effectively ending the group's existence.",
        occurred="2015",
        tags=["hazzm-nusra-conflict", "levant-front", "merger"],
    ),
    claim(
        "c-bashkawi-fighting",
        "There is heavy fighting between the opposition and the Syrian regime's forces around the village of Bashkawi.",
        location="Bashkawi, Aleppo governorate",
        tags=["regime-front"],
    ),
    claim(
        "c-nayrab-targeted",
        "The opposition has targeted Nayrab Airbase.",
        location="Nayrab Airbase, Aleppo",
        tags=["regime-front"],
    ),
    claim(
        "c-barrel-bombs",
        "The Syrian regime dropped at least three barrel bombs on opposition-controlled towns in northern Aleppo.",
        location="northern Aleppo",
        tags=["regime-front", "barrel-bombs"],
    ),
    claim(
        "c-clashes-began-base46",
        "The clashes between Hazzm and Nusra began on the night of 27 February 2015 around "
        "Base 46, a former regime army camp.",
        occurred="2015-02-27",
        location="Base 46, western Aleppo countryside",
        tags=["hazzm-nusra-conflict"],
    ),
    claim(
        "c-hazzm-left-barracks",
        "At the end of the battle, Hazzm fighters left the barracks and retreated towards Atarib.",
        location="Base 46 towards Atarib",
        tags=["hazzm-nusra-conflict"],
    ),
    claim(
        "c-lf-will-intervene",
        "The Levant Front would intervene if fighting broke out between Hazzm and Nusra.",
        status="disputed",
        tags=["levant-front", "mediation"],
    ),
    claim(
        "c-lf-no-intervention",
        "The Levant Front took no action to intervene when fighting broke out between Hazzm and Nusra.",
        status="corroborated",
        tags=["levant-front", "mediation"],
    ),
    claim(
        "c-activists-mobilised",
        "Activists tried to mobilise the people, calling on the Levant Front and Ahrar "
        "al-Sham to intervene quickly and end the Hazzm-Nusra fighting.",
        tags=["mediation"],
    ),
    claim(
        "c-lf-pledged-base46",
        "The Levant Front would take over Base 46 and force Hazzm and Nusra to sign a ceasefire agreement.",
        location="Base 46",
        tags=["levant-front", "mediation"],
    ),
    claim(
        "c-conflict-started-oct",
        "The long-running conflict between Hazzm and Nusra started in October 2014.",
        occurred="2014-10",
        tags=["hazzm-nusra-conflict", "timeline"],
    ),
    claim(
        "c-nusra-caliphate-steps",
        'From October 2014 Nusra began to take steps to establish a "caliphate" in areas it controlled in Syria.',
        occurred="2014-10",
        location="Syria",
        tags=["emirate"],
    ),
    claim(
        "c-lf-urged-restraint",
        "To cool tensions, the Levant Front urged Hazzm not to antagonise Nusra.",
        status="disputed",
        tags=["levant-front", "mediation"],
    ),
    claim(
        "c-nusra-asked-restraint",
        'Nusra was asked not to "rush into battle" with its secular rivals.',
        tags=["mediation"],
    ),
    claim(
        "c-conflict-intensified-sat",
        "The conflict intensified on Saturday 28 February 2015 when Nusra announced that "
        'anyone linked to Hazzm would be a "direct target".',
        occurred="2015-02-28",
        tags=["hazzm-nusra-conflict", "timeline"],
    ),
    claim(
        "c-hazzm-linked-targets",
        'Anyone linked to Hazzm is a "direct target" of the Nusra Front.',
        occurred="2015-02-28",
        tags=["hazzm-nusra-conflict", "threat"],
    ),
    claim(
        "c-hazzm-joined-lf",
        "Hazzm joined the Levant Front, a rebel umbrella group, about a month before 1 March 2015.",
        occurred="2015-02",
        tags=["levant-front", "merger"],
    ),
    claim(
        "c-hazzm-kidnapped-nusra",
        "Hazzm kidnapped four Nusra members and leaders.",
        tags=["hazzm-nusra-conflict", "kidnapping"],
    ),
    claim(
        "c-lf-escalated",
        "The Levant Front escalated the conflict with Nusra, the escalation coming when "
        "Hazzm kidnapped four Nusra members and leaders.",
        status="disputed",
        tags=["hazzm-nusra-conflict", "responsibility"],
    ),
    claim(
        "c-lf-incites",
        "The Levant Front always incites its fighters to attack Nusra.",
        status="disputed",
        tags=["levant-front", "responsibility"],
    ),
    claim(
        "c-lf-absent-front",
        "The Levant Front is completely absent from frontline fighting with the regime's forces.",
        tags=["levant-front", "regime-front"],
    ),
    claim(
        "c-hazzm-active-war",
        "Hazzm had been an active participant in the war against the Syrian regime.",
        tags=["regime-front"],
    ),
    claim("c-nusra-treason-habit", "Nusra habitually accuses its opponents of treason.", tags=["rhetoric"]),
    claim(
        "c-nusra-killed-captured",
        "Nusra killed and captured a number of Hazzm fighters.",
        tags=["hazzm-nusra-conflict", "kidnapping", "casualties"],
    ),
    claim(
        "c-nusra-withdrew-front",
        "Nusra withdrew its fighters from the frontlines in Hamah and Aleppo to consolidate "
        "its grip on areas under its control.",
        location="Hamah and Aleppo frontlines",
        tags=["regime-front"],
    ),
    claim("c-nusra-emirate", "Nusra is preparing to establish an emirate.", tags=["emirate"]),
    claim(
        "c-nusra-aggressor",
        "Nusra was the aggressor in the fighting with Hazzm, through its attack on Base 46 "
        "and the al-Muhandiseen farms where Hazzm fighters were stationed.",
        location="Base 46 and the al-Muhandiseen farms",
        status="disputed",
        tags=["hazzm-nusra-conflict", "responsibility"],
    ),
    claim(
        "c-nusra-attacked-rebels",
        "Nusra attacked rebel groups months before the article.",
        status="corroborated",
        tags=["rebel-infighting"],
    ),
    claim(
        "c-nusra-following-is", "Nusra is following in the footsteps of the Islamic State group.", tags=["extremism"]
    ),
    claim(
        "c-qahtani-era",
        "Under Sharia leader Abu Maria al-Qahtani, Nusra was hostile towards the Islamic "
        "State group and worked closely with rebel factions.",
        tags=["nusra-leadership"],
    ),
    claim(
        "c-aridi-era",
        "After Sami al-Aridi replaced al-Qahtani, Nusra moved ideologically closer to the "
        "Islamic State group and tried to appeal to other extremist sympathisers.",
        tags=["nusra-leadership", "extremism"],
    ),
    claim(
        "c-nusra-confrontational",
        "Nusra then took a more confrontational approach to the Free Syrian Army and Ahrar al-Sham.",
        tags=["rebel-infighting"],
    ),
    claim(
        "c-nusra-hostile-aug2014",
        "Nusra has been hostile to Hazzm and the Syria Revolutionaries Front since August 2014.",
        occurred="2014-08",
        location="Idlib",
        tags=["rebel-infighting", "timeline"],
    ),
    claim(
        "c-nusra-expelled-srf",
        "Nusra confronted the SRF, expelled it from Jabal al-Zawya and later in 2014 "
        "captured its local brigade commanders.",
        occurred="2014",
        location="Jabal al-Zawya, Idlib",
        tags=["rebel-infighting"],
    ),
    claim(
        "c-nusra-consolidating",
        "Nusra is consolidating its control in Aleppo and establishing its own Sharia courts.",
        location="Aleppo",
        tags=["emirate"],
    ),
]


# --------------------------------------------------------------------------- statements


def statements(body: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def st(
        id_: str,
        speaker: str,
        *,
        quote: str | None = None,
        span_text: str | None = None,
        text: str | None = None,
        quote_type: str = "indirect",
        cue: str | None = None,
        hedge: str | None = None,
        stated: str | None = None,
        credibility: int | None = None,
        reported_by: str | None = None,
        claims: Iterable[tuple[str, str, str]] = (),
        within: str | None = None,
        occurrence: int | None = None,
        within_occurrence: int | None = None,
    ) -> None:
        """Add a statement. `quote` (direct) or `span_text` is located in the body."""
        located = quote if quote is not None else span_text
        assert located is not None, id_
        start, end = locate(body, located, within=within, occurrence=occurrence, within_occurrence=within_occurrence)
        if quote is not None:
            quote_type = "direct"
            text = body[start:end]
        elif text is None:
            text = " ".join(body[start:end].split())
        out.append(
            {
                "id": id_,
                "source_id": SOURCE_ID,
                "speaker_id": speaker,
                "reported_by_id": reported_by,
                "text": text,
                "quote_type": quote_type,
                "cue": cue,
                "hedge": hedge,
                "stated": stated,
                "span": {"start": start, "end": end},
                "credibility": credibility,
                "claims": [{"claim_id": c, "stance": s, "certainty": k} for c, s, k in claims],
            }
        )

    # -- The outlet's own reporting (outermost voice: no reported_by). Its words are
    #    verbatim, so these are "direct" with no cue.
    st(
        "st-outlet-headline",
        OUTLET,
        stated=PUBLISHED,
        quote="Syrian Nusra Front assault drives Hazzm from Aleppo",
        occurrence=0,
        claims=[("c-hazzm-driven-from-aleppo", "asserts", "certain"), ("c-nusra-offensive", "asserts", "certain")],
    )
    st(
        "st-outlet-standfirst",
        OUTLET,
        stated=PUBLISHED,
        hedge="it seems",
        quote="The Nusra Front and Hazzm have fought a low-scale war behind rebel lines for "
        "months, now it seems Nusra are set to emerge the victors, leading to fears of a "
        'new "caliphate".',
        claims=[("c-low-scale-war", "asserts", "certain"), ("c-nusra-set-to-win", "asserts", "probable")],
    )
    st(
        "st-outlet-caption",
        OUTLET,
        stated=PUBLISHED,
        quote="The Levant Front is the largest rebel outfit in Aleppo",
        claims=[("c-lf-largest", "asserts", "certain")],
    )
    st(
        "st-outlet-offensive",
        OUTLET,
        stated=PUBLISHED,
        credibility=2,
        quote="The Nusra Front, the Syrian al-Qaeda franchise, has launched a tank-led "
        "offensive on Hazzm Movement positions.",
        claims=[("c-nusra-offensive", "asserts", "certain")],
    )
    st(
        "st-outlet-targets",
        OUTLET,
        stated=PUBLISHED,
        credibility=2,
        quote="The towns of Miznaz and al-Mashtal, as well as former army base Regiment 46, in "
        "Aleppo's western countryside, were all targeted. More than 50 Hazzm fighters were "
        "killed in the fighting.",
        claims=[("c-nusra-offensive", "asserts", "certain"), ("c-hazzm-50-killed", "asserts", "certain")],
    )
    st(
        "st-outlet-retreat-atarib",
        OUTLET,
        stated=PUBLISHED,
        quote="Hazzm fighters were forced to retreat from the town of Atarib in western Aleppo.",
        claims=[("c-hazzm-retreat-atarib", "asserts", "certain")],
    )
    # Hedged, unnamed attribution.
    st(
        "st-reports-merger",
        "unnamed-reports",
        hedge="there are reports",
        cue=None,
        span_text="There are reports that after the defeat, Hazzm merged with the Levant Front, "
        "effectively ending the existence of the group.",
        text="After the defeat, Hazzm merged with the Levant Front, effectively ending the existence of the group.",
        claims=[("c-hazzm-merged-lf", "asserts", "possible")],
    )
    st(
        "st-outlet-bashkawi",
        OUTLET,
        stated=PUBLISHED,
        quote="The clashes in the Aleppo governorate coincide with heavy fighting with the "
        "Syrian regime's forces around the village of Bashkawi.",
        claims=[("c-bashkawi-fighting", "asserts", "certain")],
    )
    st(
        "st-outlet-nayrab",
        OUTLET,
        stated=PUBLISHED,
        quote="Nayrab Airbase has been targeted by the opposition, while the regime dropped at "
        "least three barrel bombs on opposition-controlled towns in northern Aleppo.",
        claims=[("c-nayrab-targeted", "asserts", "certain"), ("c-barrel-bombs", "asserts", "certain")],
    )

    # -- Mujahed al-Sham, and the Levant Front pledge he reports (nested).
    st(
        "st-sham-clashes-began",
        "mujahed-al-sham",
        cue="said",
        credibility=2,
        span_text="Mujahed al-Sham, a Syrian activist, said that the clashes between Hazzm and "
        "Nusra began two nights ago, around Base 46, a former regime army camp.",
        text="The clashes between Hazzm and Nusra began two nights ago, around Base 46, a former regime army camp.",
        claims=[("c-clashes-began-base46", "asserts", "certain")],
    )
    st(
        "st-outlet-left-barracks",
        OUTLET,
        stated=PUBLISHED,
        quote="At the end of the battle, Hazzm fighters left the barracks and retreated towards Atarib.",
        claims=[("c-hazzm-left-barracks", "asserts", "certain")],
    )
    st(
        "st-sham-no-action",
        "mujahed-al-sham",
        cue="said",
        credibility=2,
        span_text="Despite a statement from the Levant Force that it would intervene if fighting "
        "broke out between the two groups, no such action was taken, said Sham.",
        text="Despite a statement from the Levant Front that it would intervene if fighting "
        "broke out between Hazzm and Nusra, no such action was taken.",
        claims=[("c-lf-no-intervention", "asserts", "certain"), ("c-lf-will-intervene", "reports", "certain")],
    )
    st(
        "st-lf-pledge-intervene",
        "levant-front",
        reported_by="st-sham-no-action",
        cue="statement",
        credibility=4,
        span_text="a statement from the Levant Force that it would intervene if fighting broke "
        "out between the two groups",
        text="The Levant Front would intervene if fighting broke out between the two groups (Hazzm and Nusra).",
        claims=[("c-lf-will-intervene", "asserts", "certain")],
    )
    st(
        "st-sham-regardless",
        "mujahed-al-sham",
        cue="said",
        quote="Regardless of whose fault it is, or who started the aggression, we have tried to "
        "mobilise the people, calling on the Levant Front and the Ahrar al-Sham group to "
        "intervene quickly and end the fighting",
        claims=[("c-nusra-aggressor", "questions", "unknown"), ("c-activists-mobilised", "asserts", "certain")],
    )
    st(
        "st-sallal-pledge",
        "munzer-al-sallal",
        cue="said",
        credibility=2,
        span_text="The Levant Front pledged to take over Base 46 and force the two sides to sign "
        "a ceasefire agreement, but by that time the battle was almost over, said Munzer "
        "al-Sallal, deputy head of the provincial council in the opposition-run "
        "districts of Aleppo.",
        text="The Levant Front pledged to take over Base 46 and force the two sides to sign a "
        "ceasefire agreement, but by that time the battle was almost over.",
        claims=[("c-lf-pledged-base46", "reports", "certain"), ("c-lf-no-intervention", "asserts", "probable")],
    )
    st(
        "st-lf-pledge-base46",
        "levant-front",
        reported_by="st-sallal-pledge",
        cue="pledged",
        span_text="The Levant Front pledged to take over Base 46 and force the two sides to sign a ceasefire agreement",
        text="The Levant Front will take over Base 46 and force the two sides to sign a ceasefire agreement.",
        claims=[("c-lf-pledged-base46", "asserts", "certain")],
    )

    st(
        "st-outlet-october",
        OUTLET,
        stated=PUBLISHED,
        quote="A long-running conflict between the two rebel groups started in October, when "
        'Nusra began to take steps to establish a "caliphate" in areas it controlled in '
        "Syria.",
        claims=[("c-conflict-started-oct", "asserts", "certain"), ("c-nusra-caliphate-steps", "asserts", "certain")],
    )
    # Hedged ("reportedly"), unnamed; the Levant Front's urging is nested under it.
    st(
        "st-reports-cool-tensions",
        "unnamed-reports",
        hedge="reportedly",
        span_text="In an attempt to cool tensions, the Levant Front reportedly urged Hazzm not to "
        'antagonise Nusra, while Nusra was asked to not "rush into battle" with its '
        "secular rivals.",
        text="In an attempt to cool tensions, the Levant Front urged Hazzm not to antagonise "
        'Nusra, while Nusra was asked to not "rush into battle" with its secular rivals.',
        claims=[("c-lf-urged-restraint", "asserts", "probable"), ("c-nusra-asked-restraint", "asserts", "probable")],
    )
    st(
        "st-lf-urges-restraint",
        "levant-front",
        reported_by="st-reports-cool-tensions",
        cue="urged",
        span_text="the Levant Front reportedly urged Hazzm not to antagonise Nusra",
        text="Hazzm should not antagonise Nusra.",
    )

    st(
        "st-outlet-intensified",
        OUTLET,
        stated=PUBLISHED,
        quote="The conflict intensified on Saturday when Nusra announced that anyone linked to "
        'Hazzm would be a "direct target".',
        occurrence=0,  # the second occurrence is the page's pull quote repeating it
        claims=[("c-conflict-intensified-sat", "asserts", "certain")],
    )
    st(
        "st-nusra-direct-target",
        "nusra",
        cue="announced",
        stated="2015-02-28",
        span_text='anyone linked to Hazzm would be a "direct target"',
        within="The conflict intensified on Saturday when Nusra announced that anyone linked "
        'to Hazzm would be a "direct target".',
        within_occurrence=0,
        text='Anyone linked to Hazzm will be a "direct target".',
        claims=[("c-hazzm-linked-targets", "asserts", "certain")],
    )
    st(
        "st-nusra-warns-lf",
        "nusra",
        cue="warned",
        stated="2015-02-28",
        span_text="It also warned the Levant Front, a rebel umbrella group which Hazzm joined a "
        'month ago, to "stay away from Hazzm sites".',
        text='The Levant Front must "stay away from Hazzm sites".',
    )
    st(
        "st-outlet-hazzm-joined-lf",
        OUTLET,
        stated=PUBLISHED,
        quote_type="paraphrase",
        span_text="a rebel umbrella group which Hazzm joined a month ago",
        text="The Levant Front is a rebel umbrella group which Hazzm joined a month ago.",
        claims=[("c-hazzm-joined-lf", "asserts", "certain")],
    )
    st(
        "st-nusra-communique",
        "nusra",
        cue="claims",
        credibility=4,
        quote="The Levant Front escalated when Hazzm kidnapped four Nusra members and leaders. "
        "In addition, the Levant Front always incites its fighters to attack Nusra, and it "
        "is completely absent from frontline fighting with the regime's forces.",
        claims=[
            ("c-lf-escalated", "asserts", "certain"),
            ("c-hazzm-kidnapped-nusra", "asserts", "certain"),
            ("c-lf-incites", "asserts", "certain"),
            ("c-lf-absent-front", "asserts", "certain"),
            ("c-nusra-aggressor", "denies", "probable"),
        ],
    )

    # -- Assem Zaidan.
    st(
        "st-zaidan-active",
        "assem-zaidan",
        cue="said",
        span_text="Assem Zaidan, an activist, said that Hazzm had been an active participant in "
        "the war against the Syrian regime.",
        text="Hazzm had been an active participant in the war against the Syrian regime.",
        claims=[("c-hazzm-active-war", "asserts", "certain")],
    )
    st(
        "st-zaidan-treason",
        "assem-zaidan",
        cue="said",
        quote="It is not unusual for Nusra to accuse its opponents of treason",
        claims=[("c-nusra-treason-habit", "asserts", "certain")],
    )

    # -- Hazzm.
    st(
        "st-hazzm-accuses-killing",
        "hazzm",
        cue="accused",
        stated="2015-02-27",
        span_text="Tensions escalated when, late on Friday night, Hazzm accused Nusra of killing "
        "and capturing a number of its fighters and said it would pursue the case with "
        "an independent Sharia court.",
        text="Nusra killed and captured a number of Hazzm's fighters; Hazzm will pursue the case "
        "with an independent Sharia court.",
        claims=[("c-nusra-killed-captured", "asserts", "certain")],
    )
    st(
        "st-hazzm-accuses-withdrawal",
        "hazzm",
        cue="accused",
        span_text="A statement from the group also accused Nusra of withdrawing its fighters from "
        "the frontlines in Hamah and Aleppo, to consolidate its grip in areas under its "
        "control and make plans to establish an emirate.",
        text="Nusra withdrew its fighters from the frontlines in Hamah and Aleppo to consolidate "
        "its grip in areas under its control and make plans to establish an emirate.",
        claims=[("c-nusra-withdrew-front", "asserts", "certain"), ("c-nusra-emirate", "asserts", "certain")],
    )

    # -- Activists.
    st(
        "st-atarib-youtube",
        "atarib-activists",
        cue="posted a statement",
        credibility=3,
        span_text="In Atarib, an activist group posted a statement on YouTube, calling on "
        "opposition forces to unite and turn their attentions to fighting the regime. "
        "The statement said that Nusra were the aggressor due to its attack on Base 46 "
        "and the farms of the al-Muhandiseen, where Hazzm fighters were stationed.",
        text="Opposition forces should unite and turn their attentions to fighting the regime. "
        "Nusra were the aggressor due to its attack on Base 46 and the farms of the "
        "al-Muhandiseen, where Hazzm fighters were stationed.",
        claims=[("c-nusra-aggressor", "asserts", "certain")],
    )
    st(
        "st-activists-call",
        "activists",
        cue="called on",
        span_text="Activists called on Nusra to send its fighters to the front lines of the "
        "battle with the regime, and called for a general mobilisation of rebel outfits "
        "in Atarib, in case of an attack by Nusra.",
        text="Nusra should send its fighters to the front lines of the battle with the regime; "
        "rebel outfits in Atarib should mobilise generally in case of an attack by Nusra.",
    )
    st(
        "st-135-condemn",
        "figures-135",
        cue="issued a statement",
        span_text="In Aleppo, 135 leading cultural figures and activists issued a statement "
        "condemning Nusra's attack on rebel groups months ago, accusing Nusra of "
        "following in the footsteps of the Islamic State group.",
        text="We condemn Nusra's attack on rebel groups months ago; Nusra is following in the "
        "footsteps of the Islamic State group.",
        quote_type="paraphrase",
        claims=[("c-nusra-attacked-rebels", "asserts", "certain"), ("c-nusra-following-is", "asserts", "certain")],
    )
    st(
        "st-135-strike-back",
        "figures-135",
        cue="called on",
        quote_type="paraphrase",
        span_text="The statement called on the Levant Front, which is the largest opposition "
        "faction in Aleppo, and all revolutionary groups in northern Syria, to strike "
        "back at anyone who threatens the security of rebel-held areas.",
        text="The Levant Front and all revolutionary groups in northern Syria should strike back "
        "at anyone who threatens the security of rebel-held areas.",
    )

    # -- Background: Nusra's leadership and its record.
    st(
        "st-outlet-qahtani",
        OUTLET,
        stated=PUBLISHED,
        quote="Under Sharia leader Abu Maria al-Qahtani, Nusra were hostile towards the Islamic "
        "State group and worked closely with rebel factions.",
        claims=[("c-qahtani-era", "asserts", "certain")],
    )
    st(
        "st-outlet-aridi",
        OUTLET,
        stated=PUBLISHED,
        quote="When he was replaced by Jordanian Sami al-Aridi, the group moved ideologically "
        "closer to the Islamic State group and attempted to appeal to other extremist "
        "sympathisers.",
        claims=[("c-aridi-era", "asserts", "certain"), ("c-nusra-following-is", "asserts", "probable")],
    )
    st(
        "st-outlet-confrontational",
        OUTLET,
        stated=PUBLISHED,
        quote="After this, Nusra took a more confrontational approach to the Free Syrian Army "
        "and the Salafist Ahrar al-Sham movement.",
        claims=[("c-nusra-confrontational", "asserts", "certain"), ("c-nusra-attacked-rebels", "asserts", "probable")],
    )
    st(
        "st-nusra-aug2014",
        "nusra",
        cue="announced",
        stated="2014-08",
        span_text="In August 2014, Nusra announced its hostility to Hazzm and the Syria "
        "Revolutionaries Front (SRF) who were based in Idlib.",
        text="Nusra is hostile to Hazzm and the Syria Revolutionaries Front (SRF).",
        claims=[("c-nusra-hostile-aug2014", "asserts", "certain")],
    )
    st(
        "st-outlet-srf",
        OUTLET,
        stated=PUBLISHED,
        quote="It later confronted the SRF and expelled it from Jabal al-Zawya, and captured the "
        "group's local brigade commanders later in the year.",
        claims=[("c-nusra-expelled-srf", "asserts", "certain"), ("c-nusra-attacked-rebels", "asserts", "certain")],
    )
    st(
        "st-outlet-consolidating",
        OUTLET,
        stated=PUBLISHED,
        hedge="may be",
        quote="Nusra is currently consolidating its control in Aleppo and establishing its own "
        "Sharia courts, in signs that the movement may be close to announcing the "
        "establishment of an emirate.",
        claims=[("c-nusra-consolidating", "asserts", "certain"), ("c-nusra-emirate", "asserts", "possible")],
    )
    return out


# --------------------------------------------------------------------------- the rest


def affiliation(
    id_: str,
    member: str,
    org: str,
    role: str,
    start: str | None,
    end: str | None,
    statement: str | None,
    note: str | None,
) -> dict[str, Any]:
    return {
        "id": id_,
        "member_id": member,
        "organization_id": org,
        "role": role,
        "start": start,
        "end": end,
        "statement_id": statement,
        "note": note,
    }


AFFILIATIONS = [
    affiliation(
        "af-hazzm-member-lf",
        "hazzm",
        "levant-front",
        "member",
        "2015-02",
        None,
        "st-outlet-hazzm-joined-lf",
        'Hazzm joined the Levant Front, "a rebel umbrella group", "a month ago" '
        "(article dated 2015-03-01), hence month precision.",
    ),
    affiliation(
        "af-hazzm-merged-lf",
        "hazzm",
        "levant-front",
        "merged_into",
        "2015",
        None,
        "st-reports-merger",
        'Hedged ("there are reports"): after its defeat Hazzm merged with the Levant '
        "Front, effectively ending its existence. The article gives no date beyond "
        '"after the defeat" in fighting that began about 2015-02-27 and was reported '
        "on 2015-03-01, so only the year is recorded.",
    ),
    affiliation(
        "af-qahtani-leader-nusra",
        "al-qahtani",
        "nusra",
        "leader",
        None,
        "2014",
        "st-outlet-qahtani",
        "Sharia leader. Replaced by Sami al-Aridi (st-outlet-aridi); the article gives "
        "no date for the replacement. End placed in 2014 from the article's order of "
        "events (replacement, then a more confrontational approach, then the August 2014 "
        "announcement of hostility to Hazzm and the SRF): approximate.",
    ),
    affiliation(
        "af-aridi-leader-nusra",
        "al-aridi",
        "nusra",
        "leader",
        "2014",
        None,
        "st-outlet-aridi",
        "Sharia leader, replacing Abu Maria al-Qahtani; Jordanian. Start approximate, see af-qahtani-leader-nusra.",
    ),
    affiliation(
        "af-sallal-member-council",
        "munzer-al-sallal",
        "aleppo-council",
        "member",
        None,
        None,
        "st-sallal-pledge",
        "Deputy head of the provincial council in the opposition-run districts of Aleppo.",
    ),
    affiliation(
        "af-nusra-member-alqaeda",
        "nusra",
        "al-qaeda",
        "member",
        None,
        None,
        "st-outlet-offensive",
        'Described as "the Syrian al-Qaeda franchise".',
    ),
]

SOURCE_NOTE = (
    'The article ends: "This article is an edited translation from our Arabic edition." '
    "Hence language en, original language ar. Reliability deliberately left ungraded: the "
    "outlet is not named in the text and the English text is an edited translation, so "
    "there is no track record to grade from; grade it once the outlet is identified. "
    'Fixed page furniture ("4 min read", the section subheadings) and the pull quote that '
    'repeats "The conflict intensified on Saturday ..." are not separate statements.'
)


def accusation(
    id_: str,
    statement: str,
    accuser: str,
    accused: str,
    act: str,
    category: str,
    claim_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": id_,
        "statement_id": statement,
        "accuser_id": accuser,
        "accused_id": accused,
        "act": act,
        "category": category,
        "claim_id": claim_id,
    }


ACCUSATIONS = [
    accusation(
        "ac-nusra-hazzm-kidnapping",
        "st-nusra-communique",
        "nusra",
        "hazzm",
        "kidnapped four Nusra members and leaders",
        "kidnapping",
        "c-hazzm-kidnapped-nusra",
    ),
    accusation(
        "ac-nusra-lf-escalation",
        "st-nusra-communique",
        "nusra",
        "levant-front",
        "escalated the conflict when Hazzm kidnapped four Nusra members and leaders",
        "escalation",
        "c-lf-escalated",
    ),
    accusation(
        "ac-nusra-lf-incitement",
        "st-nusra-communique",
        "nusra",
        "levant-front",
        "always incites its fighters to attack Nusra",
        "incitement",
        "c-lf-incites",
    ),
    accusation(
        "ac-nusra-lf-abandonment",
        "st-nusra-communique",
        "nusra",
        "levant-front",
        "is completely absent from frontline fighting with the regime's forces",
        "abandonment",
        "c-lf-absent-front",
    ),
    accusation(
        "ac-hazzm-nusra-killing",
        "st-hazzm-accuses-killing",
        "hazzm",
        "nusra",
        "killing a number of Hazzm's fighters",
        "killing",
        "c-nusra-killed-captured",
    ),
    accusation(
        "ac-hazzm-nusra-kidnapping",
        "st-hazzm-accuses-killing",
        "hazzm",
        "nusra",
        "capturing a number of Hazzm's fighters",
        "kidnapping",
        "c-nusra-killed-captured",
    ),
    accusation(
        "ac-hazzm-nusra-abandonment",
        "st-hazzm-accuses-withdrawal",
        "hazzm",
        "nusra",
        "withdrawing its fighters from the frontlines in Hamah and Aleppo",
        "abandonment",
        "c-nusra-withdrew-front",
    ),
    accusation(
        "ac-atarib-nusra-aggression",
        "st-atarib-youtube",
        "atarib-activists",
        "nusra",
        "was the aggressor, attacking Base 46 and the al-Muhandiseen farms where Hazzm fighters were stationed",
        "aggression",
        "c-nusra-aggressor",
    ),
    accusation(
        "ac-135-nusra-aggression",
        "st-135-condemn",
        "figures-135",
        "nusra",
        "attacked rebel groups months ago",
        "aggression",
        "c-nusra-attacked-rebels",
    ),
    accusation(
        "ac-135-nusra-extremism",
        "st-135-condemn",
        "figures-135",
        "nusra",
        "following in the footsteps of the Islamic State group",
        "extremism",
        "c-nusra-following-is",
    ),
    accusation(
        "ac-zaidan-nusra-defamation",
        "st-zaidan-treason",
        "assem-zaidan",
        "nusra",
        "habitually accuses its opponents of treason",
        "defamation",
        "c-nusra-treason-habit",
    ),
]


def contradiction(id_: str, a: str, b: str, kind: str, status: str, note: str) -> dict[str, Any]:
    return {"id": id_, "claim_a_id": a, "claim_b_id": b, "kind": kind, "status": status, "note": note}


CONTRADICTIONS = [
    contradiction(
        "x-who-started",
        "c-lf-escalated",
        "c-nusra-aggressor",
        "incompatible",
        "open",
        "Who started the fighting. Nusra's statement blames the Levant Front (the escalation "
        "came when Hazzm kidnapped four Nusra members and leaders); the Atarib activists' "
        "YouTube statement says Nusra was the aggressor through its attack on Base 46 and the "
        'al-Muhandiseen farms. Mujahed al-Sham declines to judge ("regardless of whose fault '
        'it is").',
    ),
    contradiction(
        "x-lf-intervention",
        "c-lf-will-intervene",
        "c-lf-no-intervention",
        "incompatible",
        "open",
        "The Levant Front said it would intervene if Hazzm and Nusra fought (as reported by "
        "Mujahed al-Sham); fighting broke out and, al-Sham says, no such action was taken. "
        "Munzer al-Sallal adds that its pledge to take over Base 46 came when the battle was "
        "almost over.",
    ),
    contradiction(
        "x-lf-incites-vs-restraint",
        "c-lf-incites",
        "c-lf-urged-restraint",
        "incompatible",
        "open",
        'Nusra says the Levant Front "always incites its fighters to attack Nusra"; the '
        'article reports (hedged, "reportedly") that the Levant Front urged Hazzm not to '
        "antagonise Nusra to cool tensions.",
    ),
    contradiction(
        "x-conflict-start-date",
        "c-conflict-started-oct",
        "c-nusra-hostile-aug2014",
        "temporal",
        "dismissed",
        'Apparent tension inside the article: the Hazzm-Nusra conflict "started in October" '
        "(2014), yet Nusra announced its hostility to Hazzm in August 2014. Dismissed: an "
        "announced hostility can precede the start of the conflict; kept so the check is on "
        "record.",
    ),
]


# --------------------------------------------------------------------------- build + validate


def build() -> dict[str, Any]:
    with open(ARTICLE, encoding="utf-8") as fh:  # the full text, exactly as .read() gives it
        body = fh.read()
    source = {
        "id": SOURCE_ID,
        "title": "Syrian Nusra Front assault drives Hazzm from Aleppo",
        "kind": "news_article",
        "publisher_id": OUTLET,
        "author": None,
        "url": None,
        "published": PUBLISHED,
        "language": "en",
        "original_language": "ar",
        "body": body,
        "reliability": None,
        "note": SOURCE_NOTE,
    }
    return {
        "format": "claimdb/1",
        "actors": ACTORS,
        "affiliations": AFFILIATIONS,
        "sources": [source],
        "statements": statements(body),
        "claims": CLAIMS,
        "accusations": ACCUSATIONS,
        "contradictions": CONTRADICTIONS,
    }


def validate(doc: dict[str, Any]) -> list[str]:
    """Every problem found, as readable strings (empty list when the document is valid)."""
    errors: list[str] = []

    def check(cond: object, msg: str) -> None:
        if not cond:
            errors.append(msg)

    check(doc.get("format") == "claimdb/1", "format must be claimdb/1")
    for section, keys in KEYS.items():
        records = doc.get(section, [])
        check(len(records) >= MINIMUMS[section], f"{section}: {len(records)} < minimum {MINIMUMS[section]}")
        record_ids = [r.get("id") for r in records]
        check(len(record_ids) == len(set(record_ids)), f"{section}: duplicate ids")
        for i, rec in enumerate(records):
            check(list(rec) == keys, f"{section}[{i}] keys {list(rec)} != {keys}")
            check(isinstance(rec.get("id"), str) and rec["id"], f"{section}[{i}]: bad id")

    ids = {s: {r["id"]: r for r in doc.get(s, [])} for s in KEYS}
    actors, sources, stmts, claims = ids["actors"], ids["sources"], ids["statements"], ids["claims"]

    def date_ok(value: object) -> bool:
        return value is None or (isinstance(value, str) and bool(PARTIAL_DATE.match(value)))

    for a in actors.values():
        check(a["kind"] in ACTOR_KINDS, f"actor {a['id']}: kind {a['kind']}")
        check(a["reliability"] is None or a["reliability"] in RELIABILITY, f"actor {a['id']}: reliability")
        check(isinstance(a["name"], str) and a["name"].strip(), f"actor {a['id']}: name")
        names = [al["name"] for al in a["aliases"]]
        check(len(names) == len(set(names)), f"actor {a['id']}: duplicate aliases")
        for al in a["aliases"]:
            check(list(al) == ["name", "language"], f"actor {a['id']}: alias keys")
            check(al["name"] != a["name"], f"actor {a['id']}: alias equals name")

    for f in ids["affiliations"].values():
        check(f["member_id"] in actors, f"affiliation {f['id']}: member")
        check(f["organization_id"] in actors, f"affiliation {f['id']}: organization")
        check(f["member_id"] != f["organization_id"], f"affiliation {f['id']}: self")
        check(f["role"] in ROLES, f"affiliation {f['id']}: role")
        check(date_ok(f["start"]) and date_ok(f["end"]), f"affiliation {f['id']}: dates")
        if f["start"] and f["end"]:
            check(f["start"][: len(f["end"])] <= f["end"], f"affiliation {f['id']}: end<start")
        check(f["statement_id"] is None or f["statement_id"] in stmts, f"affiliation {f['id']}: statement")

    for s in sources.values():
        check(s["kind"] in SOURCE_KINDS, f"source {s['id']}: kind")
        check(
            s["publisher_id"] is None or actors.get(s["publisher_id"], {}).get("kind") == "media",
            f"source {s['id']}: publisher must be a media actor",
        )
        check(date_ok(s["published"]), f"source {s['id']}: published")
        check(s["reliability"] is None or s["reliability"] in RELIABILITY, f"source {s['id']}: reliability")

    for st in stmts.values():
        sid = st["id"]
        check(st["source_id"] in sources, f"statement {sid}: source")
        check(st["speaker_id"] in actors, f"statement {sid}: speaker")
        check(st["quote_type"] in QUOTE_TYPES, f"statement {sid}: quote_type")
        check(st["credibility"] is None or st["credibility"] in range(1, 7), f"statement {sid}: credibility")
        check(date_ok(st["stated"]), f"statement {sid}: stated")
        check(isinstance(st["text"], str) and st["text"].strip(), f"statement {sid}: text")
        body = sources.get(st["source_id"], {}).get("body", "")
        span = st["span"]
        check(span is not None, f"statement {sid}: span required in the demo")
        if span is not None:
            check(list(span) == ["start", "end"], f"statement {sid}: span keys")
            check(0 <= span["start"] < span["end"] <= len(body), f"statement {sid}: span range")
            if st["quote_type"] == "direct":
                check(body[span["start"] : span["end"]] == st["text"], f"statement {sid}: direct text != span")
        # reported_by: same source, no loop
        seen = {sid}
        parent = st["reported_by_id"]
        while parent is not None:
            if parent not in stmts:
                errors.append(f"statement {sid}: reported_by {parent} missing")
                break
            check(stmts[parent]["source_id"] == st["source_id"], f"statement {sid}: reported_by leaves its source")
            if parent in seen:
                errors.append(f"statement {sid}: reported_by loop")
                break
            seen.add(parent)
            parent = stmts[parent]["reported_by_id"]
        linked = [c["claim_id"] for c in st["claims"]]
        check(len(linked) == len(set(linked)), f"statement {sid}: claim linked twice")
        for c in st["claims"]:
            check(list(c) == ["claim_id", "stance", "certainty"], f"statement {sid}: claim keys")
            check(c["claim_id"] in claims, f"statement {sid}: claim {c['claim_id']}")
            check(c["stance"] in STANCES, f"statement {sid}: stance")
            check(c["certainty"] in CERTAINTIES, f"statement {sid}: certainty")

    for c in claims.values():
        check(c["status"] in CLAIM_STATUSES, f"claim {c['id']}: status")
        check(date_ok(c["occurred"]), f"claim {c['id']}: occurred")
        check(isinstance(c["tags"], list), f"claim {c['id']}: tags")

    for a in ids["accusations"].values():
        check(a["statement_id"] in stmts, f"accusation {a['id']}: statement")
        check(a["accuser_id"] in actors and a["accused_id"] in actors, f"accusation {a['id']}: actors")
        check(a["accuser_id"] != a["accused_id"], f"accusation {a['id']}: accuser is accused")
        check(a["claim_id"] is None or a["claim_id"] in claims, f"accusation {a['id']}: claim")
        check(bool(a["category"]) and bool(a["act"]), f"accusation {a['id']}: act/category")

    pairs = set()
    for x in ids["contradictions"].values():
        check(x["claim_a_id"] in claims and x["claim_b_id"] in claims, f"contradiction {x['id']}: claims")
        check(x["claim_a_id"] != x["claim_b_id"], f"contradiction {x['id']}: same claim")
        pair = frozenset((x["claim_a_id"], x["claim_b_id"]))
        check(pair not in pairs, f"contradiction {x['id']}: duplicate pair")
        pairs.add(pair)
        check(x["kind"] in CONTRADICTION_KINDS, f"contradiction {x['id']}: kind")
        check(x["status"] in CONTRADICTION_STATUSES, f"contradiction {x['id']}: status")

    # Features the demo must show.
    nested = [s for s in stmts.values() if s["reported_by_id"]]
    check(len(nested) >= 2, "fewer than 2 nested statements")
    check(any(s["hedge"] for s in stmts.values()), "no hedged statement")
    stance_conflict = any(
        {"asserts", "denies"} <= {c["stance"] for s in stmts.values() for c in s["claims"] if c["claim_id"] == cid}
        for cid in claims
    )
    check(stance_conflict, "no claim both asserted and denied")
    acc = {(a["accuser_id"], a["accused_id"], a["category"]) for a in ids["accusations"].values()}
    check(any((b, a, cat) in acc for a, b, cat in acc), "no mutual accusation pair")
    used_claims = {c["claim_id"] for s in stmts.values() for c in s["claims"]}
    check(set(claims) <= used_claims, f"claims without a statement: {set(claims) - used_claims}")
    return errors


def main() -> int:
    doc = build()
    errors = validate(doc)
    if errors:
        for e in errors:
            print("ERROR:", e, file=sys.stderr)
        return 1
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts = ", ".join(f"{k}={len(doc[k])}" for k in KEYS)
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
