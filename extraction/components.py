"""The spaCy components of the claims pipeline: thin wrappers around data files.

Each ruler writes to its own ``doc.spans`` key (quantities, hedges, cues, dates, places,
actors, sources); assembly (``extraction.assemble``) reads them.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_suffix_regex

from extraction import lexicons

#: Unit suffixes glued to digits in news copy ("994sq km", "$5bn", "10.8m people").
_GLUED_SUFFIXES = r"(?<=[0-9])(?:sq|bn|mn|mln|bln|tn|trn|k|pc|kms|sqkm|km2|km²)"

_SENT_END = {".", "!", "?", "…"}
_CLOSERS = {'"', "”", "’", "'", ")", "»"}

#: Which spans key each ruler family writes and whether overlapping matches are kept.
RULER_FAMILIES: dict[str, dict[str, Any]] = {
    "quantities": {"longest": True},
    "hedges": {"longest": True},
    "cues": {"longest": True},
    "dates": {"longest": True},
}


def customize_tokenizer(nlp: Language) -> None:
    """Split units glued to numbers, so "994sq km" tokenises as 994 / sq / km."""
    suffixes = list(nlp.Defaults.suffixes or []) + [_GLUED_SUFFIXES]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    infixes = list(nlp.Defaults.infixes or []) + [r"[—–]"]  # "2024—six times" is two words
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


@Language.component("news_sentences")
def news_sentences(doc: Doc) -> Doc:
    """Set sentence starts: after a line break, and after . ! ? (plus closing quotes) before a
    token that does not start in lower case. Abbreviations ("Dr.", "U.S.") are single tokens
    in spaCy's English tokenizer, so they never end a sentence here.
    """
    n = len(doc)
    if not n:
        return doc
    doc[0].is_sent_start = True
    prev_end = False
    for i in range(1, n):
        tok = doc[i]
        prev = doc[i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
            prev_end = False
            continue
        text = prev.text
        if text in _SENT_END:
            prev_end = True
        elif not (prev_end and text in _CLOSERS):
            prev_end = False
        if prev_end and tok.text not in _CLOSERS and not tok.is_space:
            first = tok.text[0]
            tok.is_sent_start = not first.islower()
            prev_end = False
        else:
            tok.is_sent_start = False
    return doc


def add_rule_ruler(nlp: Language, family: str) -> SpanRuler:
    """Add a SpanRuler loaded with ``patterns/<family>.jsonl``, writing to ``doc.spans[family]``."""
    cfg: dict[str, Any] = {"spans_key": family, "validate": False, "overwrite": False}
    if RULER_FAMILIES.get(family, {}).get("longest"):
        cfg["spans_filter"] = {"@misc": "spacy.first_longest_spans_filter.v1"}
    ruler = nlp.add_pipe("span_ruler", name=f"{family}_ruler", config=cfg)
    patterns = [
        {"label": rule.label, "pattern": list(p), "id": rule.id}
        for rule in lexicons.rules(family)
        for p in rule.patterns
    ]
    ruler.add_patterns(patterns)  # type: ignore[union-attr]
    return ruler  # type: ignore[return-value]


def add_gazetteer_ruler(nlp: Language, kind: str) -> SpanRuler:
    """Add a case-insensitive phrase ruler over a gazetteer (places, actors or sources).

    Span label = canonical name; span id = the entry's type. Longest match wins.
    """
    cfg = {
        "spans_key": kind,
        "phrase_matcher_attr": "LOWER",
        "validate": False,
        "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
    }
    ruler = nlp.add_pipe("span_ruler", name=f"{kind}_ruler", config=cfg)
    entries = {"places": lexicons.places, "actors": lexicons.actors, "sources": lexicons.sources}[kind]()
    patterns: list[dict[str, Any]] = []
    for entry in entries:
        for form in entry.aliases:
            words = form.split()
            if len(words) == 1 and "-" not in form and "." not in form[:-1]:
                # one word: exact case, so "US" is not "us" and "Polish" not "polish"
                pattern: Any = [{"ORTH": form}]
            else:
                pattern = form
            patterns.append({"label": entry.name, "pattern": pattern, "id": entry.type or kind})
    ruler.add_patterns(patterns)  # type: ignore[union-attr]
    return ruler  # type: ignore[return-value]
