"""Deterministic synthetic news articles for benchmarks (no real article text).

Each article is drawn from its own ``random.Random(seed, index)``, so article ``i`` is the same
whatever N is: the 1k corpus is the first tenth of the 10k one. Articles mix topics (business
deals, diplomacy, conflict, disasters, courts, elections, sanctions, science) written with
varied syntax: active and passive clauses, appositions, relative clauses, fronted phrases,
direct quotes before and after their speaker, reported speech, numbers, dates and durations.

Run: python benchmarks/generate.py N OUT.jsonl [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from typing import Iterator

FIRST = ("Amara", "Jonas", "Mei", "Rafael", "Ingrid", "Tomasz", "Leila", "Kwame", "Sofia", "Dmitri", "Aiko",
         "Carlos", "Fatima", "Henrik", "Priya", "Oliver", "Yusuf", "Elena", "Mateus", "Nadia", "Pieter", "Hana",
         "Gabriel", "Zofia", "Samuel", "Lucia", "Kenji", "Amina", "Viktor", "Chloe", "Rohan", "Astrid", "Omar",
         "Beatriz", "Lars", "Chiara", "Tariq", "Mirela", "Daniel", "Ngozi", "Felix", "Irina", "Marco", "Selin")
LAST = ("Okafor", "Lindqvist", "Zhang", "Moreira", "Haugen", "Kowalski", "Haddad", "Mensah", "Rossi", "Volkov",
        "Tanaka", "Herrera", "Rahman", "Johansson", "Sharma", "Whitfield", "Demir", "Petrova", "Costa", "Benali",
        "de Vries", "Novak", "Laurent", "Nowak", "Adeyemi", "Ferraro", "Sato", "Diallo", "Kovac", "Dubois",
        "Iyer", "Nilsen", "Farouk", "Carvalho", "Berg", "Esposito", "Qureshi", "Popescu", "Cohen", "Eze",
        "Brandt", "Sokolova", "Bianchi", "Yilmaz", "Marsh", "Achebe", "Lund", "Varga", "Okonkwo", "Moreau")
# (country, demonym, capital, other cities)
COUNTRIES = (
    ("Germany", "German", "Berlin", ("Hamburg", "Munich", "Leipzig")),
    ("France", "French", "Paris", ("Lyon", "Marseille", "Toulouse")),
    ("Poland", "Polish", "Warsaw", ("Krakow", "Gdansk", "Wroclaw")),
    ("Kenya", "Kenyan", "Nairobi", ("Mombasa", "Kisumu", "Nakuru")),
    ("Brazil", "Brazilian", "Brasilia", ("Sao Paulo", "Recife", "Salvador")),
    ("Japan", "Japanese", "Tokyo", ("Osaka", "Nagoya", "Sapporo")),
    ("India", "Indian", "New Delhi", ("Mumbai", "Chennai", "Pune")),
    ("Canada", "Canadian", "Ottawa", ("Toronto", "Vancouver", "Calgary")),
    ("Nigeria", "Nigerian", "Abuja", ("Lagos", "Kano", "Ibadan")),
    ("Norway", "Norwegian", "Oslo", ("Bergen", "Trondheim", "Stavanger")),
    ("Turkey", "Turkish", "Ankara", ("Istanbul", "Izmir", "Bursa")),
    ("Mexico", "Mexican", "Mexico City", ("Monterrey", "Guadalajara", "Puebla")),
    ("Italy", "Italian", "Rome", ("Milan", "Naples", "Turin")),
    ("Egypt", "Egyptian", "Cairo", ("Alexandria", "Giza", "Luxor")),
    ("Ukraine", "Ukrainian", "Kyiv", ("Kharkiv", "Odesa", "Lviv")),
    ("Chile", "Chilean", "Santiago", ("Valparaiso", "Concepcion", "Antofagasta")),
    ("Indonesia", "Indonesian", "Jakarta", ("Surabaya", "Bandung", "Medan")),
    ("Spain", "Spanish", "Madrid", ("Barcelona", "Valencia", "Seville")),
)
FIRM_STEMS = ("Norvik", "Alderan", "Castell", "Brightwater", "Kestrel", "Solano", "Vantor", "Meridia", "Oakhurst",
              "Trelis", "Arkwright", "Belmont", "Cygnet", "Halvard", "Lumora", "Pinecrest", "Quorra", "Redfern",
              "Silvaner", "Tamsin", "Ulmeric", "Westmark", "Zephyra", "Corvane")
FIRM_KINDS = ("Holdings", "Group", "Energy", "Logistics", "Pharmaceuticals", "Bank", "Motors", "Telecom",
              "Shipping", "Mining", "Foods", "Aerospace")
MINISTRIES = ("Finance", "Defence", "Health", "Foreign Affairs", "Energy", "Transport", "Interior", "Agriculture")
OUTLETS = ("Daily Meridian", "The Northern Courier", "Global Wire", "Harbour Times", "Continental Post")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SAY = ("said", "told reporters", "said in a statement", "wrote on social media", "told a news conference")
FILLER = (
    "Analysts had expected the move for several months.",
    "The announcement came after weeks of speculation.",
    "Details of the arrangement were not made public.",
    "Officials declined to give further details.",
    "Markets reacted calmly to the news.",
    "The decision is expected to be reviewed next year.",
    "Critics said the plan lacked a clear timetable.",
    "It was not immediately clear how the measures would be funded.",
    "Talks are due to resume later this month.",
    "Local media reported similar concerns earlier in the week.",
)


class World:
    """One article's random draws: people, places and organisations it can talk about."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.people: dict[str, str] = {}

    def person(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name not in self.people:
                self.people[name] = name.split(" ", 1)[1]
                return name

    def country(self) -> tuple[str, str, str, tuple[str, ...]]:
        return self.rng.choice(COUNTRIES)

    def firm(self) -> str:
        return f"{self.rng.choice(FIRM_STEMS)} {self.rng.choice(FIRM_KINDS)}"

    def ministry(self, country: str) -> str:
        m = self.rng.choice(MINISTRIES)
        return self.rng.choice((f"the Ministry of {m} of {country}", f"{country}'s Ministry of {m}",
                                f"the {m} Ministry"))

    def day(self) -> str:
        return self.rng.choice(WEEKDAYS)

    def amount(self) -> str:
        n = self.rng.choice((self.rng.randint(2, 950), round(self.rng.uniform(1.1, 9.9), 1)))
        return f"{n} {self.rng.choice(('million', 'billion'))} {self.rng.choice(('euros', 'dollars', 'pounds'))}"


def _quote(w: World, speaker: str, words: str) -> str:
    surname = w.people.get(speaker, speaker)
    comma = words.rstrip(".") + ","  # "We are ready," she said.
    return w.rng.choice((
        f'"{comma}" {surname} {w.rng.choice(SAY)}.',
        f'{speaker} {w.rng.choice(SAY)}: "{words}"',
        f'"{comma}" said {speaker}.',
        f'According to {surname}, "{words[0].lower() + words[1:]}"',
    ))


def business(w: World) -> tuple[str, list[str]]:
    buyer, target = w.firm(), w.firm()
    ceo, analyst = w.person(), w.person()
    country, _, capital, cities = w.country()
    city = w.rng.choice(cities)
    amount, day = w.amount(), w.day()
    title = w.rng.choice((f"{buyer} to buy {target} for {amount}", f"{target} agrees takeover by {buyer}"))
    paras = [
        w.rng.choice((
            f"{buyer} has agreed to acquire {target}, a rival based in {city}, for {amount}, the company said on {day}.",
            f"On {day}, {target} was acquired by {buyer} in a deal worth {amount}.",
            f"In a deal announced on {day}, {buyer}, which is headquartered in {capital}, will buy {target} for {amount}.",
        )),
        f"{ceo}, the chief executive of {buyer}, said the purchase would create {w.rng.randint(100, 4000)} jobs "
        f"in {country} over {w.rng.randint(2, 6)} years. " + _quote(w, ceo, "This is a landmark day for both companies."),
        w.rng.choice((
            f"{analyst}, an analyst at {w.firm()} in {capital}, said regulators were likely to examine the deal closely.",
            f"Regulators in {country} are expected to review the takeover, {analyst} of {w.firm()} said.",
        )) + " " + w.rng.choice(FILLER),
        f"Shares in {target} rose {round(w.rng.uniform(1, 30), 1)} percent in {capital} trading. " + w.rng.choice(FILLER),
    ]
    return title, paras


def diplomacy(w: World) -> tuple[str, list[str]]:
    (c1, d1, cap1, _), (c2, d2, cap2, cities2) = w.rng.sample(COUNTRIES, 2)
    leader, minister = w.person(), w.person()
    role = w.rng.choice(("President", "Prime Minister"))
    day = w.day()
    title = w.rng.choice((f"{d1} {role.lower()} visits {c2}", f"{leader} meets {d2} officials in {cap2}"))
    paras = [
        w.rng.choice((
            f"{role} {leader} of {c1} arrived in {cap2} on {day} for two days of talks.",
            f"{c1}'s {role.lower()}, {leader}, travelled to {cap2} on {day}, the first such visit in {w.rng.randint(3, 20)} years.",
        )),
        f"{leader} met {minister}, the foreign minister of {c2}, and the two sides signed an agreement on "
        f"{w.rng.choice(('trade', 'energy', 'security', 'migration', 'climate'))} cooperation.",
        _quote(w, minister, f"Our countries share a long history and a common future."),
        w.rng.choice((
            f"The delegation will also visit {w.rng.choice(cities2)}, where {d1} companies operate several factories.",
            f"Later in the week, {leader} is due to travel to {w.rng.choice(cities2)} to meet business leaders.",
        )) + " " + w.rng.choice(FILLER),
    ]
    return title, paras


def conflict(w: World) -> tuple[str, list[str]]:
    country, demonym, capital, cities = w.country()
    city = w.rng.choice(cities)
    general, spokesman = w.person(), w.person()
    n = w.rng.randint(3, 60)
    day = w.day()
    brigade = f"{w.rng.randint(1, 99)}th {w.rng.choice(('Mechanised', 'Mountain', 'Marine', 'Airborne'))} Brigade"
    title = w.rng.choice((f"Fighting near {city} leaves {n} dead", f"{demonym} forces capture soldiers near {city}"))
    paras = [
        w.rng.choice((
            f"At least {n} people were killed when artillery struck the outskirts of {city} on {day}, officials said.",
            f"{demonym} troops captured {w.rng.randint(2, 12)} soldiers near {city} on {day}, {w.ministry(country)} said.",
        )),
        f"The {brigade}, commanded by General {general}, was deployed to the region last month. "
        f"Spokesman {spokesman} said the unit had repelled {w.rng.randint(2, 15)} attacks since then.",
        f'"The situation remains very difficult," {w.people[spokesman]} said, adding that {w.rng.randint(100, 5000)} '
        f"residents had been evacuated to {capital}.",
        w.rng.choice(FILLER),
    ]
    return title, paras


def disaster(w: World) -> tuple[str, list[str]]:
    country, _, capital, cities = w.country()
    city = w.rng.choice(cities)
    mayor, expert = w.person(), w.person()
    dead, displaced = w.rng.randint(2, 80), w.rng.randint(500, 90000)
    kind = w.rng.choice(("floods", "a landslide", "wildfires", "a storm"))
    title = f"{kind.capitalize()} kill {dead} in {country}" if kind != "a storm" else f"Storm hits {city}"
    paras = [
        f"{kind.capitalize()} killed at least {dead} people and forced about {displaced} from their homes in and around "
        f"{city}, authorities in {country} said on {w.day()}.",
        w.rng.choice((
            f"{mayor}, the mayor of {city}, called for emergency funds from {capital}.",
            f"The mayor of {city}, {mayor}, who was re-elected last year, asked the government for help.",
        )),
        _quote(w, expert, "We have not seen rainfall like this for decades.") +
        f" {expert} is a climate scientist at the University of {city}.",
        f"Rescue teams from {w.rng.choice(COUNTRIES)[0]} arrived on {w.day()}. " + w.rng.choice(FILLER),
    ]
    return title, paras


def court(w: World) -> tuple[str, list[str]]:
    country, _, capital, cities = w.country()
    defendant, judge, lawyer = w.person(), w.person(), w.person()
    firm = w.firm()
    years = w.rng.randint(2, 14)
    title = w.rng.choice((f"Former {firm} chief jailed for fraud", f"{defendant} sentenced to {years} years"))
    paras = [
        f"A court in {capital} sentenced {defendant}, the former finance director of {firm}, to {years} years in prison "
        f"for fraud on {w.day()}.",
        w.rng.choice((
            f"Judge {judge} said {defendant} had diverted {w.amount()} from the company's accounts.",
            f"Prosecutors said the money, about {w.amount()}, was moved through companies in {w.rng.choice(cities)}.",
        )),
        f"{lawyer}, who represents {w.people[defendant]}, said the verdict would be appealed. "
        + _quote(w, lawyer, "My client has always maintained his innocence."),
        w.rng.choice(FILLER),
    ]
    return title, paras


def election(w: World) -> tuple[str, list[str]]:
    country, demonym, capital, _ = w.country()
    winner, rival = w.person(), w.person()
    party = f"{w.rng.choice(('Democratic', 'People', 'Green', 'Liberal', 'National', 'Progressive'))} " \
            f"{w.rng.choice(('Alliance', 'Party', 'Movement', 'Union'))}"
    share = round(w.rng.uniform(35, 62), 1)
    title = f"{winner} wins {demonym} presidential election"
    paras = [
        f"{winner} of the {party} won {country}'s presidential election with {share} percent of the vote, the electoral "
        f"commission said on {w.day()}.",
        f"Turnout was {round(w.rng.uniform(40, 80), 1)} percent. {rival}, who came second, conceded defeat in a speech in {capital}.",
        _quote(w, winner, "Tonight the people have chosen change."),
        f"{winner} will be sworn in on {w.rng.randint(1, 28)} {w.rng.choice(('January', 'March', 'June', 'October'))}. "
        + w.rng.choice(FILLER),
    ]
    return title, paras


TOPICS = (business, diplomacy, conflict, disaster, court, election)


def article(index: int, seed: int = 0) -> dict[str, str]:
    """Article number ``index`` of the corpus drawn with ``seed`` (a JSON Lines record for ``kg build``)."""
    rng = random.Random(f"{seed}:{index}")
    w = World(rng)
    title, paras = rng.choice(TOPICS)(w)
    for _ in range(rng.randint(1, 4)):  # length varies: some articles carry a second story
        _, more = rng.choice(TOPICS)(w)
        paras.extend(more[1:])
    day = date(2024, 1, 1) + timedelta(days=rng.randint(0, 365))
    outlet = rng.choice(OUTLETS)
    return {"id": f"synth-{index:06d}", "title": title, "date": day.isoformat(), "source": outlet,
            "url": f"https://news.example.org/{day.isoformat()}/{index}", "text": "\n\n".join(paras)}


def articles(n: int, seed: int = 0) -> Iterator[dict[str, str]]:
    """The first ``n`` articles of the corpus drawn with ``seed``."""
    for i in range(n):
        yield article(i, seed)


def write_jsonl(n: int, path: str, seed: int = 0) -> int:
    """Write ``n`` articles as JSON Lines to ``path``; return the number of words written."""
    words = 0
    with open(path, "w", encoding="utf-8") as fh:
        for rec in articles(n, seed):
            words += len(rec["text"].split())
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return words


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("n", type=int)
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    words = write_jsonl(args.n, args.out, args.seed)
    print(f"{args.n} articles, {words} words -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
