"""RDF namespaces and the kg vocabulary.

``KG`` is a closed namespace: every term used by the code must be declared here and
in ``ontologies/kg.ttl`` (a test checks both lists are equal), so a misspelt term
fails at import or in the test, never silently in the output.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace

BASE = "https://w3id.org/kg-news/"
ONTOLOGY_IRI = BASE + "ontology"

SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
GEONAMES = Namespace("https://sws.geonames.org/")
RES = Namespace(BASE + "resource/")

CLASSES = (
    # entities
    "Entity", "Person", "Organization", "GovernmentOrganization", "MilitaryUnit",
    "MediaOrganization", "Platform", "Location", "Country", "AdministrativeRegion",
    "City", "BodyOfWater", "Group", "NamedEvent", "Product", "Other",
    # statements extracted from text
    "Assertion", "Position", "Quantity", "Quote",
    # claims across articles (kept before "Event": EVENT_CLASSES is the tail of this tuple)
    "Fact",
    # events (n-ary, with roles)
    "Event", "Capture", "Attack", "Deployment", "Visit", "Meeting", "Condemnation",
    "Order", "Appointment", "Annexation", "Sanction", "Detention", "Support",
    "Agreement", "Accusation", "Death", "Election", "Acquisition", "Announcement",
    "Statement",
)

PROPERTIES = (
    # entity description
    "mentionCount", "countryCode", "nationality", "partOf", "locatedIn",
    "headquarteredIn", "holdsPosition", "positionHolder", "positionIn", "positionTitle",
    "hasPositionIn",
    # events and their roles
    "agent", "patient", "theme", "location", "destination", "recipient", "instrument",
    "eventDate", "trigger",
    # quantities
    "quantityValue", "minValue", "maxValue", "unit", "qualifier", "quantityOf", "quantityText",
    # quotes and claims
    "quoteText", "speaker", "cue", "channel", "factuality",
    # provenance of every extracted statement
    "sentence", "startChar", "endChar", "extractedBy", "confidence",
    # claims: when it was said; facts stated by several statements; conflicting figures
    "reportedDate", "evidence", "outletCount", "articleCount", "conflictsWith", "conflicting",
)

KG = ClosedNamespace(ONTOLOGY_IRI + "#", CLASSES + PROPERTIES)

#: Prefixes bound on every graph we write (order matters for stable output).
PREFIXES = {
    "kg": str(KG),
    "kgr": str(RES),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "skos": str(SKOS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "wd": str(WD),
}

#: Entity class local name -> schema.org class asserted directly on the node.
SCHEMA_TYPE = {
    "Person": SCHEMA.Person,
    "Organization": SCHEMA.Organization,
    "GovernmentOrganization": SCHEMA.GovernmentOrganization,
    "MilitaryUnit": SCHEMA.Organization,
    "MediaOrganization": SCHEMA.NewsMediaOrganization,
    "Platform": SCHEMA.Organization,
    "Location": SCHEMA.Place,
    "Country": SCHEMA.Country,
    "AdministrativeRegion": SCHEMA.AdministrativeArea,
    "City": SCHEMA.City,
    "BodyOfWater": SCHEMA.BodyOfWater,
    "Group": SCHEMA.Thing,
    "NamedEvent": SCHEMA.Event,
    "Product": SCHEMA.Product,
    "Other": SCHEMA.Thing,
}

#: Broad schema.org type asserted on every entity besides its specific one (the contract's
#: "schema:Person / schema:Organization / schema:Place / schema:Event").
SCHEMA_FAMILY_TYPE = {
    "Person": SCHEMA.Person,
    "Organization": SCHEMA.Organization,
    "Location": SCHEMA.Place,
    "Event": SCHEMA.Event,
}

#: Broad family of each entity class (used by evaluation, HTML colours, stats).
FAMILY = {
    "Person": "Person",
    "Organization": "Organization",
    "GovernmentOrganization": "Organization",
    "MilitaryUnit": "Organization",
    "MediaOrganization": "Organization",
    "Platform": "Organization",
    "Location": "Location",
    "Country": "Location",
    "AdministrativeRegion": "Location",
    "City": "Location",
    "BodyOfWater": "Location",
    "Group": "Group",
    "NamedEvent": "Event",
    "Product": "Other",
    "Other": "Other",
}

#: Event classes with their schema.org parent, all subclasses of kg:Event.
EVENT_CLASSES = CLASSES[CLASSES.index("Event") + 1:]


class Terms:
    """A namespace whose terms are made once and then reused.

    rdflib builds a new URIRef on every ``NS.term`` access; in the build's hot loops that costs
    time, and distinct-but-equal keys also miss dicts' identity shortcut. Wrap namespaces with a
    bounded set of terms only (not ``RES``, whose keys are per entity).
    """

    def __init__(self, namespace) -> None:
        self._namespace = namespace
        self._items: dict[str, URIRef] = {}

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term = getattr(self._namespace, name)
        setattr(self, name, term)  # later accesses are plain attribute reads
        return term

    def __getitem__(self, name: str) -> URIRef:
        term = self._items.get(name)
        if term is None:
            term = self._items[name] = self._namespace[name]
        return term
