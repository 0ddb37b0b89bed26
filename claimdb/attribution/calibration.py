"""Turning a perceptron's margins into probabilities (Platt scaling), shared by the re-scorer and the tagger."""

from __future__ import annotations

import math


def platt(scored: list[tuple[float, int]], steps: int = 300) -> tuple[float, float]:
    """Fit p = sigmoid(a*s + c) to (margin, label) pairs by gradient descent on log loss (deterministic, no numpy)."""
    a, c = 1.0, 0.0
    n = len(scored)
    scale = max(1e-6, max(abs(s) for s, _ in scored))
    for _ in range(steps):
        ga = gc = 0.0
        for s, y in scored:
            x = s / scale
            p = sigmoid(a * x + c)
            ga += (p - y) * x
            gc += p - y
        a -= ga / n
        c -= gc / n
    return a / scale, c


def sigmoid(x: float) -> float:
    """The logistic function, without overflow for large negative x."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)
