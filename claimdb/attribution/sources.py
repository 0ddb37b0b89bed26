"""A learned source ranker for the tagger's new cues: which words in the cue's sentence name the speaker.

The rules' subject finder expects "SUBJECT cue" with nothing unusual in
between; for cues only the tagger knows it often finds nothing ("Donald J.
Trump has vowed", "Cruz exhorted … and said") or too much. This ranker picks
among the sentence's noun-like spans (runs of capitalised words, pronouns,
"the" + noun), or none, with features a reader uses: side and distance to
the cue, adjacency, commas in between, kind of span, the words around it,
sentence start, quotation, overlap with the content. Same averaged ranking
perceptron as the content boundaries (perceptron.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from claimdb.attribution.boundaries import Marks
from claimdb.attribution.candidates import Document
from claimdb.attribution.lexicon import AUXILIARIES, PERSONAL_PRONOUNS
from claimdb.attribution.perceptron import RankRows, Vocab, Weights, score
from claimdb.attribution.speakers import is_name_token
from claimdb.attribution.text import is_abbreviation
from claimdb.attribution.wordfeatures import bucket, lemma

Range = tuple[int, int]
NONE: Final = (-1, -1)
_DETS: Final = frozenset({"the", "a", "an", "his", "her", "its", "their", "our"})
_MAX_NAME: Final = 8


def spans(doc: Document, cue: Range) -> list[Range]:
    """Noun-like spans in the cue's sentence, outside the cue: names (with a leading "the"), pronouns, "the X"."""
    toks = doc.tokens
    sent = doc.sentence(cue[0])
    out: list[Range] = []
    i = sent.first
    while i < sent.last:
        if cue[0] <= i < cue[1]:
            i = cue[1]
            continue
        low = toks[i].lower
        if is_name_token(toks[i].text) and low not in _DETS:
            j = i + 1
            while j < sent.last and j - i < _MAX_NAME and not cue[0] <= j < cue[1]:
                if not _continues_name(doc, j, sent.last):
                    break
                j += 1
            a = i - 1 if i > sent.first and toks[i - 1].lower == "the" else i
            out.append((a, j))
            i = j
            continue
        if low in PERSONAL_PRONOUNS:
            out.append((i, i + 1))
        elif low in _DETS and i + 1 < sent.last and toks[i + 1].text[0].islower() and toks[i + 1].text.isalpha():
            out.append((i, i + 2))
        i += 1
    return out


def _continues_name(doc: Document, j: int, last: int) -> bool:
    """Whether token ``j`` goes on the name before it ("Donald J. Trump", "Bank of America")."""
    toks = doc.tokens
    t = toks[j]
    if is_name_token(t.text) or (t.text == "." and is_abbreviation(toks[j - 1])):
        return True
    return t.lower in {"of", "al", "bin", "de"} and j + 1 < last and is_name_token(toks[j + 1].text)


def _kind(doc: Document, span: Range) -> str:
    low = doc.tokens[span[0]].lower
    if span[1] - span[0] == 1 and low in PERSONAL_PRONOUNS:
        return "pron"
    if low in _DETS and not is_name_token(doc.tokens[span[1] - 1].text):
        return "det"
    return "name"


def features(doc: Document, mk: Marks, cue: Range, content: Range, span: Range, rank: int) -> list[str]:
    """Features of ``span`` as the source of ``cue`` (``rank``: its order by distance on its side, 0 nearest)."""
    lows = mk.lows
    hl = lemma(lows[cue[1] - 1])
    if span == NONE:
        return ["none", "none|hl=" + hl]
    a, b = span
    sent = doc.sentence(cue[0])
    before = b <= cue[0]
    rel = "B" if before else "A"
    d = cue[0] - b if before else a - cue[1]
    between = (b, cue[0]) if before else (cue[1], a)
    only_aux = all(lows[j] in AUXILIARIES or mk.classes[j] == "ly" for j in range(*between))
    kind = _kind(doc, span)
    commas = min(mk.count(mk.commas, *between), 2)
    inside = a < content[1] and content[0] < b
    pw = lows[a - 1] if a > sent.first else "<s>"
    nw = lows[b] if b < sent.last else "</s>"
    return [
        "b",
        "rel|k=" + rel + kind,
        "d=" + rel + bucket(d),
        f"adj={int(only_aux)}{rel}{kind}",
        f"cm={commas}{rel}",
        f"rank={min(rank, 2)}{rel}{kind}",
        "pw=" + rel + pw,
        "nw=" + rel + nw,
        "hl|rel|k=" + hl + rel + kind,
        f"sf={int(a == sent.first)}{rel}",
        f"q={int(doc.in_quote[a])}",
        f"in={int(inside)}{rel}",
        "len=" + bucket(min(b - a, 8)) + kind,
        "w0=" + (lows[a] if kind != "name" else "NAME"),
    ]


def _ranked(doc: Document, cue: Range) -> list[tuple[Range, int]]:
    found = spans(doc, cue)
    before = sorted((s for s in found if s[1] <= cue[0]), key=lambda s: cue[0] - s[1])
    after = sorted((s for s in found if s[0] >= cue[1]), key=lambda s: s[0] - cue[1])
    return [(NONE, 0)] + [(s, k) for k, s in enumerate(before)] + [(s, k) for k, s in enumerate(after)]


def best_source(w: Weights, doc: Document, mk: Marks, cue: Range, content: Range) -> Range | None:
    """The best-scoring source span for ``cue``, or None when "nobody named" scores best."""
    ranked = _ranked(doc, cue)
    span, _ = max(ranked, key=lambda sk: score(w, features(doc, mk, cue, content, sk[0], sk[1])))
    return None if span == NONE else span


def source_rows(
    doc: Document, mk: Marks, gold: Sequence[tuple[Range, Range, Range | None]], vocab: Vocab
) -> RankRows:
    """Ranking examples: every gold cue in one sentence, its candidates' feature ids, the gold candidate's index.

    The gold candidate is the span overlapping the gold source most (none when there is no source or no span
    overlaps it, so the ranker also learns when to give up).
    """
    rows: RankRows = []
    for content, cue, source in gold:
        if doc.sentence_of[cue[0]] != doc.sentence_of[cue[1] - 1]:
            continue
        ranked = _ranked(doc, cue)
        target = 0
        if source is not None:
            best = 0
            for k, (s, _) in enumerate(ranked):
                ov = min(s[1], source[1]) - max(s[0], source[0])
                if s != NONE and ov > best:
                    best, target = ov, k
        rows.append(([vocab.encode(features(doc, mk, cue, content, s, r)) for s, r in ranked], target))
    return rows
