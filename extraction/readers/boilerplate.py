"""Remove page furniture (menus, link lists, share buttons, banners, footers) from a scraped article body.

Detection is by the *shape* of lines, not by site: scraped pages put navigation and
link lists on runs of short lines without sentence punctuation, while article
paragraphs are sentences. A few short phrases that only ever occur in page furniture
("Read more", "Share this", cookie and newsletter prompts, copyright lines) are also
dropped on their own. Paragraph lines (sentences) are never removed unless they are one
of those prompts.

The function is linear in the text and allocates nothing for a text without furniture,
so it can run on every article of a large batch.
"""

from __future__ import annotations

import re

from extraction.lexicon.lexicons import word_class

__all__ = ["strip_boilerplate"]

#: a run of at least this many fragment lines (blank lines ignored) is furniture
_MIN_RUN = 3
#: a line of at least this many words is prose even without final punctuation
_PROSE_WORDS = 25
#: a line of up to this many words (and no digits) between two removed lines is removed with them
_STRANDED_MAX_WORDS = 5
#: prompt phrases are only matched on lines shorter than this
_PROMPT_MAX_CHARS = 200

_SENTENCE_ENDS = ".!?…;:"
_CLOSING = "\"'”’»)]*_ \t"
_MENU_MARKS = ("|", "•", "·", "»", " / ")
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
# a markdown link or image, or a bare URL
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*\)|https?://\S+|www\.\S+")
_SEPARATOR = re.compile(r"^[\W_]+$")  # nothing but punctuation or symbols: "* * *", "----", "|"
_MENU_SEPARATORS = re.compile(r"\s[|•·»/]\s")
_MARKDOWN_LIST_LINK = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+!?\[[^\]]*\]\([^)]*\)\s*$")
# Page furniture phrases, matched at the start of a short line (case-insensitive).
# Sources: the menus, share bars and footers of the ukraine_web_feb2026 scrapes, and
# the usual wording of cookie/consent and newsletter banners.
_PROMPTS = re.compile(
    r"^\W*(?:"
    r"read more|read next|more on this|related(?: stories| articles| content| coverage| news|:|$)"
    r"|see (?:also|all|more)|more from|most (?:read|popular|viewed)|recommended(?: for you| video|$)"
    r"|share (?:this|on|via|article)|share:?$|copy (?:article )?link|print$|email$|tweet$"
    r"|follow us|sign (?:up|in)\b|log ?in\b|log ?out\b|subscribe\b|newsletter"
    r"|skip to|jump to|back to (?:top|homepage)|advertisement$|sponsored$|ad$"
    r"|download (?:the|our) app|click here|tags?:|topics?:|filed under"
    r"|donate\b|support us\b|give (?:now|today|one time)|join (?:monthly|us today)"
    r"|©|\(c\) \d{4}|copyright\b|all rights reserved"
    r")",
    re.IGNORECASE,
)
_COOKIES = re.compile(
    r"\b(?:use[sd]? cookies|cookie (?:policy|settings|preferences|notice|consent)|accept (?:all )?cookies"
    r"|consent to (?:the|our) use|privacy (?:policy|settings|preferences)|terms of (?:service|use))\b",
    re.IGNORECASE,
)

_BULLET = re.compile(r"^\s*(?:[-*+•–]|\d+[.)])\s+\S")
#: a fragment of at least this many words, mostly lowercase, reads as a sentence (a list item)
_SENTENCE_WORDS = 6


# line kinds: furniture is _FRAGMENT or _JUNK; _WEAK is an unpunctuated line that reads as text
_BLANK, _PROSE, _WEAK, _FRAGMENT, _JUNK = range(5)


def _kind(line: str) -> int:
    """Classify one line: blank, prose (a sentence), fragment (short, unpunctuated) or junk."""
    stripped = line.strip()
    if not stripped:
        return _BLANK
    if len(stripped) < _PROMPT_MAX_CHARS:
        if _PROMPTS.match(stripped):
            return _JUNK
        lowered = stripped.lower()
        # a cheap test of the words before the banner patterns
        if any(word in lowered for word in word_class("consent_words")) and _COOKIES.search(stripped):
            return _JUNK
    if _MARKDOWN_LIST_LINK.match(stripped) or _SEPARATOR.match(stripped):
        return _JUNK
    if "](" in stripped or "http" in stripped or "www." in stripped:
        # mostly link text: the links and URLs make up most of the line
        linked = sum(len(m.group(0)) for m in _LINK.finditer(stripped))
        if linked > 0.6 * len(stripped):
            return _JUNK
    last = stripped.rstrip(_CLOSING)[-1:]
    if last and last in _SENTENCE_ENDS:
        if last != ":" or len(stripped.split()) >= 4:
            return _PROSE
    elif any(mark in stripped for mark in _MENU_MARKS):
        separators = len(_MENU_SEPARATORS.findall(stripped))
        if separators >= 3 and len(stripped) <= 25 * (separators + 1):
            return _JUNK  # "Home | World | Business | Sport"
    words = stripped.split()
    if len(words) >= _PROSE_WORDS:
        return _PROSE
    if len(words) >= 4 and _BULLET.match(stripped):
        return _WEAK
    if len(words) >= _SENTENCE_WORDS:
        long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
        capitalised = sum(1 for w in long_words if w[0].isupper())
        if capitalised < 0.7 * len(long_words):
            return _WEAK  # sentence case: a list item or a sentence missing its full stop
    return _FRAGMENT


def _removed_lines(lines: list[str], kinds: list[int]) -> list[bool]:
    """Which lines to drop: junk, and every line of a run of non-prose lines that is mostly furniture."""
    drop = [k == _JUNK for k in kinds]
    start = 0
    n = len(kinds)
    while start < n:
        if kinds[start] in (_BLANK, _PROSE):
            start += 1
            continue
        end = last = start
        furniture = weak = 0
        while end < n and kinds[end] != _PROSE:
            if kinds[end] == _WEAK:
                weak += 1
            elif kinds[end] != _BLANK:
                furniture += 1
            if kinds[end] != _BLANK:
                last = end
            end += 1
        if furniture >= _MIN_RUN and furniture >= weak:
            for i in range(start, last + 1):
                drop[i] = True
        start = end
    if any(drop):
        _drop_stranded(lines, kinds, drop)
    return drop


def _drop_stranded(lines: list[str], kinds: list[int], drop: list[bool]) -> None:
    """Also drop a short line stranded between removed lines ("Thank you for subscribing!")."""
    filled = [i for i, k in enumerate(kinds) if k != _BLANK]
    stranded = []
    for j, i in enumerate(filled):
        if drop[i] or len(_WORD.findall(lines[i])) > _STRANDED_MAX_WORDS or _DIGIT.search(lines[i]):
            continue  # figures are what claims are made of: never dropped on this weak evidence
        before = drop[filled[j - 1]] if j > 0 else None
        after = drop[filled[j + 1]] if j + 1 < len(filled) else None
        if (before or after) and before is not False and after is not False:
            stranded.append(i)
    for i in stranded:
        drop[i] = True


def strip_boilerplate(text: str) -> str:
    """Return ``text`` without its page furniture; a text without any is returned unchanged.

    Removed: runs of three or more short unpunctuated lines (menus, tag lists, related
    headlines, bylines and share buttons), lines that are mostly links, separator lines,
    and short prompt lines (read more, share, subscribe, cookie banners, copyright).
    Blank lines left over are collapsed to one.

    >>> strip_boilerplate("Home\\nWorld\\nSport\\n\\nTroops crossed the river on Monday.\\nRead more")
    'Troops crossed the river on Monday.'
    """
    lines = text.split("\n")
    kinds = [_kind(line) for line in lines]
    if _JUNK not in kinds and _FRAGMENT not in kinds:
        return text
    drop = _removed_lines(lines, kinds)
    if not any(drop):
        return text
    kept: list[str] = []
    previous_blank = True  # drops blank lines at the start
    for line, kind, dropped in zip(lines, kinds, drop, strict=True):
        if dropped:
            continue
        if kind == _BLANK:
            if previous_blank:
                continue
            previous_blank = True
        else:
            previous_blank = False
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept)
