"""Counting attempts in the cache: how many times a key was hit in its current window.

One fixed window per key, started by its first hit and lasting the rate's period, so "locked for N
more minutes" can be told exactly. Rates are written ``"<count>/<period>"`` with the period in
seconds or as ``s``, ``m``, ``h`` with an optional multiplier: ``"5/15m"``, ``"3/h"``, ``"20/900"``.
The cache is shared by every web process (Redis in production), so a limit holds across them."""

from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass

from django.core.cache import cache

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd]?)\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(rate: str) -> Rate:
    match = _RATE.match(rate or "")
    if not match or (not match[2] and not match[3]):
        raise ValueError(f"not a rate: {rate!r} (write it as 5/15m, 3/h or 20/900)")
    seconds = int(match[2] or 1) * _UNITS[match[3] or "s"]
    return Rate(count=int(match[1]), seconds=max(1, seconds))


def _key(scope: str, subject: str) -> str:
    digest = hashlib.sha256(subject.encode("utf-8")).hexdigest()[:32]
    return f"limits:{scope}:{digest}"


def hit(scope: str, subject: str, rate: Rate) -> int:
    """Count one attempt; answers the count in the current window, this one included."""
    key = _key(scope, subject)
    if cache.add(key, 1, rate.seconds):
        cache.set(f"{key}:until", time.time() + rate.seconds, rate.seconds)
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, rate.seconds)
        cache.set(f"{key}:until", time.time() + rate.seconds, rate.seconds)
        return 1


def count(scope: str, subject: str) -> int:
    return int(cache.get(_key(scope, subject)) or 0)


def seconds_left(scope: str, subject: str) -> int:
    until = cache.get(f"{_key(scope, subject)}:until")
    return max(0, math.ceil(until - time.time())) if until else 0


def clear(scope: str, subject: str) -> None:
    key = _key(scope, subject)
    cache.delete_many([key, f"{key}:until"])
