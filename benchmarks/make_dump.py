"""Synthetic news dumps of any size, for benchmarks and tests: text we wrote, replicated and perturbed.

Each article is a headline and 4-9 sentences drawn from templates below, with places,
people, sources, figures and dates varied by a seeded random generator, so every article
is distinct (no two share an id) and carries a few quantitative claims.

    python -m benchmarks.make_dump 100000 dump.jsonl          # JSONL (".gz" to compress)
    python -m benchmarks.make_dump 2000 articles/ --txt       # one .txt file per article

>>> a = next(iter_articles(1, seed=3)); sorted(a)
['date', 'id', 'outlet', 'text', 'title']
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

PLACES = ("Kharkiv Sumy Kherson Zaporizhzhia Donetsk Luhansk Kursk Belgorod Odesa Dnipro Pokrovsk Bakhmut "
          "Kupiansk Avdiivka Mykolaiv Chernihiv Poltava Lviv Kyiv Crimea").split()
SOURCES = ("the Institute for the Study of War", "Ukraine's General Staff", "the Russian defence ministry",
           "the UN refugee agency", "the regional governor", "a senior military source", "the BBC",
           "the Kyiv School of Economics", "the World Bank", "NATO officials")
NAMES = ("Olena Kovalenko", "Andriy Melnyk", "Iryna Boyko", "Peter Hartmann", "Claire Moreau", "Tomasz Nowak",
         "Mykola Savchenko", "Hannah Berg")
ROLES = ("defence minister", "regional governor", "military spokesperson", "senior analyst", "mayor")
OUTLETS = ("example-news.org", "daily-wire.test", "the-observer.test", "kyiv-report.test", "world-desk.test")
WEAPONS = ("drones", "ballistic missiles", "cruise missiles", "glide bombs", "artillery shells")
DAYS = ("on Monday", "on Tuesday", "overnight", "on Friday", "over the weekend", "last week", "in March")

TEMPLATES = (
    "Russian forces have captured about {area} square kilometres near {place} {day}, according to {source}.",
    "{source_cap} said {n1} {weapon} were launched at {place} {day}, and {n2} of them were shot down.",
    "At least {n2} civilians were killed and {n3} wounded in the attack on {place}, {name}, the {role}, said.",
    "Some {troops} troops are massed along the border with {place}, {source} said in its latest update.",
    "The front line has moved roughly {km} kilometres in the past month, analysts at {source} estimated.",
    "Prices in {place} rose {pct}% in {year}, the central bank said.",
    "The government approved ${money} million in aid for {place}, {name} told reporters {day}.",
    "More than {n3} people have fled {place} since the offensive began, {source} reported.",
    "Ukraine received {n1} tanks and {n2} armoured vehicles from its allies this year.",
    "Officials in {place} said power had been restored to {pct} percent of homes.",
    "The {role} visited {place} {day} and met local volunteers.",
    "Residents described long queues for water and fuel in the centre of {place}.",
    "Talks on a ceasefire are expected to resume next month, diplomats said.",
    "Russian units advanced between {n1} and {n2} metres a day near {place}, {source} said.",
    "Losses were {ratio} times higher than a year earlier, according to {name}.",
    "Schools in {place} will stay closed until further notice, the city council said.",
)
HEADLINES = ("Fighting intensifies near {place}", "Aid reaches {place} after weeks of shelling",
             "{place}: what we know so far", "New strikes hit {place}", "Officials count the cost in {place}")


def _fill(template: str, rng: random.Random) -> str:
    source = rng.choice(SOURCES)
    return template.format(
        place=rng.choice(PLACES), day=rng.choice(DAYS), source=source, source_cap=source[0].upper() + source[1:],
        name=rng.choice(NAMES), role=rng.choice(ROLES), weapon=rng.choice(WEAPONS),
        area=f"{rng.randint(5, 3000):,}", n1=rng.randint(3, 90), n2=rng.randint(2, 60), n3=f"{rng.randint(10, 9000):,}",
        troops=f"{rng.randint(5, 120) * 1000:,}", km=rng.randint(2, 40), pct=rng.randint(1, 95),
        year=rng.randint(2019, 2025), money=rng.randint(5, 900), ratio=rng.choice(("two", "three", "five", "ten")),
    )


def iter_articles(n: int, seed: int = 0, sentences: tuple[int, int] = (4, 9)) -> Iterator[dict]:
    """``n`` synthetic articles as JSON-ready dicts (id, title, date, outlet, text), each of
    between ``sentences[0]`` and ``sentences[1]`` sentences."""
    rng = random.Random(seed)
    start = date(2022, 2, 24)
    low, high = sentences
    for i in range(n):
        sentences_ = [_fill(rng.choice(TEMPLATES), rng) for _ in range(rng.randint(low, high))]
        paragraphs = [" ".join(sentences_[k:k + 3]) for k in range(0, len(sentences_), 3)]
        yield {"id": f"synth-{seed}-{i}", "title": _fill(rng.choice(HEADLINES), rng),
               "date": (start + timedelta(days=rng.randint(0, 1000))).isoformat(),
               "outlet": rng.choice(OUTLETS), "text": f"Report {i}. " + "\n\n".join(paragraphs)}


def write_jsonl(path: str | Path, n: int, seed: int = 0, sentences: tuple[int, int] = (4, 9)) -> Path:
    """Write ``n`` articles to a JSONL file (gzipped when the name ends in ``.gz``)."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as fh:
        for article in iter_articles(n, seed, sentences):
            fh.write(json.dumps(article, ensure_ascii=False) + "\n")
    return path


def write_txt_dir(directory: str | Path, n: int, seed: int = 0) -> Path:
    """Write ``n`` articles as ``.txt`` files (title line, ``date | outlet`` line, body) in ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for i, a in enumerate(iter_articles(n, seed)):
        text = f"{a['title']}\n{a['date']} | {a['outlet']}\n\n{a['text']}\n"
        (directory / f"{i:07d}.txt").write_text(text, encoding="utf-8")
    return directory


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("output", help="a .jsonl / .jsonl.gz file, or a directory with --txt")
    parser.add_argument("--txt", action="store_true", help="one .txt file per article in OUTPUT/")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.txt:
        write_txt_dir(args.output, args.n, args.seed)
    else:
        write_jsonl(args.output, args.n, args.seed)


if __name__ == "__main__":
    main()
