"""Weighted draws with precomputed cumulative weights (the generator makes millions of them)."""

import bisect
import itertools
import random
from collections.abc import Mapping, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class Choice(Generic[T]):
    def __init__(self, values: Sequence[T], weights: Sequence[float]) -> None:
        self.values = tuple(values)
        self._cumulative = list(itertools.accumulate(weights))
        self._total = self._cumulative[-1]

    @classmethod
    def of(cls, weighted: Mapping[T, float]) -> "Choice[T]":
        return cls(list(weighted), list(weighted.values()))

    def pick(self, rng: random.Random) -> T:
        return self.values[bisect.bisect_right(self._cumulative, rng.random() * self._total)]


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` into integer parts proportional to the weights, summing exactly to `total`."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts
