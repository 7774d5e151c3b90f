"""Synthetic news-like articles with syndicated copies and their ground truth.

Every word here was written for this project (no publisher text). An article is a list of
*facts* (an advance, a strike, a troop build-up, an aid package, a quote...) rendered with
one of several phrasings, padded with background sentences from a small grammar, under an
outlet's page furniture (menus, footers) for some outlets. From a story the generator makes:

- copies (same ``story``): ``exact`` (re-typeset quotes and spacing), ``trimmed`` (end cut),
  ``reintro`` (new lead paragraphs, often trimmed too), ``typo`` (character edits in 2-5%
  of words), ``shuffled`` (body paragraphs reordered), ``rescraped`` (other page furniture),
  and combinations of these;
- non-copies (their own ``story``): ``paraphrase`` (the same facts re-worded, one quote kept
  verbatim), ``quote`` (an unrelated article quoting one or two sentences of the story),
  and ``failure`` pages (a site's consent wall, identical across that site's failures).

>>> docs = generate(50, seed=1)
>>> len(docs), len(copy_pairs(docs)) > 0
(50, True)

Usable by any benchmark: ``python -m benchmarks.synth 1000 > synth.jsonl`` writes JSONL.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from itertools import combinations

TOWNS = ("Kupiansk Pokrovsk Kostiantynivka Sloviansk Kramatorsk Bakhmut Avdiivka Vuhledar Huliaipole Orikhiv "
         "Robotyne Kherson Nikopol Marhanets Sumy Okhtyrka Vovchansk Lyptsi Izium Lyman Siversk Toretsk Chasiv "
         "Myrnohrad Selydove Kurakhove Novosilka Dobropillia Druzhkivka Bilozerske Tokmak Enerhodar "
         "Berdiansk Mariupol Melitopol Sudzha Korenevo Glushkovo Belgorod Shebekino Valuyki Bryansk Novozybkov "
         "Chernihiv Konotop Pryluky Poltava Kremenchuk Dnipro Pavlohrad Kryvyi-Rih Zaporizhzhia Odesa Izmail "
         "Mykolaiv Ochakiv Uman Vinnytsia Lutsk Rivne Ternopil Lviv Drohobych Uzhhorod Chernivtsi Khmelnytskyi").split()
REGIONS = ("Donetsk Luhansk Kharkiv Zaporizhzhia Kherson Sumy Kursk Belgorod Dnipropetrovsk Mykolaiv Odesa "
           "Chernihiv Poltava Bryansk Crimea Kyiv Lviv Rivne Volyn Vinnytsia").split()
COUNTRIES = ("Poland Germany France Britain Romania Moldova Slovakia Hungary Turkey Japan Canada Norway "
             "Sweden Finland Denmark Estonia Latvia Lithuania Czechia Italy Spain Netherlands Belgium").split()
FIRST = ("Olena Andriy Serhiy Iryna Mykola Oksana Taras Yulia Dmytro Natalia Pavlo Kateryna Oleh Halyna Ivan "
         "Maria Vasyl Larysa Bohdan Tetiana Anna Peter Claire Martin Sofia Lukas Emma Jonas Agnieszka Tomasz "
         "Hannah Marek Ingrid Pierre Elena Giorgi Nino Rustam Alina Viktor").split()
LAST = ("Kovalenko Shevchenko Bondarenko Tkachenko Kravchenko Oliynyk Melnyk Boyko Moroz Lysenko Marchenko "
        "Savchenko Rudenko Petrenko Hnatiuk Fedorenko Zinchenko Klymenko Yatsenko Ostapenko Novak Hartmann "
        "Lindqvist Moreau Kowalski Nowak Brennan Okafor Ferreira Haddad Svensson Dubois Varga Horvat Popescu "
        "Ionescu Berg Larsen Virtanen Tamm").split()
ROLES = ["defence minister", "regional governor", "military spokesperson", "foreign minister", "mayor",
         "deputy prime minister", "army commander", "police chief", "energy minister", "presidential adviser",
         "head of the regional council", "senior analyst", "aid coordinator", "border guard spokesperson"]
ORGS = ["the defence ministry", "the general staff", "the UN refugee agency", "the Institute for the Study of War",
        "the air force", "the regional administration", "the national police", "the state emergency service",
        "the border guard service", "the interior ministry", "the central bank", "the World Health Organization",
        "a European monitoring mission", "the national energy company", "the prosecutor general's office"]
WEAPONS = ["drones", "glide bombs", "ballistic missiles", "cruise missiles", "artillery shells", "rocket launchers",
           "attack drones", "guided bombs", "mortar rounds"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday",
        "overnight", "late on Sunday", "early on Friday", "this week", "over the weekend"]
SUBJ = ["Residents", "Local officials", "Volunteers", "Engineers", "Farmers", "Teachers", "Rescue crews",
        "Shop owners", "Medics", "Commuters", "Families", "Railway workers", "Analysts", "Diplomats", "Pensioners",
        "Students", "Journalists", "Soldiers", "Priests", "Drivers"]
VERB = ["have been repairing", "spent hours clearing", "were still counting", "described", "queued outside",
        "struggled to reach", "began rebuilding", "pointed to", "complained about", "gathered near",
        "waited for news of", "organised convoys to", "took photographs of", "returned to", "warned about"]
OBJ = ["the damaged water station", "a school with shattered windows", "the old market hall", "a burnt-out bus",
       "the only bridge across the river", "the hospital's maternity ward", "a row of collapsed garages",
       "the power substation", "the grain terminal", "the railway depot", "a queue of evacuation buses",
       "the ruins of a cultural centre", "makeshift shelters in basements", "the heating plant", "the city archive"]
ADJ = ["before the curfew", "despite the sirens", "in freezing rain", "as smoke rose over the suburbs",
       "with borrowed tools", "under a grey sky", "while shelling continued nearby", "for the third day running",
       "after the electricity came back", "as aid trucks arrived", "in near silence", "with little hope of help",
       "since the start of the month", "before the roads froze", "amid rumours of a new offensive"]
COMMENT = ["Nobody here expected it to last this long", "We simply keep working because there is no other choice",
           "The nights are the hardest part", "Everyone knows someone who has left", "We are tired but we are not "
           "leaving", "Prices have doubled since the summer", "The children have forgotten what quiet sounds like",
           "Help arrives, but always too late", "We count the drones instead of sheep", "Every repair is undone "
           "within a week"]

FACTS = {
    "advance": ["Russian forces have captured about {n} square kilometres around {town} in {region} since {month}, "
                "according to {org}.",
                "{org_cap} estimates that Moscow's troops seized roughly {n} square kilometres near {town} in the "
                "{region} region since {month}.",
                "Since {month}, Russian units have taken some {n} square kilometres of land around {town}, {org} "
                "said in its latest assessment of the {region} front.",
                "The territory lost near {town} since {month} amounts to around {n} square kilometres, {org} "
                "reported, describing fighting across {region}."],
    "strike": ["At least {k} people were killed and {w} wounded when {weapon} hit {town} {day}, the {role} of "
               "{region} said.",
               "{weapon_cap} struck {town} {day}, killing {k} people and wounding {w} others, according to the "
               "{region} {role}.",
               "The {role} of {region} said {k} civilians died and {w} were injured after {weapon} landed on "
               "{town} {day}.",
               "{day_cap}, {weapon} slammed into {town}, leaving {k} dead and {w} hurt, the {region} {role} wrote "
               "on social media."],
    "troops": ["Moscow has massed about {n} troops near {town}, the {role} {person} told reporters in {city}.",
               "Some {n} Russian soldiers are now gathered around {town}, {person}, the {role}, said during a "
               "visit to {city}.",
               "Speaking in {city}, {person} said roughly {n} troops had been moved towards {town} in recent "
               "weeks.",
               "An estimated {n} Russian servicemen have been concentrated close to {town}, {role} {person} said "
               "in {city}."],
    "aid": ["{country} will send a new package worth {m} million euros, including {n} {weapon}, its {role} "
            "announced.",
            "The government of {country} pledged {m} million euros in fresh support, among it {n} {weapon}, the "
            "{role} said.",
            "A further {m} million euros of help is coming from {country}, which promised {n} {weapon}, according "
            "to its {role}.",
            "{country}'s {role} unveiled military assistance worth {m} million euros and {n} {weapon}."],
    "refugees": ["{org_cap} says {n} people have fled {region} since {month}, most of them to {country}.",
                 "Around {n} residents have left the {region} region since {month}, {org} said, many heading for "
                 "{country}.",
                 "According to {org}, {n} people escaped {region} after {month}, with {country} taking in the "
                 "largest share.",
                 "The number of people who have left {region} since {month} has reached {n}, {org} estimated, "
                 "many bound for {country}."],
    "energy": ["Power was cut to {n} homes in {region} after {weapon} damaged a substation near {town} {day}.",
               "About {n} households in the {region} region lost electricity {day} when {weapon} hit equipment "
               "close to {town}.",
               "{weapon_cap} knocked out a substation by {town} {day}, leaving {n} homes across {region} without "
               "power.",
               "Some {n} families in {region} were left in the dark {day} after an attack with {weapon} on "
               "installations near {town}."],
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
CONSENT = [
    "We and our partners use cookies and similar technologies to store and access information on your device "
    "for personalised advertising and content, measurement and audience research.",
    "You can accept all, reject non-essential cookies or choose your settings at any time by clicking the privacy "
    "link at the bottom of every page of this website.",
    "Please enable JavaScript in your browser and reload the page to continue reading this article on our site.",
]
COPY_KINDS = ["exact", "trimmed", "reintro", "typo", "shuffled", "rescraped", "trimmed+typo", "reintro+typo",
              "shuffled+typo", "reintro+trimmed+shuffled"]


@dataclass(frozen=True)
class SynthDoc:
    """One generated page; ``story`` is the ground truth: same story = copies of each other."""

    doc_id: str
    text: str
    published: date | None
    outlet: str
    story: str
    variant: str


@dataclass
class _Outlet:
    name: str
    menu: list[str]
    footer: list[str]


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def person(self) -> str:
        return f"{self.r.choice(FIRST)} {self.r.choice(LAST)}"

    def slots(self) -> dict[str, str]:
        r = self.r
        org, weapon, day = r.choice(ORGS), r.choice(WEAPONS), r.choice(DAYS)
        return {"town": r.choice(TOWNS), "region": r.choice(REGIONS), "country": r.choice(COUNTRIES),
                "org": org, "org_cap": org[0].upper() + org[1:], "weapon": weapon,
                "weapon_cap": weapon[0].upper() + weapon[1:], "day": day, "day_cap": day[0].upper() + day[1:],
                "role": r.choice(ROLES), "person": self.person(), "city": r.choice(TOWNS),
                "month": r.choice(MONTHS), "k": str(r.randint(2, 60)), "w": str(r.randint(3, 140)),
                "m": str(r.choice([5, 12, 40, 75, 120, 250, 400, 650])),
                "n": f"{r.choice([40, 120, 450, 900, 1300, 2700, 4600, 12000, 35000, 50000, 180000]):,}"}

    def background(self) -> str:
        r = self.r
        s = f"{r.choice(SUBJ)} in {r.choice(TOWNS)} {r.choice(VERB)} {r.choice(OBJ)} {r.choice(ADJ)}."
        if r.random() < 0.3:
            s += f' "{r.choice(COMMENT)}," said {self.person()}, {r.randint(19, 84)}.'
        return s

    def paragraph(self, fact: tuple[str, dict, int] | None) -> str:
        sents = [self.background() for _ in range(self.r.randint(1, 3))]
        if fact is not None:
            kind, slots, phrasing = fact
            sents.insert(self.r.randint(0, len(sents)), FACTS[kind][phrasing].format(**slots))
        return " ".join(sents)

    def facts(self) -> list[tuple[str, dict, int]]:
        return [(k, self.slots(), self.r.randrange(4)) for k in self.r.sample(list(FACTS), self.r.randint(2, 4))]

    def article(self, facts: list[tuple[str, dict, int]]) -> list[str]:
        """Title line plus paragraphs, the facts spread over the first paragraphs."""
        n = self.r.randint(5, 12)
        paras = [self.paragraph(facts[i] if i < len(facts) else None) for i in range(n)]
        head = facts[0][1]
        return [f"{head['town']}: {facts[0][0]} report from {head['region']}", *paras]

    def outlet(self, i: int) -> _Outlet:
        r = self.r
        menu = [r.choice(["Home", "News", "World", "Europe", "Opinion", "Video", "Weather", "Sport", "Live"])
                for _ in range(r.randint(6, 14))] if r.random() < 0.4 else []
        footer = [f"Copyright {r.choice(LAST)} Media Group. All rights reserved. Reproduction of any material from "
                  f"this site requires written permission of the editors in {r.choice(TOWNS)}."] if menu else []
        return _Outlet(f"outlet{i:03d}.example", menu, footer)


def _typo(words: list[str], rng: random.Random, rate: float) -> list[str]:
    out = []
    for w in words:
        if len(w) > 3 and rng.random() < rate:
            i = rng.randrange(1, len(w) - 1)
            op = rng.randrange(3)
            w = w[:i] + w[i + 1] + w[i] + w[i + 2:] if op == 0 else w[:i] + w[i + 1:] if op == 1 else \
                w[:i] + rng.choice("aeioutnrs") + w[i:]
        out.append(w)
    return out


def _render(paras: list[str], outlet: _Outlet, rng: random.Random, writer: _Writer) -> str:
    body = "\n\n".join(paras)
    if not outlet.menu:
        return body
    related = [writer.background().rstrip(".") for _ in range(rng.randint(0, 3))]
    return "\n".join(outlet.menu) + "\n" + body + "\n" + "\n".join(related + outlet.footer)


def _copy(kind: str, paras: list[str], rng: random.Random, writer: _Writer) -> list[str]:
    title, body = paras[0], list(paras[1:])
    for step in kind.split("+"):
        if step == "trimmed":
            body = body[: max(2, round(len(body) * rng.uniform(0.4, 0.85)))]
        elif step == "reintro":
            title = rng.choice(["Update: ", "Breaking: ", "Latest: "]) + title
            body = [writer.paragraph(None) for _ in range(rng.randint(1, 2))] + body
        elif step == "typo":
            rate = rng.uniform(0.02, 0.05)
            body = [" ".join(_typo(p.split(" "), rng, rate)) for p in body]
        elif step == "shuffled":
            rest = body[1:]
            rng.shuffle(rest)
            body = body[:1] + rest
    return [title, *body]


def generate(n_docs: int, seed: int = 0, copy_share: float = 0.35, start: date = date(2024, 3, 1)) -> list[SynthDoc]:
    """``n_docs`` pages: originals, their copies (about ``copy_share``), paraphrases, quoting articles, failures."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    outlets = [writer.outlet(i) for i in range(max(8, n_docs // 40))]
    docs: list[SynthDoc] = []
    originals: list[tuple[str, list[str], list, date, str]] = []
    consent = {o.name: o for o in rng.sample(outlets, max(1, len(outlets) // 10))}

    def emit(paras: list[str] | str, outlet: _Outlet, story: str, variant: str, day: date | None) -> str:
        text = paras if isinstance(paras, str) else _render(paras, outlet, rng, writer)
        docs.append(SynthDoc(f"s{len(docs):07d}", text, day, outlet.name, story, variant))
        return text

    while len(docs) < n_docs:
        roll = rng.random()
        if originals and roll < copy_share:
            story, paras, facts, day, text = rng.choice(originals[-200:])  # syndication happens within days
            kind = rng.choice(COPY_KINDS)
            when = None if rng.random() < 0.1 else day + timedelta(days=rng.randint(0, 2))
            if kind == "exact":  # the same page re-typeset: curly quotes, doubled spaces
                copied: list[str] | str = text.replace('"', "\u201c", 1).replace(". ", ".  ")
            else:
                copied = _copy(kind, paras, rng, writer)
            emit(copied, rng.choice(outlets), story, kind, when)
        elif originals and roll < copy_share + 0.05:
            _, paras, facts, day, _ = rng.choice(originals[-200:])
            rephrased = [(k, s, (p + rng.randint(1, 3)) % 4) for k, s, p in facts]
            new = writer.article(rephrased)
            quoted = [s for p in paras[1:] for s in p.split(". ") if s.startswith('"')]
            if quoted:
                new.insert(rng.randint(2, len(new)), quoted[0] + ".")
            emit(new, rng.choice(outlets), f"p{len(docs)}", "paraphrase", day + timedelta(days=1))
        elif originals and roll < copy_share + 0.10:
            _, paras, _, day, _ = rng.choice(originals[-500:])
            new = writer.article(writer.facts())
            sents = [s for p in paras[1:] for s in p.split(". ") if len(s.split()) > 8 and s[0] != '"']
            for s in rng.sample(sents, min(len(sents), rng.randint(1, 2))):
                new.insert(rng.randint(2, len(new)), f'As {writer.person()} put it, "{s.rstrip(".")}."')
            emit(new, rng.choice(outlets), f"q{len(docs)}", "quote", day + timedelta(days=rng.randint(0, 5)))
        elif roll < copy_share + 0.11:
            outlet = rng.choice(list(consent.values()))  # one consent text: all failures are copies
            emit("\n".join([*outlet.menu, "Before you continue", *CONSENT]), outlet, "failure", "failure", None)
        else:
            day = start + timedelta(days=len(originals) // 60)
            facts = writer.facts()
            paras = writer.article(facts)
            story = f"o{len(docs)}"
            text = emit(paras, rng.choice(outlets), story, "original", day)
            originals.append((story, paras, facts, day, text))
    return docs


def copy_pairs(docs: list[SynthDoc]) -> set[frozenset[str]]:
    """Ground-truth copy pairs: every pair of pages of one story."""
    by_story: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        by_story[d.story].append(d.doc_id)
    return {frozenset(p) for ids in by_story.values() for p in combinations(ids, 2)}


def main(argv: list[str]) -> None:
    n = int(argv[1]) if len(argv) > 1 else 1000
    for d in generate(n, seed=int(argv[2]) if len(argv) > 2 else 0):
        row = asdict(d)
        row["published"] = d.published.isoformat() if d.published else None
        sys.stdout.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main(sys.argv)
