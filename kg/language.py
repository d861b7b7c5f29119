"""Tell English articles from others, cheaply and deterministically.

Only the first :data:`SAMPLE_CHARS` characters are looked at, and capitalised words (names,
which travel between languages) are left out. A text whose words are common
English function words often enough is English without further ado (news English is full of
*the*, *of*, *said*; foreign names do not change that). Otherwise lingua's n-gram detector
(low-accuracy mode: fast, and plenty for a paragraph) names the language. Texts too short to
judge, and texts lingua is unsure about, count as English: a wrong skip loses an article,
a wrong keep only costs a few odd mentions.
"""

from __future__ import annotations

import functools
import re
from typing import Any

#: Characters of the text sampled for detection.
SAMPLE_CHARS = 2000
#: Fewer words than this: too short to tell.
MIN_WORDS = 8
#: Share of English function words at or above which a text is English.
ENGLISH_RATIO = 0.12
#: lingua's relative confidence needed to call a text non-English.
MIN_CONFIDENCE = 0.5

# Function words that are not also common words of other languages written in Latin script
# ("a", "in", "on", "die", "son"... are left out on purpose).
_ENGLISH_WORDS = frozenset("""
the of and to is was for that with by said he she it at as from his her has have had were
are be been this which who will would their they an not but its after about also more than
says we our you your there when into over what can could should may would them these
those other new one two first last year years week government people president minister
""".split())
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def common_words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, without capitalised ones (names) unless English function words."""
    words = (w for w in _WORD.findall(text) if not w[0].isupper() or w.lower() in _ENGLISH_WORDS)
    return [w.lower() for w in words]


def english_ratio(text: str) -> tuple[float, int]:
    """(share of English function words, number of words) among the common words of ``text``."""
    words = common_words(text)
    if not words:
        return 0.0, 0
    return sum(w in _ENGLISH_WORDS for w in words) / len(words), len(words)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language of ``text`` (``"en"``...), or None when it cannot be told.

    >>> detect_language("The minister said on Monday that the talks with the union had failed.")
    'en'
    >>> detect_language("Le ministre a déclaré lundi que les négociations avec le syndicat avaient échoué.")
    'fr'
    """
    sample = text[:SAMPLE_CHARS]
    ratio, n_words = english_ratio(sample)
    if ratio >= ENGLISH_RATIO and n_words >= 3:
        return "en"
    if n_words < MIN_WORDS and not _non_latin(sample):
        return None
    # names say little about the language of the text around them: leave them out
    values = _detector().compute_language_confidence_values(" ".join(common_words(sample)))
    if not values or values[0].value < MIN_CONFIDENCE:
        return None
    return values[0].language.iso_code_639_1.name.lower()


def language_name(code: str) -> str:
    """English name of an ISO 639-1 code (``"es"`` -> ``"Spanish"``); the code if unknown."""
    from lingua import IsoCode639_1, Language

    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())).name.capitalize()
    except (AttributeError, ValueError):
        return code


def non_english(text: str) -> str | None:
    """Name of the language of ``text`` when it is confidently not English, else None."""
    code = detect_language(text)
    return language_name(code) if code and code != "en" else None


def _non_latin(text: str) -> bool:
    """True when most letters are outside the Latin script (then even short texts can be told)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ord(ch) > 0x24F for ch in letters) > len(letters) / 2


@functools.lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
