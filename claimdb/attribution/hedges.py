"""Hedged reports: "reportedly", "allegedly", "there are reports that", "sources say".

A hedge either qualifies a cue the clause rules found ("the Levant Front
reportedly urged …") or is the only cue there is ("There are reports that …"),
in which case nobody is named and ``speaker_span`` stays empty.
"""

from __future__ import annotations

from typing import Final

from claimdb.attribution.candidates import Candidate, Document
from claimdb.attribution.lexicon import HEDGE_ADVERBS, HEDGE_PHRASES, verb_lemma
from claimdb.attribution.speakers import subject_before

_PHRASES: Final[list[tuple[str, ...]]] = sorted((tuple(p.split()) for p in HEDGE_PHRASES), key=len, reverse=True)
# By first word, longest first: every token is looked up once instead of compared with every phrase.
_BY_FIRST: Final[dict[str, list[tuple[str, ...]]]] = {}
for _phrase in _PHRASES:
    _BY_FIRST.setdefault(_phrase[0], []).append(_phrase)
_SPEAKER_WORDS: Final = frozenset({"sources", "reports", "rumours", "rumors"})


def hedge_candidates(doc: Document) -> tuple[list[Candidate], dict[int, str]]:
    """Candidates for phrase hedges, and {token index of a hedge adverb: adverb} for the clause rules to use."""
    out: list[Candidate] = []
    adverbs: dict[int, str] = {}
    toks = doc.tokens
    lows = [t.lower for t in toks]
    n = len(toks)
    i = 0
    while i < n:
        if lows[i] in HEDGE_ADVERBS and not doc.in_quote[i]:
            adverbs[i] = toks[i].text
            i += 1
            continue
        matched = None
        for phrase in _BY_FIRST.get(lows[i], ()):
            if tuple(lows[i : i + len(phrase)]) == phrase:
                matched = phrase
                break
        if matched is None or doc.in_quote[i]:
            i += 1
            continue
        sent = doc.sentence(i)
        last = i + len(matched)
        start = last + 1 if last < sent.last and lows[last] in {",", ":"} else last
        end = sent.last
        while end - 1 > start and toks[end - 1].text in {".", "!", "?"}:
            end -= 1
        source = (i, i + 1) if matched[0] in _SPEAKER_WORDS else None
        if matched[:2] == ("according", "to"):
            source = (i + 2, last)
        if end - start >= 3 and (i == sent.first or toks[i - 1].text in {",", "“", '"'} or matched[0] == "it"):
            cand = Candidate((start, end), (i, last), source, "hedge-phrase", "paraphrase", "hedge")
            cand.hedge = doc.words(i, last)
            out.append(cand)
        i = last
    return out, adverbs


def attach_adverbs(doc: Document, cands: list[Candidate], adverbs: dict[int, str]) -> list[Candidate]:
    """Mark candidates whose cue follows a hedge adverb; a lone adverb makes its own clause a candidate."""
    by_cue = {c.cue[0]: c for c in cands if c.cue is not None}
    extra: list[Candidate] = []
    toks = doc.tokens
    for pos, word in adverbs.items():
        hit = next((by_cue[j] for j in range(pos - 1, pos + 4) if j in by_cue), None)
        if hit is not None:
            hit.hedge = word
            continue
        if any(verb_lemma(toks[j].lower) for j in range(pos + 1, min(pos + 3, len(toks)))):
            continue  # a cue the clause rules rejected; do not guess
        sent = doc.sentence(pos)
        subj = subject_before(doc, pos, sent.first)
        start = subj[0] if subj is not None else sent.first
        end = sent.last
        while end - 1 > pos and toks[end - 1].text in {".", "!", "?"}:
            end -= 1
        if end - start >= 4:
            cand = Candidate((start, end), (pos, pos + 1), None, "hedge-adverb", "paraphrase", "hedge")
            cand.hedge = word
            extra.append(cand)
    return extra
