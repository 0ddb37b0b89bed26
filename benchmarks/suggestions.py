"""Score attribution suggestions against PolNeAR: rules alone, rules + learning, the learning curve.

"Learning" is the re-scorer (learn.py) plus the cue tagger (tagger.py), the content-boundary rankers that
also adjust the rules' own boundaries (boundaries.py) and the source ranker for new cues (sources.py).

    .venv/bin/python benchmarks/suggestions.py                # score on dev (the default)
    .venv/bin/python benchmarks/suggestions.py --split test   # the final measurement only

Micro-averaged over attributions. Content overlap: one-to-one matching of
predicted and gold content spans by overlap (largest first). Content exact:
boundaries equal after trimming whitespace, punctuation and quotation marks.
Cue exact and source overlap: the same matchings over cue and source spans
(each span type matched on its own). PolNeAR is read from
``$CLAIMDB_POLNEAR_DIR`` or ``../shared/data/polnear``; it is never copied here.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from claimdb.attribution import DEFAULT_MIN_CONFIDENCE, Model, Suggestion, suggest, train
from claimdb.attribution.corpus import load_polnear, polnear_dir
from claimdb.attribution.learn import Example, match_by_overlap

Pair = tuple[int, int]


@dataclass
class Counts:
    """True positives, predictions and gold items for one measure."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, tp: int, pred: int, gold: int) -> None:
        self.tp += tp
        self.pred += pred
        self.gold += gold

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.pred if self.pred else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def trim(body: str, span: Pair) -> Pair:
    """Drop whitespace, punctuation and quotation marks at both ends."""
    s, e = span

    def strip(ch: str) -> bool:
        return ch.isspace() or unicodedata.category(ch)[0] in "PS"

    while s < e and strip(body[s]):
        s += 1
    while e > s and strip(body[e - 1]):
        e -= 1
    return (s, e)


def exact_matches(body: str, pred: Sequence[Pair], gold: Sequence[Pair]) -> int:
    """One-to-one count of predicted spans equal to a gold span after trimming."""
    remaining: dict[Pair, int] = {}
    for g in gold:
        key = trim(body, g)
        remaining[key] = remaining.get(key, 0) + 1
    hits = 0
    for p in pred:
        key = trim(body, p)
        if remaining.get(key, 0) > 0:
            remaining[key] -= 1
            hits += 1
    return hits


@dataclass
class Scores:
    content: Counts
    exact: Counts
    cue: Counts
    source: Counts
    seconds: float
    suggestions: int


def score(examples: Sequence[Example], predict: Callable[[str], list[Suggestion]]) -> Scores:
    """Run ``predict`` on every body and accumulate the four measures."""
    content, exact, cue, source = Counts(), Counts(), Counts(), Counts()
    seconds = 0.0
    total = 0
    for ex in examples:
        t0 = time.perf_counter()
        sugg = predict(ex.body)
        seconds += time.perf_counter() - t0
        total += len(sugg)
        pc = [(s.span.start, s.span.end) for s in sugg]
        gc = [(a[0].start, a[0].end) for a in ex.attributions]
        content.add(len(match_by_overlap(pc, gc)), len(pc), len(gc))
        exact.add(exact_matches(ex.body, pc, gc), len(pc), len(gc))
        pq = [(s.cue_span.start, s.cue_span.end) for s in sugg if s.cue_span]
        gq = [(a[1].start, a[1].end) for a in ex.attributions if a[1]]
        cue.add(exact_matches(ex.body, pq, gq), len(pq), len(gq))
        ps = [(s.speaker_span.start, s.speaker_span.end) for s in sugg if s.speaker_span]
        gs = [(a[2].start, a[2].end) for a in ex.attributions if a[2]]
        source.add(len(match_by_overlap(ps, gs)), len(ps), len(gs))
    return Scores(content, exact, cue, source, seconds, total)


def row(name: str, s: Scores) -> str:
    cp, cr, cf = s.content.prf()
    return (
        f"| {name} | {cp:.3f} | {cr:.3f} | {cf:.3f} | {s.exact.prf()[2]:.3f} | {s.cue.prf()[2]:.3f} "
        f"| {s.source.prf()[2]:.3f} | {s.suggestions / max(s.seconds, 1e-9):,.0f} |"
    )


HEADER = (
    "| | content P | content R | content F1 (overlap) | content exact F1 | cue exact F1 | source overlap F1 "
    "| suggestions/s |\n|---|---|---|---|---|---|---|---|"
)


def with_model(model: Model | None, min_confidence: float = 0.0) -> Callable[[str], list[Suggestion]]:
    def predict(body: str) -> list[Suggestion]:
        return [s for s in suggest(body, model=model) if s.confidence >= min_confidence]

    return predict


def article_ms(examples: Sequence[Example], model: Model | None) -> float:
    """Median ms for ``suggest`` on a 5,000-character article (articles cut or joined to that length)."""
    text = "\n\n".join(ex.body for ex in examples[:10])
    bodies = [text[i : i + 5000] for i in range(0, min(len(text), 50_000) - 5000, 5000)] or [text[:5000]]
    times = []
    for body in bodies * 3:
        t0 = time.perf_counter()
        suggest(body, model=model)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="dev", choices=["dev", "test", "train"], help="split to score on")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    root = polnear_dir(Path(__file__).resolve().parents[1])
    if not (root / "data").is_dir():
        print(f"PolNeAR not found at {root} (set CLAIMDB_POLNEAR_DIR)", file=sys.stderr)
        return 2
    train_set = list(load_polnear("train", root=root))
    evaluated = list(load_polnear(args.split, root=root))
    print(
        f"PolNeAR at {root}: {len(train_set)} train articles; scoring on {args.split} "
        f"({len(evaluated)} articles, {sum(len(e.attributions) for e in evaluated)} attributions)\n"
    )

    t0, c0 = time.perf_counter(), time.process_time()
    model = train(train_set, seed=args.seed)
    train_seconds, train_cpu = time.perf_counter() - t0, time.process_time() - c0
    rules = score(evaluated, with_model(None))
    learned = score(evaluated, with_model(model))
    print(HEADER)
    print(row("rules alone", rules))
    print(row(f"rules + learning (all {len(train_set)})", learned))
    for n in (100, 500):
        print(
            row(
                f"rules + learning ({n} train articles)",
                score(evaluated, with_model(train(train_set[:n], seed=args.seed))),
            )
        )
    shown = score(evaluated, with_model(model, DEFAULT_MIN_CONFIDENCE))
    print(row(f"shown by default (confidence ≥ {DEFAULT_MIN_CONFIDENCE})", shown))
    shown_rules = score(evaluated, with_model(None, DEFAULT_MIN_CONFIDENCE))
    print(row(f"rules alone, confidence ≥ {DEFAULT_MIN_CONFIDENCE}", shown_rules))
    p, r, _ = shown.content.prf()
    print(
        f"\nAt the default threshold {DEFAULT_MIN_CONFIDENCE} (with the model): content precision {p:.3f}, "
        f"recall {r:.3f}."
    )
    as_dict = model.to_dict()
    tagger = as_dict.get("tagger", {})
    print(
        f"Training on {len(train_set)} articles: {train_cpu:.1f} s CPU ({train_seconds:.1f} s wall); model dict: "
        f"{len(json.dumps(as_dict)) / 1000:,.0f} kB of JSON, {len(as_dict['weights'])} re-scorer weights, "
        f"tagger {len(tagger.get('cue', {}))} cue / {len(tagger.get('start', {}))} start / "
        f"{len(tagger.get('end', {}))} end / {len(tagger.get('source', {}))} source weights."
    )
    print(
        f"5,000-character article: {article_ms(evaluated, None):.1f} ms (rules), "
        f"{article_ms(evaluated, model):.1f} ms (rules + model), median."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
