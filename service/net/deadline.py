"""The total time limit of one request: DNS, every redirect hop and the body share it."""

from __future__ import annotations

import time

from .errors import FetchError

__all__ = ["Deadline"]


class Deadline:
    """Seconds left of a request's total time limit, started when the request starts."""

    def __init__(self, seconds: float):
        self.start = time.monotonic()
        self.end = self.start + seconds
        self.seconds = seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def check(self, url: str, what: str = "fetch") -> float:
        left = self.remaining()
        if left <= 0:
            raise FetchError("timeout", f"{what} exceeded the total time limit of {self.seconds:g} s", url=url)
        return left

    def elapsed_ms(self) -> int:
        return int((time.monotonic() - self.start) * 1000)
