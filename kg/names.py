"""Name normalisation: matching keys, display cleaning and IRI-safe slugs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from wordfreq import zipf_frequency

APOSTROPHES = "\u2019\u2018\u02bc\u0060\u00b4"
_POSSESSIVE = re.compile(r"\s*['\u2019]s?$")
_LEADING_DET = re.compile(r"^(the|a|an)\s+", re.I)
_SPACE = re.compile(r"\s+")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
# Transliteration endings that vary between outlets: Zelenskyy / Zelenskiy / Zelensky, Syrskyi / Syrsky.
_TRANSLIT_END = re.compile(r"(yy|iy|yi|ij|ii|yj)$")

HONORIFICS = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady gen lt col maj capt sgt adm rev sen rep gov hon "
    "mr. mrs. ms. dr. prof. gen. lt. col. maj. capt. sgt. adm. rev. sen. rep. gov. hon.".split()
)


# The name functions are pure and see the same few thousand names over and over: cached.
@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """ASCII-fold, lowercase and unify apostrophes/dashes: the base of every key."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    for a in APOSTROPHES:
        text = text.replace(a, "'")
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    return _SPACE.sub(" ", text).strip().lower()


@lru_cache(maxsize=1 << 16)
def clean_surface(text: str) -> str:
    """Display form of a mention: no leading article, possessive or stray punctuation."""
    text = _SPACE.sub(" ", text.replace("\n", " ")).strip()
    text = text.strip(" \t,;:!?\"'()[]{}\u201c\u201d\u2018\u2019\u00ab\u00bb-\u2013\u2014")
    if text.endswith(".") and not re.search(r"\b[A-Z]\.$|\.[A-Za-z]+\.$|\b(Co|Corp|Inc|Ltd|Jr|Sr|St|No)\.$", text):
        text = text[:-1]
    text = _POSSESSIVE.sub("", text) if re.search(r"['\u2019]s?$", text) and len(text) > 3 else text
    text = _LEADING_DET.sub("", text) if len(text.split()) > 1 else text
    return text.strip()


@lru_cache(maxsize=1 << 16)
def name_key(text: str, person: bool = False, org: bool = False) -> str:
    """Matching key of a name: folded, no dots in acronyms, hyphens as spaces.

    Person keys also drop honorifics and fold transliteration endings; organisation keys
    drop legal-form suffixes ("Aer Lingus Group PLC" -> "aer lingus").
    """
    key = fold(clean_surface(text))
    key = re.sub(r"\b([od])' (?=[a-z])", r"\1'", key)  # "O' Leary" -> "O'Leary"
    key = re.sub(r"(?<=\b[a-z])\.(?=[a-z]\.)|(?<=\b[a-z]\.[a-z])\.", "", key)  # U.S. -> us
    key = key.replace(".", " ").replace("-", " ").replace("'", "")
    key = _SPACE.sub(" ", key).strip()
    if person:
        tokens = [t for t in key.split() if t not in HONORIFICS]
        key = " ".join(_TRANSLIT_END.sub("y", t) for t in tokens)
    if org:
        from kg.lexicon import CORPORATE_SUFFIXES

        tokens = key.replace("&", " and ").replace(",", " ").split()
        while len(tokens) > 1 and tokens[-1] in CORPORATE_SUFFIXES:
            tokens.pop()
        key = " ".join(tokens)
    return key


def singular(word: str) -> str:
    """Drop the plural "s" of a long word ("motors" -> "motor"), keeping "-ss" ("express")."""
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def slug(text: str, max_len: int = 80) -> str:
    """ASCII slug safe in any IRI: ``"Volodymyr Zelenskyy" -> "volodymyr-zelenskyy"``."""
    s = _NON_SLUG.sub("-", fold(text)).strip("-")[:max_len].strip("-")
    return s or "x"


@lru_cache(maxsize=1 << 16)
def is_common_word(word: str, threshold: float = 4.0) -> bool:
    """True when the lowercase word is frequent English (so capitalisation alone proves little)."""
    return zipf_frequency(word.lower(), "en") >= threshold


def is_title_case_line(text: str) -> bool:
    """Headline style where most words are capitalised ("Ukraine Captures Two Soldiers")."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'\u2019-]*", text) if len(w) > 3]
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.75
