"""Pure number parsing: digits, separators, scale words, number words and fractions. No spaCy.

>>> parse_number("78,329")
78329.0
>>> parse_number("1.2 million")
1200000.0
>>> parse_number("one-and-a-half")
1.5
>>> parse_fraction("one-fifth")
0.2
"""

from __future__ import annotations

import re
from functools import lru_cache

UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "a": 1, "an": 1,
}
TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALE_WORDS = {
    "hundred": 100, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "m.": 1e6, "mn": 1e6, "mln": 1e6,
    "mio": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9, "bln": 1e9, "trillion": 1e12, "tn": 1e12,
    "trn": 1e12, "dozen": 12, "mil": 1e6, "mil.": 1e6, "mm": 1e6, "t": 1e12, "tr": 1e12,
    "lakh": 1e5, "crore": 1e7,
}
#: Single-character fractions ("2½ per cent", "⅔ of voters").
VULGAR_FRACTIONS = {"½": 1 / 2, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 1 / 4, "¾": 3 / 4, "⅕": 1 / 5, "⅖": 2 / 5,
                    "⅗": 3 / 5, "⅘": 4 / 5, "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 1 / 8, "⅜": 3 / 8, "⅝": 5 / 8,
                    "⅞": 7 / 8}
FRACTION_WORDS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
    "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
    "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}
MULTIPLIER_WORDS = {"twice": 2.0, "double": 2.0, "thrice": 3.0, "triple": 3.0, "quadruple": 4.0}

_DIGITS = re.compile(r"^[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)$")  # ".001" too
_DIGITS_SCALE = re.compile(r"^([+-]?[\d.,]+)([a-z]+\.?)$")
#: "5 1/4", "12 1/2": a whole number and a fraction; "2½", "½": a vulgar fraction.
_MIXED = re.compile(r"^(\d+)[\s\u00a0-]+(\d+)/(\d+)$")
_VULGAR = re.compile(r"^(\d*)\s*([%s])$" % "".join(VULGAR_FRACTIONS))
_SPLIT = re.compile(r"[\s\-]+")


def parse_digits(text: str) -> float | None:
    """Parse a digit string with thousands separators: ``"110,649"`` -> 110649.0, else None."""
    t = text.strip()
    mixed = _MIXED.match(t)
    if mixed and 0 < int(mixed.group(2)) < int(mixed.group(3)):
        return int(mixed.group(1)) + int(mixed.group(2)) / int(mixed.group(3))
    vulgar = _VULGAR.match(t)
    if vulgar:
        return int(vulgar.group(1) or 0) + VULGAR_FRACTIONS[vulgar.group(2)]
    t = t.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if not _DIGITS.match(t):
        return None
    try:
        return float(t.replace(",", ""))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def parse_number(text: str) -> float | None:
    """Parse a number written in digits, words or a mix; None when it is not one number.

    Handles separators ("2,700"), decimals, scale words and suffixes ("1.2 million", "5bn",
    "3.5m"), number words ("fifty-nine thousand", "a hundred"), "one-and-a-half", "twice".
    """
    t = text.strip().lower().replace("\u2019", "'")
    if not t or len(t) > 80:
        return None
    value = parse_digits(t)
    if value is not None:
        return value
    if t in MULTIPLIER_WORDS:
        return MULTIPLIER_WORDS[t]
    sign = re.match(r"(?:-|minus\b-?)\s*(?=[\d.])", t)
    if sign:  # "-50.8 bn", "minus 5"
        rest = parse_number(t[sign.end():])
        return None if rest is None else -rest
    m = _DIGITS_SCALE.match(t)
    if m and m.group(2) in SCALE_WORDS:
        base = parse_digits(m.group(1))
        return None if base is None else base * SCALE_WORDS[m.group(2)]
    words = [w for w in _SPLIT.split(t) if w]
    scale = 1.0
    if len(words) > 3 and words[-1] in SCALE_WORDS and words[-2] in FRACTION_WORDS:
        scale, words = SCALE_WORDS[words[-1]], words[:-1]  # "one and a half million"
    if "and" in words and words[-1] in FRACTION_WORDS and "a" in words:
        # "one-and-a-half", "two and a half"
        i = words.index("and")
        whole = parse_number(" ".join(words[:i]))
        return None if whole is None else (whole + 1 / FRACTION_WORDS[words[-1]]) * scale
    return _parse_words(words)


def _parse_words(words: list[str]) -> float | None:
    total = 0.0
    current = 0.0
    seen = False
    last = ""  # category of the previous word: digits, unit, tens, scale
    for w in words:
        if w == "and" and seen:
            continue
        num = parse_digits(w)
        if num is not None:
            if seen:
                return None  # "200-300" is a range, not 500
            current += num
            last = "digits"
        elif w in UNITS_WORDS:
            if last in ("unit", "digits"):
                return None  # "five six"
            current += UNITS_WORDS[w]
            last = "unit"
        elif w in TENS_WORDS:
            if last in ("unit", "tens", "digits"):
                return None
            current += TENS_WORDS[w]
            last = "tens"
        elif w in SCALE_WORDS and seen:
            last = "scale"
            scale = SCALE_WORDS[w]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0.0
        else:
            return None
        seen = True
    if not seen or words in (["a"], ["an"]):
        return None
    return total + current


@lru_cache(maxsize=1024)
def parse_fraction(text: str) -> float | None:
    """Parse a fraction in words or digits to a number between 0 and 1 (or more).

    ``"one-fifth"`` -> 0.2, ``"a third"`` -> 0.333.., ``"two-thirds"`` -> 0.666..,
    ``"half"`` -> 0.5, ``"3/4"`` -> 0.75; None when the text is not a fraction.
    """
    t = text.strip().lower()
    m = re.fullmatch(r"(\d+)\s*/\s*(\d+)", t)
    if m:
        den = int(m.group(2))
        return int(m.group(1)) / den if den else None
    words = [w for w in _SPLIT.split(t) if w]
    if not words or words[-1] not in FRACTION_WORDS:
        return None
    den = FRACTION_WORDS[words[-1]]
    if len(words) == 1 or words[:-1] in (["a"], ["an"], ["one"]):
        return 1 / den
    num = parse_number(" ".join(words[:-1]))
    if num is None or num > den * 10:
        return None
    return num / den


def parse_range(text: str) -> tuple[float, float] | None:
    """Parse "200-300", "3,000 to 5,000", "between 2 and 2.5" into (low, high); None otherwise.

    A shared scale word applies to both ends: "1-2 million" -> (1e6, 2e6).
    """
    t = text.strip().lower()
    t = re.sub(r"^between\s+", "", t)
    parts = re.split(r"\s*(?:-|–|—|\bto\b|\band\b)\s*", t, maxsplit=1)
    if len(parts) != 2:
        return None
    low, high = parse_number(parts[0]), parse_number(parts[1])
    if low is None or high is None:
        return None
    hw = parts[1].split()
    if len(hw) > 1 and hw[-1] in SCALE_WORDS and low < high / SCALE_WORDS[hw[-1]] and len(parts[0].split()) == 1:
        low *= SCALE_WORDS[hw[-1]]  # "1-2 million", "four to five thousand"
    if low > high:
        return None
    return low, high
