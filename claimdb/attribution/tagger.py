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
   last word among the words of the cue's sentence, given the cue (and the
   rule's boundaries as features when a rule found the same cue).
3. Sources: the rules' subject and inverted-speaker finders, around the new cue.

New candidates (cues no rule claimed) get a confidence calibrated on held-out
folds (Platt scaling). Everything is stored as small dicts of named weights.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from claimdb.attribution.calibration import platt, sigmoid
from claimdb.attribution.candidates import Candidate, Document
from claimdb.attribution.lexicon import AUXILIARIES, verb_lemma
from claimdb.attribution.speakers import speaker_after, statement_speaker, subject_before
from claimdb.attribution.types import Span

CUE_PUNCT: Final = frozenset({":", "―", "—", "--", "–"})
Range = tuple[int, int]
Weights = dict[str, float]


def _is_word(text: str) -> bool:
    return text[0].isalnum()


def _shape(text: str) -> str:
    if text[0].isupper():
        return "X" if len(text) > 1 and text.isupper() else "Xx"
    if text[0].isdigit():
        return "d"
    if text[0].isalpha():
        return "x"
    return text


def _lemma(low: str) -> str:
    hit = verb_lemma(low)
    if hit is not None:
        return hit[0]
    for suffix in ("ing", "ed", "es", "s"):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            return low[: -len(suffix)]
    return low


def _bucket(d: int) -> str:
    a = abs(d)
    b = str(a) if a <= 3 else "6" if a <= 6 else "12" if a <= 12 else "far"
    return ("-" if d < 0 else "") + b


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
            [_shape(t.text) for t in doc.tokens],
            [_lemma(w) for w in lows],
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
        "pos=" + _bucket(i - first),
        "end=" + _bucket(last - i),
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


class _Vocab:
    """Feature names to integer ids while training (lists index faster than dicts), with counts for pruning."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.names: list[str] = []
        self.counts: list[int] = []

    def encode(self, feats: Sequence[str]) -> list[int]:
        ids, names, counts = self.ids, self.names, self.counts
        out = []
        for f in feats:
            j = ids.get(f)
            if j is None:
                j = ids[f] = len(names)
                names.append(f)
                counts.append(0)
            counts[j] += 1
            out.append(j)
        return out

    def keep(self, min_count: int) -> list[bool]:
        return [c >= min_count for c in self.counts]


class _Averaged:
    """An averaged perceptron over integer feature ids, with lazy averaging (Collins 2002)."""

    def __init__(self, size: int) -> None:
        self.w = [0.0] * size
        self.acc = [0.0] * size
        self.stamp = [0] * size
        self.t = 0

    def score(self, ids: Sequence[int]) -> float:
        return sum(map(self.w.__getitem__, ids))

    def update(self, ids: Sequence[int], delta: float) -> None:
        w, acc, stamp, t = self.w, self.acc, self.stamp, self.t
        for j in ids:
            acc[j] += (t - stamp[j]) * w[j]
            stamp[j] = t
            w[j] += delta

    def averaged_list(self) -> list[float]:
        t = max(self.t, 1)
        return [(a + (t - st) * v) / t for a, st, v in zip(self.acc, self.stamp, self.w, strict=True)]

    def averaged(self, names: list[str], digits: int = 1) -> Weights:
        """Named averaged weights, rounded; zero weights dropped (that is what keeps the model small)."""
        t = max(self.t, 1)
        out = {}
        for j, v in enumerate(self.w):
            avg = round((self.acc[j] + (t - self.stamp[j]) * v) / t, digits)
            if avg != 0.0:
                out[names[j]] = avg
        return out


def _score(w: Weights, feats: Sequence[str]) -> float:
    return sum([w.get(f, 0.0) for f in feats])


# ---------------------------------------------------------------- boundaries


def _trim(doc: Document, rng: Range) -> Range:
    """A token range without punctuation at its edges (quotation marks included)."""
    a, b = rng
    toks = doc.tokens
    while a < b and not _is_word(toks[a].text):
        a += 1
    while b > a and not toks[b - 1].text[-1].isalnum():
        b -= 1
    return (a, b) if b > a else rng


def start_features(doc: Document, lows: list[str], cue: Range, p: int, rule: Range | None) -> list[str]:
    """Features of token ``p`` as the first word of the content of ``cue``."""
    sent = doc.sentence(cue[0])
    a, b = cue
    head = lows[b - 1]
    rel = "R" if p >= b else "L"
    d = _bucket(p - b if p >= b else p - a)
    w = lows[p]
    pw = lows[p - 1] if p > sent.first else "<s>"
    ppw = lows[p - 2] if p - 1 > sent.first else "<s>"
    f = [
        "d=" + d,
        "w=" + w,
        "pw=" + pw,
        "rel|w=" + rel + w,
        "rel|pw=" + rel + pw,
        "rel|pw|ppw=" + rel + pw + "|" + ppw,
        "d|pw=" + d + pw,
        "h|d=" + head + d,
        "h|rel=" + head + rel,
        "sh=" + rel + _shape(doc.tokens[p].text),
        f"sf={int(p == sent.first)}{rel}",
        f"q={int(doc.in_quote[p])}{rel}",
    ]
    if rule is not None:
        f.append(f"rs={int(p == rule[0])}")
        f.append(f"rs|rel={int(p == rule[0])}{rel}")
    else:
        f.append("norule|d=" + d)
    return f


def end_features(doc: Document, lows: list[str], cue: Range, s: int, e: int, rule: Range | None) -> list[str]:
    """Features of token ``e - 1`` as the last word of the content of ``cue`` starting at ``s``."""
    sent = doc.sentence(cue[0])
    a, _ = cue
    last = sent.last
    srel = "R" if s >= cue[1] else "L"
    rel = "L" if e <= a else "R"
    lw = lows[e - 1]
    nw = lows[e] if e < last else "</s>"
    nnw = lows[e + 1] if e + 1 < last else "</s>"
    dz = _bucket(min(last - e, 20))
    f = [
        "sr|r=" + srel + rel,
        "da=" + srel + _bucket(e - a),
        "dz=" + srel + dz,
        "lw=" + lw,
        "nw=" + srel + nw,
        "nw|nnw=" + nw + "|" + nnw,
        "lw|nw=" + lw + "|" + nw,
        "len=" + _bucket(min(e - s, 30)),
        f"q={int(doc.in_quote[e - 1])}{int(e < last and doc.in_quote[e])}",
    ]
    if rule is not None:
        f.append(f"re={int(e == rule[1])}")
        f.append(f"re|sr={int(e == rule[1])}{srel}")
    else:
        f.append("norule|dz=" + srel + dz)
    return f


def _starts(doc: Document, cue: Range, rule: Range | None) -> list[int]:
    """Where content may start: anywhere before the cue in its sentence, or within a dozen words after it."""
    sent = doc.sentence(cue[0])
    toks = doc.tokens
    hi = min(sent.last, cue[1] + 12)
    out = [p for p in range(sent.first, hi) if not cue[0] <= p < cue[1] and _is_word(toks[p].text)]
    if rule is not None and rule[0] not in out and not cue[0] <= rule[0] < cue[1]:
        out.append(rule[0])
    return out


def _ends(doc: Document, cue: Range, s: int, rule: Range | None) -> list[int]:
    """Where content may end: after its start, up to the cue when it starts before it (or near the sentence end)."""
    sent = doc.sentence(cue[0])
    toks = doc.tokens
    if s < cue[0]:
        span = [*range(s + 1, cue[0] + 1), *range(max(cue[1] + 1, sent.last - 3), sent.last + 1)]
    else:
        span = list(range(s + 1, sent.last + 1))
    out = [e for e in span if toks[e - 1].text[-1].isalnum()]
    if rule is not None and rule[1] > s and rule[1] not in out:
        out.append(rule[1])
    return out or [s + 1]


@dataclass
class Tagger:
    """Weights of the cue tagger and the two boundary rankers, plus the new candidates' calibration."""

    cue: Weights = field(default_factory=dict)
    start: Weights = field(default_factory=dict)
    end: Weights = field(default_factory=dict)
    slope: float = 1.0
    offset: float = 0.0
    floor: float = 0.3

    # ------------------------------------------------------------ prediction

    def cue_spans(self, doc: Document, rv: RuleView, lows: list[str]) -> list[tuple[Range, float]]:
        """Predicted cue token ranges with their summed margins (greedy, left to right)."""
        return _decode_cues(self.cue, doc, rv, lows)

    def content(self, doc: Document, lows: list[str], cue: Range, rule: Range | None) -> Range:
        """The best-scoring content range for ``cue``."""
        starts = _starts(doc, cue, rule)
        if not starts:
            return rule or cue
        s = max(starts, key=lambda p: (_score(self.start, start_features(doc, lows, cue, p, rule)), -abs(p - cue[1])))
        ends = _ends(doc, cue, s, rule)
        e = max(ends, key=lambda q: (_score(self.end, end_features(doc, lows, cue, s, q, rule)), q))
        return (s, e)

    def extend(self, doc: Document, cands: list[Candidate]) -> list[Candidate]:
        """New candidates for cues the rules missed (their ``score`` is the calibrated confidence)."""
        rv = RuleView.of(doc, cands)
        lows = [t.lower for t in doc.tokens]
        return self._new(doc, rv, lows, self.cue_spans(doc, rv, lows))

    def _new(self, doc: Document, rv: RuleView, lows: list[str], spans: list[tuple[Range, float]]) -> list[Candidate]:
        out: list[Candidate] = []
        for cue, margin in spans:
            if any(i in rv.by_cue_token for i in range(*cue)):
                continue
            cand = _new_candidate(doc, cue, self.content(doc, lows, cue, None))
            if cand is None:
                continue
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
        )


def _decode_cues(w: Weights, doc: Document, rv: RuleView, lows: list[str]) -> list[tuple[Range, float]]:
    """Greedy left to right; a run of cue tokens within a sentence is one cue, its margin the largest."""
    taggable = [i for i in range(len(doc.tokens)) if rv.taggable[i]]
    return _greedy_runs(doc, taggable, lambda i, prev: _score(
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
    gold: list[tuple[Range, Range]]  # (trimmed content, cue) as token ranges
    gold_chars: list[tuple[int, int]]


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
    for content, cue, _ in attributions:
        c = to_tokens(content)
        q = to_tokens(cue) if cue is not None else None
        if c is None or q is None:
            continue
        gold.append((_trim(doc, c), q))
    return Prepared(
        doc,
        cands,
        RuleView.of(doc, cands),
        [t.lower for t in doc.tokens],
        gold,
        [(a[0].start, a[0].end) for a in attributions],
    )


def _cue_rows(p: Prepared, vocab: _Vocab) -> list[tuple[list[int], bool, int, int]]:
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
    model: _Averaged, rows: list[tuple[list[int], bool, int, int]], pt: int, npt: int, doc: Document
) -> list[tuple[Range, float]]:
    """The cue spans a (fold) model predicts over already-encoded rows, as ``_decode_cues`` does over text."""
    by_position = {i: (ids, ptw) for ids, _, ptw, i in rows}

    def margin_of(i: int, prev: bool) -> float:
        ids, ptw = by_position[i]
        return model.score(ids) + model.score([pt, ptw] if prev else [npt])

    return _greedy_runs(doc, [i for *_, i in rows], margin_of)


def _train_cues(data: CueRows, vocab: _Vocab, epochs: int, seed: int) -> _Averaged:
    """Greedy left-to-right training: the previous token's predicted tag is a feature, as when decoding."""
    pt, npt = vocab.encode(["pt", "npt"])
    model = _Averaged(len(vocab.names))
    order = list(range(len(data)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for d in order:
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


RankRows = list[tuple[list[list[int]], int]]


def _boundary_rows(p: Prepared, starts_vocab: _Vocab, ends_vocab: _Vocab) -> tuple[RankRows, RankRows]:
    """Ranking examples for content start and end: (candidates' feature ids, gold index)."""
    doc = p.doc
    rules_by_cue = p.rv.by_cue_token
    starts_rows: RankRows = []
    ends_rows: RankRows = []
    for content, cue in p.gold:
        if doc.sentence_of[cue[0]] != doc.sentence_of[cue[1] - 1]:
            continue
        rc = next((rules_by_cue[i] for i in range(*cue) if i in rules_by_cue), None)
        rule = _trim(doc, rc.content) if rc is not None else None
        cands = _starts(doc, cue, rule)
        if content[0] not in cands:
            continue
        feats = [starts_vocab.encode(start_features(doc, p.lows, cue, s, rule)) for s in cands]
        starts_rows.append((feats, cands.index(content[0])))
        ends = _ends(doc, cue, content[0], rule)
        if content[1] in ends:
            feats = [ends_vocab.encode(end_features(doc, p.lows, cue, content[0], e, rule)) for e in ends]
            ends_rows.append((feats, ends.index(content[1])))
    return starts_rows, ends_rows


def _prune_ranks(rows: RankRows, keep: list[bool]) -> RankRows:
    return [([[j for j in ids if keep[j]] for ids in cands], gold) for cands, gold in rows]


def _train_ranker(rows: RankRows, vocab: _Vocab, epochs: int, seed: int) -> Weights:
    model = _Averaged(len(vocab.names))
    order = list(range(len(rows)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for k in order:
            cands, gold = rows[k]
            model.t += 1
            scores = [model.score(f) for f in cands]
            best = max(range(len(cands)), key=lambda j: (scores[j], -j))
            if best != gold and scores[best] >= scores[gold]:
                model.update(cands[gold], 1.0)
                model.update(cands[best], -1.0)
    return model.averaged(vocab.names)


def train_tagger(prepared: list[Prepared], *, epochs: int = 4, seed: int = 0, min_count: int = 6) -> Tagger:
    """Train the cue tagger and the boundary rankers; calibrate new candidates on two held-out folds.

    Features seen fewer than ``min_count`` times are dropped (a smaller, less overfitted model).
    """
    vocab = _Vocab()
    cue_data = [_cue_rows(p, vocab) for p in prepared]
    cue_data = _prune_cues(cue_data, vocab.keep(min_count))
    starts_vocab, ends_vocab = _Vocab(), _Vocab()
    start_rows: RankRows = []
    end_rows: RankRows = []
    for p in prepared:
        s, e = _boundary_rows(p, starts_vocab, ends_vocab)
        start_rows += s
        end_rows += e
    start_rows = _prune_ranks(start_rows, starts_vocab.keep(min_count))
    end_rows = _prune_ranks(end_rows, ends_vocab.keep(min_count))
    tagger = Tagger(
        cue=_train_cues(cue_data, vocab, epochs, seed).averaged(vocab.names),
        start=_train_ranker(start_rows, starts_vocab, epochs, seed),
        end=_train_ranker(end_rows, ends_vocab, epochs, seed),
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
    new = tagger._new(doc, p.rv, p.lows, spans)
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




