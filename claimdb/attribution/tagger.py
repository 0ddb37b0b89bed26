"""Learning to find what the rules miss: a cue tagger and learned content boundaries.

The re-scorer (learn.py) can only accept or reject the rules' candidates, so
recall stays where the rules leave it. This is the cue-first pipeline that adds
recall and better boundaries, still pure Python and trained in seconds:

1. Cue tagger: a greedy left-to-right averaged perceptron that marks each token
   as inside a cue or not (the previous decision is a feature). Its features are
   the word, a crude lemma, suffix, shape, the lexicon's verb class, the words
   around it, quotation and sentence position, and the rules' own output (is
   this token part of a rule's cue, content or source), so the rules stay the
   cold start and the tagger learns where the desk's cues differ from them.
2. Content boundaries: two ranking perceptrons choose the content's first and
   last word among the words of the cue's sentence, given the cue
   (boundaries.py; the same rankers also move the rules' own single-sentence
   boundaries, with the rule's boundaries as features).
3. Sources: a ranking perceptron over the sentence's names, pronouns and
   "the X" phrases (sources.py); the rules' subject and inverted-speaker
   finders when a model has no source weights.

New candidates (cues no rule claimed) get a confidence calibrated on held-out
folds (Platt scaling). Everything is stored as small dicts of named weights.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from claimdb.attribution.boundaries import Marks, adjust, best_content, boundary_rows, trim
from claimdb.attribution.calibration import platt, sigmoid
from claimdb.attribution.candidates import Candidate, Document
from claimdb.attribution.lexicon import AUXILIARIES, verb_lemma
from claimdb.attribution.perceptron import (
    Averaged,
    RankRows,
    Vocab,
    Weights,
    prune_ranks,
    score,
    shuffled_epochs,
    train_ranker,
)
from claimdb.attribution.sources import best_source, source_rows
from claimdb.attribution.speakers import speaker_after, statement_speaker, subject_before
from claimdb.attribution.types import Span
from claimdb.attribution.wordfeatures import bucket, lemma, shape

CUE_PUNCT: Final = frozenset({":", "―", "—", "--", "–"})
Range = tuple[int, int]


@dataclass
class RuleView:
    """The rules' output laid over the tokens, for features."""

    cue_pattern: list[str]
    in_content: list[bool]
    in_source: list[bool]
    by_cue_token: dict[int, Candidate]
    shapes: list[str]
    lemmas: list[str]
    classes: list[str]
    taggable: list[bool]

    @classmethod
    def of(cls, doc: Document, cands: Sequence[Candidate]) -> RuleView:
        n = len(doc.tokens)
        cue_pattern = [""] * n
        in_content = [False] * n
        in_source = [False] * n
        by_cue: dict[int, Candidate] = {}
        for c in cands:
            if c.cue is not None:
                for i in range(*c.cue):
                    cue_pattern[i] = c.pattern
                    by_cue[i] = c
            for i in range(*c.content):
                in_content[i] = True
            if c.source is not None:
                for i in range(*c.source):
                    in_source[i] = True
        lows = [t.lower for t in doc.tokens]
        classes = []
        for w in lows:
            hit = verb_lemma(w)
            classes.append(hit[1] if hit else "-")
        taggable = [
            not doc.in_quote[i] and (tok.text in CUE_PUNCT or tok.text[0].isalpha()) for i, tok in enumerate(doc.tokens)
        ]
        return cls(
            cue_pattern,
            in_content,
            in_source,
            by_cue,
            [shape(t.text) for t in doc.tokens],
            [lemma(w) for w in lows],
            classes,
            taggable,
        )


def cue_token_features(doc: Document, rv: RuleView, lows: list[str], i: int) -> list[str]:
    """Features of token ``i`` for the cue tagger (a word outside quotations, see ``RuleView.taggable``)."""
    sent = doc.sentences[doc.sentence_of[i]]
    first, last = sent.first, sent.last
    w = lows[i]
    pw = lows[i - 1] if i > first else "<s>"
    ppw = lows[i - 2] if i - 1 > first else "<s>"
    nw = lows[i + 1] if i + 1 < last else "</s>"
    nnw = lows[i + 2] if i + 2 < last else "</s>"
    vclass = rv.classes[i]
    rc = rv.cue_pattern[i] or "-"
    f = [
        "b",
        "w=" + w,
        "l=" + rv.lemmas[i],
        "s3=" + w[-3:],
        "sh=" + rv.shapes[i],
        "vc=" + vclass,
        "pw=" + pw,
        "nw=" + nw,
        "ppw=" + ppw,
        "nnw=" + nnw,
        "pw|w=" + pw + "|" + w,
        "w|nw=" + w + "|" + nw,
        "vc|nw=" + vclass + "|" + nw,
        "vc|pw=" + vclass + "|" + pw,
        "psh=" + (rv.shapes[i - 1] if i > first else "<s>"),
        "nsh=" + (rv.shapes[i + 1] if i + 1 < last else "</s>"),
        "pos=" + bucket(i - first),
        "end=" + bucket(last - i),
        "rc=" + rc,
        "rc|w=" + rc + "|" + w,
        "rcn=" + (rv.cue_pattern[i + 1] or "-" if i + 1 < last else "</s>"),
        "rcp=" + (rv.cue_pattern[i - 1] or "-" if i > first else "<s>"),
        "rin=" + ("c" if rv.in_content[i] else "-") + ("s" if rv.in_source[i] else "-"),
    ]
    if w in AUXILIARIES:
        f.append("aux")
    if pw in AUXILIARIES:
        f.append("paux|w=" + w)
    return f


@dataclass
class Tagger:
    """Weights of the cue tagger and the two boundary rankers, plus the new candidates' calibration."""

    cue: Weights = field(default_factory=dict)
    start: Weights = field(default_factory=dict)
    end: Weights = field(default_factory=dict)
    slope: float = 1.0
    offset: float = 0.0
    floor: float = 0.3
    #: The source ranker's weights (sources.py); empty: the rules' subject finders choose new cues' sources.
    source: Weights = field(default_factory=dict)

    # ------------------------------------------------------------ prediction

    def cue_spans(self, doc: Document, rv: RuleView, lows: list[str]) -> list[tuple[Range, float]]:
        """Predicted cue token ranges with their summed margins (greedy, left to right)."""
        return _decode_cues(self.cue, doc, rv, lows)

    def content(self, doc: Document, mk: Marks, cue: Range, rule: Range | None) -> Range:
        """The best-scoring content range for ``cue`` (boundaries.py)."""
        return best_content(self.start, self.end, doc, mk, cue, rule)

    def extend(self, doc: Document, cands: list[Candidate]) -> list[Candidate]:
        """New candidates for cues the rules missed (their ``score`` is the calibrated confidence)."""
        rv = RuleView.of(doc, cands)
        mk = Marks.of(doc)
        return self._new(doc, rv, mk, self.cue_spans(doc, rv, mk.lows))

    def adjust(self, doc: Document, cands: list[Candidate]) -> None:
        """Move the rules' own content boundaries where the boundary rankers prefer others (boundaries.py)."""
        adjust(self.start, self.end, doc, Marks.of(doc), cands)

    def _new(self, doc: Document, rv: RuleView, mk: Marks, spans: list[tuple[Range, float]]) -> list[Candidate]:
        out: list[Candidate] = []
        for cue, margin in spans:
            if any(i in rv.by_cue_token for i in range(*cue)):
                continue
            content = self.content(doc, mk, cue, None)
            cand = _new_candidate(doc, cue, content)
            if cand is None:
                continue
            if self.source:
                cand.source = best_source(self.source, doc, mk, cue, content)
            cand.score = round(sigmoid(self.slope * margin + self.offset), 3)
            cand.features = ["tagger"]
            if cand.score >= self.floor:
                out.append(cand)
        return out

    # ------------------------------------------------------------ storage

    def to_dict(self) -> dict[str, Any]:
        def rounded(w: Weights) -> dict[str, float]:
            return {k: round(v, 1) for k, v in sorted(w.items()) if round(v, 1) != 0.0}

        return {
            "cue": rounded(self.cue),
            "start": rounded(self.start),
            "end": rounded(self.end),
            "slope": round(self.slope, 4),
            "offset": round(self.offset, 4),
            "floor": self.floor,
            "source": rounded(self.source),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tagger:
        def weights(key: str) -> Weights:
            return {str(k): float(v) for k, v in data[key].items()}

        return cls(
            weights("cue"),
            weights("start"),
            weights("end"),
            float(data["slope"]),
            float(data["offset"]),
            float(data["floor"]),
            weights("source") if "source" in data else {},
        )


def _decode_cues(w: Weights, doc: Document, rv: RuleView, lows: list[str]) -> list[tuple[Range, float]]:
    """Greedy left to right; a run of cue tokens within a sentence is one cue, its margin the largest."""
    taggable = [i for i in range(len(doc.tokens)) if rv.taggable[i]]
    return _greedy_runs(doc, taggable, lambda i, prev: score(
        w, cue_token_features(doc, rv, lows, i) + _prev_feats(prev, lows[i])))


def _greedy_runs(doc: Document, positions: list[int],
                 margin_of: Callable[[int, bool], float]) -> list[tuple[Range, float]]:
    """Tag tokens left to right, each seeing whether the previous one was tagged (`margin_of(i, prev)`);
    a run of tagged neighbours within one sentence is one span, scored by its largest margin."""
    spans: list[tuple[Range, float]] = []
    prev = False
    last = -2
    run_start = -1
    run_margin = 0.0
    for i in positions:
        if last != i - 1:
            prev = False
        margin = margin_of(i, prev)
        on = margin > 0
        if on and prev and doc.sentence_of[i] == doc.sentence_of[last]:
            run_margin = max(run_margin, margin)
        else:
            if prev:
                spans.append(((run_start, last + 1), run_margin))
            if on:
                run_start, run_margin = i, margin
        prev, last = on, i
    if prev:
        spans.append(((run_start, last + 1), run_margin))
    return spans


def _prev_feats(prev: bool, w: str) -> list[str]:
    return ["pt", "pt|w=" + w] if prev else ["npt"]


def _new_candidate(doc: Document, cue: Range, content: Range) -> Candidate | None:
    toks = doc.tokens
    sent = doc.sentence(cue[0])
    s, e = content
    if e - s < 2:
        return None
    source: Range | None
    if s >= cue[1]:
        first = cue[0]
        subj = subject_before(doc, first, sent.first)
        source = statement_speaker(doc, subj) if subj is not None else None
    else:
        source = speaker_after(doc, cue[1], sent.last)
        if source is None and e <= cue[0]:
            source = subject_before(doc, cue[0], e)
        if source is not None and source[1] - source[0] > 25:
            source = None
    # Quote marks around the content belong to it.
    if s > 0 and toks[s - 1].text in {"“", '"'} and doc.in_quote[s]:
        s -= 1
    if e < len(toks) and toks[e].text in {"”", '"'} and doc.in_quote[e - 1]:
        e += 1
    direct = toks[s].text in {"“", '"'} and toks[e - 1].text in {"”", '"'}
    hit = verb_lemma(toks[cue[1] - 1].lower)
    klass = hit[1] if hit else "learned"
    return Candidate((s, e), cue, source, "tagger", "direct" if direct else "indirect", klass)


# ---------------------------------------------------------------- training


@dataclass
class Prepared:
    """One training body analysed once: the document, the rules' candidates, gold token ranges."""

    doc: Document
    cands: list[Candidate]
    rv: RuleView
    lows: list[str]
    mk: Marks
    gold: list[tuple[Range, Range]]  # (trimmed content, cue) as token ranges
    gold_chars: list[tuple[int, int]]
    sources: list[Range | None]  # the gold source of each ``gold`` item


def prepare(
    doc: Document, cands: list[Candidate], attributions: Sequence[tuple[Span, Span | None, Span | None]]
) -> Prepared:
    """Analyse one labelled body for training: gold content (trimmed) and cue as token ranges."""
    starts = [t.start for t in doc.tokens]
    ends = [t.end for t in doc.tokens]

    def to_tokens(sp: Span) -> Range | None:
        a = bisect.bisect_right(ends, sp.start)
        b = bisect.bisect_left(starts, sp.end)
        return (a, b) if b > a else None

    gold: list[tuple[Range, Range]] = []
    sources: list[Range | None] = []
    for content, cue, source in attributions:
        c = to_tokens(content)
        q = to_tokens(cue) if cue is not None else None
        if c is None or q is None:
            continue
        gold.append((trim(doc, c), q))
        sources.append(to_tokens(source) if source is not None else None)
    mk = Marks.of(doc)
    return Prepared(
        doc,
        cands,
        RuleView.of(doc, cands),
        mk.lows,
        mk,
        gold,
        [(a[0].start, a[0].end) for a in attributions],
        sources,
    )


def _cue_rows(p: Prepared, vocab: Vocab) -> list[tuple[list[int], bool, int, int]]:
    """(feature ids without the previous-tag part, gold label, id of the "after a cue word" feature) per token."""
    doc = p.doc
    inside = [False] * len(doc.tokens)
    for _, q in p.gold:
        for i in range(*q):
            inside[i] = True
    rows = []
    for i in range(len(doc.tokens)):
        if p.rv.taggable[i]:
            ids = vocab.encode(cue_token_features(doc, p.rv, p.lows, i))
            rows.append((ids, inside[i], vocab.encode(["pt|w=" + p.lows[i]])[0], i))
    return rows


CueRows = list[list[tuple[list[int], bool, int, int]]]


def _prune_cues(data: CueRows, keep: list[bool]) -> CueRows:
    return [[([j for j in ids if keep[j]], y, pw, i) for ids, y, pw, i in doc] for doc in data]


def _decode_rows(
    model: Averaged, rows: list[tuple[list[int], bool, int, int]], pt: int, npt: int, doc: Document
) -> list[tuple[Range, float]]:
    """The cue spans a (fold) model predicts over already-encoded rows, as ``_decode_cues`` does over text."""
    by_position = {i: (ids, ptw) for ids, _, ptw, i in rows}

    def margin_of(i: int, prev: bool) -> float:
        ids, ptw = by_position[i]
        return model.score(ids) + model.score([pt, ptw] if prev else [npt])

    return _greedy_runs(doc, [i for *_, i in rows], margin_of)


def _train_cues(data: CueRows, vocab: Vocab, epochs: int, seed: int) -> Averaged:
    """Greedy left-to-right training: the previous token's predicted tag is a feature, as when decoding."""
    pt, npt = vocab.encode(["pt", "npt"])
    model = Averaged(len(vocab.names))
    for d in shuffled_epochs(len(data), epochs, seed):
        prev = False
        last = -2
        for ids, y, ptw, i in data[d]:
            if last != i - 1:
                prev = False
            last = i
            model.t += 1
            extra = [pt, ptw] if prev else [npt]
            on = model.score(ids) + model.score(extra) > 0
            if on != y:
                delta = 1.0 if y else -1.0
                model.update(ids, delta)
                model.update(extra, delta)
            prev = on
    return model


def train_tagger(prepared: list[Prepared], *, epochs: int = 4, seed: int = 0, min_count: int = 6) -> Tagger:
    """Train the cue tagger and the boundary rankers; calibrate new candidates on two held-out folds.

    Features seen fewer than ``min_count`` times are dropped (a smaller, less overfitted model).
    """
    vocab = Vocab()
    cue_data = [_cue_rows(p, vocab) for p in prepared]
    cue_data = _prune_cues(cue_data, vocab.keep(min_count))
    starts_vocab, ends_vocab = Vocab(), Vocab()
    start_rows: RankRows = []
    end_rows: RankRows = []
    for p in prepared:
        s, e = boundary_rows(p.doc, p.mk, p.gold, p.rv.by_cue_token, starts_vocab, ends_vocab)
        start_rows += s
        end_rows += e
    start_rows = prune_ranks(start_rows, starts_vocab.keep(min_count))
    end_rows = prune_ranks(end_rows, ends_vocab.keep(min_count))
    source_vocab = Vocab()
    src_rows: RankRows = []
    for p in prepared:
        src_rows += source_rows(
            p.doc, p.mk, [(c, q, s) for (c, q), s in zip(p.gold, p.sources, strict=True)], source_vocab
        )
    src_rows = prune_ranks(src_rows, source_vocab.keep(min_count))
    tagger = Tagger(
        cue=_train_cues(cue_data, vocab, epochs, seed).averaged(vocab.names),
        start=train_ranker(start_rows, starts_vocab, epochs, seed),
        end=train_ranker(end_rows, ends_vocab, epochs, seed),
        source=train_ranker(src_rows, source_vocab, epochs, seed),
    )
    held: list[tuple[float, int]] = []
    folds = 2 if len(prepared) >= 4 else 0
    pt, npt = vocab.encode(["pt", "npt"])
    for k in range(folds):
        fit = [cue_data[i] for i in range(len(prepared)) if i % folds != k]
        cue = _train_cues(fit, vocab, max(2, epochs - 2), seed)
        cue.w = cue.averaged_list()
        part = Tagger({}, tagger.start, tagger.end, floor=-1.0)
        for i in range(k, len(prepared), folds):
            p = prepared[i]
            held += _labelled_new(part, p, _decode_rows(cue, cue_data[i], pt, npt, p.doc))
    if held:
        tagger.slope, tagger.offset = platt(held)
        tagger.floor = 0.05
    return tagger


def _labelled_new(tagger: Tagger, p: Prepared, spans: list[tuple[Range, float]]) -> list[tuple[float, int]]:
    """(margin, 1 if the new candidate's content matches a gold attribution no rule matched) per new candidate."""
    from claimdb.attribution.learn import match_by_overlap

    doc = p.doc
    new = tagger._new(doc, p.rv, p.mk, spans)
    rule_spans = [doc.char_span(c.content) for c in p.cands]
    taken = set(match_by_overlap(rule_spans, p.gold_chars).values())
    free = [g for j, g in enumerate(p.gold_chars) if j not in taken]
    matched = match_by_overlap([doc.char_span(c.content) for c in new], free)
    out = []
    for i, c in enumerate(new):
        margin = _logit(c.score)
        out.append((margin, 1 if i in matched else 0))
    return out


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))




