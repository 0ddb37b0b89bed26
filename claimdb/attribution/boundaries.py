"""Learned content boundaries: two ranking perceptrons choose the content's first and last word for a cue.

PolNeAR-style content is not "the rest of the sentence": it leaves out
trailing adjuncts (", which …", "during the debate"), objects ("accused Trump
of …" → "of …" or not, as the desk does it) and sometimes the
complementizer. Rules cannot know a desk's convention; these rankers learn it.
They are used for the tagger's new cues and, as an adjustment, for the rules'
own single-sentence candidates, where the rule's boundaries are features (so
the ranker learns when to keep them and when to move them).

Candidates are the cue's sentence's words; features are syntax-lite: word,
neighbours, a word class (relative, conjunction, subordinator, preposition,
-ing form, name), distance to the cue and to the rule's boundary, what lies
between the cue and the candidate (a "that", a comma, a quotation mark),
commas and dashes inside the content, unbalanced quotation marks, and
whether the end closes the sentence or a quotation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from claimdb.attribution.candidates import Candidate, Document
from claimdb.attribution.lexicon import verb_lemma, words
from claimdb.attribution.perceptron import RankRows, Vocab, Weights, score
from claimdb.attribution.text import QUOTE_CHARS
from claimdb.attribution.wordfeatures import bucket, is_word, lemma, shape

Range = tuple[int, int]

_CLASSES: Final[dict[str, str]] = {
    **{w: "rel" for w in words("which who whom whose where")},
    **{w: "conj" for w in words("and but or nor yet so")},
    **{w: "sub" for w in words("while because although though since if unless until whereas when as once")},
    **{
        w: "prep"
        for w in words(
            "in on at from with without during for by to of about amid despite including against over under into "
            "after before through across among between than like"
        )
    },
    "that": "that",
}
_DASHES: Final = frozenset({"—", "–", "--", "―", "-"})
#: Rule patterns whose boundaries the rankers may move (quotations know their content best).
ADJUSTABLE: Final = frozenset(
    {
        "forward",
        "trailing",
        "participle",
        "parenthetical",
        "trailing-no-subject",
        "according-back",
        "according-front",
        "inverted",
        "noun-cue",
    }
)


def word_class(text: str, low: str) -> str:
    """A part-of-speech stand-in: closed-class role, "-ing" form, name, quotation mark or shape."""
    hit = _CLASSES.get(low)
    if hit is not None:
        return hit
    if text in QUOTE_CHARS:
        return "q"
    if verb_lemma(low) is not None:
        return "rv"  # a reporting verb: a coordinated "and said …" starts a new attribution
    if low.endswith("ing") and len(low) > 4:
        return "ing"
    if low.endswith("ed") and len(low) > 4:
        return "ed"
    if low.endswith("ly") and len(low) > 4:
        return "ly"
    return shape(text)


@dataclass
class Marks:
    """Per-document token descriptors and running counts, computed once so features stay cheap."""

    lows: list[str]
    classes: list[str]
    commas: list[int]  # commas before token i
    dashes: list[int]
    quotes: list[int]
    verbs: list[int]  # reporting verbs before token i (content running over "— and he noted …" takes one in)

    @classmethod
    def of(cls, doc: Document, lows: list[str] | None = None) -> Marks:
        lows = lows if lows is not None else [t.lower for t in doc.tokens]
        classes = [word_class(t.text, w) for t, w in zip(doc.tokens, lows, strict=True)]
        commas, dashes, quotes, verbs = [0], [0], [0], [0]
        for tok, c in zip(doc.tokens, classes, strict=True):
            commas.append(commas[-1] + (tok.text == ","))
            dashes.append(dashes[-1] + (tok.text in _DASHES))
            quotes.append(quotes[-1] + (tok.text in QUOTE_CHARS))
            verbs.append(verbs[-1] + (c == "rv" and not doc.in_quote[len(verbs) - 1]))
        return cls(lows, classes, commas, dashes, quotes, verbs)

    def count(self, prefix: list[int], a: int, b: int) -> int:
        return prefix[b] - prefix[a] if b > a else 0


@dataclass(frozen=True, slots=True)
class CueAt:
    """What every candidate boundary of one cue shares, computed once per cue rather than per candidate."""

    a: int
    b: int
    first: int  # the cue sentence's first token
    last: int  # one past its last token
    head: str  # the cue's last word, lower-cased
    hl: str  # its lemma
    send: int  # one past the sentence's last word

    @classmethod
    def of(cls, doc: Document, mk: Marks, cue: Range) -> CueAt:
        sent = doc.sentence(cue[0])
        head = mk.lows[cue[1] - 1]
        return cls(cue[0], cue[1], sent.first, sent.last, head, lemma(head), _sentence_end(doc, sent.last))


def trim(doc: Document, rng: Range) -> Range:
    """A token range without punctuation at its edges (quotation marks included)."""
    a, b = rng
    toks = doc.tokens
    while a < b and not is_word(toks[a].text):
        a += 1
    while b > a and not toks[b - 1].text[-1].isalnum():
        b -= 1
    return (a, b) if b > a else rng


def _sentence_end(doc: Document, last: int) -> int:
    """The sentence's last word (past final punctuation and closing quotation marks)."""
    toks = doc.tokens
    first = doc.sentence_of[last - 1]
    floor = doc.sentences[first].first
    while last > floor + 1 and not toks[last - 1].text[-1].isalnum():
        last -= 1
    return last


def start_features(doc: Document, mk: Marks, cue: CueAt, p: int, rule: Range | None) -> list[str]:
    """Features of token ``p`` as the first word of the content of ``cue``."""
    lows = mk.lows
    sent = cue
    a, b, head, hl = cue.a, cue.b, cue.head, cue.hl
    rel = "R" if p >= b else "L"
    d = bucket(p - b if p >= b else p - a)
    w = lows[p]
    pw = lows[p - 1] if p > sent.first else "<s>"
    ppw = lows[p - 2] if p - 1 > sent.first else "<s>"
    pc = mk.classes[p - 1] if p > sent.first else "<s>"
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
        "sh=" + rel + shape(doc.tokens[p].text),
        f"sf={int(p == sent.first)}{rel}",
        f"q={int(doc.in_quote[p])}{rel}",
        "hl|pw=" + hl + "|" + pw,
        "hl|w=" + hl + "|" + w,
        "c|pc=" + rel + mk.classes[p] + "|" + pc,
        "hl|c=" + hl + "|" + rel + mk.classes[p],
    ]
    if p >= b:
        that = "that" in lows[b:p]
        comma = mk.count(mk.commas, b, p) > 0
        quote = mk.count(mk.quotes, b, p) > 0
        f.append(f"btw={int(that)}{int(comma)}{int(quote)}|{d}")
        f.append("ca|d=" + (lows[b] if b < sent.last else "</s>") + d)
        f.append("hl|btw=" + hl + f"{int(that)}{int(comma)}" + bucket(p - b))
    else:
        f.append(f"lq={int(mk.count(mk.quotes, p, a) % 2)}")
        f.append("cb=" + (lows[a - 1] if a > sent.first else "<s>"))
    if rule is not None:
        rd = bucket(p - rule[0])
        f.append(f"rs={int(p == rule[0])}")
        f.append(f"rs|rel={int(p == rule[0])}{rel}")
        f.append("rd|rw=" + rd + "|" + lows[rule[0]])
        f.append("rd|c=" + rd + "|" + mk.classes[p])
    else:
        f.append("norule|d=" + d)
    return f


def end_features(doc: Document, mk: Marks, cue: CueAt, s: int, e: int, rule: Range | None) -> list[str]:
    """Features of token ``e - 1`` as the last word of the content of ``cue`` starting at ``s``."""
    lows = mk.lows
    a, hl, last = cue.a, cue.hl, cue.last
    srel = "R" if s >= cue.b else "L"
    rel = "L" if e <= a else "R"
    lw = lows[e - 1]
    nw = lows[e] if e < last else "</s>"
    nnw = lows[e + 1] if e + 1 < last else "</s>"
    nc = mk.classes[e] if e < last else "</s>"
    nnc = mk.classes[e + 1] if e + 1 < last else "</s>"
    dz = bucket(min(last - e, 20))
    commas = min(mk.count(mk.commas, s, e), 3)
    f = [
        "sr|r=" + srel + rel,
        "da=" + srel + bucket(e - a),
        "dz=" + srel + dz,
        "lw=" + lw,
        "nw=" + srel + nw,
        "nw|nnw=" + nw + "|" + nnw,
        "lw|nw=" + lw + "|" + nw,
        "len=" + bucket(min(e - s, 30)),
        f"q={int(doc.in_quote[e - 1])}{int(e < last and doc.in_quote[e])}",
        "nc|nnc=" + srel + nc + "|" + nnc,
        "lc|nc=" + mk.classes[e - 1] + "|" + nc,
        "hl|nw=" + hl + "|" + nw,
        "hl|nc=" + hl + "|" + srel + nc,
        f"cm={commas}|{nc}",
        f"dash={min(mk.count(mk.dashes, s, e), 2)}|{nc}",
        f"qodd={mk.count(mk.quotes, s, e) % 2}|{int(e < last and doc.tokens[e].text in QUOTE_CHARS)}",
        f"send={int(e >= cue.send)}{srel}",
        f"rv={min(mk.count(mk.verbs, s, e), 2)}|{srel}{commas}",
    ]
    if rule is not None:
        rd = bucket(e - rule[1])
        f.append(f"re={int(e == rule[1])}")
        f.append(f"re|sr={int(e == rule[1])}{srel}")
        f.append("rd|nc=" + rd + "|" + nc)
        f.append("rd|rn=" + rd + "|" + (mk.classes[rule[1]] if rule[1] < last else "</s>"))
    else:
        f.append("norule|dz=" + srel + dz)
    return f


def starts(doc: Document, cue: Range, rule: Range | None) -> list[int]:
    """Where content may start: anywhere before the cue in its sentence, or within a dozen words after it."""
    sent = doc.sentence(cue[0])
    toks = doc.tokens
    hi = min(sent.last, cue[1] + 12)
    out = [p for p in range(sent.first, hi) if not cue[0] <= p < cue[1] and is_word(toks[p].text)]
    if rule is not None and rule[0] not in out and not cue[0] <= rule[0] < cue[1]:
        out.append(rule[0])
    return out


def ends(doc: Document, cue: Range, s: int, rule: Range | None) -> list[int]:
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


def best_content(start_w: Weights, end_w: Weights, doc: Document, mk: Marks, cue: Range, rule: Range | None) -> Range:
    """The best-scoring content range for ``cue``: the best start, then the best end after it."""
    cands = starts(doc, cue, rule)
    if not cands:
        return rule or cue
    at = CueAt.of(doc, mk, cue)
    s = max(cands, key=lambda p: (score(start_w, start_features(doc, mk, at, p, rule)), -abs(p - cue[1])))
    e = max(ends(doc, cue, s, rule), key=lambda q: (score(end_w, end_features(doc, mk, at, s, q, rule)), q))
    return (s, e)


def adjustable_rule(doc: Document, cand: Candidate) -> Range | None:
    """The rule's trimmed content when the rankers may move it: an adjustable pattern, all in the cue's sentence."""
    if cand.pattern not in ADJUSTABLE or cand.cue is None:
        return None
    k = doc.sentence_of[cand.cue[0]]
    rule = trim(doc, cand.content)
    if doc.sentence_of[cand.cue[1] - 1] != k or doc.sentence_of[rule[0]] != k or doc.sentence_of[rule[1] - 1] != k:
        return None
    return rule


def adjust(start_w: Weights, end_w: Weights, doc: Document, mk: Marks, cands: Sequence[Candidate]) -> None:
    """Move the rules' single-sentence content boundaries where the rankers prefer others."""
    for cand in cands:
        rule = adjustable_rule(doc, cand)
        if rule is None or cand.cue is None:
            continue
        s, e = best_content(start_w, end_w, doc, mk, cand.cue, rule)
        if e - s >= 2 and (s, e) != rule:
            cand.content = (s, e)


def boundary_rows(
    doc: Document,
    mk: Marks,
    gold: Sequence[tuple[Range, Range]],
    rules_by_cue: dict[int, Candidate],
    starts_vocab: Vocab,
    ends_vocab: Vocab,
) -> tuple[RankRows, RankRows]:
    """Ranking examples for content start and end: (candidates' feature ids, gold index).

    A gold cue a rule also found is trained with that rule's boundaries as features when the rankers may move
    them (``adjustable_rule``), as they are used; every other cue without, as the tagger's new cues are.
    """
    starts_rows: RankRows = []
    ends_rows: RankRows = []
    for content, cue in gold:
        if doc.sentence_of[cue[0]] != doc.sentence_of[cue[1] - 1]:
            continue
        rc = next((rules_by_cue[i] for i in range(*cue) if i in rules_by_cue), None)
        rule = adjustable_rule(doc, rc) if rc is not None else None
        cands = starts(doc, cue, rule)
        if content[0] not in cands:
            continue
        at = CueAt.of(doc, mk, cue)
        feats = [starts_vocab.encode(start_features(doc, mk, at, s, rule)) for s in cands]
        starts_rows.append((feats, cands.index(content[0])))
        stops = ends(doc, cue, content[0], rule)
        if content[1] in stops:
            feats = [ends_vocab.encode(end_features(doc, mk, at, content[0], e, rule)) for e in stops]
            ends_rows.append((feats, stops.index(content[1])))
    return starts_rows, ends_rows
