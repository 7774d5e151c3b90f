"""Organisations as sources: a company reporting its own results, "the firm" and "the agency"
referring back to a named body, an agency's report framing the figures after it.

Business copy and agency reports name an organisation once and then report its figures without
a cue: "Northwind Motors reported net income of $2.1bn ... The carmaker's turnover rose 4%";
"The International Widget Organization (IWO) said in its annual report that ... Exports reached
40 million units". The rules, each recorded in the claim's ``rules``:

* ``source.org.subject``: a named organisation as the subject of a cue the phrase rules left
  without a source ("The International Widget Organization (IWO) said ...");
* ``source.org.own_results``: an organisation the subject of a results verb or the owner of a
  results noun ("the carmaker posted a loss of $300m", "Acme's turnover rose 4%"), or a company
  cited in a sentence about its results ("Acme said sales fell 3%");
* ``source.org.report``: a body speaking in a report ("said in its annual report");
* ``source.org.frame``: the figures of the paragraphs after an own-results or report sentence,
  until another source or a quotation takes over (``source_context.frame_of`` asks ``org_frame``);
* ``source.org.anaphor``: "the company", "the firm", "the bank", "the carmaker", "the agency" take
  the nearest organisation named before them of a fitting type (for "the company" and "the firm",
  else the name that opens the article); with none, a company noun is no source;
* ``source.org.spokesperson``: "he added" after "the UN spokesperson said" is the spokesperson;
* ``actor.org.own_results``: a company's own money, share and ratio figures have it as actor
  (``own_results_actor``, asked by ``assemble._build`` after ``decide_actor``).

Which names are organisations (``org_mentions``): the sources gazetteer's bodies; a capitalised
name ending in a company or body word ("Halvard Bank", "World Widget Council"); a name in
apposition to a company noun ("carmaker Northwind", "Renvale, the country's biggest lender");
a single name that owns or reports results ("Renvale's profits", "Renvale posted a loss").
The word classes are in ``data/lexicon/word_classes/organisations.tsv``.

Pure over a processed Doc and ``Attribution`` objects, changed in place; nothing at import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from extraction.interpret.source_phrases import Attribution
from extraction.lexicon.lexicons import word_class
from extraction.nlp.spans import (
    is_space_of,
    lower_of,
    positions_of,
    sent_starts_of,
    span_text,
    spans_of,
    word_hashes,
    words_of,
)
from models import Source
from models.vocab import ClaimKind, SourceType

if TYPE_CHECKING:
    from extraction.interpret.source_context import SentenceSources

#: Source types that are organisations (a gazetteer body can be referred back to as one).
ORG_TYPES = frozenset(SourceType) - {SourceType.PERSON, SourceType.MEDIA, SourceType.POLLSTER, SourceType.ANONYMOUS}
#: Kinds a company's results are given in (its money, its shares of growth, its ratios).
RESULT_KINDS = frozenset({ClaimKind.MONEY, ClaimKind.SHARE, ClaimKind.RATIO})
#: Source rules that say a figure is a company's own result.
OWN_RESULT_RULES = frozenset({"source.org.own_results", "source.org.frame"})
#: Rules of attributions whose figures hold over the paragraphs after them.
FRAME_RULES = frozenset({"source.org.own_results", "source.org.report"})
#: How far a results noun may stand from its verb, and an owner's adjectives from its noun.
RESULTS_REACH = 8
OWNER_REACH = 3
#: How many words an appositive may take before its company noun ("Renvale, the world's fifth-largest lender").
APPOSITION_REACH = 8
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_PRONOUNS_HE = frozenset({"he", "she"})
_CAPITALISED = "claims.org_capitalised"


@dataclass(frozen=True)
class OrgMention:
    """A mention of an organisation: token range, canonical name, source type."""

    start: int
    end: int
    name: str
    type: str
    #: named as the object of a preposition ("investors in Gazprom"): no antecedent of "the company"
    oblique: bool = False


def _title(word: str) -> bool:
    return word[:1].isupper() and any(ch.isalpha() for ch in word)


def _capitalised(doc: Doc) -> tuple[set[str], list[int], list[tuple[int, int]]]:
    """The capitalised words of the Doc (``_title``, each distinct word tested once), the tokens
    that hold one, and their runs ("Industrial and Commercial Bank", "Northwind Motors") without
    a leading article or sentence opener; kept in ``doc.user_data``."""
    found = doc.user_data.get(_CAPITALISED)
    if found is not None:
        return found
    words, lower, space = words_of(doc), lower_of(doc), is_space_of(doc)
    # an upper-case first character is nearly always a letter: ``_title`` only for the rest
    titled = {w for w in set(words) if w[:1].isupper() and (w[0].isalpha() or _title(w))}
    at = [i for i, w in enumerate(words) if w in titled]
    joiners, openers = word_class("org_name_joiners"), word_class("org_name_openers")
    runs, j, n = [], 0, len(doc)
    for i in at:
        if i < j or space[i]:
            continue  # inside the run before, or white space
        j = i + 1
        while j < n and (words[j] in titled and not space[j] or lower[j] in joiners and j + 1 < n
                         and words[j + 1] in titled and lower[j - 1] not in joiners):
            j += 1
        s = i
        while s < j and lower[s] in openers:
            s += 1
        if s < j:
            runs.append((s, j))
    found = doc.user_data[_CAPITALISED] = (titled, at, runs)
    return found


def _runs(doc: Doc) -> list[tuple[int, int]]:
    return _capitalised(doc)[2]


def _body_type(lower_words: list[str]) -> str:
    if any(w in word_class("org_international_words") for w in lower_words):
        return "international_organisation"
    return "government" if lower_words[-1] in word_class("org_government_body_words") else "other"


def _abbreviation(doc: Doc, end: int) -> tuple[int, int] | None:
    """'(IWO)' right after a name: its token range."""
    if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")" and doc[end + 1].text.isupper():
        return end + 1, end + 2
    return None


def org_mentions(doc: Doc) -> list[OrgMention]:
    """Every mention of an organisation in the article, in text order (see the module's notes)."""
    cached = doc.user_data.get("org_mentions")
    if cached is not None:
        return cached
    lower, words = lower_of(doc), words_of(doc)
    company_words, body_words = word_class("org_company_name_words"), word_class("org_body_name_words")
    company_nouns, results = word_class("org_company_nouns"), word_class("org_results_nouns")
    titles = word_class("org_person_name_titles")
    blocked = {i for key in ("places", "actors") for s in spans_of(doc, key) if s.id_ != "company"
               for i in range(s.start, s.end)}
    persons = {i for s in spans_of(doc, "sources") if s.id_ in ("person", "media") for i in range(s.start, s.end)}
    named: dict[tuple[str, ...], tuple[str, str]] = {}
    titled, at, runs = _capitalised(doc)
    # the words the article also writes in lower case (a lower-case word is its own lower case)
    common = set(words)
    # names written inside a sentence, not only as its first word ("Imports rose" is no company)
    starts, space = sent_starts_of(doc), is_space_of(doc)
    inside = {words[i] for i in at if i >= 1 and not starts[i] and not space[i - 1]
              and words[i - 1] not in ("\"", "“", "'", "‘", "(")}
    surnames = {words[e - 1] for s, e in runs if e - s >= 2}
    for s, e in runs:
        toks = lower[s:e]
        name = " ".join(words[s:e])
        kind = None
        if s > 0 and lower[s - 1] in company_nouns and not doc[s - 1].is_title and s not in blocked \
                and "and" not in toks:
            kind = "company"  # "carmaker Northwind", "German airline Skyway", "media group Reuters"
        elif s > 2 and lower[s - 1] == "," and lower[s - 2] in company_nouns and lower[s - 3] == "the" \
                and e < len(doc) and lower[e] == "," and "and" not in toks:
            kind = "company"  # "The firm, Paion, said"
        elif s in persons or (s > 0 and lower[s - 1] in titles) or toks[0] in titles:
            continue
        elif e - s >= 2 and toks[-1] in company_words:
            kind = "company"
        elif e - s >= 2 and toks[-1] in body_words:
            kind = _body_type(toks)
        elif s in blocked or e - s == 1 and (toks[0] in common or doc[s].is_stop) or "and" in toks or "&" in toks:
            continue  # a place, a side, a common word, a pronoun; "Tindale and Northland" is two names
        elif _appositive_company(doc, e) or (e - s > 1 or words[s] in inside) and _company_context(doc, s, e):
            kind = "company"  # "Renvale, the country's biggest lender,", "shares in Renvale"
        elif e - s == 1 and words[s] not in surnames and _reports_results(doc, e, results) \
                and (words[s] in inside or e < len(doc) and lower[e] in _POSSESSIVE):
            kind = "company"  # "Renvale's profits", "Renvale posted a loss"
        if kind is None:
            continue
        named.setdefault(tuple(words[s:e]), (name, kind))
        abbr = _abbreviation(doc, e)
        if abbr is not None:
            named.setdefault((words[abbr[0]],), (name, kind))
    for sp in spans_of(doc, "sources"):
        if sp.id_ in ORG_TYPES:
            named.setdefault(tuple(words[sp.start:sp.end]), (sp.label_, sp.id_))
    out = []
    firsts: dict[str, list[tuple[str, ...]]] = {}
    for key in named:
        firsts.setdefault(key[0], []).append(key)
    for keys in firsts.values():
        keys.sort(key=len, reverse=True)  # the longest name first (a stable sort, once per article)
    for i in positions_of(doc, word_hashes(firsts)):
        for key in firsts[words[i]]:
            if tuple(words[i:i + len(key)]) == key:
                out.append(OrgMention(i, i + len(key), *named[key], oblique=_oblique(doc, i)))
                break
    doc.user_data["org_mentions"] = out
    return out


def _company_context(doc: Doc, s: int, e: int) -> bool:
    """Words around a name that only a company takes: "shares in X", "a takeover of X", "the
    boss of X" (``org_company_context_nouns``), "X saw its shares rise", "helped X boost its
    profits" ("its" and a results or context noun within a few words after the name)."""
    lower = lower_of(doc)
    nouns = word_class("org_company_context_nouns")
    if s > 1 and lower[s - 1] in word_class("org_context_prepositions") and lower[s - 2] in nouns:
        return True
    after = lower[e:e + 4]
    if "its" in after:
        k = e + after.index("its") + 1
        return k < len(doc) and (lower[k] in nouns or lower[k] in word_class("org_results_nouns"))
    return False


def _oblique(doc: Doc, i: int) -> bool:
    """A name after a preposition, over up to three words ("investors in Gazprom", "a stake of
    search engine Google"); "shares in X" is about X, and "according to X" names a speaker."""
    lower = lower_of(doc)
    preps = word_class("org_oblique_prepositions")
    j = i - 1
    while j >= 0 and j >= i - 3 and doc[j].is_alpha and lower[j] not in preps:
        j -= 1
    if j < 1 or lower[j] not in preps:
        return False
    return not (lower[j] == "in" and lower[j - 1] == "shares" or lower[j] == "to" and lower[j - 1] == "according")


def _appositive_company(doc: Doc, end: int) -> bool:
    """A name followed by ", the/a ... <company noun>," ("Renvale, Northland's biggest lender")."""
    lower = lower_of(doc)
    abbr = _abbreviation(doc, end)
    k = abbr[1] + 1 if abbr else end
    if k >= len(doc) or lower[k] != ",":
        return False
    nouns = word_class("org_company_nouns")
    for j in range(k + 1, min(len(doc), k + 1 + APPOSITION_REACH)):
        if lower[j] in nouns:
            return j + 1 < len(doc) and (doc[j + 1].is_punct or doc[j + 1].is_space)
        if doc[j].is_punct and lower[j] not in _POSSESSIVE and doc[j].text != "-":
            return False
    return False


def _reports_results(doc: Doc, end: int, results: frozenset[str]) -> bool:
    """The words after a name make it a company reporting results: "X's (net) profit", "X posted
    a loss", "X reported revenue"."""
    lower = lower_of(doc)
    if end < len(doc) and lower[end] in _POSSESSIVE:
        return any(w in results for w in lower[end + 1:end + 1 + OWNER_REACH])
    j = end
    while j < len(doc) and lower[j] in word_class("org_subject_fillers"):
        j += 1
    verbs = word_class("org_results_verbs")
    return j < len(doc) and lower[j] in verbs and lower[j] not in ("said", "says") and any(
        w in results for w in lower[j + 1:j + 1 + RESULTS_REACH])


def _org_noun(att: Attribution) -> str | None:
    """'the company', 'The firm', 'the German carmaker' -> the org noun that heads them, or None."""
    words = att.text.lower().split()
    if len(words) < 2 or words[0] not in ("the", "this"):
        return None
    nouns = word_class("org_company_nouns") | word_class("org_body_nouns")
    if words[1] in nouns:
        return words[1]  # "the firm", and "the firm has neither" that a phrase rule ran on into
    if len(words) >= 3 and att.text.split()[1][:1].isupper() and words[2] in nouns:
        return words[2]  # "the German carmaker"
    company, shared = word_class("org_company_nouns"), word_class("org_shared_nouns")
    if 3 <= len(words) <= 4 and words[-1] in company and words[-1] not in shared:
        return words[-1]  # "the global sports giant", not "the central bank"
    return None


def _fits(noun: str, m: OrgMention) -> bool:
    if noun in word_class("org_company_nouns"):
        return m.type == "company" or noun in ("bank", "operator") and m.type in ("government", "other")
    return m.type != "company"


def _antecedent(noun: str, before: int, orgs: list[OrgMention]) -> OrgMention | None:
    fits = [m for m in orgs if m.end <= before and not m.oblique and _fits(noun, m)]
    return fits[-1] if fits else None


def _subject_antecedent(doc: Doc, noun: str, before: int) -> OrgMention | None:
    """For "the company" or "the firm" with no organisation named before it: the name that
    opens the article's first sentence before it ("Tindale has announced it is cutting 500 jobs
    ... the company said"), when it is no person, place or side and no common word."""
    if noun not in ("company", "firm"):
        return None
    lower, words = lower_of(doc), words_of(doc)
    titles = word_class("org_person_name_titles")
    blocked = {i for key in ("places", "actors", "sources") for s in spans_of(doc, key) for i in range(s.start, s.end)}
    runs = _runs(doc)
    surnames = {words[e - 1] for s, e in runs if e - s >= 2}
    common = set(words)  # the words the article also writes in lower case (``org_mentions``)
    for s, e in runs:
        if e > before:
            break
        if not doc[s].is_sent_start and not (s > 0 and doc[s - 1].is_space and "\n" in doc[s - 1].text):
            continue
        if e - s > 3 or s in blocked or doc[s].is_stop or lower[s] in common or lower[s] in titles:
            continue
        if words[e - 1] in surnames and e - s == 1 or e >= len(doc) or not (doc[e].is_lower or lower[e] in _POSSESSIVE):
            continue
        return OrgMention(s, e, " ".join(words[s:e]), "company")
    return None


def prepare(doc: Doc, sentences: list[SentenceSources]) -> None:
    """Before ``resolve_anaphora``: type the attributions that name organisations, resolve org
    anaphors and a spokesperson's "he", add the organisation subjects and own-results sources the
    phrase rules miss, and mark own-results and report sentences (which frame what follows)."""
    orgs = org_mentions(doc)
    by_start = {m.start: m for m in orgs}
    lower = lower_of(doc)
    results, reports = word_class("org_results_nouns"), word_class("org_report_nouns")
    for src in sentences:
        for att in src.atts:
            _retype(doc, att, by_start, orgs)
        if not src.atts:
            found = _cue_subject(doc, src, orgs) or _own_results(doc, src, orgs)
            if found is not None:
                src.atts.append(found)
        sent_words = lower[src.start:src.end]
        for att in src.atts:
            if att.anaphoric or att.rule.startswith("source.org.own") or att.type not in ORG_TYPES:
                continue
            if att.type == "company" and any(w in results for w in sent_words):
                att.rule = "source.org.own_results"
            elif att.type != "company" and "its" in sent_words and any(
                    w in reports for w in lower[att.end:src.end]):
                att.rule = "source.org.report"  # "said in its annual report that ..."
    _spokespersons(sentences)


def _retype(doc: Doc, att: Attribution, by_start: dict[int, OrgMention], orgs: list[OrgMention]) -> None:
    """An attribution whose words are an organisation's name takes its name and type; "the
    company" takes the organisation named before it (``source.org.anaphor``)."""
    lo = att.start + (att.text.lower().startswith(("the ", "a ")))
    m = by_start.get(lo) or by_start.get(att.start)
    if m is not None and not att.known and m.end >= att.end - 4 and att.type in (None, "person", "other", "company"):
        att.name, att.type, att.anaphoric = m.name, m.type, False
        return
    bare = att.name.lower().split()
    if len(bare) == 2 and bare[0] == "the" and bare[1] in word_class("org_company_nouns"):
        named = [m for m in orgs if att.start < m.start <= att.end + 2 and doc[m.start - 1].text == ","]
        if named and named[0].type == "company":  # "the firm, Paion, said": the name in the phrase
            att.name, att.type, att.anaphoric = named[0].name, named[0].type, False
            return
    noun = _org_noun(att)
    if noun is None or att.known and att.name.lower() not in ("the " + noun, noun):
        return
    ref = _antecedent(noun, att.start, orgs) or _subject_antecedent(doc, noun, att.start)
    if ref is not None:
        att.name, att.type, att.anaphoric = ref.name, ref.type, False
        att.text = f"{att.text} ({ref.name})"
        att.rule = "source.org.anaphor"


def _cue_subject(doc: Doc, src: SentenceSources, orgs: list[OrgMention]) -> Attribution | None:
    """A cue whose subject is a named organisation the phrase rules did not take ("The IWO
    (IWO) said in its report"): the organisation, ``source.org.subject``."""
    for cue in spans_of(doc, "cues"):
        if not src.start <= cue.start < src.end or cue.label_ != "verb":
            continue
        for m in orgs:
            if not src.start <= m.start < cue.start:
                continue
            k = m.end
            abbr = _abbreviation(doc, k)
            k = abbr[1] + 1 if abbr else k
            while k < cue.start and lower_of(doc)[k] in word_class("org_subject_fillers"):
                k += 1
            if k == cue.start:
                return Attribution(m.name, m.type, span_text(doc[m.start:m.end]), span_text(cue), m.start, m.end,
                                   rule="source.org.subject")
        described = _described_subject(doc, src.start, cue.start, orgs)
        if described is not None:
            return described
    return None


def _described_subject(doc: Doc, lo: int, cue: int, orgs: list[OrgMention]) -> Attribution | None:
    """'The Danish toymaker said ...' with no source the phrase rules took: the company named
    before it (``source.org.anaphor``)."""
    lower = lower_of(doc)
    k = cue - 1
    while k > lo and lower[k] in word_class("org_subject_fillers"):
        k -= 1
    for first in range(k - 1, max(lo, k - 4) - 1, -1):
        if lower[first] == "the":
            att = Attribution(span_text(doc[first:k + 1]), None, span_text(doc[first:k + 1]), doc[cue].text,
                              first, k + 1, anaphoric=True)
            noun = _org_noun(att)
            ref = _antecedent(noun, first, orgs) if noun else None
            if ref is None:
                return None
            att.name, att.type, att.anaphoric, att.rule = ref.name, ref.type, False, "source.org.anaphor"
            att.text = f"{att.text} ({ref.name})"
            return att
    return None


def _own_results(doc: Doc, src: SentenceSources, orgs: list[OrgMention]) -> Attribution | None:
    """An organisation (named, or "the carmaker") that owns a results noun or reports results in
    the sentence: "the carmaker's turnover rose 4%", "the bank posted a loss of $300m"."""
    lower = lower_of(doc)
    results = word_class("org_results_nouns")
    candidates: list[tuple[int, int, OrgMention]] = [(m.start, m.end, m) for m in orgs
                                                      if src.start <= m.start < src.end and m.type == "company"]
    nouns = word_class("org_company_nouns") | word_class("org_body_nouns")
    for i in range(src.start, src.end - 1):
        if lower[i] == "the" and lower[i + 1] in nouns:
            ref = _antecedent(lower[i + 1], i, orgs)
            if ref is not None and ref.type == "company":
                candidates.append((i, i + 2, ref))
    for s, e, m in sorted(candidates, key=lambda c: c[0]):
        if e < src.end and _reports_results(doc, e, results):
            anaphor = lower[s] == "the"
            text = span_text(doc[s:e])
            return Attribution(m.name, m.type, f"{text} ({m.name})" if anaphor else text, lower[e], s, e,
                               rule="source.org.own_results")
    return None


def _spokespersons(sentences: list[SentenceSources]) -> None:
    """'He added ...' right after 'the UN spokesperson said ...': the pronoun is the
    spokesperson, who speaks for the organisation (``source.org.spokesperson``)."""
    roles = word_class("org_person_roles")
    last: Attribution | None = None
    para = -1
    for src in sentences:
        if src.para - para > 1:
            last = None
        para = src.para
        for att in src.atts:
            if att.anaphoric and att.text.lower() in _PRONOUNS_HE and last is not None:
                if last.type not in (None, "person") and any(w in roles for w in last.text.lower().split()):
                    att.name, att.type, att.anaphoric = last.name, last.type, False
                    att.text = f"{att.text} ({last.text})"
                    att.rule = "source.org.spokesperson"
            if not att.anaphoric:
                last = att


def settle(doc: Doc, sentences: list[SentenceSources]) -> None:
    """After ``resolve_anaphora``: drop "the company", "the firm" and the like that refer to no
    named company (no source beats the debris; "the regulator" stays a description), and
    complete a title fragment ("Sir John" -> "Sir John Bond", when the article names him in full)."""
    titles = word_class("org_person_titles")
    company = word_class("org_company_nouns")
    for src in sentences:
        src.atts = [a for a in src.atts
                    if _org_noun(a) not in company or a.name.lower() not in (a.text.lower(), _org_noun(a))]
        for att in src.atts:
            words = att.text.split()
            if len(words) == 2 and words[0].lower() in titles and att.name in (words[1], att.text):
                full = _full_name(doc, words)
                if full:
                    att.name = full.split(" ", 1)[1]  # "Sir John" -> "John Bond", as the phrase rules name him


def _full_name(doc: Doc, words: list[str]) -> str | None:
    """The longest name in the article that starts with ``words`` ("Sir John" -> "Sir John Bond")."""
    text = words_of(doc)
    best = None
    for s, e in _runs(doc):
        if e - s > 2 and text[s:s + 2] == words and (best is None or e - s > len(best)):
            best = text[s:e]
    return " ".join(best) if best else None


def org_frame(att: Attribution) -> bool:
    """Whether an attribution frames the figures of the paragraphs after it: a company's own
    results or a body's report (``source.org.frame``)."""
    return att.rule in FRAME_RULES


def own_results_actor(source: Source | None, source_rule: str, kind: ClaimKind) -> tuple[str, str] | None:
    """The actor of a company's own result: the company, whatever country the sentence names
    ("Tindale's sales in Northland rose 4%": Tindale's sales), ``actor.org.own_results``; None
    when the figure is no company's own result.

    >>> own_results_actor(Source(name="Tindale", type="company", text="Tindale"), "source.org.frame", ClaimKind.MONEY)
    ('Tindale', 'actor.org.own_results')
    """
    if source is None or source.type != SourceType.COMPANY or source_rule not in OWN_RESULT_RULES:
        return None
    return (source.name, "actor.org.own_results") if kind in RESULT_KINDS else None
