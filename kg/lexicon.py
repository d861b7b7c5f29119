"""Word lists shared by the rule extractors (general English news vocabulary)."""

from __future__ import annotations

#: spaCy NER label -> kg entity class (None: not an entity node).
LABEL_TYPES = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Location",
    "LOC": "Location",
    "FAC": "Location",
    "NORP": "Group",
    "EVENT": "NamedEvent",
    "PRODUCT": "Product",
    "WORK_OF_ART": "Other",
    "LAW": "Other",
}

#: kg classes that are places / organisations (what "is a place", "is an organisation" means everywhere).
LOCATION_TYPES = frozenset({"Location", "Country", "AdministrativeRegion", "City", "BodyOfWater"})
ORG_TYPES = frozenset({"Organization", "GovernmentOrganization", "MilitaryUnit", "MediaOrganization", "Platform"})

#: Titles and role words for people (lowercase; multiword titles are matched as phrases).
TITLE_WORDS = frozenset("""
president vice-president vice prime minister ministers chancellor premier king queen prince princess
emperor pope cardinal bishop archbishop sheikh emir sultan ayatollah
secretary secretary-general undersecretary spokesman spokeswoman spokesperson press spokesperson
chief head director deputy commander commander-in-chief general lieutenant colonel major captain
admiral marshal sergeant officer colonel-general
governor mayor senator congressman congresswoman representative lawmaker legislator mp speaker
ambassador envoy diplomat consul attorney prosecutor judge justice magistrate
chairman chairwoman chair ceo cfo coo cto founder co-founder executive chief-executive managing
partner analyst economist adviser advisor aide official officials lawyer researcher professor
dr mr mrs ms sir dame lord lady
leader coach manager captain striker goalkeeper editor correspondent reporter
""".split())

#: Titles whose holder leads a country when no organisation is named.
HEAD_OF_STATE_TITLES = frozenset(
    "president prime minister premier chancellor king queen emperor emir sultan".split()
)

#: Head nouns that make a capitalised phrase an organisation.
ORG_HEADS = frozenset("""
agency administration army assembly association authority bank board bureau cabinet centre center
chamber coalition command commission committee company corporation council court corps department
directorate division embassy federation force forces foundation front fund government group guard
institute intelligence league ministry movement navy office organisation organization parliament party
police regiment service services society staff union university airline airlines airways bank
inc corp ltd llc plc ag sa gmbh co holdings partners motors group network news times post press
aircraft aerospace airplanes electric electronics energy systems technologies technology industries
pharmaceuticals foods railways railway steel oil petroleum gas power capital management insurance media
entertainment communications telecom telecommunications studios records labs laboratories exchange
workers union unions club federation logistics shipping
""".split())

#: Head nouns that make a capitalised phrase a named event.
EVENT_HEADS = frozenset("""
conference summit show expo exhibition festival games olympics championship championships cup
tournament forum congress convention fair week marathon election elections war
""".split())

#: Trailing words of a company name that do not change which company it is.
CORPORATE_SUFFIXES = frozenset("""
inc incorporated corp corporation co company ltd limited llc plc ag sa spa nv bv gmbh se ab asa oyj
group holding holdings
""".split())

#: Head nouns of a sub-unit named "X of Y" ("Main Intelligence Directorate of the Ministry of Defence").
SUBUNIT_NOUNS = frozenset("""
directorate department division office unit branch bureau committee service agency command
administration section wing secretariat inspectorate council commission
""".split())

#: Acronyms that are units, currencies or time zones, not organisations.
UNIT_ACRONYMS = frozenset("""
gb mb kb tb gbps mbps usd eur gbp jpy cny rub uah chf utc gmt est edt pst pdt cet cest bst am pm
km kg mph kmh ghz mhz mw gw kw kwh pc tv
""".split())

MILITARY_HEADS = frozenset(
    "army navy forces force corps brigade battalion regiment division squadron fleet guard guards "
    "command marines military troops militia".split()
)
GOVERNMENT_HEADS = frozenset(
    "ministry department directorate service agency administration government cabinet council "
    "commission parliament senate congress court police office bureau authority embassy".split()
)

#: Plural people nouns that make "North Korean soldiers" a Group; value = group category.
PEOPLE_NOUNS = {
    **dict.fromkeys("troops soldiers personnel servicemen servicemembers fighters combatants "
                    "forces units paratroopers marines sailors pilots conscripts mercenaries "
                    "commandos".split(), "troops"),
    **dict.fromkeys("prisoners detainees captives hostages pows".split(), "prisoners"),
    **dict.fromkeys("people citizens nationals civilians residents voters".split(), "people"),
    **dict.fromkeys("refugees migrants asylum-seekers evacuees".split(), "refugees"),
    **dict.fromkeys("officials diplomats authorities leaders lawmakers".split(), "officials"),
}

#: Nouns after a demonym that denote the country's armed forces as a whole.
ARMED_FORCES_NOUNS = frozenset("military army forces armed-forces".split())

WEEKDAYS_MONTHS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
""".split())

#: Credit and boilerplate words that are never entity names on their own.
BOILERPLATE = frozenset("""
reporting editing writing additional compiled staff reporter newswire correspondent photo credit
share subscribe advertisement home privacy policy cookie cookies menu search login sign comment
comments no-comment news world read more most newsletter contact terms follow
""".split())

#: Reporting verbs (lemma) -> factuality of what is reported.
REPORTING_VERBS = {
    **dict.fromkeys("say tell write post reveal disclose announce add remark explain state note "
                    "report confirm declare insist stress emphasize emphasise warn tweet publish "
                    "inform testify acknowledge admit".split(), "reported"),
    **dict.fromkeys("estimate calculate project forecast predict".split(), "estimated"),
    **dict.fromkeys("claim allege accuse assert contend suggest".split(), "alleged"),
    **dict.fromkeys("deny reject dismiss refute".split(), "denied"),
    **dict.fromkeys("ask wonder question".split(), "question"),
}

#: Last words of place names ("Atacama Desert", "Suwałki Gap"): such a name is never a person.
PLACE_NAME_HEADS = {
    **dict.fromkeys("desert mountains mountain mount hills valley gap plateau peninsula island islands "
                    "coast canyon forest plain plains delta basin pass strait".split(), "Location"),
    **dict.fromkeys("sea ocean lake river gulf bay lagoon channel".split(), "BodyOfWater"),
}


# --- names: cue words read by kg.mentions -------------------------------------------------

#: Lowercase particles that open a surname ("de Graaf", "van der Berg", "al-Assad").
NAME_PARTICLES = frozenset("de van von der den du da di del della le la al el bin ben ter".split())

#: Kinds of organisation that introduce its name ("electronics retailer Best Buy"); not the
#: ones that also name a person's trade ("publisher", "developer", "broadcaster", "producer").
ORG_KIND_NOUNS = frozenset("""firm company companies bank insurer carrier airline utility manufacturer maker
automaker carmaker retailer lender newspaper magazine tabloid contractor supplier conglomerate subsidiary
startup start-up charity agency""".split())

#: Verbs whose subject is a company or a person, never a place the gazetteer does not know.
COMPANY_VERBS = frozenset("sue file acquire hire employ launch unveil manufacture merge".split())

#: Parts of a company that introduce their own name ("its European division, Opel").
ORG_UNIT_NOUNS = frozenset("division unit subsidiary brand arm affiliate".split())

#: Last words that make a name the model calls a person a company ("Douglas Aircraft").
COMPANY_WORDS = frozenset("""aircraft airlines airways corporation company inc corp ltd llc plc holdings motors
industries technologies electronics pharmaceuticals foundation institute university association agency ministry
committee commission logistics shipping""".split())

COMPASS_WORDS = frozenset("northern southern eastern western central north south east west".split())

#: Titles only an organisation has: a name right before one is the organisation's ("Ryanair CEO").
ORG_TITLE_WORDS = frozenset("""ceo cfo coo cto chairman chairwoman chairperson shareholders employees analyst analysts
economist economists strategist strategists""".split())

#: Kinds of product named right after a model name and its number ("Trent 900 engines").
PRODUCT_NOUNS = frozenset("""
engine engines laptop laptops notebook notebooks computer computers tablet tablets phone phones smartphone
smartphones handset handsets console consoles processor processors chip chips airliner airliners jetliner
jetliners jet jets car cars sedan sedans truck trucks vehicle vehicles missile missiles rifle rifles drone
drones helicopter helicopters camera cameras
""".split())

#: Kinds of product that introduce its name ("the operating system Mac OS X", "the web browser Safari").
PRODUCT_KIND_NOUNS = frozenset("""
browser software app system smartphone tablet laptop console airliner jetliner missile drone vaccine drug
processor chip
""".split())

#: Words after a name that make it a market index ("FTSE 100 index", "Dow Jones Industrial Average").
INDEX_WORDS = frozenset("index indices indexes average composite".split())

#: Capitalised words after a place name that make it a site there ("Everett Factory").
FACILITY_HEADS = frozenset("Airport Factory Plant Station Stadium Arena Port Harbour Harbor Bridge Dam Prison "
                           "Hospital Airbase Refinery".split())

#: Last words of a company's own site ("Airbus' Delivery Center").
SITE_HEADS = FACILITY_HEADS | {"Center", "Centre", "Campus", "Headquarters"}

#: Last words of a named place that is no product ("Boeing Field", "Apple Park").
PLACE_WORDS = frozenset("Field Park Square Street Road Avenue Tower Building Hall House Island".split())

#: Nouns that say "organisation" in an apposition ("X, a cybersecurity firm", "Y, the state carrier").
ORG_APPOSITION_NOUNS = frozenset("""firm company group organisation organization agency startup start-up bank
insurer carrier airline utility operator manufacturer maker producer publisher newspaper broadcaster
charity consortium fund lender retailer developer contractor supplier conglomerate subsidiary""".split())
