"""Feature short names and branch names, derived the way spec-kit's create-new-feature does.

spec-kit lowercases the description, splits it on anything that is not a letter or a
digit, drops stop words and words shorter than three characters (unless the word is an
upper-case acronym in the description, or not ASCII), and keeps the first three words
(four when there are exactly four). A `--short-name` is only cleaned: lower-cased, runs of
other characters turned into one '-'.
"""

from __future__ import annotations

import re

# spec-kit's list, word for word, so `stackprint feature` and `/speckit.specify` agree.
STOP_WORDS = frozenset(
    {
        "i",
        "a",
        "an",
        "the",
        "to",
        "for",
        "of",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "should",
        "could",
        "can",
        "may",
        "might",
        "must",
        "shall",
        "this",
        "that",
        "these",
        "those",
        "my",
        "your",
        "our",
        "their",
        "want",
        "need",
        "add",
        "get",
        "set",
    }
)
# GitHub refuses longer branch names.
MAX_BRANCH_BYTES = 244


def _words(text: str) -> list[str]:
    """Lower-cased letter/digit runs; letters beyond ASCII count as letters, as in spec-kit."""
    lowered = "".join(ch.lower() if "A" <= ch <= "Z" else ch for ch in text)
    cleaned = "".join(ch if ch.isalpha() or ch.isdecimal() else " " for ch in lowered)
    return cleaned.split()


def clean_name(name: str) -> str:
    """A user-given short name as a branch suffix: `User Auth!` -> `user-auth`."""
    return "-".join(_words(name))


def slug_from_description(description: str) -> str:
    """The short name spec-kit derives from a feature description; '' when nothing is left."""
    original_words = set(re.findall(r"[A-Za-z0-9]+", description))
    meaningful = []
    for word in _words(description):
        if word in STOP_WORDS:
            continue
        if len(word) >= 3 or not word.isascii() or word.upper() in original_words:
            meaningful.append(word)
    if meaningful:
        keep = 4 if len(meaningful) == 4 else 3
        return "-".join(meaningful[:keep])
    return "-".join(_words(description)[:3])


def branch_name(number: str, suffix: str) -> str:
    """`NNN-suffix`, the suffix cut (on a character boundary) to GitHub's byte limit."""
    name = f"{number}-{suffix}"
    if len(name.encode()) <= MAX_BRANCH_BYTES:
        return name
    budget = MAX_BRANCH_BYTES - len(number) - 1
    cut = suffix
    while len(cut.encode()) > budget:
        cut = cut[:-1]
    return f"{number}-{cut.rstrip('-')}"
