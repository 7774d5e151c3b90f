"""Claim groups and conflicts, on claims built by hand."""

from __future__ import annotations

import time
from datetime import date

import pytest

from extraction.corpus.grouping import GroupingParams, claim_category, find_conflicts, group_claims, group_refs
from models.claim import Claim, Evidence, Period, Place, Quantity, Source
from models.vocab import ClaimKind, Hedge, Unit

KURSK = Place(name="Kursk region", type="region")
DONETSK = Place(name="Donetsk region", type="region")
UKRAINE = Place(name="Ukraine", type="country")
ISW = Source(name="Institute for the Study of War", type="think_tank", text="ISW")


def claim(
    doc: str,
    value: float,
    text: str,
    hedge: Hedge = Hedge.EXACT,
    kind: ClaimKind = ClaimKind.TERRITORY,
    unit: Unit = Unit.KM2,
    places: tuple[Place, ...] = (KURSK,),
    actor: str | None = "Russia",
    source: Source | None = None,
    outlet: str | None = None,
    sentence: str | None = None,
    published: date | None = date(2024, 8, 20),
    period: Period | None = None,
) -> Claim:
    sentence = sentence or f"The army said it now controls {text} of land."
    start = sentence.find(text) if text in sentence else 0
    return Claim(
        id=Claim.make_id(doc, start, start + len(text), kind.value),
        kind=kind,
        quantity=Quantity(value=value, unit=unit, hedge=hedge, text=text),
        actor=actor,
        places=list(places),
        source=source,
        reporter=outlet or f"{doc}.example",
        period=period,
        evidence=Evidence(doc_id=doc, path=f"{doc}.txt", published=published, sentence=sentence,
                          start=start, end=start + len(text), sentence_start=0),
        extractor_version="test",
    )


def test_grouping_hedged_values_agree():
    claims = [claim("a", 2700, "around 2,700 square kilometres", Hedge.APPROXIMATELY),
              claim("b", 2700, "nearly 2,700 square kilometres", Hedge.NEARLY),
              claim("c", 2700, "2,700 square kilometres")]
    (group,) = group_claims(claims)
    assert group.mentions == 3 and group.article_ids == ["a", "b", "c"]
    assert group.low <= 2700 <= group.high and group.representative.text == "2,700 square kilometres"


def test_grouping_at_least_agrees_with_a_larger_exact_value():
    claims = [claim("a", 1000, "more than 1,000 square kilometres", Hedge.AT_LEAST),
              claim("b", 1024, "1,024 square kilometres")]
    (group,) = group_claims(claims)
    assert group.mentions == 2


@pytest.mark.parametrize(
    ("other", "why"),
    [
        (claim("b", 3500, "3,500 square kilometres"), "value"),
        (claim("b", 2700, "2,700 square kilometres", kind=ClaimKind.DISTANCE, unit=Unit.KM), "kind"),
        (claim("b", 2700, "2,700 square kilometres", places=(DONETSK,)), "place"),
        (claim("b", 2700, "2,700 square kilometres", actor="Ukraine"), "actor"),
    ],
)
def test_grouping_different_claims_stay_apart(other, why):
    assert len(group_claims([claim("a", 2700, "2,700 square kilometres"), other])) == 2, why


def test_grouping_claim_without_place_joins_the_one_matching_group():
    placed = claim("a", 2700, "2,700 square kilometres")
    unplaced = claim("b", 2700, "about 2,700 square kilometres", Hedge.APPROXIMATELY, places=())
    (group,) = group_claims([placed, unplaced])
    assert group.place == "Kursk region" and group.mentions == 2
    ambiguous = claim("c", 2700, "2,700 square kilometres", places=(DONETSK,))
    assert len(group_claims([placed, unplaced, ambiguous])) == 3


def test_grouping_syndicated_copies_count_once():
    claims = [claim("wire", 2700, "2,700 square kilometres"), claim("copy1", 2700, "2,700 square kilometres"),
              claim("copy2", 2700, "2,700 square kilometres"), claim("own", 2700, "2,700 square kilometres")]
    clusters = {"wire": "dup:wire", "copy1": "dup:wire", "copy2": "dup:wire", "own": "dup:own"}
    (group,) = group_claims(claims, clusters)
    assert group.mentions == 4 and len(group.outlets) == 4 and group.independent_sources == 2
    (alone,) = group_claims(claims)  # without dedup every article is its own source
    assert alone.independent_sources == 4


def test_grouping_outlets_citing_the_same_source_count_once():
    claims = [claim("a", 2700, "2,700 square kilometres", source=ISW, outlet="one.example"),
              claim("b", 2700, "2,700 square kilometres", source=ISW.model_copy(update={"text": "the ISW"}),
                    outlet="two.example"),
              claim("c", 2700, "2,700 square kilometres", outlet="three.example")]
    (group,) = group_claims(claims)
    assert group.sources == ["Institute for the Study of War"] and group.independent_sources == 2
    assert group_refs([group])[claims[0].id].independent_sources == 2


def troops(doc: str, value: float, text: str, **kw) -> Claim:
    return claim(doc, value, text, kind=ClaimKind.PERSONNEL, unit=Unit.COUNT,
                 sentence=f"Moscow has sent {text} to the Kursk region.", **kw)


def test_grouping_conflict_on_value():
    groups = group_claims([troops("a", 50000, "50,000 troops"), troops("b", 59000, "59,000 troops"),
                           troops("c", 50000, "about 50,000 troops", hedge=Hedge.APPROXIMATELY)])
    assert len(groups) == 2
    (conflict,) = find_conflicts(groups)
    assert conflict.differs == ["value"] and sorted(conflict.values) == [(49750.0, 50250.0), (58705.0, 59295.0)]
    assert "50,000" in conflict.explanation and "59,000" in conflict.explanation


def casualties(doc: str, value: float, text: str, sentence: str, **kw) -> Claim:
    return claim(doc, value, text, kind=ClaimKind.CASUALTIES, unit=Unit.COUNT, sentence=sentence, **kw)


def test_grouping_conflict_on_category():
    killed = casualties("a", 300, "300", "At least 300 soldiers were killed in the Kursk region.")
    both = casualties("b", 1200, "1,200", "Some 1,200 soldiers were killed or wounded in the Kursk region.")
    groups = group_claims([killed, both])
    assert {g.category for g in groups} == {"killed", "killed_or_wounded"}
    (conflict,) = find_conflicts(groups)
    assert conflict.differs == ["category"]


def test_grouping_killed_and_wounded_are_not_in_conflict():
    killed = casualties("a", 5, "5", "The strike left 5 people killed and 12 wounded.")
    wounded = casualties("a", 12, "12", "The strike left 5 people killed and 12 wounded.")
    groups = group_claims([killed, wounded])
    assert {g.category for g in groups} == {"killed", "wounded"} and find_conflicts(groups) == []


def test_grouping_conflict_on_scope():
    donetsk = Place(name="Donetsk region", type="region")
    region = claim("a", 1000, "1,000 square kilometres", places=(donetsk,))
    country = claim("b", 4700, "4,700 square kilometres", places=(UKRAINE,))
    (conflict,) = find_conflicts(group_claims([region, country]))
    assert conflict.differs == ["scope"]
    # a region of another country is not part of that country's whole front
    assert find_conflicts(group_claims([claim("c", 1000, "1,000 square kilometres", places=(KURSK,)), country])) == []


def test_grouping_one_article_two_figures_is_a_change_not_a_conflict():
    then = claim("a", 1376, "about 1,376 square kilometres", hedge="approximately")
    now = claim("a", 800, "approximately 800 square kilometres", hedge="approximately")
    assert find_conflicts(group_claims([then, now])) == []


def test_grouping_kursk_and_kursk_region_are_one_place():
    a = claim("a", 50000, "some 50,000", kind=ClaimKind.PERSONNEL, unit=Unit.COUNT,
              places=(Place(name="Kursk", type="city"),))
    b = claim("b", 50000, "approximately 50,000", kind=ClaimKind.PERSONNEL, unit=Unit.COUNT, places=(KURSK,))
    assert len(group_claims([a, b])) == 1


def test_grouping_conflict_on_period():
    early = claim("a", 1000, "1,000 square kilometres", published=date(2024, 8, 10))
    later = claim("b", 1263, "1,263 square kilometres", published=date(2024, 8, 18))
    (conflict,) = find_conflicts(group_claims([early, later]))
    assert conflict.differs == ["period"]
    far = claim("c", 1400, "1,400 square kilometres", published=date(2024, 11, 1))
    assert len(find_conflicts(group_claims([early, far]))) == 0  # beyond the window: not linked


@pytest.mark.parametrize(
    ("sentence", "text", "category"),
    [
        ("At least 12 people were killed in the strike.", "12", "killed"),
        ("Russia has suffered 2,700 casualties near the town.", "2,700", "killed_or_wounded"),
        ("Some 400 soldiers were killed or wounded, officials said.", "400", "killed_or_wounded"),
        ("The attack left 7 dead and 30 injured.", "30", "wounded"),
        ("The attack left 7 dead and 30 injured.", "7", "killed"),
        ("The army has lost 1,000 men this week.", "1,000", "killed_or_wounded"),
        ("There were 15 people at the scene.", "15", None),
    ],
)
def test_grouping_casualty_category_from_the_sentence(sentence, text, category):
    c = casualties("a", float(text.replace(",", "")), text, sentence)
    assert claim_category(c) == category


def test_grouping_scales_without_comparing_all_pairs():
    claims = [claim(f"d{i}", 100 + (i % 5000) * 7, f"{100 + (i % 5000) * 7} square kilometres",
                    places=(Place(name=f"District {i % 300}", type="region"),), published=date(2024, 8, 1 + i % 28))
              for i in range(10_000)]
    t0 = time.perf_counter()
    groups = group_claims(claims)
    find_conflicts(groups, GroupingParams(max_conflicts_per_group=5))
    assert time.perf_counter() - t0 < 20
    assert sum(g.mentions for g in groups) == len(claims)


def test_grouping_no_conflict_between_far_apart_or_unanchored_figures():
    small = claim("a", 1000, "1,000 square kilometres", published=date(2024, 8, 20))
    huge = claim("b", 110649, "110,649 square kilometres", published=date(2024, 8, 21))
    assert find_conflicts(group_claims([small, huge])) == []  # a factor of 100: not one figure
    share_a = claim("a", 40, "40%", kind=ClaimKind.SHARE, unit=Unit.PERCENT)
    share_b = claim("b", 20, "20%", kind=ClaimKind.SHARE, unit=Unit.PERCENT)
    assert find_conflicts(group_claims([share_a, share_b])) == []  # a share of what? not comparable
    undated_a = claim("a", 1000, "1,000 square kilometres", published=None, places=())
    undated_b = claim("b", 1400, "1,400 square kilometres", published=None, places=())
    assert find_conflicts(group_claims([undated_a, undated_b])) == []  # nothing anchors them together


def test_grouping_tally_counts_members_in_any_order():
    """The corpus pass counts a group one stored claim at a time, in the store's order:
    ``GroupTally`` gives the group ``group_claims`` gives, whatever the order."""
    from extraction.corpus.grouping import GroupTally

    claims = [claim("a", 2700, "around 2,700 square kilometres", Hedge.APPROXIMATELY, source=ISW, outlet="Wire"),
              claim("b", 2700, "2,700 square kilometres", actor=None, published=date(2024, 8, 22)),
              claim("c", 2700, "nearly 2,700 square kilometres", Hedge.NEARLY, places=(), outlet="Wire",
                    period=Period(text="since August", start=date(2024, 8, 6), resolved=True)),
              claim("d", 2700, "some 2,700 square kilometres", Hedge.APPROXIMATELY, source=ISW,
                    published=date(2024, 8, 18))]
    (group,) = group_claims(claims, clusters={"d": "dup:a"}, appearances={"b": (3, ["Other", "Third"])})
    assert group.mentions == 6 and group.independent_sources == 3 and group.article_ids == ["a", "b", "c", "d"]
    assert group.outlets == ["Other", "Third", "Wire", "b.example", "d.example"] and group.period_end is not None
    for order in (claims, claims[::-1], claims[1:] + claims[:1]):
        tally = GroupTally()
        for c in order:
            tally.add(c, {"d": "dup:a"}.get(c.evidence.doc_id), {"b": (3, ["Other", "Third"])}.get(c.evidence.doc_id))
        assert tally.group(group.id, (group.kind, group.unit, group.category), group.low, group.high) == group
