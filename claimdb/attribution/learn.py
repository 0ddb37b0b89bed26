"""Learning from the desk: an averaged perceptron that re-scores the rules' candidates.

The re-scorer is one half; the other (tagger.py, trained by the same ``train``)
adds candidates for cues the rules miss. The re-scorer exists because what the
rules cannot know is which of their patterns a desk accepts
(PolNeAR counts beliefs and intentions, another desk may dismiss them). A
binary perceptron over the candidates' features learns that in a second on
840 articles, in pure Python, and its weights fit in a small JSON dict the app
can keep in the database. Dismissed suggestions are negatives; recorded
statements are positives. Scores are calibrated to probabilities (Platt
scaling on held-out folds), so ``confidence`` means what it says.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from claimdb.attribution.calibration import platt, sigmoid
from claimdb.attribution.candidates import Candidate, Document
from claimdb.attribution.perceptron import shuffled_epochs
from claimdb.attribution.rules import find
from claimdb.attribution.tagger import Tagger, prepare, train_tagger
from claimdb.attribution.types import Span

FORMAT: Final = "claimdb.attribution/1"
Labelled = tuple[Span, Span | None, Span | None]  # (content, cue, source)


@dataclass(frozen=True)
class Example:
    """One labelled body: the attributions recorded in it, and the spans a desk dismissed."""

    body: str
    attributions: Sequence[Labelled]
    dismissed: Sequence[Span] = ()


@dataclass
class Model:
    """Perceptron weights plus a calibration; ``floor`` is the confidence below which nothing is suggested."""

    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    slope: float = 1.0
    offset: float = 0.0
    floor: float = 0.3
    trained_on: int = 0
    #: The cue tagger and boundary rankers that add candidates the rules missed (None: re-scoring only).
    tagger: Tagger | None = None

    def probability(self, feats: Iterable[str]) -> float:
        """Calibrated probability that a candidate with these features is accepted."""
        score = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        return sigmoid(self.slope * score + self.offset)

    def rescore(self, cands: list[Candidate]) -> None:
        """Replace the rules' prior confidence with the model's."""
        for cand in cands:
            cand.score = round(self.probability(cand.features), 3)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form (weights rounded; zero weights dropped); ``tagger`` only when there is one."""
        out: dict[str, Any] = {
            "format": FORMAT,
            "weights": {k: round(v, 4) for k, v in sorted(self.weights.items()) if round(v, 4) != 0.0},
            "bias": round(self.bias, 4),
            "slope": round(self.slope, 4),
            "offset": round(self.offset, 4),
            "floor": self.floor,
            "trained_on": self.trained_on,
        }
        if self.tagger is not None:
            out["tagger"] = self.tagger.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        """Read a model written by ``to_dict``; refuses other formats rather than guessing."""
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model: {data.get('format')!r}")
        return cls(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            slope=float(data["slope"]),
            offset=float(data["offset"]),
            floor=float(data["floor"]),
            trained_on=int(data["trained_on"]),
            tagger=Tagger.from_dict(data["tagger"]) if data.get("tagger") else None,
        )


def train(
    examples: Iterable[Example | tuple[str, Sequence[Labelled]]],
    *,
    epochs: int = 8,
    seed: int = 0,
    floor: float | None = None,
    tagger: bool = True,
) -> Model:
    """Train a re-scorer on labelled bodies; deterministic for a given ``seed``.

    The rules run once per body; each candidate is labelled positive when its
    content is matched (one to one, by overlap) to a recorded attribution and
    negative otherwise, or when it overlaps a dismissed span. With ``tagger``
    (the default) a cue tagger and content-boundary rankers are trained on the
    same bodies, to suggest attributions the rules miss (tagger.py).
    """
    analysed = []
    for item in examples:
        ex = _as_example(item)
        doc = Document.analyse(ex.body)
        analysed.append((ex, doc, find(doc)))
    data = [labelled_candidates(ex, doc, cands) for ex, doc, cands in analysed]
    rows = [row for doc_rows in data for row in doc_rows]
    # Calibrate on held-out folds so probabilities are honest, then fit on everything.
    folds = 2
    held: list[tuple[float, int]] = []
    for k in range(folds):
        fit = [r for i, d in enumerate(data) if i % folds != k for r in d]
        test = [r for i, d in enumerate(data) if i % folds == k for r in d]
        if not fit or not test:
            continue
        w, b = _perceptron(fit, epochs, seed)
        held += [(b + sum(w.get(f, 0.0) for f in feats), y) for feats, y in test]
    weights, bias = _perceptron(rows, epochs, seed)
    slope, offset = platt(held) if held else (1.0, 0.0)
    model = Model(weights, bias, slope, offset, 0.0, len(data))
    model.floor = floor if floor is not None else _best_floor(held, slope, offset)
    if tagger:
        model.tagger = train_tagger([prepare(doc, cands, ex.attributions) for ex, doc, cands in analysed], seed=seed)
    return model


def _as_example(ex: Example | tuple[str, Sequence[Labelled]]) -> Example:
    return ex if isinstance(ex, Example) else Example(ex[0], ex[1])


def labelled_candidates(
    ex: Example, doc: Document | None = None, cands: list[Candidate] | None = None
) -> list[tuple[list[str], int]]:
    """The rules' candidates in one body with their features and 1/0 labels."""
    if doc is None or cands is None:
        doc = Document.analyse(ex.body)
        cands = find(doc)
    spans = [doc.char_span(c.content) for c in cands]
    gold = [(a[0].start, a[0].end) for a in ex.attributions]
    matched = match_by_overlap(spans, gold)
    rows: list[tuple[list[str], int]] = []
    for i, cand in enumerate(cands):
        label = 1 if i in matched else 0
        if any(spans[i][0] < d.end and d.start < spans[i][1] for d in ex.dismissed) and i not in matched:
            label = 0
        rows.append((cand.features, label))
    return rows


def match_by_overlap(pred: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]) -> dict[int, int]:
    """One-to-one matching {pred index: gold index}, greedily by largest overlap first."""
    pairs: list[tuple[int, int, int]] = []
    for i, (ps, pe) in enumerate(pred):
        for j, (gs, ge) in enumerate(gold):
            ov = min(pe, ge) - max(ps, gs)
            if ov > 0:
                pairs.append((-ov, i, j))
    pairs.sort()
    used_p: dict[int, int] = {}
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p[i] = j
            used_g.add(j)
    return used_p


def _perceptron(rows: list[tuple[list[str], int]], epochs: int, seed: int) -> tuple[dict[str, float], float]:
    """Averaged binary perceptron (Collins 2002), with the lazy-average trick."""
    w: dict[str, float] = {}
    acc: dict[str, float] = {}
    stamp: dict[str, int] = {}
    b = b_acc = 0.0
    b_stamp = 0
    t = 0
    for idx in shuffled_epochs(len(rows), epochs, seed):
        t += 1
        feats, y = rows[idx]
        score = b + sum(w.get(f, 0.0) for f in feats)
        if (score > 0) == (y == 1):
            continue
        delta = 1.0 if y == 1 else -1.0
        for f in feats:
            acc[f] = acc.get(f, 0.0) + (t - stamp.get(f, 0)) * w.get(f, 0.0)
            stamp[f] = t
            w[f] = w.get(f, 0.0) + delta
        b_acc += (t - b_stamp) * b
        b_stamp = t
        b += delta
    t = max(t, 1)
    avg = {f: (acc.get(f, 0.0) + (t - stamp.get(f, 0)) * v) / t for f, v in w.items()}
    b_avg = (b_acc + (t - b_stamp) * b) / t
    return avg, b_avg




def _best_floor(held: list[tuple[float, int]], slope: float, offset: float) -> float:
    """The confidence floor that maximises F1 of kept candidates on held-out folds (recall within the pool)."""
    if not held:
        return 0.3
    probs = sorted(((sigmoid(slope * s + offset), y) for s, y in held), reverse=True)
    total = sum(y for _, y in probs)
    best, best_f, tp = 0.0, -1.0, 0
    for k, (p, y) in enumerate(probs, start=1):
        tp += y
        f1 = 2 * tp / (k + total) if total else 0.0
        if f1 > best_f:
            best, best_f = p, f1
    return round(max(0.05, min(best, 0.6)), 3)


