"""The small-group rule: no count shown on a screen or in an export identifies fewer than
five people.

A group under SMALL_GROUP reads "<5". If that leaves exactly one group hidden among
several, its size could be recovered by subtracting the others from the total, so the
next smallest group is hidden too ("hidden"): complementary suppression.
"""

from typing import Literal

SMALL_GROUP = 5
ProtectedCount = int | Literal["<5", "hidden"]


def protect_counts(counts: dict[str, int]) -> dict[str, ProtectedCount]:
    shown: dict[str, ProtectedCount] = {
        group: ("<5" if 0 < n < SMALL_GROUP else n) for group, n in counts.items()
    }
    small = [group for group, value in shown.items() if value == "<5"]
    exact = sorted((n, group) for group, n in counts.items() if n >= SMALL_GROUP)
    if len(small) == 1 and exact:
        shown[exact[0][1]] = "hidden"
    return shown
