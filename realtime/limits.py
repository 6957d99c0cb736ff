"""What one client may take of a server process: sockets and commands.

A participant's sockets (tabs, a reloaded page whose old socket has not closed yet)
share one command budget, so five tabs do not get five times the rate; and the sockets
one participant, or one client address, may hold open at once are capped. The counts
live in the process: with several processes a client may get up to that many times the
limits, which still bounds it (docs/hostile-inputs.md). Sockets all run on the process's
one event loop, so plain dicts need no lock.
"""

import time
from collections.abc import Hashable


class TokenBucket:
    """At most `burst` commands at once, refilled at `rate` per second."""

    def __init__(self, burst: float, rate: float) -> None:
        self.capacity, self.rate = burst, rate
        self.tokens, self.stamp = burst, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Slots:
    """How many sockets each key (a participant, an address) holds open in this process."""

    def __init__(self) -> None:
        self.counts: dict[Hashable, int] = {}

    def take(self, key: Hashable, limit: int) -> bool:
        held = self.counts.get(key, 0)
        if held >= limit:
            return False
        self.counts[key] = held + 1
        return True

    def give_back(self, key: Hashable) -> None:
        held = self.counts.get(key, 0) - 1
        if held > 0:
            self.counts[key] = held
        else:
            self.counts.pop(key, None)


class SharedBuckets:
    """One token bucket per key, shared by every socket that holds the key, forgotten
    when the last of them lets go (a participant reconnecting later starts full)."""

    def __init__(self, burst: float, rate: float) -> None:
        self.burst, self.rate = burst, rate
        self.entries: dict[Hashable, tuple[TokenBucket, int]] = {}

    def hold(self, key: Hashable) -> TokenBucket:
        bucket, holders = self.entries.get(key) or (TokenBucket(self.burst, self.rate), 0)
        self.entries[key] = (bucket, holders + 1)
        return bucket

    def let_go(self, key: Hashable) -> None:
        entry = self.entries.get(key)
        if entry is None:
            return
        bucket, holders = entry
        if holders > 1:
            self.entries[key] = (bucket, holders - 1)
        else:
            del self.entries[key]
