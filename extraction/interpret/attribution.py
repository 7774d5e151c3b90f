"""Who a figure is attributed to, within one sentence: the attribution cues the ``cues`` ruler
found and the source phrase each governs.

Forms covered: "according to X", "X said/told/estimates/reported/concluded", "said X",
"X figures showed", "data from X shows", "an analysis by X found", "X's analysis reveals",
"estimates published by X", "the agency reported, citing X", an appositive chain ("ISW, a
Washington-based think tank, said"), a trailing dash ("... 40% in July – Ukraine's air force"),
a headline colon ("Zelensky: 31,000 soldiers killed") and a "Source:" line.

Cross-sentence work (anaphora, carrying a source on) is in ``extraction.interpret.source_context``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from extraction.interpret.source_phrases import (
    Attribution,
    is_pronoun,
    looks_like_source,
    person_name,
    resolve,
    spans_in,
)
from extraction.lexicon import lexicons
from extraction.lexicon.lexicons import word_class
from extraction.nlp.spans import like_num_of, lower_of, slice_text, span_text, words_of

__all__ = ["Attribution", "attributions_in_sentence"]

_BOUNDARY = frozenset({",", ";", ":", "(", ")", '"', "“", "”", ".", "!", "?", "—", "–"})
_STRONG_BOUNDARY = frozenset({";", ":", "(", ")", '"', "“", "”", ".", "!", "?", "—", "–"})
_OUTLET_OBJECT_VERBS = frozenset({"told", "tells", "tell"})
_CITING = frozenset({"citing", "quoting"})
_MAX_SEGMENTS = 4
_MAX_SEGMENT_TOKENS = 13


def attributions_in_sentence(sent: Span) -> list[Attribution]:
    """Every cue-governed source in one sentence, in text order (anaphors unresolved)."""
    doc = sent.doc
    out: list[Attribution] = []
    cues = spans_in(doc, "cues", sent)
    for cue in cues:
        att = _attribution_for(doc, sent, cue, cues)
        if att is not None:
            att.rule = att.rule or cue.id_ or f"source.{cue.label_}"
            out.append(att)
    headline = _headline_colon(sent)
    if headline is not None:
        out.insert(0, headline)
    citing = [a for a in out if a.cue.lower() in _CITING]
    if citing:  # "the Kyiv Independent reported, citing the General Staff": the outlet only relays
        out = [a for a in out if not (a.type == "media" and a.start < citing[0].start)]
    return sorted(out, key=lambda a: a.start)


def _attribution_for(doc: Doc, sent: Span, cue: Span, cues: list[Span]) -> Attribution | None:
    label = cue.label_
    cue_text = span_text(cue)
    if label == "verb" and (_noun_use(cue, cues) or cue.end < sent.end and lower_of(doc)[cue.end] == "to"):
        return None  # "the estimates", "Kyiv expects to receive", "was said to be"
    if label == "verb" and _negated(cue):
        return None  # "Disney did not reveal that ...": a negated verb attributes nothing
    if label == "verb" and _passive(cue):
        # "Libya's GDP was estimated at $75bn": the subject is what was counted; a named source
        # before it may still govern the clause ("Eurostat estimates 4.3 million were registered")
        return _known_before(sent, cue)
    if label == "after":
        first = doc[cue.end] if cue.end < sent.end else None
        gerund = first is not None and first.is_lower and first.lower_.endswith("ing") and len(first) > 5
        if gerund and cue[-1].lower_ == "by":
            return None  # "identified by obtaining the tax number": a means, not an agent
        phrase = _phrase_after(doc, cue.end, sent.end)
        return resolve(phrase, cue_text) if phrase is not None else None
    if label in ("dash", "label"):
        return _trailing_source(doc, sent, cue)
    if label == "document_verb":  # "The latest Herald poll has the governor at 44 percent"
        start = _segment_start(doc, cue.start, sent.start, appositive=False)
        return resolve(doc[start:cue.start + 1], span_text(cue[-1:]), verb=True)
    phrase, apposition = _subject_before(doc, cue.start, sent.start)
    if phrase is None and _relative(doc, cue.start, sent.start):
        return None  # "a report that showed ...": an unowned document names nobody
    if phrase is None or is_pronoun(phrase) and cue_text.lower() not in _OUTLET_OBJECT_VERBS:
        after = _phrase_after(doc, cue.end, sent.end)
        if after is not None and looks_like_source(after) and (phrase is None or not is_pronoun(phrase)):
            phrase, apposition = after, _name_after(doc, after.end, sent.end)
    if phrase is not None and any(q.label_ in ("percent", "fraction") and q.start - phrase.start <= 3
                                  for q in spans_in(doc, "quantities", phrase)):
        # "87% of the adults polled by ICM said": the respondents say it; the pollster, if named, is the source
        known = spans_in(doc, "sources", phrase)
        if not known:
            agent = [t.i for t in phrase if t.lower_ in ("by", "for") and t.i + 1 < phrase.end]
            named = resolve(doc[agent[-1] + 1:phrase.end], cue_text, verb=True) if agent else None
            if named is not None and not named.anaphoric and named.name and named.name[:1].isupper():
                named.rule = "source.respondents_polled_by"
                return named
            return None
        k = known[0]
        return Attribution(k.label_, k.id_ or None, span_text(k), cue_text, k.start, k.end, known=True,
                           rule="source.respondents_polled_by")
    att = resolve(phrase, cue_text, verb=True) if phrase is not None else None
    if apposition is not None and att is not None:
        att = _with_apposition(att, apposition)
    if att is None or att.anaphoric and att.text.lower() in ("it", "they"):
        # "CSIS, a think tank that ..., in January put ..."; "Russia said it had ..."
        att = _known_before(sent, cue, actors=att is not None) or att
    return att


def _with_apposition(att: Attribution, apposition: Span) -> Attribution:
    """'Dr Jane Doe, an analyst at King's College London': the person keeps the affiliation in
    the text; 'The source, part of Ukraine's General Staff': a named body in the apposition names
    an anonymous or descriptive source. A body named in the subject keeps its name."""
    doc = apposition.doc
    start, end = min(att.start, apposition.start), max(att.end, apposition.end)
    text = slice_text(doc, start, end)
    known = spans_in(doc, "sources", apposition)
    if known and not att.known and att.type != "person":
        k = known[0]
        return Attribution(k.label_, k.id_ or None, text, att.cue, start, end, known=True)
    described = att.anaphoric or att.type != "person" or att.name.split(" ")[0].lower() in ("the", "a", "an")
    person = person_name(apposition) if not att.known and described else None
    if person is not None and " " in person and _only_name(apposition, person):
        # "said the mayor, Ana Ruiz": the description's apposition names the person who spoke
        return Attribution(person, "person", text, att.cue, start, end, rule=att.rule)
    return Attribution(att.name, att.type, text, att.cue, start, end, att.anaphoric, att.known)




def _name_after(doc: Doc, i: int, limit: int) -> Span | None:
    """', Ana Ruiz' after a source phrase, up to the sentence's end or the next comma: a name in
    apposition ("..., said the mayor, Ana Ruiz")."""
    if i + 1 >= limit or doc[i].text != ",":
        return None
    j = i + 1
    while j < limit and not doc[j].is_punct and j - i <= 5:
        j += 1
    if j < limit and doc[j].text not in (",", ".", "!", "?"):
        return None
    return doc[i + 1:j] if j > i + 1 else None


def _only_name(apposition: Span, person: str) -> bool:
    """The apposition is the name and nothing else (titles allowed before it)."""
    return span_text(apposition).strip().endswith(person) and all(
        t.is_title or t.is_upper or t.is_punct for t in apposition)


def _negated(cue: Span) -> bool:
    """'did not reveal', 'never said', 'failed to disclose': the verb says the figure was not told."""
    lower = lower_of(cue.doc)
    before = lower[max(0, cue.start - 2):cue.start]
    return any(w in word_class("negators") for w in before)


def _passive(cue: Span) -> bool:
    """'Libya's GDP was estimated at $75bn', '40 attacks were recorded': a passive verb, whose
    subject is what was counted, not who counted it (an agent after "by" is a cue of its own)."""
    lower = lower_of(cue.doc)
    i = cue.start - 1
    # "was also estimated"
    while i >= 0 and lower[i] in word_class("cue_skip_words") and lower[i] not in word_class("be_forms"):
        i -= 1
    return cue[0].lower_.endswith("ed") and i >= 0 and lower[i] in word_class("be_forms")


def _noun_use(cue: Span, cues: list[Span]) -> bool:
    """'estimates' in 'according to estimates published by': a noun, not a reporting verb.
    Only words that can be nouns are tested: "said" after "official" is still a verb."""
    doc = cue.doc
    lower = lower_of(doc)
    if cue[0].lower_ not in word_class("noun_capable_cues"):
        return False
    if cue.start > 0 and lower[cue.start - 1] in word_class("cue_noun_determiners"):
        return True
    if cue.end < len(doc) and lower[cue.end] in ("of", "on", "about"):
        return True  # "reports of troop movements"
    return any(c.label_ == "after" and c.end <= cue.start <= c.end + 1 for c in cues)


def _known_before(sent: Span, cue: Span, actors: bool = False) -> Attribution | None:
    """The nearest named source (or, for 'it', actor) before a reporting verb in its sentence."""
    doc = sent.doc
    lower = lower_of(doc)
    window = doc[sent.start:cue.start]
    # "Savings at the Foreign Office have been identified": a body after a preposition is where, not who
    known = [k for k in spans_in(doc, "sources", window) if not _where(doc, k.start, sent.start)]
    if known:
        s = known[-1]
        return Attribution(s.label_, s.id_ or None, span_text(s), span_text(cue), s.start, s.end, known=True)
    if not actors:
        return None
    found = [a for a in spans_in(doc, "actors", window) if a.start == sent.start or
             lower[a.start - 1] not in word_class("actor_place_prepositions")]
    if found and cue.start - found[-1].end <= 12:
        a = found[-1]
        return Attribution(a.label_, "government", span_text(a), span_text(cue), a.start, a.end)
    return None


def _where(doc: Doc, i: int, lo: int) -> bool:
    """A body named after a preposition of place ("at the Foreign Office", "with the IMF"): where
    something is, not who says it; but "the report of the General Staff" names its owner."""
    lower = lower_of(doc)
    j = i - 1
    if j >= lo and lower[j] == "the":
        j -= 1
    if j < lo or lower[j] not in word_class("owner_place_prepositions"):
        return False
    return not (lower[j] == "of" and j - 1 >= lo and lower[j - 1] in word_class("document_nouns"))


def _trailing_source(doc: Doc, sent: Span, cue: Span) -> Attribution | None:
    """A source set off after the claim: "... rose 40% in July – Ukraine's air force" (a dash
    after a figure, to the end of the sentence) or a line "Source: KIIS"."""
    orths = words_of(doc)
    if cue.label_ == "label":
        if cue.start != sent.start:
            return None
    else:
        tok = doc[cue.start]
        if tok.text == "-" and not (doc[cue.start - 1].whitespace_ and tok.whitespace_):
            return None  # a hyphen, not a dash
        if not any(like_num_of(doc)[sent.start:cue.start]):
            return None
    end = cue.end
    while end < sent.end and orths[end] not in (",", ";", "(", ".", "|") and end - cue.end < 10:
        end += 1
    if end == cue.end or end < sent.end and orths[end] not in (",", ".", "("):
        return None
    if end < sent.end and any(orths[k] == orths[cue.start] for k in range(end, sent.end)):
        return None  # "the directors - Ana Ruiz, Jo Roe and Al Bay - left": a dash pair sets off a list
    phrase = doc[cue.end:end]
    if any(t.like_num or t.lower_ in lexicons.PHRASE_END_VERBS for t in phrase):
        return None
    verb_first = any(c.start == phrase.start and c.label_ == "verb" for c in spans_in(doc, "cues", phrase))
    if phrase[0].is_lower and not verb_first and phrase[0].lower_ not in word_class("cue_noun_determiners") \
            and phrase[0].lower_ not in lexicons.source_nouns():
        return None  # "a subsidiary - Lifetime - employed the wife of ...": a clause; "- explains X" is a source
    att = resolve(phrase, span_text(cue).strip() or "dash", verb=True)
    if att is None or att.anaphoric:
        return None
    att.cue = cue.label_
    return att


def _headline_colon(sent: Span) -> Attribution | None:
    """'Zelensky: 31,000 Ukrainian soldiers killed': a source before a colon that opens a line."""
    doc = sent.doc
    orths = words_of(doc)
    for i in range(sent.start + 1, min(sent.end, sent.start + 8)):
        if orths[i] == ":":
            break
    else:
        return None
    phrase = doc[sent.start:i]
    if any(t.like_num or t.is_punct for t in phrase) or i + 1 >= sent.end:
        return None
    if not any(like_num_of(doc)[i + 1:sent.end]):
        return None
    att = resolve(phrase, ":", verb=True)
    if att is None or att.anaphoric or not (att.known or att.type == "person"):
        return None
    att.cue = "colon"
    att.rule = "source.headline_colon"
    return att


def _inside_name(doc: Doc, k: int) -> bool:
    """'and' joining two capitalised words of one name ("National Security and Defence Council")."""
    return (lower_of(doc)[k] in ("and", "&") and 0 < k < len(doc) - 1 and doc[k - 1].is_title
            and doc[k + 1].is_title and not doc[k - 1].is_sent_start)


def _phrase_after(doc: Doc, i: int, limit: int) -> Span | None:
    """The noun phrase after a cue: up to a clause boundary, keeping "of/for/the/from X" inside."""
    lower = lower_of(doc)
    orths = words_of(doc)
    j = i
    while j < limit and lower[j] in ("the", "a", "an") and j + 1 < limit and doc[j + 1].is_punct:
        j += 1
    start = j
    while j < limit:
        tok = doc[j]
        if tok.text in _BOUNDARY and not (tok.text == "(" and _is_acronym_paren(doc, j, limit)):
            break
        if tok.text == "-" and j > start and doc[j - 1].whitespace_:
            break  # "according to Western intelligence - to invade": a spaced hyphen is a dash
        if tok.lower_ in word_class("clause_openers") and j > start and not _inside_name(doc, j):
            break
        if j > start and tok.is_lower and tok.lower_ in lexicons.PHRASE_END_VERBS:
            break
        j += 1
        if j - start > 14:
            break
    if j > start and orths[j - 1] == "(":
        j -= 1
    return doc[start:j] if j > start else None


def _relative(doc: Doc, i: int, limit: int) -> bool:
    """The reporting verb at ``i`` opens a relative clause ("records that showed")."""
    lower = lower_of(doc)
    j = i - 1
    while j >= limit and lower[j] in word_class("cue_skip_words"):
        j -= 1
    return j > limit and lower[j] in ("that", "which")


def _antecedent(doc: Doc, j: int, limit: int) -> Span | None:
    """'records that showed', 'a report by the agency which found': the noun phrase a relative
    pronoun at ``j`` refers to, from its determiner (or a capitalised name) to the pronoun."""
    lower = lower_of(doc)
    k = j - 1
    while k >= limit and j - k <= 8 and not doc[k].is_punct:
        if lower[k] in ("a", "an", "the", "its", "their", "his", "her", "this", "these", "new"):
            # only a named body or an owned document ("a Delta Bank report that showed"); an
            # unowned one ("a report that showed") names nobody: no source beats a guess
            phrase = doc[k:j]
            owned = lower[j - 1] in word_class("document_nouns") and any(
                t.is_title and not t.is_sent_start for t in phrase[:-1])
            return phrase if owned or spans_in(doc, "sources", phrase) else None
        k -= 1
    return doc[j - 1:j] if spans_in(doc, "sources", doc[j - 1:j]) else None


#: Furthest a coordinated reporting verb may stand from the subject that opens its sentence.
COORDINATED_REACH = 16


def _coordinated_subject(doc: Doc, j: int, limit: int) -> Span | None:
    """'He toured the plant and said 30 percent of the jobs would go': the subject that opens the
    sentence governs a reporting verb coordinated with its first verb by "and". Only a pronoun or
    a phrase that looks like a source, before the first lower-case word of the sentence."""
    if j - limit > COORDINATED_REACH or any(words_of(doc)[k] in (";", ":", '"', "“", "”")
                                          for k in range(limit, j)):
        return None
    k = limit
    nouns = lexicons.source_nouns()
    while k < j and (doc[k].is_title or doc[k].is_upper or doc[k].lower_ in ("the", "a", "an", "'s", "’s")
                     or doc[k].lower_ in nouns):
        k += 1
    if k == limit or k >= j or not doc[k].is_lower or doc[k].is_punct:
        return None
    phrase = doc[limit:k]
    if is_pronoun(phrase) or spans_in(doc, "sources", phrase):
        return phrase
    if phrase[0].lower_ == "the" and phrase[-1].lower_ in nouns:
        return phrase  # "The governor toured the plant and said"
    name = person_name(phrase)
    return phrase if name is not None and " " in name and all(t.is_title for t in phrase) else None


def _is_acronym_paren(doc: Doc, j: int, limit: int) -> bool:
    return j + 2 < limit and words_of(doc)[j + 2] == ")" and doc[j + 1].is_upper


def _subject_before(doc: Doc, i: int, limit: int) -> tuple[Span | None, Span | None]:
    """The subject of a reporting verb at token ``i`` and its apposition, if any.

    Skips auxiliaries and adverbs. Without a comma before the verb the subject is the phrase
    back to a clause boundary. With one, the words between commas form an appositive chain
    ("the Institute for the Study of War, or ISW, a Washington-based think tank, said"): the
    leftmost segment that names a body, a person or a source noun is the subject, and the
    segments after it are its apposition.
    """
    lower = lower_of(doc)
    orths = words_of(doc)
    j = i - 1
    while j >= limit and lower[j] in word_class("cue_skip_words"):
        j -= 1
    if j < limit:
        return None, None
    if lower[j] in ("that", "which") and j > limit:
        return _antecedent(doc, j, limit), None  # "a report that showed": the report is the subject
    coordinated = _coordinated_subject(doc, j, limit) if lower[j] == "and" else None
    if coordinated is not None:
        return coordinated, None
    if orths[j] != ",":
        start = _segment_start(doc, j, limit, appositive=False)
        return (doc[start:j + 1], None) if start <= j else (None, None)
    segments: list[tuple[int, int]] = []
    end = j
    while end > limit and len(segments) < _MAX_SEGMENTS:
        start = _segment_start(doc, end - 1, limit, appositive=True)
        if start >= end or not _segment_ok(doc[start:end]):
            break
        segments.append((start, end))
        if start - 1 < limit or orths[start - 1] != ",":
            break
        end = start - 1
    if len(segments) < 2:
        return None, None
    for start, end in reversed(segments[1:]):  # leftmost first; the rightmost is never the subject
        if _names_someone(doc[start:end]):
            return doc[start:end], doc[end + 1:segments[0][1]]
    start, end = segments[1]
    return doc[start:end], doc[end + 1:segments[0][1]]


def _segment_start(doc: Doc, j: int, limit: int, appositive: bool) -> int:
    """Walk back from ``j`` to the start of the phrase that ends there."""
    lower, words = lower_of(doc), words_of(doc)
    stop = _STRONG_BOUNDARY if appositive else _BOUNDARY
    openers = word_class("clause_openers")
    k = j
    while k >= limit:
        text = words[k]
        if text in stop and text != ")" or appositive and text == ",":
            break
        if lower[k] in openers and k < j and not _inside_name(doc, k):
            if not (appositive and lower[k] in ("and", "or")):
                break
        if k < j - 12:
            break
        k -= 1
    start = k + 1
    if appositive and start < j and lower[start] == "or":
        start += 1  # "ISW, or the Institute ..., said"
    return start


def _segment_ok(seg: Span) -> bool:
    """A segment of an appositive chain: a noun phrase, not a clause with a figure or a verb."""
    return (0 < len(seg) <= _MAX_SEGMENT_TOKENS and not any(t.like_num and not t.is_title for t in seg)
            and not any(t.lower_ in lexicons.PHRASE_END_VERBS for t in seg))


def _names_someone(seg: Span) -> bool:
    if spans_in(seg.doc, "sources", seg):
        return True
    att = resolve(seg, "", verb=True)
    return att is not None and (att.known or att.type == "person" or bool(att.name) or att.anaphoric) and \
        seg[-1].lower_ not in word_class("document_nouns")
