"""The averaged perceptrons the tagger and the rankers share, over integer feature ids while training.

Kept apart so that the cue tagger (tagger.py), the content-boundary rankers
(boundaries.py) and the source ranker (sources.py) train the same way: lists
indexed by feature id are much faster than dicts in pure Python, features seen
too rarely are pruned (a smaller, less overfitted model), and only the
averaged, rounded, non-zero weights are kept by name in the stored model.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

Weights = dict[str, float]
#: Ranking examples: (each candidate's feature ids, index of the gold candidate).
RankRows = list[tuple[list[list[int]], int]]


class Vocab:
    """Feature names to integer ids while training, with counts for pruning."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.names: list[str] = []
        self.counts: list[int] = []

    def encode(self, feats: Sequence[str]) -> list[int]:
        ids, counts = self.ids, self.counts
        try:
            out = [ids[f] for f in feats]  # the common case once the vocabulary has grown
        except KeyError:
            out = [self._add(f) for f in feats]
        for j in out:
            counts[j] += 1
        return out

    def _add(self, f: str) -> int:
        j = self.ids.get(f)
        if j is None:
            j = self.ids[f] = len(self.names)
            self.names.append(f)
            self.counts.append(0)
        return j

    def keep(self, min_count: int) -> list[bool]:
        return [c >= min_count for c in self.counts]


class Averaged:
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


def score(w: Weights, feats: Sequence[str]) -> float:
    """The score of named features under stored weights (unknown features weigh nothing)."""
    return sum([w.get(f, 0.0) for f in feats])


def prune_ranks(rows: RankRows, keep: list[bool]) -> RankRows:
    return [([[j for j in ids if keep[j]] for ids in cands], gold) for cands, gold in rows]


def shuffled_epochs(count: int, epochs: int, seed: int) -> Iterator[int]:
    """The example indices 0..count-1, in a fresh seeded shuffle for each epoch (deterministic for a seed)."""
    order = list(range(count))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        yield from order


def train_ranker(rows: RankRows, vocab: Vocab, epochs: int, seed: int) -> Weights:
    """A ranking perceptron: when the best-scoring candidate is not the gold one, move toward the gold one."""
    model = Averaged(len(vocab.names))
    for k in shuffled_epochs(len(rows), epochs, seed):
        cands, gold = rows[k]
        model.t += 1
        scores = [model.score(f) for f in cands]
        best = max(range(len(cands)), key=lambda j: (scores[j], -j))
        if best != gold and scores[best] >= scores[gold]:
            model.update(cands[gold], 1.0)
            model.update(cands[best], -1.0)
    return model.averaged(vocab.names)
