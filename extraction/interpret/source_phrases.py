"""Turn the words naming a source into a canonical source: a body in the sources gazetteer, a
person (title, name, affiliation), a country or government speaking as a whole, or a
descriptive or anonymous source headed by a source noun ("a senior Western official").

Pure over a processed Doc's spans; returns ``Attribution`` dataclasses, never spaCy objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from extraction.lexicon import lexicons
from extraction.lexicon.lexicons import word_class
from extraction.nlp.spans import lower_of, slice_text, span_text, spans_of, spans_within, words_of


def _document_tail() -> frozenset[str]:
    """What "ISW figures", "Kyiv's latest estimate" end in after their owner."""
    return word_class("document_nouns") | word_class("document_tail_modifiers") | {"'s", "’s"}



@dataclass
class Attribution:
    """A source found in the text: canonical name, type, the words, the cue, token range.

    ``known`` says the name comes from the sources gazetteer; ``anaphoric`` that the words
    ("the ministry", "he") refer back to a source named earlier.
    """

    name: str
    type: str | None
    text: str
    cue: str
    start: int
    end: int
    anaphoric: bool = False
    known: bool = False
    #: the id of the rule that found it (a cue's rule id, ``source.headline_colon``, ...)
    rule: str = ""


_DEBRIS = re.compile(r"\[\[?[ivxlcdm0-9]+\]\]?(\([^)\s]*\)?)?|\(?https?://\S+|<#\S*>\)?")


def clean_text(text: str) -> str:
    """A source's words without page debris: footnote markers and their links
    ("...frontline).[[xxvii]](https://...)"), bare links, markdown emphasis, and with what a
    marker left of an earlier sentence cut off ("border).[[iv]](...) The General Staff" ->
    "The General Staff").

    >>> clean_text("kilometers away).[[iv]](https://example.org/a/<#_e4>) ** The General Staff")
    'The General Staff'
    >>> clean_text("the Coastal Freight Association (CFA")
    'the Coastal Freight Association (CFA)'
    """
    if "[[" in text or "http" in text or "*" in text:
        parts = _DEBRIS.split(text)
        text = parts[-1] if len(parts) > 1 and parts[-1].strip(" .*)") else " ".join(p for p in parts if p)
    text = text.strip().lstrip("*•·#>-– ").rstrip(" ,;:").strip()
    return text + ")" * (text.count("(") - text.count(")"))  # "the Freight Association (FA" ends its bracket


def spans_in(doc: Doc, key: str, region: Span) -> list[Span]:
    """The spans of ``doc.spans[key]`` that lie inside ``region``."""
    return spans_within(doc, key, region.start, region.end)


def is_pronoun(span: Span) -> bool:
    return len(span) == 1 and span[0].lower_ in word_class("subject_pronouns")


def resolve(phrase: Span, cue: str, verb: bool = False) -> Attribution | None:
    """The source a phrase names, or None when it names nobody.

    ``verb`` is true when the phrase is the subject or object of a reporting verb: then a lone
    capitalised word that names no place or body is taken as a surname ("Zelensky said").
    """
    doc = phrase.doc
    lower = lower_of(doc)
    first = phrase[0].lower_
    text = span_text(phrase)
    agent = _document_agent(phrase)
    stripped = agent if agent is not None and _names_owner(agent) else strip_document(phrase)
    documentary = stripped is not None and len(stripped) and len(stripped) < len(phrase)
    if stripped is not None and len(stripped):
        phrase = stripped  # else the phrase is only a document: "the draft budget", "exit polls"
        if phrase.start > 1 and lower[phrase.start - 1] == "of" and \
                lower[phrase.start - 2] in word_class("document_nouns"):
            # "the forecasts of Western intelligence": the source is what the document is of
            first, text = phrase[0].lower_, span_text(phrase)
    if is_pronoun(phrase):
        return Attribution("", None, text, cue, phrase.start, phrase.end, anaphoric=True)
    owner = _possessive_owner(phrase)
    if owner is not None:  # "the final instalment of his review", "their latest survey": whoever "his" is
        return Attribution("", None, owner.text, cue, owner.i, owner.i + 1, anaphoric=True)
    if phrase[-1].lower_ in lexicons.word_class("evidence_nouns") and not spans_in(doc, "sources", phrase):
        return None  # "geolocated footage shows", "available open source evidence indicates"
    nouns = lexicons.source_nouns()
    known = spans_in(doc, "sources", phrase)
    head = head_noun(phrase, nouns)
    person = person_name(phrase, single=verb)
    core = [t for t in phrase if t.lower_ not in ("the", "a", "an")]
    if person is None and verb and not known and len(core) == 1 and core[0].is_upper and core[0].is_alpha \
            and 2 <= len(core[0]) <= 6:
        # "IDS said", "the MDA says": an acronym the gazetteer does not know names a body
        return Attribution(core[0].text, "other", text, cue, phrase.start, phrase.end)
    if person is not None:
        body = _body_title(phrase, person)
        if body is not None:  # "mobile firm Intervoice", "the news agency Interfax": a body, not a person
            return Attribution(person, body, text, cue, phrase.start, phrase.end)
        if documentary and " " not in person:  # "the latest Herald poll": a one-word owner of a document
            return Attribution(person, "other", text, cue, phrase.start, phrase.end)
        return Attribution(person, "person", text, cue, phrase.start, phrase.end)
    if known:
        # "Ukrainian military outlet Militarnyi": a body named before a source noun only modifies it
        heads = [k for k in known if not (k.end < phrase.end and doc[k.end].is_lower and lower[k.end] in nouns)]
        s = (heads or known)[0]
        return Attribution(s.label_, s.id_ or None, text, cue, phrase.start, phrase.end, known=True)
    if head is not None and first in word_class("anaphoric_determiners") and len(phrase) <= 4:
        # "The source", "the think tank", "the two organisations": the source named before
        return Attribution(text, nouns[head[0]][0] or None, text, cue, phrase.start, phrase.end,
                           anaphoric=True)
    if head is not None and not any(t.like_num or t.is_currency for t in phrase):
        stype, _ = nouns[head[0]]
        if stype == "person" and head[0] in lexicons.source_noun_plurals():
            stype = "other"  # "doctors", "experts", "analysts": people, not a person
        end = min(phrase.end, head[1].i + 1)
        if end < phrase.end and lower[end] in word_class("noun_extenders"):
            end = min(phrase.end, end + 5)  # "a senior military source from Kyiv"
        start = phrase.start + (phrase[0].lower_ in ("a", "an", "the"))
        if end - start > 9:
            return None
        return Attribution(slice_text(doc, start, end), stype or None, text, cue, phrase.start, phrase.end)
    actors = spans_in(doc, "actors", phrase)
    nominal = [a for a in actors if (low := span_text(a).lower()) == a.label_.lower() or not low.endswith(
        tuple(word_class("demonym_endings")))]
    if nominal and len(phrase) <= 3:
        a = nominal[0]
        return Attribution(a.label_, "government", text, cue, phrase.start, phrase.end)
    return None


def _body_title(phrase: Span, name: str) -> str | None:
    """The type of the body a name is given as ("firm Intervoice" -> company, "newspaper Kommersant"
    -> media): the source noun just before the name, when it can only refer to bodies."""
    first = name.split()[0]
    words = words_of(phrase.doc)[phrase.start:phrase.end]
    k = words.index(first) if first in words else None
    if k is None or k == 0:
        return None
    prev = lower_of(phrase.doc)[phrase.start + k - 1]
    refers = lexicons.source_noun_refers().get(prev)
    if refers is None or "person" in refers or "*" in refers:
        return None
    kinds = [r for r in refers if r != "body"]
    return kinds[0] if 0 < len(kinds) <= 2 else "other"


def _possessive_owner(phrase: Span) -> Token | None:
    """The possessive pronoun that owns a document in the phrase ("his year-long review", "her
    report", "their survey"), or None."""
    lower = lower_of(phrase.doc)
    for i in range(phrase.start, phrase.end):
        if lower[i] in ("his", "her", "their") and any(
                x in word_class("document_nouns") for x in lower[i + 1:min(i + 5, phrase.end)]):
            return phrase.doc[i]
    return None


def _document_agent(phrase: Span) -> Span | None:
    """Who made a survey, poll or study the phrase names: "a new survey of 1,200 voters by Delta
    Research for the Courier" -> "Delta Research" (after "by", before "for": the outlet that
    commissions a poll is not who polled); None when the phrase has no document and "by"."""
    lower = lower_of(phrase.doc)[phrase.start:phrase.end]
    if "by" not in lower or word_class("document_nouns").isdisjoint(lower):
        return None
    k = lower.index("by") + 1
    end = k
    toks = phrase
    while end < len(lower) and lower[end] not in (",", "which", "that", "who"):
        if lower[end] == "for" and end + 1 < len(lower) and lower[end + 1] in ("the", "a", "an"):
            break  # "... for the Courier": the outlet that commissioned it
        if lower[end] in word_class("sample_prepositions") and end + 1 < len(lower) and not (
                toks[end + 1].is_title or lower[end + 1] == "the" and end + 2 < len(lower) and toks[end + 2].is_title):
            break  # "by Ipsos of 1,000 adults", "by YouGov among voters"; not "Ministry of the Interior"
        end += 1
    return phrase[k:end] if end > k else None


def strip_document(phrase: Span) -> Span | None:
    """'estimates published by the Ukrainian military' -> 'the Ukrainian military';
    'ISW figures', 'A BBC analysis', "Kyiv's latest estimate" keep the owner only."""
    doc = phrase.doc
    for cue in spans_in(doc, "cues", phrase):
        if cue.label_ == "after" and cue.end < phrase.end:
            return doc[cue.end:phrase.end]
    lowers = lower_of(doc)[phrase.start:phrase.end]
    start, end = 0, len(lowers)
    while end > start and lowers[end - 1] in _document_tail():
        end -= 1
    if all(low in word_class("document_lead_words") for low in lowers[start:end]):
        return None
    first = phrase.start
    if end < len(lowers) and not _names_owner(doc[first:first + end]):
        return None  # "Exit polls", "Preliminary data": the document is all there is
    while lowers[start] in word_class("document_lead_words"):
        start += 1
    if end - start > 2 and lowers[start] in word_class("document_nouns") and lowers[start + 1] == "of":
        start += 2  # "the forecasts of Western intelligence"
        while start < end and lowers[start] in word_class("document_lead_words"):
            start += 1
    return doc[first + start:first + end]


def _names_owner(span: Span) -> bool:
    """True when what is left of "X figures" names X: a gazetteer entry, a source noun, or a
    capitalised word inside the sentence."""
    doc = span.doc
    if any(spans_of(doc, k) and spans_in(doc, k, span) for k in ("sources", "actors", "places")):
        return True
    nouns = lexicons.source_nouns()
    leading = word_class("document_lead_words")
    return any(t.lower_ in nouns or t.is_title and not t.is_sent_start and t.lower_ not in leading for t in span)


def head_noun(phrase: Span, nouns: dict[str, tuple[str, str]]) -> tuple[str, Token] | None:
    """The source noun heading the phrase, as (its lower-case form, its last token): "officials",
    "a senior military source", "the think tank"; when none comes before a preposition, the one
    after "of" ("the head of the regional administration")."""
    doc = phrase.doc
    lower = lower_of(doc)
    i = phrase.start
    found: tuple[str, Token] | None = None
    while i < phrase.end:
        for n in (3, 2, 1):  # "member of parliament", "think tank", "officials"
            if i + n > phrase.end:
                continue
            key = slice_text(doc, i, i + n).lower()
            if key in nouns:
                found = (key, doc[i + n - 1])
                i += n
                break
        else:
            if found is not None:
                return found
            low = lower[i]
            if low in word_class("noun_extenders") and i > phrase.start and low != "of":
                return None
            i += 1
    return found


def person_name(phrase: Span, single: bool = False) -> str | None:
    """A personal name in the phrase, without its titles: the last run of 1-4 capitalised words
    that names no place, actor or body ("Ukraine's top commander Oleksandr Syrskyi" ->
    "Oleksandr Syrskyi"). One word is a name after a title ("Mr Peskov", "spokesman Peskov"),
    or, with ``single``, when it is the whole phrase ("Zelensky said")."""
    toks = [t for t in phrase if t.lower_ not in ("a", "an", "the")] or list(phrase)
    doc = phrase.doc
    nouns = lexicons.source_nouns()
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and (_namelike(toks[j]) or j > i and toks[j].text == "-"):
            j += 1
        if j > i:
            runs.append((i, j))
            i = j
        else:
            i += 1
    for i, j in reversed(runs):
        titled = i > 0 and _is_title(toks[i - 1], nouns)
        k = i
        for x in range(i, j):
            if _is_title(toks[x], nouns):
                k, titled = x + 1, True
        name = toks[k:j]
        if not name or len(name) > 4 or _gazetteer_at(doc, name[0].i, name[-1].i + 1):
            continue
        if len(name) == 1 and not titled:
            tok = name[0]
            if not (single and len(toks) == 1 and not tok.is_stop and len(tok) > 2):
                continue
        return " ".join(t.text for t in name)
    return None


def _is_title(tok: Token, nouns: dict[str, tuple[str, str]]) -> bool:
    low = tok.lower_.rstrip(".")
    return low in word_class("person_titles") or low in nouns


def _namelike(tok: Token) -> bool:
    text = tok.text
    if "’" in text or "'" in text:  # O'Sullivan, O’Sullivan
        parts = text.replace("’", "'").split("'")
        return len(parts) == 2 and all(p[:1].isupper() for p in parts if p) and text[:1].isupper()
    return tok.is_title and not tok.is_stop and (tok.is_alpha or "-" in text and text.replace("-", "").isalpha())


def _gazetteer_at(doc: Doc, start: int, end: int) -> bool:
    """True when the words are (part of) a place, actor or named body, not a person. A leader
    who is also a metonym of their country ("Putin ordered ..." -> Russia) is still a person
    when they say something: "Zelensky said", "Ukrainian President Volodymyr Zelensky said"."""
    for key in ("places", "actors", "sources"):
        for s in spans_of(doc, key):
            if s.start < end and s.end > start and not (key == "actors" and _person_metonym(s)):
                return True
    return False



def _person_metonym(span: Span) -> bool:
    """A leader named as an actor alias: "Zelensky", "Vladimir Putin"."""
    return span_text(span).lower() in lexicons.leader_names()


def looks_like_source(phrase: Span) -> bool:
    """True when a phrase after a verb names someone ("..., said Ukraine's defence minister")."""
    doc = phrase.doc
    if spans_in(doc, "sources", phrase):
        return True
    nouns = lexicons.source_nouns()
    if any(t.lower_ in nouns for t in phrase[:6]):
        return True
    return person_name(phrase, single=True) is not None
