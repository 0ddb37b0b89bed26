"""The rule set: run every pattern, keep one candidate per cue, nest, resolve speakers, score.

Rules are the cold start: with no trained model, their prior (by pattern and
verb class) is the confidence. Every candidate also carries a feature list,
which is what the learned model (learn.py) re-scores.
"""

from __future__ import annotations

from typing import Final

from claimdb.attribution.candidates import Candidate, Document
from claimdb.attribution.clauses import according_to, noun_cues, verb_candidates
from claimdb.attribution.hedges import attach_adverbs, hedge_candidates
from claimdb.attribution.quotes import continue_quotes, quote_candidates
from claimdb.attribution.speakers import referring_kind, resolve

# Which rule wins when two claim the same cue words: quotations know their content best.
_PRIORITY: Final[dict[str, int]] = {
    "split-quote": 9,
    "quote-after": 9,
    "quote-colon": 8,
    "quote-before": 8,
    "according-front": 7,
    "according-back": 7,
    "hedge-phrase": 6,
    "inverted": 5,
    "trailing": 5,
    "parenthetical": 5,
    "forward": 4,
    "noun-cue": 3,
    "trailing-no-subject": 2,
    "participle": 2,
    "hedge-adverb": 1,
}
# Prior confidence by pattern, then scaled by how surely the verb class reports speech.
_PATTERN_PRIOR: Final[dict[str, float]] = {
    "split-quote": 0.95,
    "quote-after": 0.93,
    "quote-colon": 0.8,
    "quote-before": 0.9,
    "according-front": 0.88,
    "according-back": 0.85,
    "hedge-phrase": 0.75,
    "inverted": 0.88,
    "trailing": 0.85,
    "parenthetical": 0.8,
    "forward": 0.8,
    "noun-cue": 0.7,
    "trailing-no-subject": 0.45,
    "participle": 0.5,
    "hedge-adverb": 0.55,
}
_CLASS_FACTOR: Final[dict[str, float]] = {
    "speech": 1.0,
    "according": 1.0,
    "hedge": 1.0,
    "noun": 1.0,
    "accuse": 0.95,
    "directive": 0.85,
    "commissive": 0.8,
    "particle": 0.85,
    "cognition": 0.55,
    "evidence": 0.7,
}


def find(doc: Document) -> list[Candidate]:
    """All candidates in ``doc``, deduplicated, nested, resolved and ordered by content start."""
    hedged, adverbs = hedge_candidates(doc)
    pool = quote_candidates(doc) + according_to(doc) + hedged + verb_candidates(doc) + noun_cues(doc)
    pool.sort(key=lambda c: (-_PRIORITY[c.pattern], c.content[0]))
    kept: list[Candidate] = []
    taken: set[int] = set()
    for cand in pool:
        cue_tokens = set(range(*cand.cue)) if cand.cue else set()
        if cue_tokens & taken:
            continue
        if cand.source is not None and any(
            k.cue is not None and cand.source[0] < k.cue[1] and k.cue[0] < cand.source[1] for k in kept
        ):
            continue  # "sources say": the hedge already owns these words
        taken |= cue_tokens
        kept.append(cand)
    kept += attach_adverbs(doc, kept, adverbs)
    kept.sort(key=lambda c: (c.content[0], c.content[1]))
    _share_subjects(doc, kept)
    continue_quotes(doc, kept)
    _nest(kept)
    resolve(doc, kept)
    for cand in kept:
        cand.score = _prior(cand)
        cand.features = features(doc, cand)
    return kept


def merge(doc: Document, cands: list[Candidate], extra: list[Candidate]) -> list[Candidate]:
    """Add learned candidates to the rules' (same content span: the rule's wins), then nest and resolve again."""
    seen = {c.content for c in cands}
    out = cands + [c for c in extra if c.content not in seen]
    out.sort(key=lambda c: (c.content[0], c.content[1]))
    _nest(out)
    resolve(doc, [c for c in out if c.pattern == "tagger"])
    return out


def _share_subjects(doc: Document, cands: list[Candidate]) -> None:
    """ ", accusing Nusra of …": a participle cue speaks for the subject of the clause before it."""
    for cand in cands:
        if cand.pattern != "participle" or cand.cue is None:
            continue
        sent = doc.sentence_of[cand.cue[0]]
        earlier = [
            c
            for c in cands
            if c.cue is not None
            and c.source is not None
            and c.cue[1] <= cand.cue[0]
            and doc.sentence_of[c.cue[0]] == sent
        ]
        if earlier:
            cand.source = max(earlier, key=lambda c: c.cue[0] if c.cue else 0).source


def _nest(cands: list[Candidate]) -> None:
    """ "X said that Y stated …": Y's attribution lies inside X's content, so X relays it."""
    for b in cands:
        if b.cue is None:
            continue
        best: int | None = None
        for k, a in enumerate(cands):
            if a is b:
                continue
            inside = a.content[0] <= b.cue[0] and b.cue[1] <= a.content[1]
            smaller = (b.content[1] - b.content[0]) < (a.content[1] - a.content[0])
            if (
                inside
                and smaller
                and a.content[0] <= b.content[0]
                and b.content[1] <= a.content[1] + 1
                and (best is None or (a.content[1] - a.content[0]) < (cands[best].content[1] - cands[best].content[0]))
            ):
                best = k
        b.reported_by = best


def _prior(cand: Candidate) -> float:
    score = _PATTERN_PRIOR[cand.pattern] * _CLASS_FACTOR.get(cand.verb_class, 0.8)
    if cand.source is None and cand.hedge is None:
        score *= 0.8
    return round(min(score, 0.99), 3)


def features(doc: Document, cand: Candidate) -> list[str]:
    """Sparse binary features describing a candidate, for the learned re-scorer."""
    toks = doc.tokens
    f = [f"p={cand.pattern}", f"c={cand.verb_class}", f"pc={cand.pattern}|{cand.verb_class}", f"q={cand.quote_type}"]
    if cand.cue is not None:
        cue_words = [t.lower for t in toks[cand.cue[0] : cand.cue[1]]]
        head = cue_words[-1]
        f += [
            f"cw={head}",
            f"cue={' '.join(cue_words)}",
            f"cw|p={head}|{cand.pattern}",
            f"cuelen={min(len(cue_words), 4)}",
        ]
        before = toks[cand.cue[0] - 1].lower if cand.cue[0] > 0 else "<s>"
        after = toks[cand.cue[1]].lower if cand.cue[1] < len(toks) else "</s>"
        f += [f"cb={before}", f"ca={after}", f"cw|ca={head}|{after}"]
    if cand.source is None:
        f.append("src=none")
    else:
        kind = referring_kind(doc, cand.source)
        slen = cand.source[1] - cand.source[0]
        f += [
            f"src={kind}",
            f"srclen={min(slen, 8)}",
            f"s0={toks[cand.source[0]].lower if kind == 'pronoun' else kind}",
        ]
        f.append(f"src|p={kind}|{cand.pattern}")
    length = cand.content[1] - cand.content[0]
    bucket = (
        "1"
        if length <= 2
        else "3"
        if length <= 4
        else "8"
        if length <= 8
        else "20"
        if length <= 20
        else "40"
        if length <= 40
        else "more"
    )
    first = toks[cand.content[0]].lower
    f += [f"len={bucket}", f"first={first if first in {'that', 'to', '“', chr(34), 'the', 'he', 'she'} else 'w'}"]
    if any(doc.in_quote[i] for i in range(*cand.content)):
        f.append("hasquote")
    if cand.hedge:
        f.append("hedge")
    if cand.reported_by is not None:
        f.append("nested")
    if cand.resolved:
        f.append("resolved")
    return f
