"""Short join codes that are easy to read aloud and to type on a phone.

Six characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B):
about 10^8 codes, so guessing one among open workshops is impractical once join
attempts are rate-limited.
"""

import re
import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_join_code(raw: str) -> str:
    """Accept what people type: any case, spaces, dashes."""
    return re.sub(r"[\s\-]", "", raw or "").upper()[:16]


def display_join_code(code: str) -> str:
    """ABC-DEF: two groups of three read better from the back of a room."""
    return f"{code[:3]}-{code[3:]}" if len(code) == LENGTH else code
