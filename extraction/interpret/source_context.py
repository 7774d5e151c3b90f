"""Sources across sentences: resolve "the ministry", "the pollster", "he" to the body or person
named before them, and pick the source of each mention from its sentence, the sentences before
it in its paragraph, or a source line that follows it ("Source: ...", "..., the agency added").

Pure over plain ``Attribution`` objects and the ``sources`` spans of a Doc.

>>> sorted(noun_referents()["pollster"])
['pollster']
"""

from __future__ import annotations

import bisect
import csv
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.tokens import Doc

from extraction.interpret.attribution import Attribution
from extraction.interpret.org_sources import org_frame
from extraction.interpret.source_phrases import clean_text
from extraction.lexicon.lexicons import DATA, word_class
from extraction.nlp.spans import (
    is_space_of,
    lower_of,
    positions_of,
    space_after_of,
    span_text,
    spans_of,
    word_hashes,
    words_of,
)
from models.vocab import SourceType

#: What a pronoun subject of a reporting verb can refer back to (None: anything).
_PRONOUN_REFERENTS: dict[str, frozenset[str] | None] = {
    "he": frozenset({"person"}), "she": frozenset({"person"}), "it": None, "they": None, "we": None,
    "his": frozenset({"person"}), "her": frozenset({"person"}), "their": None,
}
#: "the organisation", "the group": any body, not a person.
_BODIES = frozenset(t.value for t in SourceType if t not in (SourceType.PERSON, SourceType.ANONYMOUS))
#: Cues that introduce a line naming the source of what came just before it.
_TRAILING_CUES = frozenset({"label"})


@dataclass
class SentenceSources:
    """The attributions of one sentence and the paragraph it belongs to."""

    para: int
    start: int
    end: int
    atts: list[Attribution]
    #: the sentence quotes someone ("...," he said; “...”): a document's frame ends at it
    quotes: bool = False
    #: the sentence ends in a colon: what follows is a list of its source's figures
    colon: bool = False
    #: the sentence holds a claim's figure
    figures: bool = False


@lru_cache(maxsize=1)
def noun_referents() -> dict[str, frozenset[str] | None]:
    """Lower-case source noun (singular and plural) -> the source types a definite "the <noun>"
    can refer back to (``refers_to`` in ``gazetteers/source_nouns.tsv``); None means any type."""
    out: dict[str, frozenset[str] | None] = {}
    with open(DATA / "gazetteers" / "source_nouns.tsv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            spec = (r.get("refers_to") or "*").split("|")
            kinds: set[str] = set()
            for k in spec:
                kinds |= _BODIES if k == "body" else {k} if k and k != "*" else set()
            wanted = None if "*" in spec or not kinds else frozenset(kinds)
            for form in (r["noun"], r.get("plural") or ""):
                if form:
                    out[form.lower()] = wanted
    return out


def _wanted(att: Attribution) -> frozenset[str] | None:
    words = att.text.lower().split()
    if len(words) == 1 and words[0] in _PRONOUN_REFERENTS:
        return _PRONOUN_REFERENTS[words[0]]
    table = noun_referents()
    for n in (3, 2, 1):  # the head is the last words of "the think tank", "the news agency"
        key = " ".join(words[-n:])
        if key in table:
            return table[key]
    return None


def resolve_anaphora(doc: Doc, sentences: list[SentenceSources]) -> None:
    """Give every anaphoric attribution the name and type of what it refers to, in place.

    A pronoun takes the latest concrete attribution (a person for "he"/"she"); a definite
    description ("the ministry", "the pollster") takes the latest attribution or named source
    in the text before it whose type fits the noun. Unresolved descriptions keep their words
    as the name ("the think tank" with nothing before it); unresolved pronouns are dropped.
    """
    named = [Attribution(s.label_, s.id_ or None, span_text(s), "", s.start, s.end)
             for s in spans_of(doc, "sources") if not _object_of_preposition(doc, s.start)]
    history: list[Attribution] = []
    for s in sentences:
        for a in s.atts:
            if not a.anaphoric:
                history.append(a)
                continue
            ref = _referent(a, history, named)
            if ref is not None:
                a.name, a.type = ref.name, ref.type
                a.rule = f"{a.rule}.anaphor" if a.rule else "source.anaphor"
                a.text = f"{a.text} ({_innermost(clean_text(ref.text))})"
                a.anaphoric = False
                history.append(a)
            elif a.name:
                a.anaphoric = False  # "the think tank" with nothing before it: keep the description
        s.atts = [a for a in s.atts if not a.anaphoric]


def _innermost(text: str) -> str:
    """'It (the US Pew Research Center)' -> 'the US Pew Research Center': an anaphor's text names
    what it refers to once, never a chain of the anaphors in between."""
    while text.endswith(")") and " (" in text:
        text = text[text.index(" (") + 2:-1]
    return text


def _object_of_preposition(doc: Doc, i: int) -> bool:
    """'investors in Google', 'a stake of search engine Google': a body named as the object of a
    preposition is not what "the company" or "the ministry" later refers back to ("by" and
    "from" name an agent or an origin, which can be; so does "according to")."""
    lower = lower_of(doc)
    j = i - 1
    while j >= 0 and j >= i - 3 and doc[j].is_alpha and lower[j] not in word_class("object_prepositions"):
        j -= 1  # "of search engine Google", "in the state-run Gazprom"
    if j < 0 or lower[j] not in word_class("object_prepositions"):
        return False
    return not (lower[j] == "to" and j > 0 and lower[j - 1] == "according")


def _referent(a: Attribution, history: list[Attribution], named: list[Attribution]) -> Attribution | None:
    wanted = _wanted(a)
    pronoun = a.text.lower() in _PRONOUN_REFERENTS
    before = [h for h in history if h.start < a.start]
    if pronoun:  # "he" and "his" refer to a person, never to the ministry before them
        fits = [h for h in before if wanted is None or h.type in wanted]
        return fits[-1] if fits else None
    pool = sorted([*before, *(n for n in named if n.end <= a.start)], key=lambda h: h.start)
    fits = [h for h in pool if h.name and (wanted is None or h.type in wanted)]
    return fits[-1] if fits else None


def source_of(start: int, sentences: list[SentenceSources], si: int) -> tuple[Attribution | None, str]:
    """The attribution that covers a mention at token ``start`` in sentence ``si``, and the id of
    the rule that carried it to the mention.

    Its own sentence first (the nearest cue: the cue's rule), then the latest attribution earlier
    in the same paragraph (``source.frame.paragraph``), then a following sentence of the paragraph
    that only names a source ("Source: KIIS") or goes on quoting the same source ("..., the agency
    added": ``source.trailing``).
    """
    here = sentences[si]
    if here.atts:
        att = min(here.atts, key=lambda a: abs(a.start - start))
        return att, att.rule or "source.sentence"
    for j in range(si - 1, -1, -1):
        if sentences[j].para != here.para:
            break
        if sentences[j].atts:
            return sentences[j].atts[-1], "source.frame.paragraph"
    if si + 1 < len(sentences) and sentences[si + 1].para == here.para and sentences[si + 1].atts:
        nxt = sentences[si + 1].atts[0]
        if nxt.cue in _TRAILING_CUES or "(" in nxt.text:
            return nxt, "source.trailing"
    return frame_of(sentences, si)


#: How many paragraphs a document's frame reaches past the one that names it.
FRAME_PARAGRAPHS = 3


def frame_of(sentences: list[SentenceSources], si: int) -> tuple[Attribution | None, str]:
    """The source that frames sentence ``si`` from an earlier paragraph, and the rule id.

    News names the source of a survey, a poll, an analysis or a report once and then gives its
    figures over several paragraphs ("A new survey ... finds" ... "Among women, 58 percent"), and
    lists a source's figures after a colon ("According to the General Staff: 1,260 troops, ...").
    The latest attribution before the sentence, within ``FRAME_PARAGRAPHS`` paragraphs, frames it
    when it is such a document (``frame_nouns``, a pollster: ``source.frame.document``) or ends in
    a colon (``source.frame.list``). Another attribution in between ends the frame (it is the
    latest), and so do a sentence that quotes someone and a paragraph without figures (the
    breakdown is over).
    """
    here = sentences[si]
    counted = {here.para}
    for j in range(si - 1, -1, -1):
        prev = sentences[j]
        if here.para - prev.para > FRAME_PARAGRAPHS:
            break
        if prev.para not in counted:
            if not any(s.figures for s in sentences[:j + 1] if s.para == prev.para) and not prev.atts:
                break  # a paragraph without figures: the breakdown is over, the topic has moved on
            counted.add(prev.para)
        if prev.atts:
            att = prev.atts[-1]
            if prev.colon and prev.end - att.end <= 2:
                return att, "source.frame.list"
            if org_frame(att):  # a company's own results, a body's report (org_sources)
                return att, "source.org.frame"
            if _document_frame(att):
                return att, "source.frame.document"
            return None, "source.none"
        if prev.quotes:
            break
    return None, "source.none"


#: Fewest words inside quotation marks that make them speech; fewer are a name or a scare quote
#: ('graded C (“Scaling Back”)', 'eight "Axis" nations').
SPEECH_WORDS = 4


def quotes_speech(doc: Doc, lo: int, hi: int) -> bool:
    """Tokens ``lo:hi`` (a sentence) quote someone: a stretch of at least ``SPEECH_WORDS`` words
    inside quotation marks, or the end of a quotation opened in an earlier sentence. A straight
    quote mark closes when it follows a token without a space.

    Reads only the quotation marks of the sentence (``_quote_marks``) and the words between them.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> quotes_speech(nlp('The firms graded "Scaling Back" were counted.'), 0, 9)
    False
    >>> quotes_speech(nlp('"We will hold the line," he said.'), 0, 11)
    True
    """
    at = _quote_marks(doc)
    k = bisect.bisect_left(at, lo)
    if k == len(at) or at[k] >= hi:
        return False  # no quotation mark: most sentences
    words, space_after, is_space = words_of(doc), space_after_of(doc), is_space_of(doc)
    opened: int | None = None
    for i in at[k:bisect.bisect_left(at, hi, k)]:
        w = words[i]
        glued = i > lo and not space_after[i - 1] and not is_space[i - 1]
        closing = w in ("”", "»") or w == '"' and (glued or opened is not None and i + 1 < hi
                                                   and space_after[i])
        if closing:
            if opened is None or _speech(words, opened + 1, i):
                return True  # the end of a quotation begun earlier, or a long one
            opened = None
        else:
            opened = i
    return opened is not None and _speech(words, opened + 1, hi)


def _speech(words: list[str], lo: int, hi: int) -> bool:
    """At least ``SPEECH_WORDS`` words (tokens that start with a letter or a digit) in ``lo:hi``."""
    count = 0
    for i in range(lo, hi):
        if words[i][:1].isalnum():
            count += 1
            if count >= SPEECH_WORDS:
                return True
    return False


def sentence_quotes(doc: Doc, bounds: list[int]) -> list[bool]:
    """``quotes_speech`` of each sentence ``bounds[k]:bounds[k + 1]``, reading only the
    sentences that hold a quotation mark."""
    out = [False] * (len(bounds) - 1)
    for k in sorted({bisect.bisect_right(bounds, i) - 1 for i in _quote_marks(doc)}):
        if 0 <= k < len(out):
            out[k] = quotes_speech(doc, bounds[k], bounds[k + 1])
    return out


_QUOTE_MARKS = "claims.quote_marks"


def _quote_marks(doc: Doc) -> list[int]:
    """The tokens of ``doc`` that are quotation marks, kept in ``doc.user_data``."""
    found = doc.user_data.get(_QUOTE_MARKS)
    if found is None:
        found = positions_of(doc, _mark_hashes())
        doc.user_data[_QUOTE_MARKS] = found
    return found


@lru_cache(maxsize=1)
def _mark_hashes() -> np.ndarray:
    return word_hashes(word_class("quote_marks"))


def _document_frame(att: Attribution) -> bool:
    """A poll, survey, analysis or report (its words hold a frame noun), a pollster, or the
    writers' own research ("our analysis", "we counted")."""
    nouns = word_class("frame_nouns")
    if att.cue == "author_voice":
        return True  # the writers' own research holds like their report
    if att.type == "pollster":
        return True
    words: list[str] = []
    for w in att.text.lower().split():
        if att.type == "person" and (w in word_class("noun_extenders") or words and words[-1].endswith(",")):
            break  # a person's affiliation is no document: "Ana Ruiz, an analyst at research firm X"
        words.append(w)
    return any(w.strip(".,;:()'’") in nouns for w in words)
