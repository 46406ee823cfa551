"""How long to wait before trying a request again, and when to give up."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

MAX_SINGLE_WAIT = 60.0  # Smartsheet advises backing off up to a minute


@dataclass
class RetryBudget:
    """Exponential backoff with equal jitter (half the ceiling plus up to half at random), honouring Retry-After,
    within `total_seconds` per request."""

    total_seconds: float
    base: float = 1.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before attempt number `attempt + 1` (attempt counts from 1)."""
        if retry_after is not None and retry_after >= 0:
            return min(retry_after, MAX_SINGLE_WAIT)
        ceiling = min(MAX_SINGLE_WAIT, self.base * 2 ** (attempt - 1))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def allows(self, spent: float, next_delay: float) -> bool:
        return spent + next_delay <= self.total_seconds


def parse_retry_after(value: str | None) -> float | None:
    """A Retry-After header in seconds (the HTTP-date form is not used by Smartsheet)."""
    if not value:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None
