"""Reading labelled attributions in brat standoff form (PolNeAR), for training and benchmarks.

Nothing is read at import time; the corpus stays outside the repository and is
found through ``CLAIMDB_POLNEAR_DIR`` or next to the checkout
(``../shared/data/polnear``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from claimdb.attribution.learn import Example, Labelled
from claimdb.attribution.types import Span


def polnear_dir(repo_root: Path | None = None) -> Path:
    """Where PolNeAR is: ``$CLAIMDB_POLNEAR_DIR``, else ``<repo_root>/../shared/data/polnear``."""
    env = os.environ.get("CLAIMDB_POLNEAR_DIR")
    if env:
        return Path(env)
    root = repo_root or Path(__file__).resolve().parents[2]
    return root.parent / "shared" / "data" / "polnear"


def parse_ann(ann: str) -> list[Labelled]:
    """Attributions in a brat ``.ann`` file: (content, cue, source) per E line.

    A discontinuous span ("2103 2168;2170 2425", a quote split by its cue) is
    read as the envelope from its first start to its last end, the way a
    statement stores it. A second content (Content2) widens the envelope.
    """
    spans: dict[str, Span] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label_and_range = parts[1].split(" ", 1)
            if len(label_and_range) != 2:
                continue
            ranges = [r.split() for r in label_and_range[1].split(";")]
            try:
                spans[parts[0]] = Span(int(ranges[0][0]), int(ranges[-1][1]))
            except (ValueError, IndexError):
                continue
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    out: list[Labelled] = []
    for ev in events:
        contents = [spans[ev[k]] for k in ("Content", "Content2") if k in ev and ev[k] in spans]
        if not contents:
            continue
        content = Span(min(c.start for c in contents), max(c.end for c in contents))
        cue = spans.get(ev.get("Cue", ""))
        source = spans.get(ev.get("Source", ""))
        out.append((content, cue, source))
    return out


def load_polnear(split: str, *, root: Path | None = None, limit: int | None = None) -> Iterator[Example]:
    """The articles of one split ("train", "dev", "test"), one annotator's file per article, sorted by name."""
    base = (root or polnear_dir()) / "data" / split
    ann_dir = base / "attributions"
    seen: set[str] = set()
    count = 0
    for ann in sorted(ann_dir.glob("*.ann")):
        article = ann.stem.rsplit("_", 1)[0]
        text_file = base / "text" / f"{article}.txt"
        if article in seen or not text_file.exists():
            continue
        seen.add(article)
        yield Example(text_file.read_text(encoding="utf-8"), parse_ann(ann.read_text(encoding="utf-8")))
        count += 1
        if limit is not None and count >= limit:
            return
