"""Numbers the tokenizer splits at a space: "80 000 troops" (a space between thousands) and
"5 1/4%" (a whole number and a fraction). The ``number_joins`` component merges each into one
token, so the quantity rules see one number; ``like_num`` makes the merged words (and "2½",
"⅔") number-like.

>>> like_num("80 000"), like_num("12 1/2"), like_num("2½"), like_num("2022 100")
(True, True, True, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

from extraction.lexicon.numbers import VULGAR_FRACTIONS
from extraction.nlp.spans import TEXT_KEY

_VULGAR = "".join(VULGAR_FRACTIONS)
#: One to three digits, then groups of exactly three after a space; not a year before a count
#: ("in 2022 100 people"), not part of a longer digit run, not a compound ("3 100-metre").
_SPACED = r"(?<![\d.,/])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,/]|\.\d|-)"
_MIXED = r"(?<![\d.,/])\d{1,3}[ \u00a0]\d{1,2}/\d{1,2}(?![\d/])"
JOINS = re.compile(f"{_SPACED}|{_MIXED}")
#: A cheap test first: most texts have no digit on both sides of a space.
_QUICK = re.compile(r"\d[ \u00a0\u202f]\d")
_LIKE = re.compile(rf"\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}})+(?:\.\d+)?|\d{{1,3}}[ \u00a0]\d{{1,2}}/\d{{1,2}}"
                   rf"|\d*[{_VULGAR}]")


def wrap_like_num(default: Callable[[str], bool]) -> Callable[[str], bool]:
    """spaCy's ``like_num`` that also accepts "80 000", "12 1/2", "2½" and "⅔"."""
    def like_num(text: str) -> bool:
        return default(text) or _LIKE.fullmatch(text) is not None
    return like_num


def like_num(text: str) -> bool:
    """Whether ``text`` is a number for the rules (see ``wrap_like_num``)."""
    from spacy.lang.en.lex_attrs import like_num as english

    return wrap_like_num(english)(text)


def join_numbers(doc: Doc) -> Doc:
    """Merge the tokens of each spaced number; a mixed fraction only when its fraction is
    proper ("5 1/4", not "3 4/2")."""
    text = doc.user_data.get(TEXT_KEY) or doc.text
    if _QUICK.search(text) is None:
        return doc
    spans = []
    for m in JOINS.finditer(text):
        if "/" in m.group(0):
            num, den = m.group(0).split()[-1].split("/")
            if not 0 < int(num) < int(den):
                continue
        span = doc.char_span(m.start(), m.end())
        if span is not None and len(span) > 1:
            spans.append(span)
    if spans:
        with doc.retokenize() as retok:
            for span in spans:
                retok.merge(span)
    return doc


@Language.component("number_joins")
def number_joins(doc: Doc) -> Doc:
    """Merge numbers written with spaces inside them into one token."""
    return join_numbers(doc)
