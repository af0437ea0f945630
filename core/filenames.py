"""File names from outside (uploads, ZIP members) shortened to what every file system stores.

Most file systems refuse a name over 255 bytes (`OSError: File name too long`); a 300-character upload
name must become a shorter, still recognisable one rather than an error. The extension (also a double
one such as `.csv.gz`, which readers dispatch on) is kept, and a short hash of the full name keeps two
long names that share a beginning apart.
"""

from __future__ import annotations

import hashlib
import re

MAX_NAME_BYTES = 180
"""Leaves room under 255 bytes for a `-12` counter and a `.part` suffix added while writing."""
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def short_name(name: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """`name` if it fits in `max_bytes` of UTF-8, else its beginning + `~<hash>` + its extension(s)."""
    if len(name.encode("utf-8")) <= max_bytes:
        return name
    suffix, rest = "", name
    for _ in range(2):  # .gz, then .csv of .csv.gz
        found = _SUFFIX.search(rest)
        if not found or found.start() == 0:
            break
        suffix, rest = found.group() + suffix, rest[: found.start()]
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=4).hexdigest()
    budget = max_bytes - len(suffix) - len(digest) - 1
    head = rest.encode("utf-8")[:budget].decode("utf-8", "ignore")
    return f"{head}~{digest}{suffix}"
