"""Hand-built articles and claims for the store and export tests (plain factories, no spaCy)."""

from __future__ import annotations

from datetime import date

from models import Article, Claim, Evidence, GroupRef, Period, Place, Quantity, Source

VERSION = "0.1.0"


def make_article(path: str, sentences: list[str], published: date | None = None, **fields: object) -> Article:
    """An article whose text is the sentences joined by spaces."""
    return Article.from_text(" ".join(sentences), path=path, published=published, **fields)


def make_claim(
    article: Article,
    quantity_text: str,
    kind: str,
    value: float | None,
    unit: str,
    *,
    hedge: str = "exact",
    low: float | None = None,
    high: float | None = None,
    actor: str | None = None,
    places: list[Place] | None = None,
    source: Source | None = None,
    period: Period | None = None,
    group: GroupRef | None = None,
    version: str = VERSION,
    doc_id: str | None = None,
) -> Claim:
    """A claim on the first occurrence of ``quantity_text`` in the article, with real offsets."""
    start = article.text.index(quantity_text)
    end = start + len(quantity_text)
    sentence_start = article.text.rfind(". ", 0, start)
    sentence_start = 0 if sentence_start < 0 else sentence_start + 2
    sentence_end = article.text.find(". ", end)
    sentence = article.text[sentence_start : len(article.text) if sentence_end < 0 else sentence_end + 1]
    doc = doc_id or article.id
    return Claim(
        id=Claim.make_id(doc, start, end, kind),
        kind=kind,
        quantity=Quantity(value=value, low=low, high=high, unit=unit, hedge=hedge, text=quantity_text),
        actor=actor,
        places=places or [],
        source=source,
        reporter=article.outlet,
        period=period,
        evidence=Evidence(
            doc_id=doc,
            path=article.path,
            title=article.title,
            published=article.published,
            sentence=sentence,
            start=start,
            end=end,
            sentence_start=sentence_start,
        ),
        rules=[f"quantity.{kind}.test"],
        extractor_version=version,
        group=group,
    )


ISW = Source(name="Institute for the Study of War", type="think_tank", text="ISW figures", cue="showed")
GENERAL_STAFF = Source(
    name="General Staff of Ukraine", type="military", text="Ukraine's General Staff", cue="said"
)

KURSK = make_article(
    "seeds/kursk.txt",
    [
        "Ukraine has seized more than 1,000 square kilometres of the Kursk region, ISW figures showed.",
        "Moscow has deployed approximately 50,000 troops to the region.",
    ],
    published=date(2024, 8, 20),
    title="Kursk incursion",
    outlet="BBC",
)
POKROVSK = make_article(
    "seeds/pokrovsk.txt",
    [
        "Russia lost 1,200 soldiers near Pokrovsk in a day, Ukraine's General Staff said.",
        "Russia occupies about one-fifth of Ukraine.",
    ],
    published=date(2024, 11, 13),
    outlet="Reuters",
)
UNDATED = make_article(
    "seeds/undated.txt",
    ["Congress approved $61bn (£48bn) in aid, and 3 Patriot batteries went to Zürich \"for repairs\"."],
)


def sample() -> list[tuple[Article, list[Claim]]]:
    """Three articles, six claims covering every filterable attribute."""
    return [
        (KURSK, [
            make_claim(KURSK, "more than 1,000 square kilometres", "territory", 1000, "km2", hedge="at_least",
                       actor="Ukraine", source=ISW,
                       places=[Place(name="Kursk region", type="region", text="the Kursk region")]),
            make_claim(KURSK, "approximately 50,000 troops", "personnel", 50000, "count",
                       hedge="approximately", actor="Russia",
                       places=[Place(name="Kursk region", type="region", text="the region")],
                       period=Period(text="in August", start=date(2024, 8, 1), end=date(2024, 8, 31),
                                     resolved=True)),
        ]),
        (POKROVSK, [
            make_claim(POKROVSK, "1,200 soldiers", "casualties", 1200, "count", actor="Russia",
                       source=GENERAL_STAFF, places=[Place(name="Pokrovsk", type="city")]),
            make_claim(POKROVSK, "about one-fifth", "share", 20, "percent", hedge="approximately",
                       actor="Russia", places=[Place(name="Ukraine", type="country")]),
        ]),
        (UNDATED, [
            make_claim(UNDATED, "$61bn", "money", 61e9, "USD", actor="United States"),
            make_claim(UNDATED, "3 Patriot batteries", "equipment", 3, "count",
                       places=[Place(name="Zürich", type="city")]),
        ]),
    ]
