"""The tokenizer's news rules: units glued to numbers split off ("994sq km" -> 994 / sq / km),
currency prefixes ("$US113", "HK$5m"), dashes and slashes between figures. ``customize_tokenizer``
sets them on a pipeline's tokenizer (``pipeline.build_nlp``); it is not a pipe and assigns nothing
else.

The tokenizer calls the three joined regexes (spaCy's English rules and ours) once for every new
string; most strings are plain words, which the fast paths below answer without running them.
What a fast path assumes of spaCy's rules is checked against the joined regexes by
``tests/test_tokenizer.py``."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

#: Unit suffixes glued to digits in news copy ("994sq km", "$5bn", "10.8m people", "a 5kW
#: motor", "114bhp", "shares at 164p", "3min", "2.4GHz", "50mL", "32m2").
_GLUED_SUFFIXES = (r"(?<=[0-9])(?:sq|bn|mn|mln|bln|tn|trn|k|pc|kms|sqkm|km2|km²|m2|sqm|kWh|MWh|GWh|Wh|kW|MW|GW|W"
                   r"|bhp|hp|Nm|mpg|mph|kph|[kMG]?[Hh]z|[kMG]bps|mAh|mL|ml|l|L|min|mins|hrs|p|degF|degC|lbs|cyl"
                   r"|B|Bn|T|Tn|MM|mil|b|kg|bpd|bcm|TWh)")
#: The same units inside a token, before a slash or dash ("114bhp/200Nm", "43.5mpg/117g/km",
#: "100km/hr"): a zero-width split, since spaCy strips suffixes only at the end of a token.
_INNER_UNITS = (r"(?<=[0-9])(?=(?:sq|bn|mn|k|m|b|kms|km|km2|m2|sqm|kWh|MWh|GWh|kW|MW|GW|W|bhp|hp|Nm|mpg|mph"
                r"|[kMG]?Hz|[kMG]bps|mAh|mL|ml|l|L|min|mins|hrs|hr|g|kg|lb|lbs|degF|degC|cm|mm|ft)"
                r"(?=[/\-]))")
#: Currency prefixes glued to digits: "$US113 trillion", "$A82,615", "$NZ5m", "HK$5m", "EUR6bn".
_CURRENCY_PREFIXES = (r"(?:\$(?:US|A|NZ|C|HK|S)|(?:US|A|C|HK|NZ|S|R|NT)\$"
                      r"|(?:EUR|USD|GBP|CHF|JPY|CNY|RUB|UAH|PLN|Rs\.?)(?=[0-9]))(?=[0-9])")
#: A scale letter glued to the first number of a range ("10k-15k") and a dash left after a number
#: that shares its unit with the next ("4- to 6-metre").
_SCALE_DASH = r"(?<=[0-9][kKmMbB])-(?=[0-9$€£])"
#: Two percentages joined by a dash ("10%-15%").
_PERCENT_DASH = r"(?<=[0-9])%(?=[-–][0-9])|(?<=%)[-–](?=[0-9])|(?<=[0-9][kKmMbBn]-)[$€£](?=[0-9])"
_NUMBER_DASH = r"(?<=[0-9])-"
#: A full stop after an upper-case scale letter ("worth $10B."), which spaCy keeps for acronyms.
_SCALE_STOP = r"(?<=[0-9][BTMKCFp])\."
#: A per cent sign after a vulgar fraction ("5¼%"), and a temperature letter or a multiplier glued to
#: digits ("42C", "2.5x").
_VULGAR_PERCENT = r"(?<=[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])%"
_GLUED_DEGREES = r"(?<=[0-9])[CFx]"
#: Words glued to a number by a hyphen that change it: "minus-5 yards", "sub-300 sq m".
_WORD_PREFIXES = r"(?:[Mm]inus|[Ss]ub)-(?=[0-9.])"
#: "~45g", "≈32m2": approximate signs before a number.
_APPROX_PREFIXES = r"[~≈](?=[0-9])"


#: Every infix rule above needs a digit or a long dash in the string.
_INFIX_NEEDS = re.compile(r"[0-9—–]")
#: A word of ASCII letters only: no suffix or infix rule, ours or spaCy's, can match in it.
_LETTERS = re.compile(r"[A-Za-z]+")
#: A string that ends in an ASCII letter and holds no digit: the only suffixes that can match at
#: its end are a possessive "'s" (spaCy's other suffixes end in a symbol or need a digit, as do ours).
_LETTER_END = re.compile(r"[^0-9]*[A-Za-z]")
_POSSESSIVE = re.compile(r"(?:'s|'S|’s|’S)$")
#: Closing characters that only a suffix of their own ends in (spaCy's ``,`` ``"`` ``)``): the suffix
#: of a string ending in one is that character.
_CLOSERS = frozenset(',")')
_CLOSER = re.compile(r'[,")]$')
#: The first letters of words that cannot have a prefix (``_PrefixSearch``).
_NO_PREFIX = frozenset("abcdefghijklnopqrtuvwxyz")


class _SuffixSearch:
    """The suffix regex (spaCy's suffixes and ours joined in one) as the tokenizer calls it, with
    the common cases, a word ending in a letter (or in a comma, quote or bracket), answered without
    trying every alternative at every position. ``pattern`` is the whole regex's, which spaCy
    serialises."""

    def __init__(self, full: re.Pattern):
        self.pattern = full.pattern
        self._full = full

    def search(self, text: str) -> re.Match | None:
        if _LETTER_END.fullmatch(text):
            return _POSSESSIVE.search(text, max(0, len(text) - 2))
        if text[-1:] in _CLOSERS:
            return _CLOSER.search(text, len(text) - 1)
        return self._full.search(text)


class _PrefixSearch:
    """The prefix regex (ours, then spaCy's prefixes) as the tokenizer calls it. Its alternatives
    all match at the start, and none can start with a lower-case ASCII letter but "minus-" and
    "sub-" (spaCy's start with a symbol or a capital: "US$"), so a word starting with another
    lower-case letter has no prefix. ``pattern`` is the whole regex's."""

    def __init__(self, full: re.Pattern):
        self.pattern = full.pattern
        self._full = full

    def search(self, text: str) -> re.Match | None:
        if text[:1] in _NO_PREFIX:
            return None
        return self._full.search(text)


class _InfixFinditer:
    """The infix regex (spaCy's infixes, then ours) as the tokenizer calls it. The joined regex
    finds the leftmost match, earlier alternatives winning a tie, so in a string where none of
    ours can match (no digit, no long dash) it finds exactly what spaCy's own regex finds; in a
    word of letters only, neither finds anything. ``pattern`` is the whole regex's."""

    def __init__(self, default: re.Pattern, full: re.Pattern):
        self.pattern = full.pattern
        self._default, self._full = default, full

    def finditer(self, text: str):
        if _LETTERS.fullmatch(text):
            return iter(())
        return (self._full if _INFIX_NEEDS.search(text) else self._default).finditer(text)


def customize_tokenizer(nlp: Language) -> None:
    """Split units glued to numbers ("994sq km" -> 994 / sq / km) and words joined by dashes."""
    suffixes = list(nlp.Defaults.suffixes or []) + [_GLUED_SUFFIXES, _NUMBER_DASH, _SCALE_STOP, _VULGAR_PERCENT,
                                                    _GLUED_DEGREES]
    nlp.tokenizer.suffix_search = _SuffixSearch(compile_suffix_regex(suffixes)).search
    prefixes = [_CURRENCY_PREFIXES, _APPROX_PREFIXES, _WORD_PREFIXES] + list(nlp.Defaults.prefixes or [])
    nlp.tokenizer.prefix_search = _PrefixSearch(compile_prefix_regex(prefixes)).search
    # "2024—six times" is two words; "114bhp/200Nm" is two figures, each with its unit
    infixes = list(nlp.Defaults.infixes or [])
    ours = [r"[—–]", r"(?<=[A-Za-z])/(?=[0-9])", _INNER_UNITS, _SCALE_DASH, _PERCENT_DASH]
    nlp.tokenizer.infix_finditer = _InfixFinditer(compile_infix_regex(infixes),
                                                  compile_infix_regex(infixes + ours)).finditer
