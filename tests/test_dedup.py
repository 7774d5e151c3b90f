"""Near-duplicate detection on articles written for these tests (no publisher text)."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from extraction.corpus.dedup import (
    DedupParams,
    NearDupIndex,
    cluster_documents,
    cluster_map,
    containment,
    content_text,
    normalise,
    shingle_hashes,
)
from extraction.run.settings import Settings
from models.article import normalise_text

STORY = [
    "Heavy rain flooded the lower districts of Marhanka on Tuesday night, forcing the evacuation of about 400 "
    "residents from houses along the river, the regional emergency service said.",
    "Rescue crews in rubber boats worked until dawn to reach families stranded on the upper floors of their homes, "
    "while volunteers handed out blankets and hot tea at the central school.",
    "The river rose by almost two metres in six hours after a dam upstream released water that had built up during "
    "a week of storms across the northern hills, officials said.",
    "Mayor Ilona Vasko told reporters that the town had never seen water so high in living memory and asked the "
    "government for emergency funds to repair the bridge and the pumping station.",
    "Two elderly men were taken to hospital with hypothermia, but no deaths have been reported, according to the "
    "local police, who closed the main road to the south for at least two days.",
    "Farmers on the plain below the town said they had lost most of their winter crops, and some of them had moved "
    "cattle to higher pastures before the water arrived in the middle of the night.",
    "Forecasters expect more rain over the weekend, and the emergency service has warned people living near the "
    "river to keep documents and medicines ready in case they have to leave again.",
    "The regional governor is due to visit Marhanka on Thursday to inspect the damage and meet the families who "
    "spent the night in the school gym, her office said in a short statement.",
]
OTHER = [
    "The city council of Dolny Brod voted on Monday to close the old tram line that has run along the harbour "
    "since the nineteen twenties, ending months of debate among residents.",
    "Supporters of the line gathered outside the town hall with banners and a brass band, arguing that the trams "
    "are part of the identity of the port and attract visitors every summer.",
    "The council said the cost of replacing worn rails and ageing carriages had become too high, and that electric "
    "buses would take over the route from the beginning of next spring.",
    "A petition signed by several thousand people asked the council to look for private investors, but the mayor "
    "said no company had shown interest after two rounds of talks last year.",
    "Some of the carriages will be sold to a museum in the capital, and one of them will stay at the harbour as a "
    "cafe, according to plans presented at the meeting.",
    "Local shop owners fear the change will reduce the number of tourists who stop in the narrow streets near the "
    "fish market, where the trams turn towards the old lighthouse.",
]
PARAPHRASE = [
    "Some 400 people had to leave their homes in Marhanka after torrential rain swamped the low-lying parts of the "
    "town overnight into Wednesday, emergency officials reported.",
    "Teams using inflatable boats spent the night pulling residents from flooded buildings, and the central school "
    "became a shelter where helpers served warm drinks.",
    "According to the authorities, water let out from a reservoir upstream after days of storms pushed the river "
    "nearly two metres higher within a few hours.",
    "Ilona Vasko, the mayor, said nobody could remember such a flood and called on the national government to pay "
    "for fixing the damaged bridge and pumps.",
    "Police said two old men suffered from cold and were in hospital, adding that nobody had died, and the southern "
    "road will stay shut for a couple of days.",
    "Meteorologists predict further showers at the weekend, so people by the river have been told to prepare "
    "their papers and medication for another evacuation.",
]


def page(paras: list[str]) -> str:
    return "\n\n".join(paras)


def cluster_of(clusters, doc_id: str) -> str:
    return cluster_map(clusters)[doc_id]


def test_dedup_exact_copy_is_found_by_hash():
    index = NearDupIndex()
    assert index.add("a", page(STORY)) is None
    retyped = page(STORY).replace("'", "\u2019").replace(" ", "  ").upper()
    match = index.add("b", retyped)
    assert match is not None and match.exact and match.similarity == 1.0 and match.canonical_id == "a"


@pytest.mark.parametrize(
    ("name", "copy"),
    [
        ("trimmed", STORY[:4]),
        ("reintroduced", ["Update: officials now say the flood is receding in the north of the town, but the "
                          "southern districts remain under water and more rain is expected."] + STORY[:6]),
        ("shuffled", [STORY[0]] + random.Random(1).sample(STORY[1:], len(STORY) - 1)),
    ],
)
def test_dedup_modified_copy_joins_the_original(name, copy):
    clusters = cluster_documents([("orig", page(STORY), date(2024, 5, 1)), (name, page(copy), date(2024, 5, 2)),
                                  ("other", page(OTHER), date(2024, 5, 1))])
    assert cluster_of(clusters, name) == cluster_of(clusters, "orig") != cluster_of(clusters, "other")


def typo(text: str, rate: float, seed: int) -> str:
    rng = random.Random(seed)
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) > 3 and rng.random() < rate:
            j = rng.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(words)


def test_dedup_typo_copy_joins_the_original():
    index = NearDupIndex()
    index.add("orig", page(STORY), date(2024, 5, 1))
    match = index.add("typo", typo(page(STORY), 0.04, seed=3), date(2024, 5, 1))
    assert match is not None and not match.exact and match.cluster_id == "dup:orig"
    assert 0.5 <= match.similarity < 1.0


def test_dedup_unrelated_article_quoting_one_sentence_is_not_merged():
    quoting = OTHER[:3] + [f'As one resident put it after the flood, "{STORY[3]}"'] + OTHER[3:]
    clusters = cluster_documents([("flood", page(STORY), date(2024, 5, 1)), ("tram", page(quoting), None)])
    assert cluster_of(clusters, "flood") != cluster_of(clusters, "tram")


def test_dedup_paraphrase_is_not_merged():
    clusters = cluster_documents([("flood", page(STORY), date(2024, 5, 1)), ("rewrite", page(PARAPHRASE), None)])
    assert cluster_of(clusters, "flood") != cluster_of(clusters, "rewrite")


def test_dedup_page_furniture_shared_by_two_stories_does_not_merge_them():
    menu = ["Home", "News", "Weather", "Sport", "Sign in", "Latest headlines from our region and beyond"]
    headlines = [f"Council approves budget for road number {i} in the western district" for i in range(30)]
    a = "\n".join(menu + STORY[:3] + headlines)
    b = "\n".join(menu + OTHER[:3] + headlines)
    clusters = cluster_documents([("a", a, None), ("b", b, None)])
    assert cluster_of(clusters, "a") != cluster_of(clusters, "b")


def test_dedup_consent_wall_is_not_merged_with_the_story():
    banner = ["We use cookies to improve your experience on our site and to show you relevant advertising.",
              "By clicking accept you agree to the use of cookies as described in our privacy policy.",
              "You can change your choice at any time from the privacy settings at the bottom of each page."]
    story, wall = page(banner + STORY + OTHER), "\n".join(["Accept all", *banner, "Manage settings"])
    clusters = cluster_documents([("story", story, date(2024, 5, 1)), ("wall", wall, date(2024, 5, 1)),
                                  ("wall-again", wall, date(2024, 5, 2))])
    assert cluster_of(clusters, "story") != cluster_of(clusters, "wall") == cluster_of(clusters, "wall-again")


@pytest.mark.parametrize(
    ("dates", "canonical"),
    [
        ((date(2024, 5, 3), date(2024, 5, 1), date(2024, 5, 2)), "trimmed"),  # earliest wins
        ((None, None, None), "full"),  # undated: longest wins
        ((date(2024, 5, 1), date(2024, 5, 1), None), "full"),  # same day: longest wins
        ((None, date(2024, 5, 2), None), "trimmed"),  # a dated member beats undated ones
    ],
)
def test_dedup_canonical_is_earliest_else_longest(dates, canonical):
    texts = {"full": page(STORY), "trimmed": page(STORY[:5]), "typo": typo(page(STORY[:6]), 0.03, 1)}
    docs = [(d, texts[d], p) for d, p in zip(texts, dates, strict=True)]
    (cluster,) = cluster_documents(docs)
    assert cluster.canonical_id == canonical and cluster.members[0].doc_id == canonical
    streamed = NearDupIndex()
    for doc in docs:  # arrival order need not be canonical order: the canonical is updated
        streamed.add(*doc)
    assert streamed.clusters()[0].canonical_id == canonical


def test_dedup_incremental_add_equals_batch():
    rng = random.Random(5)
    docs = [("flood", page(STORY), date(2024, 5, 1)), ("tram", page(OTHER), date(2024, 5, 1)),
            ("flood-trim", page(STORY[:5]), date(2024, 5, 2)), ("tram-typo", typo(page(OTHER), 0.03, 2), None),
            ("rewrite", page(PARAPHRASE), date(2024, 5, 2)), ("flood-copy", page(STORY), date(2024, 5, 3))]
    shuffled = rng.sample(docs, len(docs))
    batch = cluster_documents(shuffled)
    index = NearDupIndex(Settings())
    for doc in sorted(docs, key=lambda d: (d[2] is None, d[2] or date.max, -len(" ".join(d[1].split())), d[0])):
        index.add(*doc)
    assert index.clusters() == batch
    assert cluster_map(batch) == {"flood": "dup:flood", "flood-trim": "dup:flood", "flood-copy": "dup:flood",
                                  "tram": "dup:tram", "tram-typo": "dup:tram", "rewrite": "dup:rewrite"}


def test_dedup_settings_thresholds_are_used():
    params = DedupParams.from_settings(Settings(dedup_min_containment=0.99))
    assert params.min_containment == 0.99
    clusters = cluster_documents([("a", page(STORY), None), ("b", page(STORY[:4]) + "\n\n" + page(OTHER[:4]), None)],
                                 params)
    assert len(clusters) == 2


def test_dedup_retired_clusters_keep_their_members():
    index = NearDupIndex(DedupParams(max_clusters=1))
    index.add("flood", page(STORY))
    index.add("tram", page(OTHER))  # retires the flood cluster: its copies now found no more
    assert index.add("flood-copy", page(STORY[:6])) is None
    assert [c.id for c in index.clusters()] == ["dup:flood", "dup:tram", "dup:flood-copy"]


def test_dedup_sorted_posting_runs_give_the_same_clusters_as_the_buffer():
    rng = random.Random(2)
    vocab = [f"{a}{b}" for a in ("ka", "lo", "mi", "ne", "su", "ta") for b in ("ra", "vo", "di", "pe", "go", "lu")]
    filler = [(f"f{i}", page([" ".join(rng.choices(vocab, k=30)) + "." for _ in range(4)]), None) for i in range(40)]
    docs = filler + [("flood", page(STORY), date(2024, 5, 1)), ("tram", page(OTHER), date(2024, 5, 1)),
                     ("flood-trim", page(STORY[:5]), date(2024, 5, 2)), ("tram-typo", typo(page(OTHER), 0.03, 2), None)]
    small = cluster_documents(docs, DedupParams(buffer_postings=16))  # many sorted runs, merged
    assert small == cluster_documents(docs)
    assert cluster_of(small, "flood-trim") == "dup:flood" and cluster_of(small, "tram-typo") == "dup:tram"


def test_dedup_content_drops_menus_and_headline_lists():
    text = "Home\nNews\nSport\nMore from our correspondents in the northern regions\n" + STORY[0]
    assert content_text(text) == STORY[0]
    assert content_text("Short\nlines\nonly") == "Short\nlines\nonly"


def test_dedup_containment_of_a_trimmed_copy_is_high():
    full = shingle_hashes(normalise(page(STORY)).split())
    part = shingle_hashes(normalise(page(STORY[:3])).split())
    assert containment(full, part) == 1.0 and containment(full, np.zeros(0, np.uint64)) == 0.0


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_dedup_normalise_equals_normalise_text(text):
    assert normalise(text) == normalise_text(text)
