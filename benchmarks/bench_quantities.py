"""Value F1 and speed of our quantity extractor on NewsQuant, against quantulum3 in the same run.

Run: ``python -m benchmarks.bench_quantities --newsquant /tmp/newsquant/NewsQuant.json``
(``--limit N`` for the first N sentences, ``--repeats R`` timed passes, ``--errors FILE`` to
write every sentence's gold and predictions as JSON lines for error analysis).

What counts as a quantity (see benchmarks/QUANTITIES.md for the reasoning): NewsQuant annotates
amounts, counts of things, durations, ages and unit-less numbers, and leaves out dates, years,
clock times and ordinals. So every mention ``quantities_in_text`` returns is a prediction except
those it marks ``date``, ``year``, ``time``, ``ordinal`` or ``name``. Two other readings are scored too:
``strict`` also drops bare numbers marked ``other`` (names, designators, scores, small unit-less
numbers), ``claims`` keeps only mentions that are claims.

Values are compared as written: the extractor converts "35 miles" to 56.33 km, NewsQuant
annotates 35 (unit mile), so the conversion factor of the unit found in the mention is undone;
fractions, which the extractor gives in percent, are compared as fractions (a third = 0.333).

CQE itself needs a model download and cannot run here: its figures (value F1 0.92, about
800 words/s on these machines) are the reference numbers from the issue.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.newsquant import Counts, Prediction, Sentence, load_newsquant, score_one_to_one, score_sentence

CQE_VALUE_F1 = 0.92
CQE_WORDS_PER_S = 800.0
PUBLISHED_QUANTULUM_F1 = 0.73

NOT_QUANTITIES = frozenset({"date", "year", "time", "ordinal", "name"})
#: Mention marks for what NewsQuant does not annotate as a quantity: numbers inside names and
#: designators ("S&P 500", "Game 7"), "one" as a pronoun, tied scores ("2-2"), and multiplier
#: words with no numeral in them ("twice as", "doubled"; "sixfold" and "six times" count).
NOT_COUNTED_MARKS = ("is_name", "is_pronoun", "is_score", "no_numeral")

#: Our canonical units in NewsQuant's vocabulary (its ``normalized_unit``, lower-cased).
CANONICAL_NAMES = {
    "USD": "dollar", "EUR": "euro", "GBP": "pound sterling", "JPY": "japanese yen", "CNY": "chinese yuan",
    "CAD": "canadian dollar", "AUD": "australian dollar", "CHF": "swiss franc", "INR": "indian rupee",
    "RUB": "russian ruble", "UAH": "ukrainian hryvnia", "percent": "percentage", "times": "count",
    "km/day": "kilometre per day",
}
#: Surface unit words (as in the unit table) -> NewsQuant's name for the unit as written.
SURFACE_NAMES = {
    "km": "kilometre", "kms": "kilometre", "kilometres": "kilometre", "kilometers": "kilometre",
    "kilometre": "kilometre", "kilometer": "kilometre", "miles": "mile", "mile": "mile", "metres": "metre",
    "meters": "metre", "metre": "metre", "meter": "metre", "sq km": "square kilometre",
    "square km": "square kilometre", "square kilometres": "square kilometre",
    "square kilometers": "square kilometre", "km2": "square kilometre", "sq miles": "square mile",
    "sq mile": "square mile", "sq mi": "square mile", "square miles": "square mile", "square mile": "square mile",
    "square metres": "square metre", "square meters": "square metre", "sq m": "square metre",
    "hectares": "hectare", "hectare": "hectare", "ha": "hectare", "acres": "acre",
}
_IRREGULAR = {"people": "people", "men": "man", "women": "woman", "children": "child", "feet": "foot",
              "viruses": "virus", "series": "series", "species": "species"}
_TRAILERS = re.compile(r"\s+(?:worth|(?:a|per|each|every)\s+day|daily)$|\s*/\s*d(?:ay)?$", re.I)
_AGE_NOUNS = {"year": "year of age", "years": "year of age", "month": "month of age", "months": "month of age",
              "week": "week of age", "weeks": "week of age", "day": "day of age", "days": "day of age"}


def singular(noun: str) -> str:
    """Naive English singular, enough to compare with NewsQuant's lemmatized units."""
    n = noun.lower()
    if n in _IRREGULAR:
        return _IRREGULAR[n]
    if n.endswith("ies") and len(n) > 4:
        return n[:-3] + "y"
    if n.endswith(("ches", "shes", "sses", "xes")):
        return n[:-2]
    if n.endswith("s") and not n.endswith(("ss", "us", "is")):
        return n[:-1]
    return n


def _surface_unit(text: str) -> tuple[str, float] | None:
    """The unit written at the end of a mention and its factor to our canonical unit."""
    from extraction.lexicon.units import unit_table

    t = _TRAILERS.sub("", " ".join(text.lower().split()))
    for key in sorted(unit_table(), key=len, reverse=True):
        if t.endswith(key) and (len(t) == len(key) or t[-len(key) - 1].isdigit() or t[-len(key) - 1] == " "):
            return key, unit_table()[key][1]
    return None


def ours_to_prediction(m) -> Prediction:
    """One of our Mentions in the benchmark's terms: value as written, NewsQuant unit name."""
    kind = m.not_claim.value if m.not_claim is not None else "claim"
    factor, unit = 1.0, CANONICAL_NAMES.get(m.unit, m.unit)
    if m.family in ("length", "area", "rate"):
        hit = _surface_unit(m.text)
        if hit is not None:
            factor = hit[1]
            unit = SURFACE_NAMES.get(hit[0], unit) + (" per day" if m.family == "rate" else "")
    elif m.family == "fraction":
        factor = 100.0
    elif m.family in ("measure", "money"):
        factor = m.factor  # "12 kg" (0.012 t), "34 cents" (0.34 USD): as written
    elif m.family == "number":
        if kind == "age":
            unit = _AGE_NOUNS.get(m.noun or "", "year of age")
        elif m.noun:
            unit = singular(m.noun)
        elif m.unit == "count":
            unit = "-"
    if m.value is not None:
        value, canonical = round(m.value / factor, 9), m.value
    else:
        value, canonical = (round(m.low / factor, 9), round(m.high / factor, 9)), (m.low, m.high)
    return Prediction(value, unit.lower(), m.text, kind, {"family": m.family,
                      "name": any(getattr(m, k) for k in NOT_COUNTED_MARKS)},
                      alt=(canonical,) if canonical != value else ())


def keep(pred: Prediction, policy: str) -> bool:
    """Whether a mapped mention is a NewsQuant quantity under a reading (see module docstring)."""
    if policy == "claims":
        return pred.kind == "claim"
    if policy == "one_to_one":
        return pred.kind not in NOT_QUANTITIES  # issue 14: only these marks are not predictions
    if pred.kind in NOT_QUANTITIES or pred.extra.get("name"):
        return False  # dates, ordinals, numbers inside names ("S&P 500", "Game 7"), "each one"
    if policy == "strict":
        return not (pred.kind == "other" and pred.extra.get("family") == "number")
    return True


#: Quantulum3's unit names that differ from NewsQuant's.
QUANTULUM_NAMES = {
    "dimensionless": "-", "unk": "-", "per cent": "percentage", "united states dollar": "dollar",
    "dollar dollar": "dollar", "tonne": "metric ton", "degree angle": "degree", "degree celsius": "celsius",
    "degree fahrenheit": "fahrenheit",
}


def quantulum_to_prediction(q) -> Prediction:
    name = q.unit.name.lower().strip()
    return Prediction(float(q.value), QUANTULUM_NAMES.get(name, name), q.surface, "quantulum3")


def timed_passes(fn: Callable[[str], list], sentences: list[Sentence], repeats: int) -> tuple[list, float, float]:
    """Run ``fn`` on every sentence ``repeats`` times: the outputs of the last pass and the
    median CPU and wall seconds of one pass. A warm-up call (loading) is not timed. CPU time
    (``process_time``) is what one core does, whatever else runs on a shared machine."""
    fn("Warm-up: 3 tanks, 12% and $5 million.")
    cpu, wall, outputs = [], [], []
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        outputs = [fn(s.text) for s in sentences]
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return outputs, statistics.median(cpu), statistics.median(wall)


def run_ours(sentences: list[Sentence], repeats: int) -> tuple[list, float, float]:
    """Our Mentions per sentence through the public API, and the timings."""
    from extraction.run.api import quantities_in_text

    return timed_passes(quantities_in_text, sentences, repeats)


def run_ours_full_pipeline(sentences: list[Sentence], repeats: int) -> tuple[list, float, float]:
    """Check: the mentions of the full claims pipeline (cues and gazetteers too), which
    ``quantities_in_text`` must reproduce while running only the quantity families."""
    from extraction.interpret.quantities import mentions_from_doc
    from extraction.nlp.pipeline import get_nlp

    nlp = get_nlp()
    return timed_passes(lambda t: mentions_from_doc(nlp(t)), sentences, repeats)


def run_quantulum(sentences: list[Sentence], repeats: int) -> tuple[list[list[Prediction]], float, float]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser

        outputs, cpu, wall = timed_passes(parser.parse, sentences, repeats)
    return [[quantulum_to_prediction(q) for q in qs] for qs in outputs], cpu, wall


def _same_mentions(a: list, b: list) -> bool:
    key = lambda ms: [(m.start_char, m.end_char, m.value, m.low, m.high, m.unit, m.not_claim) for m in ms]  # noqa: E731
    return all(key(x) == key(y) for x, y in zip(a, b, strict=True))


def evaluate(sentences: list[Sentence], preds: list[list[Prediction]], average_ranges: bool = False):
    counts = Counts()
    results = [score_sentence(s, p, counts, average_ranges) for s, p in zip(sentences, preds, strict=True)]
    return counts, results


HEADER = ("| system                       | val P | val R | val F1| 1:1 F1| v+u F1| preds | words/s CPU|  vs q3  |"
          "  vs CQE |\n|------------------------------|-------|-------|-------|-------|-------|-------|------------|"
          "---------|---------|")


def _row(name: str, c: Counts, words_per_s: float | None, q_wps: float | None) -> str:
    p, r, f = c.prf(c.value_hits)
    _, _, fu = c.prf(c.unit_hits)
    _, _, fs = c.prf(c.strict_hits)
    speed = f"{words_per_s:>10,.0f}" if words_per_s else f"{'—':>10}"
    vs_q = f"{words_per_s / q_wps:>7.1f}x" if words_per_s and q_wps else f"{'—':>8}"
    vs_cqe = f"{words_per_s / CQE_WORDS_PER_S:>7.1f}x" if words_per_s else f"{'—':>8}"
    return (f"| {name:<28} | {p:.3f} | {r:.3f} | {f:.3f} | {fs:.3f} | {fu:.3f} | {c.predicted:>5} |"
            f" {speed} | {vs_q} | {vs_cqe} |")


def dump_errors(path: str, results: list) -> None:
    """Every sentence's gold and predictions with their match flags, one JSON line each."""
    with open(path, "w", encoding="utf-8") as fh:
        for r in results:
            fh.write(json.dumps({
                "i": r.sentence.index, "text": r.sentence.text,
                "gold": [{"value": g.value, "unit": g.unit, "surface_unit": g.surface_unit, "hit": hit}
                         for g, hit in zip(r.sentence.gold, r.matched_gold, strict=True)],
                "pred": [{"text": p.text, "value": p.value, "unit": p.unit, "kind": p.kind,
                          "family": p.extra.get("family"), "hit": hit}
                         for p, hit in zip(r.predictions, r.matched_pred, strict=True)],
            }) + "\n")


def provenance() -> str:
    """Which extractor was measured: version, commit, and whether extraction/ had local edits."""
    from extraction.nlp.pipeline import EXTRACTOR_VERSION

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], capture_output=True, text=True, timeout=10,
                                  cwd=Path(__file__).resolve().parents[1]).stdout.strip()
        except OSError:
            return ""

    head = git("rev-parse", "--short", "HEAD") or "?"
    dirty = " + uncommitted changes in extraction/" if git("status", "--porcelain", "--", "extraction") else ""
    return f"extractor {EXTRACTOR_VERSION}, commit {head}{dirty}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--newsquant", required=True, help="path to NewsQuant.json (not shipped)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N sentences")
    ap.add_argument("--repeats", type=int, default=3, help="timed passes per system (median)")
    ap.add_argument("--errors", default=None, help="write per-sentence gold/predictions (ours) as JSONL")
    ap.add_argument("--no-quantulum", action="store_true", help="skip quantulum3")
    args = ap.parse_args(argv)

    sentences = load_newsquant(args.newsquant, args.limit)
    words = sum(s.words for s in sentences)
    gold = sum(len(s.gold) for s in sentences)
    print(f"NewsQuant: {len(sentences)} sentences, {words} words, {gold} gold quantities; {provenance()}\n")

    mentions, our_cpu, our_wall = run_ours(sentences, args.repeats)
    ours = [[ours_to_prediction(m) for m in ms] for ms in mentions]
    our_wps = words / our_cpu
    q_wps = None
    if not args.no_quantulum:
        qpreds, q_cpu, q_wall = run_quantulum(sentences, args.repeats)
        q_wps = words / q_cpu
    light, light_cpu, _ = run_ours_full_pipeline(sentences, args.repeats)

    print(HEADER)
    primary = primary_counts = None
    for policy, label in (("benchmark", "ours"), ("strict", "ours (strict: no bare other)"),
                          ("claims", "ours (claims only)")):
        kept = [[p for p in ps if keep(p, policy)] for ps in ours]
        counts, results = evaluate(sentences, kept)
        print(_row(label, counts, our_wps if policy == "benchmark" else None, q_wps))
        if policy == "benchmark":
            primary, primary_counts = results, counts
    one, _ = score_one_to_one(sentences, [[p for p in ps if keep(p, "one_to_one")] for ps in ours])
    p1, r1, f1 = one.prf()
    print(f"| {'ours, one-to-one (issue 14)':<28} | {p1:.3f} | {r1:.3f} | {f1:.3f} | {f1:.3f} |   —   |"
          f" {one.predicted:>5} | {'':>10} | {'':>7} | {'':>7} |")
    same = _same_mentions(light, mentions)
    light_counts, _ = evaluate(sentences, [[p for p in map(ours_to_prediction, ms) if keep(p, "benchmark")]
                                           for ms in light])
    print(_row("ours, full pipeline (check)" + ("" if same else " (!)"), light_counts, words / light_cpu, q_wps))
    if q_wps is not None:
        counts, _ = evaluate(sentences, qpreds, average_ranges=True)
        print(_row("quantulum3", counts, q_wps, q_wps))
    print(f"| {'CQE (reference, from issue)':<28} |   —   |   —   | {CQE_VALUE_F1:.3f} |   —   |   —   |   —   |"
          f" {CQE_WORDS_PER_S:>10,.0f} | {f'{CQE_WORDS_PER_S / q_wps:.2f}x' if q_wps else '—':>8} |    1.0x |")
    print(f"\nwall clock per pass: ours {our_wall:.2f} s ({words / our_wall:,.0f} words/s)"
          + (f", quantulum3 {q_wall:.2f} s ({words / q_wall:,.0f} words/s)" if q_wps else ""))
    print("'full pipeline (check)' = the same mentions from the whole claims pipeline"
          + ("" if same else " -- (!) its mentions DIFFER from quantities_in_text"))
    if primary_counts is not None and primary_counts.strict_hits:
        acc = primary_counts.strict_unit_hits / primary_counts.strict_hits
        print(f"unit accuracy (ours, on one-to-one value matches): {acc:.3f}")
    print(f"published quantulum3 value F1 on NewsQuant: {PUBLISHED_QUANTULUM_F1}")
    print(f"target: value F1 > {CQE_VALUE_F1} and >= {50 * CQE_WORDS_PER_S:,.0f} words/s (50x CQE)")
    if args.errors:
        dump_errors(args.errors, primary)
        print(f"per-sentence errors written to {args.errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
