"""Find the tokens a rule looks at from a Doc's attribute arrays, without a Token object per token.

spaCy makes a new :class:`~spacy.tokens.Token` on every ``doc[i]`` and every step of ``for tok
in doc``; the extractors used to walk whole articles that way many times over. These helpers
read one attribute array (``Doc.to_array``), test each distinct string once, and return the
indices of the few tokens a rule then inspects.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable

import numpy
from spacy.strings import get_string_id
from spacy.tokens import Doc


@lru_cache(maxsize=64)
def _ids(values: frozenset[str]) -> tuple[int, ...]:
    return tuple(get_string_id(v) for v in values)


def _where(array: numpy.ndarray, ids: Iterable[int]) -> list[int]:
    mask = numpy.zeros(len(array), dtype=bool)
    for value in ids:  # a few values: one comparison each beats numpy.isin's sort
        mask |= array == value
    return numpy.flatnonzero(mask).tolist()


def positions(doc: Doc, attr: int, values: Iterable[str]) -> list[int]:
    """Indices, ascending, of the tokens whose ``attr`` (``ORTH``, ``LOWER``, ``POS``...) is one of ``values``."""
    return _where(doc.to_array(attr), _ids(frozenset(values)))


def positions_where(doc: Doc, attr: int, test: Callable[[str], bool]) -> list[int]:
    """Indices, ascending, of the tokens whose ``attr`` string passes ``test`` (called once per distinct string)."""
    array = doc.to_array(attr)
    strings = doc.vocab.strings
    return _where(array, [h for h in numpy.unique(array).tolist() if test(strings[h])])


def strings_where(doc: Doc, attr: int, flag: int) -> set[str]:
    """The distinct ``attr`` strings of the tokens whose boolean ``flag`` (``IS_LOWER``...) is set."""
    array = doc.to_array([attr, flag])
    strings = doc.vocab.strings
    return {strings[h] for h in numpy.unique(array[array[:, 1] != 0, 0]).tolist()}
