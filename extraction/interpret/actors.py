"""Who holds, gains, loses, deploys or suffers a quantity: the actor of a claim.

The actor follows the sentence, not the nearest name: "78,000 Russian troops" (the noun's
modifier), "a third of Russia's fleet" (the owner), "Russia attacked with 31 drones" (the
subject of a "with" phrase), "23 of them" (the figure it splits), "two civilians were killed by
Russian shelling in the Sumy region" (casualties: the side that suffers, from the place, never
the attacker), "15 drones were shot down" (equipment destroyed: the side that launched it, not
the one that downed it), "Ukraine says it has retaken" (the speaker, through "it"/"its").

Works on a processed Doc's ``actors`` and ``sources`` spans; returns plain strings.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span

from extraction.interpret.kinds import POPULATION_KINDS
from extraction.interpret.sources import RESULT_KINDS
from extraction.lexicon import lexicons
from extraction.lexicon.lexicons import word_class
from extraction.nlp.spans import lower_of, span_text, spans_of, words_of
from models import Place, Source
from models.vocab import ClaimKind, SourceType

_OWNER_KINDS = frozenset({ClaimKind.SHARE, ClaimKind.MONEY, ClaimKind.COUNT, ClaimKind.CASUALTIES,
                          ClaimKind.EQUIPMENT, ClaimKind.PERSONNEL, ClaimKind.RATIO})
#: Kinds a speaking government commits or deploys ("announced 3,000 troops", "pledged $2bn").
_COMMITTED_KINDS = frozenset({ClaimKind.PERSONNEL, ClaimKind.EQUIPMENT, ClaimKind.MONEY})
_PLACE_FIRST_KINDS = frozenset({ClaimKind.SHARE, ClaimKind.MONEY, ClaimKind.COUNT, ClaimKind.RATIO,
                                ClaimKind.CASUALTIES})


def decide_actor(doc: Doc, start: int, end: int, noun_index: int | None, kind: ClaimKind, sent: Span,
                 actors: list[Span], speakers: list[Span], near_countries: list[str], previous: str | None,
                 context: list[list[Span]], opponent: Callable[[str], str | None] | None,
                 source: Source | None, places: list[Place], place_rule: str,
                 dominant: str | None) -> tuple[str | None, str]:
    """The actor of a claim and the id of the rule that chose it, decided in one place.

    ``actor_for`` reads the sentence and the ones before it. When it names nobody: a company
    source's own results (``actor.company_results``); the country the article keeps coming back
    to, for a count or share with no place of its own (``actor.article_focus_country``); the
    country the article is about, for a national figure or a poll's (``actor.article_theatre``),
    or for a share of a part of its population (``actor.population_share``);
    else the article's dominant actor, unless a rule decided on purpose that there is none
    (``actor.none.*``) or a casualty figure would go to a bloc (``actor.article_dominant``)."""
    actor, rule = actor_for(doc, start, end, noun_index, kind, sent, actors, speakers, near_countries,
                            previous, previous is not None, context, opponent)
    if actor is not None:
        return actor, rule
    if source is not None and source.type == SourceType.COMPANY and kind in RESULT_KINDS:
        return source.name, "actor.company_results"  # a company's own results
    if place_rule == "place.article_focus" and places[0].type == "country" and kind in (
            ClaimKind.COUNT, ClaimKind.SHARE):
        return places[0].name, "actor.article_focus_country"  # "an estimated 6.2 million people in need"
    if place_rule == "place.article_theatre" and kind in POPULATION_KINDS and (
            national_figure(doc, sent) or poll_source(source)):
        return places[0].name, "actor.article_theatre"  # "interest rates on hold at 4.75%"
    if place_rule == "place.article_theatre" and kind == ClaimKind.SHARE and share_of_population(doc, end, sent):
        return places[0].name, "actor.population_share"  # "61% of 18 to 24 year olds say they will vote"
    if place_rule == "place.article_theatre" and kind == ClaimKind.CASUALTIES and rule == "actor.none" and any(
            w in word_class("civilian_words") for w in lower_of(doc)[sent.start:sent.end]):
        return places[0].name, "actor.casualties.civilians_of_theatre"  # "14,383 civilian deaths documented"
    if dominant and rule == "actor.none" and (kind != ClaimKind.CASUALTIES or _can_suffer(dominant)):
        return dominant, "actor.article_dominant"
    return None, rule


def _can_suffer(name: str) -> bool:
    """Whether an actor name is a country or an armed group (who can suffer casualties)."""
    entry = lexicons.lookup("actors").get(name.lower())
    return entry is not None and entry.type in ("country", "armed_group")


def national_figure(doc: Doc, sent: Span) -> bool:
    """Whether the sentence speaks of a country's people, government or economy ("voters",
    "government spending", "interest rates"; ``national_figure_words``)."""
    words = word_class("national_figure_words")
    return any(w in words for w in lower_of(doc)[sent.start:sent.end])


def share_of_population(doc: Doc, end: int, sent: Span) -> bool:
    """Whether the share ending at token ``end`` is "of" a part of a population named within the
    next six words ("of 16 to 20 year olds", "of young women", ``population_nouns``)."""
    lower = lower_of(doc)
    if end >= sent.end or lower[end] != "of":
        return False
    nouns = word_class("population_nouns")
    return any(w in nouns for w in lower[end + 1:min(end + 7, sent.end)])


def poll_source(source: Source | None) -> bool:
    """Whether the source is a poll or a pollster: its figures are about the polled population."""
    if source is None:
        return False
    words = word_class("poll_nouns")
    return source.type == SourceType.POLLSTER or any(w.strip(".,()") in words for w in source.text.lower().split())


def actor_mentions(doc: Doc) -> list[Span]:
    """Actor spans that can be the actor: not a source's words, not a place's owner
    ("Russia's Kursk region"), not after a locative preposition ("inside Russia")."""
    lower = lower_of(doc)
    media = {i for s in spans_of(doc, "sources") if s.id_ == "media" for i in range(s.start, s.end)}
    place_tokens = {i for p in spans_of(doc, "places") if len(p) > 1 for i in range(p.start, p.end)}
    place_starts = {p.start for p in spans_of(doc, "places")}
    out = []
    orgs = [s for s in spans_of(doc, "sources") if s.id_ in ("company",)]
    for a in sorted([*spans_of(doc, "actors"), *orgs], key=lambda s: s.start):
        if a.id_ != "company" and any(i in media for i in range(a.start, a.end)):
            continue  # "BBC Russian", "Russian news agency TASS"
        if after_locative(doc, a.start):
            continue
        if a.start in place_tokens and len(a) == 1:
            continue  # "Indian Ocean", "South China Sea"
        if a.end + 1 < len(doc) and lower[a.end] in ("'s", "’s") and a.end + 1 in place_starts:
            continue
        if not a[0].text[:1].isupper():
            continue
        out.append(a)
    return out


def after_locative(doc: Doc, i: int) -> bool:
    """True when the words before token ``i`` are a locative preposition, perhaps with "the"
    and a direction ("in the EU", "in central Moscow", "from eastern Ukraine")."""
    lower = lower_of(doc)
    j = i - 1
    if j >= 0 and lower[j] in word_class("direction_words"):
        j -= 1
    if j >= 0 and lower[j] == "the":
        j -= 1
    return j >= 0 and lower[j] in word_class("locative_prepositions")


def actor_for(doc: Doc, start: int, end: int, noun_index: int | None, kind: ClaimKind, sent: Span,
              actors: list[Span], speakers: list[Span], place_countries: list[str],
              previous: str | None, elided: bool, context: list[list[Span]],
              opponent: Callable[[str], str | None] | None = None) -> tuple[str | None, str]:
    """The actor of the claim whose figure spans tokens ``start:end`` in ``sent``, and the id of
    the rule that chose it (``actor.noun_modifier``, ``actor.launcher_of_downed``, ...; ``actor.none``
    when no rule names one).

    ``actors`` are the candidate actor spans of the document (``actor_mentions``), ``speakers``
    the actor spans inside the sentence's attributions, ``place_countries`` the countries of
    the claim's places (most specific first), ``previous`` the actor of the figure this one
    splits ("23 of them"), ``context`` the candidate actors of the sentences before, nearest first,
    ``opponent`` the article's main side other than a given country (who fires at that country).
    """
    lower = lower_of(doc)
    in_sent = [a for a in actors if a.start >= sent.start and a.end <= sent.end]
    noun_end = (noun_index + 1) if noun_index is not None else end
    for a in in_sent:  # "78,000 Russian troops", but not "1,000 UK-based troops" (where they are)
        if end <= a.start and a.end <= noun_end and not _located(doc, a):
            return actor_name(a), "actor.noun_modifier"
    if elided and previous:
        return previous, "actor.split_of_previous"
    clause_start = _clause_start(doc, start, sent)
    own = [a for a in in_sent if clause_start <= a.start < start]
    if speakers and not own and _first_person(doc, clause_start, end):
        # '"We hold 650 square kilometres," the Ukrainian commander said': the speaker's side
        return actor_name(speakers[0]), "actor.first_person_speaker"
    if kind in _OWNER_KINDS:
        owner = _owner_after(doc, noun_end, sent)
        if owner is not None:
            return actor_name(owner), "actor.owner_after_of"
    if _after_with(doc, start):  # "Russia attacked Ukraine with 31 drones"
        subject = [a for a in in_sent if a.end <= start]
        if subject:
            return actor_name(subject[0]), "actor.subject_of_with"
    giver = _giver(doc, start, clause_start, in_sent) if kind in _COMMITTED_KINDS else None
    if giver is not None:  # "Germany will send Ukraine a $500m package": the giver, not the recipient
        return actor_name(giver), "actor.giver"
    if kind in _COMMITTED_KINDS and _recipient_only(doc, start, clause_start, in_sent):
        return None, "actor.none.recipient_only"  # "The West has given Ukraine $100bn": not Ukraine's
    if kind == ClaimKind.CASUALTIES:
        # blocs, alliances and companies do not suffer casualties: "documented by the UN"
        in_sent = [a for a in in_sent if a.id_ in ("country", "armed_group")]
        context = [[a for a in prev if a.id_ in ("country", "armed_group")] for prev in context]
        sufferer = _sufferer(doc, start, end, sent, in_sent, speakers)
        if sufferer is not None:
            return sufferer, "actor.casualties.sufferer"
        if place_countries:
            return place_countries[0], "actor.casualties.place_country"
        in_sent = [a for a in in_sent if not _attacker(doc, a)]
    launched = _launched_at(doc, end, sent)
    if kind == ClaimKind.EQUIPMENT and launched and place_countries and opponent is not None:
        side = opponent(place_countries[0])  # "14 missiles were fired at the Kyiv region"
        if side is not None:
            return side, "actor.launcher_at_target"
    verb = _destroy_verb(doc, clause_start, start)
    if kind == ClaimKind.EQUIPMENT and verb is not None:
        subject = [a for a in in_sent if a.start < verb]
        others = [a for a in in_sent if a.start > verb]
        if others:
            return actor_name(others[0]), "actor.launcher_of_downed"
        banned = {a.label_ for a in subject} | {a.label_ for a in speakers}
        for prev in context:
            launched = [a for a in prev if a.label_ not in banned]
            if launched:
                return actor_name(launched[0]), "actor.launcher_of_downed.context"
        downer = subject[-1] if subject else (speakers[0] if speakers else None)
        side = opponent(downer.label_) if downer is not None and opponent is not None else None
        if side is not None:  # "Ukraine's air force said it downed 41 drones": the other side launched them
            return side, "actor.launcher_of_downed.opponent"
        return None, "actor.none.downer_only"
    for a in in_sent:  # "the 1,171 square kilometres Ukraine captured"
        if a.start == end and a.end < sent.end and doc[a.end].is_lower:
            return actor_name(a), "actor.subject_after_figure"
    before = [a for a in in_sent if a.end <= start]
    if before:
        in_clause = [a for a in before if a.start >= clause_start]
        return actor_name(in_clause[-1] if in_clause else before[0]), "actor.before_in_sentence"
    companies = [a for a in speakers if a.id_ == "company"]
    committing = (speakers and not companies and kind in _COMMITTED_KINDS and not launched
                  and speakers[0].end <= start
                  and any(w in word_class("commit_verbs") for w in lower[speakers[0].end:start]))
    # an actor after the figure, unless a speaker commits it or it is named in a condition
    # ("300,000 troops will be on alert in case Russia attacks")
    after = [a for a in in_sent if not any(w in word_class("condition_openers") for w in lower[end:a.start])]
    if after and not committing:
        return actor_name(after[0]), "actor.after_in_sentence"
    if speakers and any(w in word_class("speaker_pronouns") for w in lower[speakers[0].end:start]):
        return actor_name(speakers[0]), "actor.speaker_pronoun"  # "Ukraine says it has retaken ..."
    if companies and kind in _PLACE_FIRST_KINDS:
        return actor_name(companies[0]), "actor.company_speaker"  # "Gazprom reported a net loss of 629bn roubles"
    if speakers and not companies and kind in _COMMITTED_KINDS and not launched:
        # "Joe Biden, the US president, announced 3,000 troops for Romania"; "Japan's prime
        # minister announced a plan to invest $75bn in the region, challenging China"
        return actor_name(speakers[0]), "actor.speaker_commits"
    if place_countries and kind in _PLACE_FIRST_KINDS:
        return place_countries[0], "actor.place_country"
    for prev in context:
        if kind == ClaimKind.CASUALTIES and prev:  # the victims of an attack told of before, not its side
            victims = [a for a in prev if not _attacker(doc, a) and not _attacks(doc, a)]
            if not victims and opponent is not None and (side := opponent(prev[-1].label_)) is not None:
                # "Russia struck ... with 90 missiles. The attack killed four people."
                return side, "actor.casualties.attacked_before"
            prev = victims or prev
        strong = [a for a in prev if is_agent(a)]
        if strong or prev:
            return actor_name((strong or prev)[-1]), "actor.previous_sentence"
    return (place_countries[0], "actor.place_country") if place_countries else (None, "actor.none")


def _attacks(doc: Doc, a: Span) -> bool:
    """'Russia struck ...', 'Russia launched a major airstrike': the subject of an attack."""
    lower = lower_of(doc)
    return any(w in word_class("attack_verbs") for w in lower[a.end:min(len(doc), a.end + 2)])


def _launched_at(doc: Doc, end: int, sent: Span) -> bool:
    """'14 missiles were fired at the Kyiv region', 'drones launched towards Odesa': the figure's
    things were launched at a target named after it."""
    lower = lower_of(doc)
    words = lower[end:min(sent.end, end + 6)]
    for k, w in enumerate(words[:-1]):
        if w in word_class("launch_verbs") and words[k + 1] in word_class("launch_target_prepositions"):
            return True
    return False


def opponent_of(actors: list[Span]) -> Callable[[str], str | None]:
    """A function giving, for a country, the side the article most often names other than it
    (an article about strikes on Ukraine whose other main actor is Russia)."""
    counts: dict[str, int] = {}
    for a in actors:  # demonyms count too: "Russian missiles" names the side that fires
        if a.id_ in ("country", "armed_group", "alliance"):
            counts[a.label_] = counts.get(a.label_, 0) + 1

    def other(country: str) -> str | None:
        ranked = sorted((n for n in counts if n != country), key=lambda n: -counts[n])
        return ranked[0] if ranked and counts[ranked[0]] >= 2 else None
    return other


def _located(doc: Doc, a: Span) -> bool:
    """'UK-based', 'Russian-held', 'Kyiv-controlled': the actor names a place or holder, not the owner."""
    return a.end + 1 < len(doc) and words_of(doc)[a.end] == "-" and lower_of(doc)[a.end + 1] in word_class(
        "holder_suffixes")


def _clause_start(doc: Doc, i: int, sent: Span) -> int:
    lower = lower_of(doc)
    k = i
    while k > sent.start and lower[k - 1] not in word_class("clause_breaks"):
        k -= 1
    return k


def _giver(doc: Doc, start: int, clause_start: int, in_sent: list[Span]) -> Span | None:
    """The subject of a verb of giving before the figure in its clause: "Germany will send
    Ukraine 14 tanks", "the US has pledged Kyiv $2bn"; None when nobody is named before the verb."""
    lower = lower_of(doc)
    verbs = [k for k in range(clause_start, start) if lower[k] in word_class("give_verbs")]
    if not verbs:
        return None
    subject = [a for a in in_sent if clause_start <= a.start and a.end <= verbs[0]]
    return subject[-1] if subject else None


def _first_person(doc: Doc, lo: int, hi: int) -> bool:
    """A first-person word between tokens ``lo`` and ``hi`` ("we", "our"; "US" is not "us")."""
    words, opinion = word_class("first_person"), word_class("opinion_verbs")
    lower = lower_of(doc)
    return any(t.lower_ in words and (not t.is_upper or t.text == "I")
               and not (t.i + 1 < len(doc) and lower[t.i + 1] in opinion) for t in doc[lo:hi])


def _recipient_only(doc: Doc, start: int, clause_start: int, in_sent: list[Span]) -> bool:
    """A verb of giving before the figure whose subject names no actor, and an actor between the
    verb and the figure: that actor receives ("The West has given Ukraine $100bn")."""
    lower = lower_of(doc)
    verbs = [k for k in range(clause_start, start) if lower[k] in word_class("give_verbs")
             and not (lower[k] == "given" and k + 1 < len(doc) and lower[k + 1] in ("that", "the"))]
    if not verbs:
        return False
    owners = ("'s", "’s")
    return any(verbs[0] < a.start < start and (a.end >= len(doc) or lower[a.end] not in owners)
               for a in in_sent) and not any(
        clause_start <= a.start < verbs[0] for a in in_sent)


def _after_with(doc: Doc, i: int) -> bool:
    lower = lower_of(doc)
    j = i - 1
    while j >= 0 and lower[j] in word_class("with_lead_ins"):
        j -= 1
    return j >= 0 and lower[j] == "with"


def _owner_after(doc: Doc, i: int, sent: Span) -> Span | None:
    """'a third of Russia's Black Sea Fleet', '57% of Ukrainians', '7.4bn francs of Russian
    assets': the actor right after "of" that owns what the figure measures."""
    lower = lower_of(doc)
    j = i
    if j < sent.end and lower[j] == "of":
        j += 1
    elif lower[j - 1] != "of":  # the figure may end in "of" itself: "a fifth of"
        return None
    while j < sent.end and lower[j] in word_class("owner_determiners"):
        j += 1
    for a in spans_of(doc, "actors"):
        if a.start == j and a.end <= sent.end:
            possessive = a.end < len(doc) and lower[a.end] in ("'s", "’s")
            after = a.end + possessive
            if after < len(doc) and lower[after] in word_class("held_land_nouns"):
                return None
            low = span_text(a).lower()
            named = low == a.label_.lower() or lexicons.lookup("places").get(low)
            if named and not possessive:
                return None  # "one-fifth of Ukraine": the land itself, held by the subject
            return a
    return None


def _attacker(doc: Doc, a: Span) -> bool:
    """'a Russian missile', 'by Russian shelling', 'Russian troops killed': the side that attacks."""
    lower = lower_of(doc)
    nxt = lower[a.end] if a.end < len(doc) else ""
    prev = lower[a.start - 1] if a.start > 0 else ""
    return (nxt in word_class("attack_nouns") or prev == "by"
            or span_text(a).lower().endswith(("forces", "troops", "army")))


def _destroy_verb(doc: Doc, lo: int, i: int) -> int | None:
    lower = lower_of(doc)
    hits = [k for k in range(max(lo, i - 6), i) if lower[k] in word_class("destroy_verbs")]
    return hits[-1] if hits else None


def _sufferer(doc: Doc, start: int, end: int, sent: Span, in_sent: list[Span], speakers: list[Span]) -> str | None:
    """Who suffers casualties, when the sentence says so: the subject of "lost"/"suffered"
    ("Russia has lost 750,000 troops"), the owner of "losses"/"casualties" ("Russian losses"),
    or the speaker of "his fighters"."""
    lower = lower_of(doc)
    nxt = lower[end:min(sent.end, end + 3)]
    if nxt[:1] == ["of"] and nxt[1:2] and nxt[1] in word_class("third_person_possessives") and speakers:
        return actor_name(speakers[0])
    for a in in_sent:
        if a.end >= start:
            break
        words = lower[a.end:min(start, a.end + 5)]
        if words[:1] in (["'s"], ["’s"]):
            words = words[1:]
        if words[:1] and words[0] in word_class("casualty_heads"):
            return actor_name(a)
        if any(w in word_class("suffer_verbs") for w in words) and not any(w in (",", "said", "says") for w in words):
            return actor_name(a)
    return None


def actor_name(a: Span) -> str:
    """The canonical actor, except that a country or bloc named by its name keeps the name the
    text uses ("Britain", "the UK", "EU"): annotators and readers quote it so. Demonyms and
    metonyms ("British", "Moscow") give the canonical name."""
    text = span_text(a)
    entry = lexicons.lookup("places").get(text.lower())
    if entry is not None and entry.type == "country" and text.lower() not in word_class("capital_metonyms"):
        return text
    actor = lexicons.lookup("actors").get(text.lower())
    if actor is not None and actor.type in ("bloc", "alliance") and text.isupper() and len(text) <= 5:
        return text
    return a.label_


def dominant_actor(actors: list[Span]) -> str | None:
    """The actor an article is about when a sentence names none: the most mentioned agent."""
    counts: dict[str, int] = {}
    for a in actors:
        if is_agent(a):
            counts[a.label_] = counts.get(a.label_, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= 2 else None


def is_agent(a: Span) -> bool:
    """A noun form ("Russia", "Moscow") or a demonym heading forces ("Russian troops"),
    not a bare adjective ("the Ukrainian eastern front")."""
    doc = a.doc
    low = span_text(a).lower()
    adjective = low.endswith(tuple(word_class("demonym_adjective_endings"))) and low != a.label_.lower()
    if not adjective:
        return True
    return a.end < len(doc) and lower_of(doc)[a.end] in word_class("force_nouns")
