"""What a bare number in a sentence is: the noun it counts ("78,000 Russian troops", "14
Leopard 2 tanks", "900 more" with the noun said before), or why it is not a claim at all
(dates, ages, durations, designators, codes, ordinals, page furniture).

Pure over a processed Doc; returns a new ``Mention`` with its findings.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

import numpy as np
from spacy.tokens import Doc, Span, Token

from extraction.interpret.mention import Mention, NounClass, replace
from extraction.lexicon import lexicons
from extraction.lexicon.lexicons import word_class
from extraction.lexicon.numbers import SCALE_WORDS
from extraction.nlp.spans import lower_of, sent_starts_of, slice_text, spans_of, text_of, words_of
from models.vocab import QuantityKind

_AGE_PRE = frozenset({"aged", "age", "ages"})


@lru_cache(maxsize=1)
def _furniture_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str] | None]:
    """The regexes of ``lexicon/furniture.tsv`` (page furniture: banners, footers, link lists)
    as two alternations: those anchored at the start of the sentence (``^``, tried there only)
    and the rest. One alternation mixing both is about five times slower to search. The third
    is the rest without ``re.I``, to search several lower-cased ASCII sentences joined by line
    breaks at once (twice as fast, and the same answer for ASCII text); None when a pattern
    holds a capital, an anchor or a negative lookaround (a line break then acts as the end of
    a sentence only without them)."""
    with open(lexicons.DATA / "lexicon" / "furniture.tsv", encoding="utf-8", newline="") as fh:
        patterns = [r["pattern"] for r in csv.DictReader(fh, delimiter="\t")]
    anchored = [p[1:] for p in patterns if p.startswith("^")]
    rest = [p for p in patterns if not p.startswith("^")]
    rest_source = "|".join(f"(?:{p})" for p in rest) or "(?!)"
    joinable = rest_source == rest_source.lower() and not any(
        mark in p for p in rest for mark in ("^", "$", "\\A", "\\Z", "(?!", "(?<!"))
    return (re.compile("|".join(f"(?:{p})" for p in anchored) or "(?!)", re.I), re.compile(rest_source, re.I),
            re.compile(rest_source) if joinable else None)


def is_furniture(sentence: str) -> bool:
    """Whether a sentence is site furniture (a pattern of ``lexicon/furniture.tsv`` matches)."""
    anchored, rest, _ = _furniture_patterns()
    return bool(anchored.match(sentence) or rest.search(sentence))


def span_text(doc: Doc, lo: int, hi: int) -> str:
    """The text of tokens lo..hi from the cached article text (``Span.text`` walks the tokens).

    >>> import spacy
    >>> span_text(spacy.blank("en")("Some 50,000 troops massed."), 1, 3)
    '50,000 troops'
    """
    if hi > lo:
        return slice_text(doc, lo, hi)
    return text_of(doc)[doc[lo].idx:doc[lo].idx]


def furniture_spans(doc: Doc) -> set[int]:
    """Indexes (into ``spans_of(doc, "quantities")``) of the quantities that stand in a sentence
    of site furniture, whose numbers are never claims.

    Only the sentences that hold a quantity are read (found by bisecting the sentence starts;
    ``Span.sent`` walks every token), so a long article costs no more than its figures."""
    spans = spans_of(doc, "quantities")
    if not spans:
        return set()
    starts = np.flatnonzero(sent_starts_of(doc))
    bounds = [*starts.tolist(), len(doc)]
    sentence_of = (np.searchsorted(starts, [sp.start for sp in spans], side="right") - 1).tolist()
    texts = {k: slice_text(doc, bounds[k], bounds[k + 1]) for k in sorted(set(sentence_of))}
    anchored, _, lower_rest = _furniture_patterns()
    joined = "\n".join(texts.values())
    if lower_rest is not None and joined.isascii() and not lower_rest.search(joined.lower()):
        furniture = {k for k, text in texts.items() if anchored.match(text)}  # one search for most articles
    else:
        furniture = {k for k, text in texts.items() if is_furniture(text)}
    return {i for i, k in enumerate(sentence_of) if k in furniture}


def classify_number(m: Mention, span: Span, doc: Doc, date_tokens: dict[int, str]) -> Mention:
    """``m`` (a bare number read from ``span``) with what it counts, or why it is not a claim.
    ``date_tokens`` maps the tokens of the date rules' spans to their label.

    >>> import spacy
    >>> from extraction.interpret.span_values import interpret
    >>> doc = spacy.blank("en")("Moscow massed 14,000 Russian troops near the border.")
    >>> span = Span(doc, 2, 3, label="number")  # "14,000"
    >>> m = classify_number(interpret(span), span, doc, {})
    >>> m.noun, m.noun_class.value, m.not_claim
    ('troops', 'military', None)
    """
    lower = lower_of(doc)
    orths = words_of(doc)
    label = next((date_tokens[i] for i in range(span.start, span.end) if i in date_tokens), None)
    if label == "year" and max(v for v in (m.value, m.low, m.high, 0) if v is not None) > 2100:
        label = None  # "sales of 5835 units", "between 750000 and 800000": amounts, not years
    if label is not None:
        return replace(m, not_claim=QuantityKind.YEAR if label == "year" else (
            QuantityKind.TIME if label == "time" else QuantityKind.DATE))
    first = doc[span.start]
    text = slice_text(doc, span.start, span.end)  # ``span.text``, without a Token per word
    if re.fullmatch(r"(?:19|20)\d\d\.\d{1,2}", text):
        return replace(m, not_claim=QuantityKind.YEAR)  # "early 2026.1": a year with a footnote mark
    if _code_number(doc, span, text):
        return replace(m, not_claim=QuantityKind.OTHER)  # phone numbers, registration numbers, "01234567"
    if m.value is not None and first.shape_ == "dddd" and 1800 <= m.value <= 2100 and span.end - span.start == 1:
        return replace(m, not_claim=QuantityKind.YEAR)
    prev = doc[span.start - 1] if span.start > 0 else None
    if (prev is not None and prev.lower_ in ("and", "or", "&") and span.start >= 2 and date_tokens.get(span.start - 2)
            and date_tokens.get(span.start - 2) not in ("year", "time") and first.is_digit and 1 <= (m.value or 0) <= 31
            and (span.end >= len(doc) or lower[span.end] not in lexicons.counted_nouns()
                 and lower[span.end] not in word_class("count_followers"))):
        return replace(m, not_claim=QuantityKind.DATE)  # "published on February 20 and 21": the second day of a date
    nxt_tok = doc[span.end] if span.end < len(doc) else None
    if (nxt_tok is not None and nxt_tok.is_title and nxt_tok.lower_ in word_class("formation_words")
            and first.is_digit and span.end - span.start == 1 and prev is not None and prev.lower_ == "the"):
        return _name(m)  # "the 82 Airborne", "the 47 Mechanized Brigade": a unit's number, not a count
    if _code_part(doc, span):
        return _name(m)  # "9M723-1", "9-S-7760": a part of a model code joined by hyphens
    if prev is not None:
        if prev.lower_ in _AGE_PRE:
            return replace(m, not_claim=QuantityKind.AGE)
        if prev.lower_ in word_class("month_abbreviations") and first.is_digit and (m.value or 0) <= 31:
            return replace(m, not_claim=QuantityKind.DATE)  # "Oct. 31", "Sept 5"
        if prev.lower_ in word_class("era_marks"):
            return replace(m, not_claim=QuantityKind.YEAR)  # "A.D. 1000"
        if prev.lower_ in word_class("designator_nouns") or prev.text in ("#", "No", "No."):
            return _name(m)  # "Section 427", "Game 7", "category 4"
        if (first.lower_ == "one" and span.end - span.start == 1
                and prev.lower_ in word_class("pronoun_one_determiners")):
            return replace(m, not_claim=QuantityKind.OTHER, is_pronoun=True)  # "each one": a pronoun, not a count
        if _name_word(prev) and (first.is_digit or first.is_title and not first.is_sent_start) and not _glued_unit(
                doc, span.end) and not _to_country(doc, prev, span.end):
            # "Article 5", "S&P 500", "iPhone 11", "ASX 200": a number that is part of a name
            return _name(m)
    if _address(doc, span.end):
        return _name(m)  # "575 Wilbraham Road", "9 E 71st St", "22 Ave Foch": an address
    if m.low is not None and m.low == m.high:
        return replace(m, not_claim=QuantityKind.OTHER, is_score=True)  # "2-2", "89-89": a score, not a range
    if first.is_title and not first.is_sent_start and first.is_alpha:
        return replace(m, not_claim=QuantityKind.OTHER)  # "World War Two", "Group of Seven"
    if first.lower_ in word_class("ordinal_words"):
        return replace(m, not_claim=QuantityKind.ORDINAL)
    if _rank(doc, span, m):
        return replace(m, not_claim=QuantityKind.ORDINAL, is_rank=True)  # "one of the world's 10 largest"
    if re.fullmatch(r"\d+\.\d{2,}b", text):
        return _name(m)  # "802.11b": a standard's name, not 802 billion
    if re.fullmatch(r"[\d,.]+\s*m", text) and (m.value or 0) >= 1e8 and not (
            span.end < len(doc) and lower[span.end] in lexicons.counted_nouns()):
        return replace(m, not_claim=QuantityKind.OTHER)  # "the 1,500m title": metres, not 1.5 billion
    if _glued_unit(doc, span.end):
        # "15kHz", "114bhp", "164p": the unit is what the number measures (a claim only when
        # large, like any other number whose unit is not in the unit table)
        small = m.value is not None and m.value < 1000 or m.high is not None and m.high < 1000
        return replace(m, noun=lower[span.end], unit=lower[span.end], noun_index=span.end,
                       not_claim=QuantityKind.OTHER if small else m.not_claim)
    lead = _word_before(doc, span.start)
    casualty_lead = lead is not None and lead.lower_ in word_class("casualty_verbs")  # "killing at least one"
    noun_i = _counted_noun(doc, span.end)
    if noun_i is not None:
        tok = doc[noun_i]
        cls = NounClass(lexicons.counted_nouns().get(tok.lower_) or (
            "casualty" if tok.lower_ in lexicons.casualty_words() else "thing"))
        if casualty_lead and cls == NounClass.THING:
            cls = NounClass.CASUALTY  # "wounding six others"
        not_claim = m.not_claim
        if cls == NounClass.TIME:
            nxt = doc[noun_i + 1] if noun_i + 1 < len(doc) else None
            not_claim = QuantityKind.AGE if nxt is not None and nxt.lower_ in ("old", "-") else QuantityKind.DURATION
        elif cls == NounClass.AGE:
            not_claim = QuantityKind.AGE
        return replace(m, noun=tok.lower_, noun_index=noun_i, noun_class=cls, unit=tok.lower_, not_claim=not_claim)
    if span.end < len(doc) and orths[span.end] in ("-", "–") and span.end + 1 < len(doc):
        nxt = lower[span.end + 1]
        if nxt in word_class("age_time_units"):
            return replace(m, not_claim=QuantityKind.AGE if "old" in doc[span.end: span.end + 5].text
                           else QuantityKind.DURATION)
    after = [w for w in lower[span.end: span.end + 5] if w not in word_class("casualty_gap_words")]
    casualty = lexicons.casualty_words()
    if after[:1] and after[0] in casualty or after[:2] == ["of", "them"] or after[:2] == ["of", "those"]:
        return replace(m, noun_class=NounClass.CASUALTY if after[0] in casualty else NounClass.OF_THEM)
    if casualty_lead or _toll_before(doc, span.start):
        return replace(m, noun_class=NounClass.CASUALTY)  # "injured four", "the death toll rose to 46"
    elided = span.end < len(doc) and lower[span.end] == "more" or (
        lead is not None and lead.lower_ in ("another", "additional", "further"))
    if elided or lead is not None and lead.text == ":":
        # "sending about 900 more", "Russian troops massed near Kupiansk: about 40,000"
        noun_i = _noun_before(doc, span.start, colon=not elided)
        if noun_i is not None:
            return replace(m, noun=lower[noun_i], noun_class=NounClass(lexicons.counted_nouns()[lower[noun_i]]),
                           elided_noun=orths[noun_i])
    if (m.value is not None and span.start >= 2 and lower[span.start - 1] == "of"
            and lower[span.start - 2] in word_class("margin_nouns")):
        # "a majority of 160": seats or votes
        return replace(m, noun=lower[span.start - 2], noun_class=NounClass.THING, is_margin=True)
    small = m.value is not None and m.value < 1000 and not any(t.lower_ in SCALE_WORDS for t in span)
    if m.value is None and m.high is not None and m.high < 30 or small:
        return replace(m, not_claim=QuantityKind.OTHER)  # "2-1": scores and the like; a small bare number
    return m


def _rank(doc: Doc, span: Span, m: Mention) -> bool:
    """A number that sizes a ranking, not the world: "one of the world's 10 largest", "the three
    biggest banks", "in the top 20". Not a compound: "11 best-selling books", "the 128 worst hit
    schools" count books and schools."""
    if (m.value or 0) >= 1000:
        return False
    nxt = doc[span.end] if span.end < len(doc) else None
    after = lower_of(doc)[span.end + 1] if span.end + 1 < len(doc) else ""
    superlative = nxt is not None and nxt.is_alpha and nxt.is_lower and (
        nxt.lower_ in word_class("irregular_superlatives") or len(nxt) > 5 and nxt.lower_.endswith("est")
        and nxt.lower_ not in word_class("est_words_not_superlative")
    ) and after not in ("-", "hit")  # "11 best-selling books"
    return superlative or span.start > 0 and doc[span.start - 1].lower_ == "top"


def _address(doc: Doc, i: int) -> bool:
    """Whether the words after a number ending at ``i`` are a street name: up to three
    capitalised words or ordinals, then a street word ("Zorro Ranch Road", "E 71st St"), or a
    capitalised street word first ("Ave Foch")."""
    for j in range(i, min(len(doc), i + 4)):
        tok = doc[j]
        if tok.lower_ in word_class("street_words") and (tok.is_title or tok.is_upper) and (
                j > i or j + 1 < len(doc) and doc[j + 1].is_title):
            return j > i or tok.lower_ not in word_class("common_street_words")
        if not (tok.is_title or re.fullmatch(r"\d+(?:st|nd|rd|th)", tok.text)) or tok.is_sent_start:
            return False
    return False


def _glued_unit(doc: Doc, i: int) -> bool:
    """Whether the token at ``i`` is letters glued to the number before it ("640bhp", "15kHz"):
    a unit of measurement, so the number is an amount, not part of a name."""
    return 0 < i < len(doc) and not doc[i - 1].whitespace_ and doc[i].is_alpha and doc[i - 1].like_num


def _name_word(tok: Token) -> bool:
    """A word that can name a thing a number then labels ("Game", "S&P", "iPhone", "ASX"):
    capitals in it, not the first word of a sentence, not a function word."""
    return (not tok.is_sent_start and any(c.isupper() for c in tok.text) and any(c.isalpha() for c in tok.text)
            and tok.lower_ not in word_class("stop_nouns") and tok.lower_ not in word_class("not_name_words"))


def _to_country(doc: Doc, prev: Token, end: int) -> bool:
    """'give Ukraine 12 howitzers', 'sent Russia 1,000 drones': a country before a number of
    known things names the recipient, not a product the number labels ("Sudan 1" the dye is)."""
    entry = lexicons.lookup("actors").get(prev.lower_)
    if entry is None or entry.type not in ("country", "alliance", "bloc") or prev.lower_ != entry.name.lower():
        return False
    noun = _counted_noun(doc, end)
    return noun is not None and lower_of(doc)[noun] in lexicons.counted_nouns()


def _name(m: Mention) -> Mention:
    """``m`` marked as a number that is part of a name or a designator: not a claim, not a quantity."""
    return replace(m, not_claim=QuantityKind.NAME, is_name=True)


def _code_number(doc: Doc, span: Span, text: str) -> bool:
    """A number that is a code, not an amount: a leading zero ("01234567") or digit groups
    run together ("+44 20 7946 0123")."""
    orths = words_of(doc)
    if re.fullmatch(r"0\d+", text):
        return True
    if not re.fullmatch(r"\+?\d+", text):
        return False  # "Two 500-pound bombs": a word is no digit group
    for j in (span.start - 1, span.end):
        if 0 <= j < len(doc) and re.fullmatch(r"\+?\d+", orths[j]) and not (
                j == span.end and j + 1 < len(doc) and orths[j + 1] == "-"):
            return True  # but "1,800 500-pound bombs": the next number is a compound modifier
    return False


_ELIDED_CLASSES = frozenset({"military", "equipment", "person"})


_MODEL_CODE = re.compile(r"(?=.*\d)(?=.*[A-Za-z])[A-Za-z\d]+")
_CODE_TAIL = re.compile(r"[A-Z]{1,3}(?:-[A-Z\d]+)*")


def _code_part(doc: Doc, span: Span) -> bool:
    """A number joined by a hyphen to a code of letters and digits ("9M723-1", "9-S-7760",
    "Kh-101"-style designators whose parts the tokenizer split)."""
    before = span.start >= 2 and doc[span.start - 1].text == "-" and not doc[span.start - 1].whitespace_ and (
        not doc[span.start - 2].whitespace_ and _MODEL_CODE.fullmatch(doc[span.start - 2].text) is not None)
    after = span.end + 1 < len(doc) and doc[span.end].text == "-" and not doc[span.end - 1].whitespace_ and (
        not doc[span.end].whitespace_ and (_CODE_TAIL.fullmatch(doc[span.end + 1].text) is not None
                                           or _MODEL_CODE.fullmatch(doc[span.end + 1].text) is not None))
    return bool(before or after)


def _word_before(doc: Doc, i: int) -> Token | None:
    """The word before a number and its hedge ("killing at least one" -> "killing")."""
    lower = lower_of(doc)
    j = i - 1
    while j >= 0 and lower[j] in word_class("hedge_words") and lower[j] not in ("another", "of", "to"):
        j -= 1
    if j >= 0 and lower[j] in ("another", "to") and j < i - 1:
        return doc[j]
    return doc[j] if j >= 0 else None


def _toll_before(doc: Doc, i: int) -> bool:
    """'the death toll rose to 46', 'bringing the toll to 12': a toll reaching a bare number."""
    lower = lower_of(doc)
    tolls = [k for k in range(max(0, i - 6), i) if lower[k] == "toll"]
    if not tolls:
        return False
    between = doc[tolls[-1] + 1:i + 1]
    return not any(t.like_num or t.is_sent_start for t in between[:-1]) and not between[-1].is_sent_start


def _noun_before(doc: Doc, i: int, colon: bool) -> int | None:
    """The counted noun an elided figure refers to: the nearest person, troop or equipment noun
    before it (in its clause for a headline colon, else within about two sentences)."""
    lower = lower_of(doc)
    orths = words_of(doc)
    nouns = lexicons.counted_nouns()
    lo = max(0, i - (12 if colon else 40))
    for j in range(i - 1, lo - 1, -1):
        if colon and j < i - 3 and orths[j] in (".", ";", "\n"):
            break
        if nouns.get(lower[j]) in _ELIDED_CLASSES and not doc[j - 1].like_num:
            return j
    return None


def _counted_noun(doc: Doc, i: int) -> int | None:
    """Index of the noun counted by a number ending at token ``i``: skip up to four
    modifiers, model names included ("78,000 Russian troops", "24,000 military vehicles",
    "14 Leopard 2 tanks", "six F-16 jets"); None when none follows."""
    lower = lower_of(doc)
    nouns = lexicons.counted_nouns()
    stop = word_class("stop_nouns")
    n = len(doc)
    j = i
    if i + 2 < n and lower[i] == "of" and lower[i + 1] in word_class("partitive_determiners"):
        j = i + 2  # "all six of the reactors"
    elif i + 1 < n and lower[i] in word_class("extra_words"):
        j = i + 1  # "800 more troops"
    elif i + 2 < n and lower[i] == "or" and lower[i + 1] in word_class("or_hedge_words"):
        j = i + 2  # "30 or more children"
    limit = min(n, j + 5)
    while j < limit:
        tok = doc[j]
        low = tok.lower_
        if low in nouns or low in word_class("casualty_head_nouns"):
            # "48 fighter jets", "30 tank brigades": a known plural after it heads the phrase
            # ("job losses" and "aircraft carriers" keep the first: a casualty word, no class)
            nxt = lower[j + 1] if j + 1 < n else ""
            if not _plural(low) and _plural(nxt) and nouns.get(nxt) not in (None, "casualty") and (
                    nxt not in lexicons.casualty_words()):
                return j + 1
            return j
        model = tok.is_title or any(c.isdigit() for c in tok.text) and any(c.isalpha() for c in tok.text)
        if j > i and tok.like_num and doc[j - 1].is_title:
            model = True  # "Leopard 2"
        if tok.like_num and j + 2 < n and doc[j + 1].text == "-" and doc[j + 2].is_alpha and (
                lower[j + 2] not in word_class("age_time_units")):
            j += 3  # "1,800 2,000-pound bombs": the second figure measures each bomb
            limit = min(n, j + 4)
            continue
        if not (tok.is_alpha or model) and low not in _MODIFIER_MARKS or low in stop or tok.is_sent_start:
            break
        if tok.text in ("last", "next"):  # "4.7 million last year": a time adverb, not a modifier ("49 Next stores" is)
            break
        if low in word_class("phrase_end_verbs") and not low.endswith("ed"):
            # "the two organizations put Ukrainian losses at ...": a verb ends the phrase; a
            # participle may still describe the noun ("140,000 confirmed deaths")
            break
        j += 1
    # no known noun: a plain lower-case word right after the number still names what is counted,
    # or the plural that ends its phrase ("300 armoured vehicles", "700 heart transplants")
    if i < n:
        tok = doc[i]
        if (tok.is_alpha and tok.is_lower and tok.lower_ not in stop and tok.text not in ("last", "next")
                and len(tok) > 2):
            return i if _plural(tok.lower_) else _head(doc, i)
    return None


#: Marks inside the modifiers of a counted noun: hyphens and the quotes around a name ('eight "Axis" nations').
_MODIFIER_MARKS = frozenset({"-", '"', "“", "”", "‘", "’", "'"})


def _plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _head(doc: Doc, j: int) -> int:
    """The head of a counted noun phrase: a singular modifier followed by a plural names the
    plural ("48 fighter jets", "3,000 artillery shells"; "six tanks" stays)."""
    lower = lower_of(doc)
    if _plural(lower[j]) or j + 1 >= len(doc):
        return j
    nxt = doc[j + 1]
    low = nxt.lower_
    if nxt.is_alpha and nxt.is_lower and _plural(low) and low not in word_class("stop_nouns") and (
            low not in word_class("casualty_head_nouns")) and (low not in lexicons.casualty_words()) and (
            low not in word_class("phrase_end_verbs")) and not doc[j + 1].is_sent_start:
        return j + 1
    return j
