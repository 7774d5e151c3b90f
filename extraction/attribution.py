"""Who a figure is attributed to: attribution cues, the source phrase they govern, and
canonical sources, carried across sentences of a paragraph the way a careful reader would.

Works on a processed Doc (cues, sources, actors spans) and returns plain dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from extraction import lexicons

_BOUNDARY = frozenset({",", ";", ":", "(", ")", '"', "“", "”", ".", "!", "?", "—", "–"})
_CLAUSE_WORDS = frozenset({"that", "which", "who", "whom", "whose", "while", "when", "where", "as",
                           "because", "but", "although", "though", "if", "and", "or", "since"})
_SKIP_BEFORE_VERB = frozenset({"also", "has", "have", "had", "previously", "recently", "earlier",
                               "later", "separately", "further", "now", "then", "reportedly",
                               "independently", "publicly", "officially", "repeatedly", "once",
                               "again", "last", "will", "would", "could", "may", "might", "not", "did",
                               "does", "do", "is", "are", "was", "were", "been", "being"})
_PRONOUNS = frozenset({"he", "she", "they", "it", "we"})
_TITLES = frozenset({"dr", "dr.", "prof", "prof.", "professor", "col", "col.", "colonel", "gen",
                     "gen.", "general", "lt", "maj", "major", "capt", "captain", "adm", "admiral",
                     "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "president", "minister", "governor",
                     "mayor", "senator", "sen.", "rep.", "ambassador", "commander", "chancellor",
                     "secretary", "spokesman", "spokeswoman", "spokesperson", "sir", "lord", "lady"})
_OUTLET_OBJECT_VERBS = frozenset({"told", "tells", "tell"})
_DOCUMENT_NOUNS = frozenset({"analysis", "analyses", "data", "figures", "figure", "estimates",
                             "estimate", "report", "reports", "survey", "poll", "study", "assessment",
                             "tally", "count", "research", "statistics", "numbers", "calculations",
                             "update", "map", "maps", "review", "investigation", "footage"})


@dataclass
class Attribution:
    """A source found in the text: canonical name, type, the words, the cue, token range."""

    name: str
    type: str | None
    text: str
    cue: str
    start: int
    end: int
    anaphoric: bool = False


def attributions_in_sentence(sent: Span) -> list[Attribution]:
    """Every cue-governed source in one sentence, in text order (anaphors unresolved)."""
    doc = sent.doc
    out: list[Attribution] = []
    cues = _spans_in(doc, "cues", sent)
    for cue in cues:
        if cue.label_ == "verb" and _noun_use(cue, cues):
            continue
        apposition = None
        if cue.label_ == "after":
            phrase = _phrase_after(doc, cue.end, sent.end)
        else:
            phrase, apposition = _subject_before(doc, cue.start, sent.start)
            if phrase is None or _is_pronoun(phrase) and cue.text.lower() not in _OUTLET_OBJECT_VERBS:
                after = _phrase_after(doc, cue.end, sent.end)
                if after is not None and _looks_like_source(after) and (
                    phrase is None or not _is_pronoun(phrase)
                ):
                    phrase = after
        att = resolve(phrase, cue) if phrase is not None else None
        if apposition is not None and att is not None:
            att = _with_apposition(att, apposition)
        if cue.label_ == "verb" and (att is None or att.anaphoric and att.text.lower() in ("it", "they")):
            # "CSIS, a think tank that ..., in January put ..."; "Russia said it had ..."
            att = _known_before(sent, cue, actors=att is not None) or att
        if att is not None:
            out.append(att)
    return out


def _with_apposition(att: Attribution, apposition: Span) -> Attribution:
    """'Dr Jane Doe, an analyst at King's College London': the person keeps the affiliation in
    the text; 'The source, part of Ukraine's General Staff': a named body in the apposition names
    an anonymous or descriptive source."""
    doc = apposition.doc
    text = doc[att.start:apposition.end].text
    known = _spans_in(doc, "sources", apposition)
    if known and (att.anaphoric or att.type not in ("person",)):
        k = known[0]
        return Attribution(k.label_, _source_type(k.id_), text, att.cue, att.start, apposition.end)
    return Attribution(att.name, att.type, text, att.cue, att.start, apposition.end, att.anaphoric)


def _noun_use(cue: Span, cues: list[Span]) -> bool:
    """'estimates' in 'according to estimates published by': a noun, not a reporting verb."""
    doc = cue.doc
    if cue.start > 0 and doc[cue.start - 1].lower_ in _DETERMINERS:
        return True
    if cue.end < len(doc) and doc[cue.end].lower_ in ("of", "on", "about"):
        return True  # "reports of troop movements"
    return any(c.label_ == "after" and c.end <= cue.start <= c.end + 1 for c in cues)


_DETERMINERS = frozenset({"to", "the", "a", "an", "of", "new", "latest", "these", "those", "its", "their",
                          "his", "her", "our", "by", "from", "official", "recent", "on", "in", "with", "for",
                          "and", "unconfirmed", "independently", "not", "un"})


def _known_before(sent: Span, cue: Span, actors: bool = False) -> Attribution | None:
    """The nearest named source (or, for 'it', actor) before a reporting verb in its sentence."""
    doc = sent.doc
    window = doc[sent.start:cue.start]
    known = _spans_in(doc, "sources", window)
    if known:
        s = known[-1]
        return Attribution(s.label_, _source_type(s.id_), s.text, cue.text, s.start, s.end)
    if not actors:
        return None
    actors = [a for a in _spans_in(doc, "actors", window) if a.start == sent.start or
              doc[a.start - 1].lower_ not in ("in", "of", "into", "inside", "from", "against")]
    if actors and cue.start - actors[-1].end <= 12:
        a = actors[-1]
        return Attribution(a.label_, "government", a.text, cue.text, a.start, a.end)
    return None


def resolve(phrase: Span, cue: Span) -> Attribution | None:
    """Turn a source phrase into an Attribution: a known source, an actor, a person or a
    descriptive source ("a senior military source from Kyiv"); None when it names nobody."""
    doc = phrase.doc
    first = phrase[0].lower_
    phrase = _strip_document(phrase)
    if phrase is None or not len(phrase):
        return None
    text = phrase.text
    if _is_pronoun(phrase):
        return Attribution("", None, text, cue.text, phrase.start, phrase.end, anaphoric=True)
    known = _spans_in(doc, "sources", phrase)
    if known:
        s = known[0]
        return Attribution(s.label_, _source_type(s.id_), text, cue.text, phrase.start, phrase.end)
    nouns = lexicons.source_nouns()
    head = _head_noun(phrase, nouns)
    if head is not None and first in ("the", "this", "that", "both") and len(phrase) <= 4:
        # "The source", "the think tank", "the news digest": the source named before
        return Attribution(text, nouns[head.lower_][0] or None, text, cue.text, phrase.start, phrase.end,
                           anaphoric=True)
    person = _person_name(phrase)
    if person is not None:
        return Attribution(person, "person", text, cue.text, phrase.start, phrase.end)
    actors = _spans_in(doc, "actors", phrase)
    if head is not None and not any(t.like_num or t.is_currency for t in phrase):
        stype, _ = nouns[head.lower_]
        end = min(phrase.end, head.i + 1)
        if end < phrase.end and doc[end].lower_ in ("of", "from", "at", "in", "for"):
            end = min(phrase.end, end + 4)  # "a senior military source from Kyiv"
        start = phrase.start + (phrase[0].lower_ in ("a", "an", "the"))
        name = doc[start:end].text
        if len(doc[start:end]) > 8:
            return None
        return Attribution(name, stype or None, text, cue.text, phrase.start, phrase.end)
    nominal = [a for a in actors if a.text.lower() == a.label_.lower() or not a.text.lower().endswith(
        ("ian", "ians", "an", "ans", "ese", "ish", "i", "is"))]
    if nominal and len(phrase) <= 3:
        a = nominal[0]
        return Attribution(a.label_, "government", text, cue.text, phrase.start, phrase.end)
    return None


def _spans_in(doc: Doc, key: str, region: Span) -> list[Span]:
    return [s for s in doc.spans.get(key, []) if s.start >= region.start and s.end <= region.end]


def _source_type(gaz_type: str) -> str | None:
    return gaz_type or None


def _is_pronoun(span: Span) -> bool:
    return len(span) == 1 and span[0].lower_ in _PRONOUNS


def _phrase_after(doc: Doc, i: int, limit: int) -> Span | None:
    """The noun phrase after a cue: up to a clause boundary, keeping "of/for/the/from X" inside."""
    j = i
    while j < limit and doc[j].lower_ in ("the", "a", "an") and j + 1 < limit and doc[j + 1].is_punct:
        j += 1
    start = j
    while j < limit:
        tok = doc[j]
        if tok.text in _BOUNDARY and not (tok.text == "(" and _is_acronym_paren(doc, j, limit)):
            break
        if tok.lower_ in _CLAUSE_WORDS and j > start:
            break
        if j > start and tok.is_lower and tok.lower_ in _VERBISH:
            break
        j += 1
        if j - start > 14:
            break
    if j > start and doc[j - 1].text == "(":
        j -= 1
    return doc[start:j] if j > start else None


def _is_acronym_paren(doc: Doc, j: int, limit: int) -> bool:
    return j + 2 < limit and doc[j + 2].text == ")" and doc[j + 1].is_upper


_VERBISH = frozenset({"said", "says", "is", "are", "was", "were", "has", "have", "had", "will", "would",
                      "could", "shows", "showed", "show", "estimated", "estimates", "reported",
                      "reports", "found", "suggests", "suggested", "reveals", "revealed", "noted",
                      "told", "added", "concluded", "confirmed", "put", "puts", "claimed", "stated"})


def _subject_before(doc: Doc, i: int, limit: int) -> tuple[Span | None, Span | None]:
    """The subject of a reporting verb at token ``i``: skip auxiliaries and adverbs, then an
    appositive between commas ("Dr Jane Doe, an analyst at X, said"), then take the phrase."""
    j = i - 1
    while j >= limit and doc[j].lower_ in _SKIP_BEFORE_VERB:
        j -= 1
    if j < limit:
        return None, None
    end = j + 1
    apposition = None
    if doc[j].text == ",":
        # appositive: "X, a defence researcher at Y, told": the phrase is X (Y stays in the text)
        k = j - 1
        while k >= limit and doc[k].text not in (",", ".", ";", ":"):
            k -= 1
        if k >= limit and doc[k].text == "," and k > limit:
            apposition = doc[k + 1:j]
            end = k
            j = k - 1
        else:
            return None, None
    k = j
    while k >= limit:
        tok = doc[k]
        if tok.text in _BOUNDARY and tok.text not in (")",) or (tok.lower_ in _CLAUSE_WORDS and k < j):
            break
        if k < j - 12:
            break
        k -= 1
    start = k + 1
    if start >= end:
        return None, None
    return doc[start:end], apposition


def _strip_document(phrase: Span) -> Span | None:
    """'estimates published by the Ukrainian military' -> 'the Ukrainian military';
    'ISW figures' / 'A BBC analysis' keep the owner and drop the document noun."""
    doc = phrase.doc
    for cue in _spans_in(doc, "cues", phrase):
        if cue.label_ == "after" and cue.end < phrase.end:
            return doc[cue.end:phrase.end]
    toks = list(phrase)
    while toks and toks[-1].lower_ in _DOCUMENT_NOUNS | {"'s", "’s", "new", "latest", "recent"}:
        toks.pop()
    while toks and toks[0].lower_ in ("a", "an", "the", "new", "latest", "recent", "official"):
        toks.pop(0)
    if not toks:
        return None
    return doc[toks[0].i: toks[-1].i + 1]


def _head_noun(phrase: Span, nouns: dict[str, tuple[str, str]]) -> Token | None:
    """The generic source noun heading the phrase ("officials", "a senior military source")."""
    for tok in phrase:
        if tok.lower_ in ("from", "of", "in", "at", "with", "for"):
            break
        if tok.lower_ in nouns:
            head = tok
            nxt = tok.i + 1
            while nxt < phrase.end and phrase.doc[nxt].lower_ in nouns:
                head = phrase.doc[nxt]
                nxt += 1
            return head
    return None


def _person_name(phrase: Span) -> str | None:
    """A personal name at the start of the phrase: optional title, then 1-4 title-case words."""
    toks = list(phrase)
    i = 0
    while i < len(toks) and toks[i].lower_ in ("a", "an", "the"):
        i += 1
    title: list[str] = []
    while i < len(toks) and toks[i].lower_.rstrip(".") in {t.rstrip(".") for t in _TITLES}:
        title.append(toks[i].text)
        i += 1
    name = []
    while i < len(toks) and (toks[i].is_title or toks[i].text in ("’s",)) and toks[i].is_alpha and len(name) < 4:
        name.append(toks[i].text)
        i += 1
    if not name:
        return None
    doc = phrase.doc
    first = name[0]
    span_start = toks[0].i
    for key in ("places", "actors", "sources"):
        for s in doc.spans.get(key, []):
            if s.start <= span_start + len(title) < s.end and s.text.split()[0] == first:
                return None
    if len(name) == 1 and not title:
        return None
    return " ".join(title + name)


def _looks_like_source(phrase: Span) -> bool:
    """True when a phrase after a verb names someone ("..., said Ukraine's defence minister")."""
    doc = phrase.doc
    if _spans_in(doc, "sources", phrase):
        return True
    nouns = lexicons.source_nouns()
    if any(t.lower_ in nouns for t in phrase[:6]):
        return True
    return _person_name(phrase) is not None
