"""Who is speaking: the speaker's words around a cue, the name in them, and what a pronoun refers to.

Without a parser, a subject is "the words between the clause's start and the
cue", widened over an appositive (", a Syrian activist,") and cut at words
that begin a clause. Pronouns and descriptions ("he", "the group") are
resolved to the nearest earlier named speaker that fits (a person for he/she,
an organisation first for it/they/the group), which is what an analyst would
pick when accepting the suggestion.
"""

from __future__ import annotations

from typing import Final

from claimdb.attribution.candidates import Candidate, Document
from claimdb.attribution.lexicon import (
    DESCRIPTION_NOUNS,
    NOUN_CUES,
    ORG_WORDS,
    PERSON_PRONOUNS,
    PERSONAL_PRONOUNS,
    words,
)
from claimdb.attribution.text import is_abbreviation

_CLAUSE_STARTERS: Final = frozenset(
    words(
        "that and but while when because as after before if although though since so whether where than until "
        'unless whereas once despite which why how ; : ( ) — – -- “ ” "'
    )
)
_DETERMINERS: Final = frozenset(words("the a an this that these those his her its their our my your some many"))
_SPEAKER_DETERMINERS: Final = frozenset(["the", "a", "an", "his", "her", "its", "their", "our"])
_WEEKDAYS: Final = frozenset(words("monday tuesday wednesday thursday friday saturday sunday twitter facebook"))
_APPOSITIVE_OPENERS: Final = frozenset(
    words(
        "a an the who which whose former deputy chief senior head spokesman spokeswoman director president "
        "secretary leader chairman professor his her its their one"
    )
)
_NAME_CONNECTORS: Final = frozenset(
    {"al", "el", "bin", "ibn", "abu", "de", "van", "von", "of", "the", "and", "for", "-"}
)
_COMMON_CAPITALISED: Final = frozenset(
    words(
        "activists officials critics sources experts analysts residents witnesses police supporters opponents "
        "observers people many some most others both all several few reports report the a an in on at after "
        "but and yet when while despite"
    )
)
_NAME_PREFIXES: Final = frozenset(words("al el ad as ash an ar at az ibn bin abu abd"))
MAX_SUBJECT: Final = 14
STATEMENT_VERBS: Final = frozenset({"issued", "released", "posted", "published", "put", "sent"})


def is_name_token(text: str) -> bool:
    """A capitalised word that is not a pronoun, determiner or common plural."""
    low = text.lower()
    head, dash, tail = text.partition("-")
    if dash and head.lower() in _NAME_PREFIXES and tail[:1].isupper():
        return True  # "al-Sham", "el-Sisi"
    return (
        text[:1].isupper()
        and low not in _COMMON_CAPITALISED
        and low not in PERSONAL_PRONOUNS
        and low not in _DETERMINERS
    )


def subject_before(doc: Document, cue_first: int, floor: int) -> tuple[int, int] | None:
    """The speaker's words ending right before token ``cue_first``, not reaching back past ``floor``."""
    toks = doc.tokens
    end = cue_first
    i = end - 1
    if i < floor:
        return None
    if toks[i].text == ",":
        # "Mujahed al-Sham, a Syrian activist, said": step over the appositive to the name.
        j = i - 1
        while j >= floor and toks[j].text not in {",", ";", ":"} and cue_first - j <= MAX_SUBJECT * 2:
            j -= 1
        if j >= floor and toks[j].text == "," and toks[j + 1].lower in _APPOSITIVE_OPENERS | {"who"}:
            start = _clause_start(doc, j, floor)
            if start is not None and start < j:
                return (start, i + 1)
        return None
    start = _clause_start(doc, end, floor)
    if start is None or start >= end:
        return None
    return (start, end)


def _clause_start(doc: Document, end: int, floor: int) -> int | None:
    toks = doc.tokens
    i = end - 1
    while i >= floor and end - i <= MAX_SUBJECT:
        low = toks[i].lower
        if low == "." and i - 1 >= floor and is_abbreviation(toks[i - 1]):
            i -= 2  # "Mr. Obama said": the title's full stop is inside the subject
            continue
        if low in _CLAUSE_STARTERS or toks[i].text in {",", ";", ":", "."}:
            return i + 1
        if low == "who" or low in {"he", "she", "they", "it", "we", "i"}:
            return i  # a pronoun starts its own subject ("…, who said", "when he said")
        i -= 1
    if i < floor:
        return floor
    return None  # too long to be a subject


def speaker_after(doc: Document, after: int, limit: int) -> tuple[int, int] | None:
    """The inverted speaker ("…, said Munzer al-Sallal, deputy head of …."): to the sentence end."""
    toks = doc.tokens
    if after >= limit or not (toks[after].text[:1].isupper() or toks[after].lower in _SPEAKER_DETERMINERS):
        return None
    j = after
    while j < limit and toks[j].text not in {".", "!", "?", ";", "“", "”", '"'} and j - after < 30:
        if toks[j].lower in {"in", "on", "at", "during"} and j > after and toks[j - 1].text != ",":
            nxt = toks[j + 1].lower if j + 1 < limit else ""
            nxt2 = toks[j + 2].lower if j + 2 < limit else ""
            if nxt in _WEEKDAYS or (nxt in {"a", "an", "his", "her", "its", "their"} and nxt2 in NOUN_CUES):
                break
        if toks[j].text == "," and j + 1 < limit and toks[j + 1].lower in {"adding", "saying", "according", "who"}:
            break
        j += 1
    return (after, j) if j > after else None


def name_in(doc: Document, span: tuple[int, int]) -> str:
    """The proper name inside the speaker's words (the longest capitalised run), else the words themselves."""
    toks = doc.tokens
    best: tuple[int, int] | None = None
    i = span[0]
    while i < span[1]:
        if is_name_token(toks[i].text) and not (i == span[0] and toks[i].lower in _DETERMINERS):
            j = i + 1
            while j < span[1] and (
                is_name_token(toks[j].text)
                or (toks[j].lower in _NAME_CONNECTORS and j + 1 < span[1] and is_name_token(toks[j + 1].text))
                or (toks[j].text in {"’s", "'s"} and False)
            ):
                j += 1
            if best is None or (j - i) > (best[1] - best[0]):
                best = (i, j)
            i = j
        else:
            i += 1
    if best is not None:
        # "the Levant Front": keep the article that belongs to the name.
        a = best[0]
        if a > span[0] and toks[a - 1].lower == "the":
            a -= 1
        return doc.words(a, best[1])
    return doc.words(*span).strip(" ,")


def referring_kind(doc: Document, span: tuple[int, int]) -> str:
    """ "pronoun", "description" ("the group"), "name" or "other" (common nouns such as "officials")."""
    toks = doc.tokens[span[0] : span[1]]
    words = [t.lower for t in toks if t.text not in {",", "’s", "'s"}]
    if len(words) == 1 and words[0] in PERSONAL_PRONOUNS:
        return "pronoun"
    if any(is_name_token(t.text) for t in toks[1:]) or (toks and is_name_token(toks[0].text) and len(toks) == 1):
        return "name"
    if toks and is_name_token(toks[0].text) and toks[0].lower not in _DETERMINERS:
        return "name"
    if len(words) <= 3 and words and words[0] in {"the", "this", "that"} and words[-1] in DESCRIPTION_NOUNS:
        return "description"
    return "other"


def looks_like_org(name: str) -> bool:
    """Organisations carry words such as Front, Ministry or Party; bare single names are unknown."""
    return any(w.strip(".,").lower() in ORG_WORDS for w in name.split())


def resolve(doc: Document, cands: list[Candidate]) -> None:
    """Give every candidate a ``speaker_name``, resolving pronouns and descriptions to earlier names.

    Candidates must be in text order. Short names that end an earlier full name
    ("Sham" after "Mujahed al-Sham") are widened to it, so one speaker gets one key.
    """
    named: list[tuple[int, str]] = []  # (token position, full name) of named speakers so far
    mentions = _mentions(doc)  # names that are not (yet) speakers: "Maria Lopez, the mayor, spoke …"
    for cand in sorted(cands, key=lambda c: c.source[0] if c.source else c.content[0]):
        while mentions and mentions[0][0] < (cand.source[0] if cand.source else cand.content[0]):
            named.append(mentions.pop(0))
        named.sort()
        if cand.source is None:
            continue
        kind = referring_kind(doc, cand.source)
        pos = cand.source[0]
        if kind == "name":
            name = name_in(doc, cand.source)
            for _, earlier in reversed(named):
                widen = len(name.split()) == 1 and " and " not in earlier and not looks_like_org(earlier)
                if widen and earlier != name and earlier.endswith((" " + name, "-" + name)):
                    name = earlier
                    break
            cand.speaker_name = name
            named.append((pos, name))
        elif kind in {"pronoun", "description"}:
            word = doc.tokens[cand.source[0]].lower if kind == "pronoun" else "the"
            if word == "who":
                antecedent = _who_antecedent(doc, cand.source[0])
                if antecedent:
                    cand.speaker_name, cand.resolved = antecedent, True
                    continue
            pick = _pick(named, pos, person=word in PERSON_PRONOUNS, org=kind == "description" or word == "it")
            if pick is not None:
                cand.speaker_name, cand.resolved = pick, True
            else:
                cand.speaker_name = doc.words(*cand.source)
        else:
            cand.speaker_name = name_in(doc, cand.source)
            named.append((pos, cand.speaker_name))


def _mentions(doc: Document) -> list[tuple[int, str]]:
    """Runs of two or more capitalised words that look like a person or an organisation, in text order."""
    out: list[tuple[int, str]] = []
    toks = doc.tokens
    i = 0
    while i < len(toks):
        if not is_name_token(toks[i].text) or doc.in_quote[i]:
            i += 1
            continue
        j = i + 1
        while j < len(toks) and (
            is_name_token(toks[j].text)
            or (toks[j].lower in _NAME_CONNECTORS and j + 1 < len(toks) and is_name_token(toks[j + 1].text))
        ):
            j += 1
        name = doc.words(i, j)
        if (
            j - i >= 2
            and (looks_like_person(name) or looks_like_org(name))
            and doc.sentence_of[i] == doc.sentence_of[j - 1]
        ):
            out.append((i, name))
        i = j
    return out


def _pick(named: list[tuple[int, str]], pos: int, *, person: bool, org: bool) -> str | None:
    recent = [name for p, name in reversed(named) if p < pos][:6]
    if not recent:
        return None
    for name in recent:
        if person and not looks_like_org(name):
            return name
        if not person and not looks_like_person(name):
            return name
    return recent[0]


def looks_like_person(name: str) -> bool:
    """Two or more capitalised words, no organisation word, no article: "Assem Zaidan"."""
    words = name.split()
    return (
        len(words) >= 2
        and not looks_like_org(name)
        and words[0].lower() not in _DETERMINERS
        and all(w[:1].isupper() or w.lower() in _NAME_CONNECTORS or is_name_token(w) for w in words)
    )


def _who_antecedent(doc: Document, who: int) -> str | None:
    """ "Elmendorf, who said": the name right before the comma."""
    j = who - 1
    if j < 0 or doc.tokens[j].text != ",":
        return None
    end = j
    while (
        j - 1 >= 0
        and (is_name_token(doc.tokens[j - 1].text) or doc.tokens[j - 1].lower in _NAME_CONNECTORS)
        and end - j < 6
    ):
        j -= 1
    while j < end and not is_name_token(doc.tokens[j].text):
        j += 1
    return doc.words(j, end) if j < end else None


def statement_speaker(doc: Document, subj: tuple[int, int]) -> tuple[int, int]:
    """ "A statement issued by Nusra claims": the speaker is Nusra, not the statement."""
    toks = doc.tokens
    for j in range(subj[0], min(subj[1], subj[0] + 3)):
        if toks[j].lower in NOUN_CUES:
            k = j + 1
            if k < subj[1] and toks[k].lower in STATEMENT_VERBS:
                k += 1
            if k < subj[1] and toks[k].lower in {"by", "from", "of"} and k + 1 < subj[1]:
                return (k + 1, subj[1])
    return subj
