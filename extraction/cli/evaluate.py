"""Score extracted claims against hand-annotated gold lines (the annotation format of the
project's evaluation guide): detection precision/recall/F1, per-attribute accuracy, strict
score and the misses. Pure: works on plain dicts as exported in JSONL.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from extraction.lexicon.lexicons import word_class
from models import ClaimKind
from models.article import input_file
from models.errors import ClaimsError

#: the kinds the annotation guide scores: every ``ClaimKind``
IN_SCOPE = frozenset(kind.value for kind in ClaimKind)
#: unit -> (canonical unit, factor); the units the annotation guide accepts.
UNITS = {
    "km2": ("km2", 1), "sq km": ("km2", 1), "square kilometers": ("km2", 1), "km²": ("km2", 1),
    "square kilometres": ("km2", 1), "sq mi": ("km2", 2.589988), "mi2": ("km2", 2.589988),
    "ha": ("km2", 0.01), "hectare": ("km2", 0.01), "m2": ("km2", 1e-6),
    "km": ("km", 1), "m": ("km", 0.001), "mi": ("km", 1.609344), "mile": ("km", 1.609344),
    "km/day": ("km/day", 1), "m/day": ("km/day", 0.001), "km/d": ("km/day", 1),
    "percent": ("percent", 1), "%": ("percent", 1), "fraction": ("percent", 100),
    "times": ("times", 1), "x": ("times", 1),
}
#: Gold actor or place names that accept other names of the same actor or place: the word class
#: of those names (``gold_names_<name>`` in ``lexicon/word_classes/cli.tsv``). Other gold names
#: accept only themselves.
_ALIASED = {"russia": "russia", "ukraine": "ukraine", "north korea": "north_korea",
            "united states": "united_states", "us": "united_states",
            "united kingdom": "united_kingdom", "uk": "united_kingdom", "britain": "united_kingdom",
            "european union": "european_union", "eu": "european_union"}


def aliases(name: str) -> list[str]:
    """The names a prediction may give for the gold actor or place ``name``.

    >>> "kremlin" in aliases("Russia"), aliases("Kursk")
    (True, ['Kursk'])
    """
    cls = _ALIASED.get(name.lower())
    return sorted(word_class(f"gold_names_{cls}")) if cls else [name]


class Attribute(StrEnum):
    """The attributes a matched claim is scored on."""

    KIND = "kind"
    HEDGE = "hedge"
    ACTOR = "actor"
    PLACE = "place"
    SOURCE = "source"


ATTRIBUTES = tuple(a.value for a in Attribute)


def norm(s: str | None) -> list[str]:
    return re.sub(r"[^a-z0-9 ]+", " ", (s or "").lower().replace("’", "'")).split()


def names_match(pred: str | None, options: Iterable[str]) -> bool:
    """True when the predicted name and one of the options name the same thing (word containment)."""
    p = " ".join(norm(pred))
    if not p:
        return False
    for o in options:
        o = " ".join(norm(o))
        if o and (o == p or f" {o} " in f" {p} " or f" {p} " in f" {o} "):
            return True
    return False


def _canon(value: float | None, unit: str | None) -> float | None:
    if value is None:
        return None
    u = (unit or "").strip().lower()
    return value * UNITS[u][1] if u in UNITS else value


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=5e-3, abs_tol=1e-9)


def doc_name(path: str) -> str:
    """The gold document name of an input: its file name without extension (``dump.jsonl:12`` -> ``dump``)."""
    return os.path.splitext(os.path.basename(input_file(path)))[0]


def doc_of(claim: dict) -> str | None:
    """The gold document name of an exported claim: its file's ``doc_name``, else its doc_id."""
    ev = claim.get("evidence") or {}
    return doc_name(ev["path"]) if ev.get("path") else ev.get("doc_id")


def _pred_quantity(claim: dict) -> dict[str, float | None]:
    q = claim.get("quantity") or {}
    out = {k: _canon(q.get(k), q.get("unit")) if isinstance(q.get(k), (int, float)) else None
           for k in ("value", "low", "high")}
    if out["value"] is None and out["low"] is not None and out["high"] is not None:
        out["mid"] = (out["low"] + out["high"]) / 2
    return out


def same_quantity(gold: dict, pred: dict) -> bool:
    p = _pred_quantity(pred)
    if gold.get("value") is not None:
        gv = _canon(gold["value"], gold.get("unit"))
        return _close(gv, p["value"]) or _close(gv, p.get("mid"))
    return _close(_canon(gold["low"], gold.get("unit")), p["low"]) and _close(
        _canon(gold["high"], gold.get("unit")), p["high"])


def source_name(claim: dict) -> str | None:
    s = claim.get("source")
    if isinstance(s, dict):
        return " ".join(x for x in (s.get("name"), s.get("text")) if x)
    return s if isinstance(s, str) else None


def places_of(claim: dict) -> list[str]:
    places = claim.get("places")
    if places is None and claim.get("place"):
        places = [claim["place"]]
    return [p.get("name") if isinstance(p, dict) else p for p in places or [] if p]


CHECKS = {
    "kind": lambda g, p: p.get("kind") == g["kind"],
    "hedge": lambda g, p: (p.get("quantity") or {}).get("hedge") == g["hedge"],
    "actor": lambda g, p: names_match(p.get("actor"), aliases(g["actor"])),
    "place": lambda g, p: any(names_match(x, aliases(g["place"])) for x in places_of(p)),
    "source": lambda g, p: names_match(source_name(p), g["source"]),
}


@dataclass
class Score:
    """The figures of one evaluation."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    attributes: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in ATTRIBUTES})
    strict: int = 0
    misses: list[dict] = field(default_factory=list)
    extras: list[dict] = field(default_factory=list)
    wrong: list[tuple[str, dict, dict]] = field(default_factory=list)
    spurious_sources: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def strict_rate(self) -> float:
        return self.strict / self.gold if self.gold else 0.0

    def accuracy(self, attr: str) -> float | None:
        ok, n = self.attributes[attr]
        return ok / n if n else None

    def as_dict(self) -> dict:
        return {"gold": self.gold, "predicted": self.predicted, "matched": self.matched,
                "precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3), "strict": round(self.strict_rate, 3),
                **{f"{k}_accuracy": (round(v, 3) if (v := self.accuracy(k)) is not None else None)
                   for k in ATTRIBUTES}}


_NUMBER_FIELDS = ("value", "low", "high")
_NAME_FIELDS = (Attribute.KIND, "unit", Attribute.HEDGE, Attribute.ACTOR, Attribute.PLACE)


def load_gold(path: str | os.PathLike[str]) -> list[dict]:
    """The gold lines of a file in the annotation format, checked: ``ClaimsError`` naming the
    file and line for a line that is not JSON, not an object, lacks ``doc``, or gives a value
    that is not a number (``"value": "50,000"``) or a kind the guide does not know."""
    lines = []
    with open(path, encoding="utf-8") as fh:
        for number, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                line = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise ClaimsError(f"gold line is not JSON: {exc.msg} (column {exc.colno})", path=path,
                                  line=number) from None
            if not isinstance(line, dict):
                raise ClaimsError(f"gold line is a JSON {type(line).__name__}, not an object", path=path, line=number)
            problem = _gold_problem(line)
            if problem:
                raise ClaimsError(f"gold line {problem}", path=path, line=number)
            lines.append(line)
    if not lines:
        raise ClaimsError("no gold lines in the file", path=path)
    return lines


def _gold_problem(line: dict) -> str | None:
    if not isinstance(line.get("doc"), str) or not line["doc"]:
        return "has no \"doc\" name"
    for key in _NUMBER_FIELDS:
        if line.get(key) is not None and (isinstance(line[key], bool) or not isinstance(line[key], (int, float))):
            return f"has {key} {line[key]!r}: not a number"
    for key in _NAME_FIELDS:
        if line.get(key) is not None and not isinstance(line[key], str):
            return f"has {key} {line[key]!r}: not a string"
    if line.get("kind") is None:
        return None
    if line["kind"] not in IN_SCOPE:
        return f"has kind {line['kind']!r}: not one of {', '.join(sorted(IN_SCOPE))}"
    if line.get("value") is None and (line.get("low") is None or line.get("high") is None):
        return "has neither a value nor low and high"
    source = line.get("source")
    if source is not None and not (isinstance(source, str) or (
            isinstance(source, list) and all(isinstance(x, str) for x in source))):
        return f"has source {source!r}: not a name or a list of names"
    if isinstance(source, str):
        line["source"] = [source]
    return None


def score(gold_lines: Iterable[dict], predictions: Iterable[dict]) -> Score:
    """Match predictions to gold per document (value first, same kind preferred) and score them."""
    lines = list(gold_lines)
    docs = {g["doc"] for g in lines}
    gold = [g for g in lines if g.get("kind")]
    preds: dict[str, list[dict]] = defaultdict(list)
    for c in predictions:
        d = doc_of(c)
        if d in docs and c.get("kind") in IN_SCOPE:
            preds[d].append(c)
    s = Score(gold=len(gold), predicted=sum(len(v) for v in preds.values()))
    used: set[tuple[str, int]] = set()
    for g in gold:
        best = None
        for i, p in enumerate(preds[g["doc"]]):
            if (g["doc"], i) in used or not same_quantity(g, p):
                continue
            if best is None or p.get("kind") == g["kind"]:
                best = i
                if p.get("kind") == g["kind"]:
                    break
        if best is None:
            s.misses.append(g)
            continue
        used.add((g["doc"], best))
        p = preds[g["doc"]][best]
        s.matched += 1
        ok_all = True
        for k, fn in CHECKS.items():
            if g.get(k) is None:  # not annotated (a null actor, place or source; a hedge left out)
                s.spurious_sources += k == "source" and bool(source_name(p))
                continue
            s.attributes[k][1] += 1
            if fn(g, p):
                s.attributes[k][0] += 1
            else:
                ok_all = False
                s.wrong.append((k, g, p))
        s.strict += ok_all
    s.extras = [p for d, lst in preds.items() for i, p in enumerate(lst) if (d, i) not in used]
    return s


def report(s: Score, show_misses: bool = False) -> str:
    """The text report, in the same layout as the project's referee script."""
    out = [f"gold {s.gold}  predicted(in scope) {s.predicted}  matched {s.matched}",
           f"detection  P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}"]
    for k, (ok, n) in s.attributes.items():
        out.append(f"{k:8s} {ok}/{n}" + (f" = {ok / n:.3f}" if n else ""))
    out.append(f"sources given where none is annotated: {s.spurious_sources}")
    if show_misses:
        out += [f"MISSED: {g['doc']} {g.get('quote', '')}" for g in s.misses]
        for p in s.extras:
            q = p.get("quantity") or {}
            text = (q.get("text") or "")[:60]
            out.append(f"EXTRA: {doc_of(p)} {p.get('kind')} {q.get('value')} {q.get('unit')} {text}")
        for k, g, p in s.wrong:
            got = {"kind": p.get("kind"), "hedge": (p.get("quantity") or {}).get("hedge"), "actor": p.get("actor"),
                   "place": places_of(p), "source": source_name(p)}[k]
            out.append(f"WRONG {k}: {g['doc']} {g.get('quote', '')[:60]} | want {g[k]} | got {got}")
    out.append(f"F1 {s.f1:.3f} strict {s.strict_rate:.3f}")
    return "\n".join(out)
