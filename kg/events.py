"""Events as n-ary records from dependency patterns over a verb/noun lexicon.

``EVENT_TRIGGERS`` maps a verb or noun lemma to an event class of the ontology
(``kg:Capture``, ``kg:Visit``...). Roles come from the dependency tree:

- agent: active subject, passive ``by`` phrase, possessor or demonym of a noun trigger, subject
  of a light verb ("held talks with"), object of the governing verb ("ordered the army to send");
- patient: direct object or passive subject (people, groups, organisations; places captured,
  attacked or annexed), ``on/against`` + target of an attack or sanctions;
- theme: other entities inside the object (never a place already the location, nor a nationality);
- location: ``in/at/near/inside`` + place, or the place visited; destination: ``to/into`` + place;
- recipient: ``to/for`` + non-place, or entities of a purpose clause ("to support Russia");
- instrument: ``with`` + a named product ("with Storm Shadow missiles").
An event needs a trigger and at least two filled roles, or one role and a place.
"""

from __future__ import annotations

from spacy.attrs import LEMMA
from spacy.tokens import Span, Token

from kg.context import ArticleContext
from kg.lexicon import LOCATION_TYPES, ORG_TYPES, REPORTING_VERBS
from kg.records import Event, Provenance
from kg.tokens import positions_where

EVENT_TRIGGERS = {
    **dict.fromkeys("capture seize catch".split(), "Capture"),
    **dict.fromkeys("attack strike shell bomb raid invade assault hit target shoot ambush".split(), "Attack"),
    **dict.fromkeys("send dispatch deploy station transfer redeploy".split(), "Deployment"),
    **dict.fromkeys("visit tour".split(), "Visit"),
    **dict.fromkeys("meet host receive talk".split(), "Meeting"),
    **dict.fromkeys("condemn denounce criticise criticize decry rebuke".split(), "Condemnation"),
    **dict.fromkeys("order instruct command direct".split(), "Order"),
    **dict.fromkeys("appoint name nominate hire promote".split(), "Appointment"),
    **dict.fromkeys("annex".split(), "Annexation"),
    **dict.fromkeys("sanction blacklist".split(), "Sanction"),
    **dict.fromkeys("detain arrest imprison jail sentence convict".split(), "Detention"),
    **dict.fromkeys("support back aid help assist fund supply arm".split(), "Support"),
    **dict.fromkeys("sign agree ratify".split(), "Agreement"),
    **dict.fromkeys("accuse blame".split(), "Accusation"),
    **dict.fromkeys("kill murder execute assassinate".split(), "Death"),
    **dict.fromkeys("elect".split(), "Election"),
    **dict.fromkeys("acquire buy purchase merge takeover".split(), "Acquisition"),
}
NOUN_TRIGGERS = {
    **dict.fromkeys("capture seizure".split(), "Capture"),
    **dict.fromkeys("attack strike offensive invasion assault raid bombardment".split(), "Attack"),
    **dict.fromkeys("deployment dispatch".split(), "Deployment"),
    **dict.fromkeys("visit trip tour".split(), "Visit"),
    **dict.fromkeys("meeting talks summit call".split(), "Meeting"),
    **dict.fromkeys("condemnation".split(), "Condemnation"),
    **dict.fromkeys("appointment nomination".split(), "Appointment"),
    **dict.fromkeys("annexation".split(), "Annexation"),
    **dict.fromkeys("sanction sanctions".split(), "Sanction"),
    **dict.fromkeys("arrest detention".split(), "Detention"),
    **dict.fromkeys("acquisition takeover merger purchase".split(), "Acquisition"),
}
_TRIGGER_WORDS = frozenset(EVENT_TRIGGERS) | frozenset(NOUN_TRIGGERS)


def _is_trigger(lemma: str) -> bool:
    return lemma.lower() in _TRIGGER_WORDS


# "warriors of tactical group No. 84": the unit acts through its members.
MEMBER_NOUNS = frozenset("warrior soldier fighter member troop unit officer servicemen serviceman personnel "
                         "force commando paratrooper operative agent employee worker staff militant rebel "
                         "insurgent gunman fighter guerrilla prosecutor investigator inspector researcher "
                         "official representative spokesperson spokesman spokeswoman".split())
# "the board of Helix Pharmaceuticals appointed...": the organisation acts through its organs.
ORGAN_NOUNS = frozenset("board leadership management government administration".split())
# "held a phone call with", "launched an attack on": the verb's subject is the noun event's agent.
LIGHT_VERBS = frozenset("hold have conduct launch carry stage impose make mount pay begin start".split())
# "an attack on the capital", "sanctions against Iran": the preposition introduces the target.
TARGET_PREPS = frozenset({"on", "against"})
TARGETED = frozenset({"Attack", "Sanction"})
# classes whose direct object, when a place, is what the event acts on ("captured Bakhmut")
PLACE_PATIENT = frozenset({"Capture", "Attack", "Annexation"})
PLACE_PREPS = frozenset({"in", "at", "near", "inside", "within", "across", "outside", "on"})
DEST_PREPS = frozenset({"to", "into", "toward", "towards"})
PERSONISH = frozenset({"Person", "Group", "Organization", "GovernmentOrganization", "MilitaryUnit",
                       "MediaOrganization", "Country"})
ORGS = ORG_TYPES - {"Platform"}
LOCATIONS = LOCATION_TYPES


class EventFinder:
    """Events of one article."""

    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx
        self.m = ctx.mentions

    def find(self, sent_dates: dict[int, str]) -> list[Event]:
        """All events; ``sent_dates`` maps a token index of a DATE to its normalised value."""
        out = []
        doc = self.ctx.doc
        for i in positions_where(doc, LEMMA, _is_trigger):
            tok = doc[i]
            if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in EVENT_TRIGGERS:
                ev = self._verb_event(tok, tok.sent, sent_dates)
            elif tok.pos_ == "NOUN" and tok.lemma_.lower() in NOUN_TRIGGERS:
                ev = self._noun_event(tok, tok.sent, sent_dates)
            else:
                continue
            if ev is not None:
                out.append(ev)
        return out

    # -- roles ----------------------------------------------------------------------------
    def _np_mentions(self, tok: Token) -> list[int]:
        """Mentions a noun phrase refers to: its head mention, coordinated heads, or the group
        named in "warriors of tactical group No. 84" / "members of the 3rd Brigade"."""
        out = []
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        if tok.is_upper and len(tok) > 2 and nxt is not None and nxt.text in ("—", "–", "-", "--"):
            # "ASTANA — Kazakhstan and Azerbaijan signed": the dateline is parsed as the head
            apps = [c for c in tok.children if c.dep_ == "appos"]
            if apps:
                tok = apps[0]
        heads = [tok] + [c for c in tok.conjuncts if c.i > tok.i]
        for h in heads:
            k = self.ctx.head_mention(h)
            if k is None and h.dep_ == "appos":
                k = self.ctx.mention_at(h.head)  # "Karin Holmberg, the EU's envoy, who is visiting"
            if k is None:
                # "Spanish rival TransIbérica": the name in apposition to the noun
                k = next((j for j in (self.ctx.mention_at(c) for c in h.children if c.dep_ == "appos")
                          if j is not None), None)
            if k is None and h.lemma_.lower() in MEMBER_NOUNS | ORGAN_NOUNS:
                for prep in (c for c in h.children if c.dep_ == "prep" and c.lower_ in ("of", "from")):
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        k = self.ctx.head_mention(pobj)
            if k is None and h.lemma_.lower() in MEMBER_NOUNS:
                # "Hamas militants", "Wagner fighters": the organisation named before the noun
                for c in (c for c in h.children if c.dep_ in ("compound", "nmod") and c.i < h.i):
                    j = self.ctx.mention_at(c)
                    if j is not None and self.m[j].type in ORGS:
                        k = j
            if k is not None:
                out.append(k)
        return out

    def _prep_roles(self, head: Token, roles: dict, dates: dict[int, str], cls: str) -> str | None:
        date = None
        for prep in (c for c in head.children if c.dep_ in ("prep", "agent", "dative")):
            p = prep.lower_
            for pobj in (c for c in prep.children if c.dep_ in ("pobj", "pcomp")):
                if pobj.i in dates:
                    date = date or dates[pobj.i]
                    continue
                ks = self._np_mentions(pobj)
                for k in ks:
                    t = self.m[k].type
                    if prep.dep_ == "agent" or p == "by":
                        roles.setdefault("agent", []).append(k)
                    elif p in TARGET_PREPS and cls in TARGETED and (t in PERSONISH or t in LOCATIONS):
                        roles.setdefault("patient", []).append(k)
                    elif p in PLACE_PREPS and t in LOCATIONS:
                        roles.setdefault("location", []).append(k)
                    elif p in DEST_PREPS and t in LOCATIONS:
                        roles.setdefault("destination", []).append(k)
                    elif p in ("to", "for") and t in PERSONISH:
                        roles.setdefault("recipient", []).append(k)
                    elif p == "with" and t in ("Product", "Other"):
                        roles.setdefault("instrument", []).append(k)
                    elif p in ("with", "against") and cls in ("Meeting", "Agreement", "Attack") and t in PERSONISH:
                        roles.setdefault("theme" if cls == "Agreement" else "patient", []).append(k)  # "met with X" = "met X"
                    elif p == "of" and cls in ("Capture", "Detention", "Annexation", "Acquisition", "Condemnation", "Appointment", "Deployment"):
                        roles.setdefault("patient", []).append(k)
                    elif p == "between":
                        roles.setdefault("theme", []).append(k)
                    elif p == "as" and cls == "Appointment":
                        roles.setdefault("theme", []).append(k)
                if not ks and p == "with":
                    # "with Storm Shadow missiles": the named weapon inside the phrase
                    for k in self.ctx.mentions_in(pobj):
                        if self.m[k].type in ("Product", "Other"):
                            roles.setdefault("instrument", []).append(k)
                if not ks and p == "as" and cls == "Appointment":
                    # "appointed her as chief executive of Helix": where the post is
                    for k in self.ctx.mentions_in(pobj):
                        if self.m[k].type not in ("Person", "Group"):
                            roles.setdefault("theme", []).append(k)
                if not ks and p in PLACE_PREPS | DEST_PREPS:
                    # "in the contested Kursk border region": a place inside the phrase
                    for k in self.ctx.mentions_in(pobj):
                        if self.m[k].type in LOCATIONS:
                            roles.setdefault("location" if p in PLACE_PREPS else "destination", []).append(k)
                            break
        for d in head.children:
            if d.i in dates and d.dep_ in ("npadvmod", "tmod"):
                date = date or dates[d.i]
        return date

    def _verb_event(self, v: Token, sent: Span, dates: dict[int, str]) -> Event | None:
        cls = EVENT_TRIGGERS[v.lemma_.lower()]
        roles: dict[str, list[int]] = {}
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subj and v.dep_ == "xcomp":
            # "ordered the army to send troops": the object of the governing verb acts
            subj = [c for c in v.head.children if c.dep_ == "dobj"]
        if not subj and v.dep_ in ("xcomp", "advcl", "conj", "relcl", "acl"):
            # "fighting alongside", "soldiers who were fighting": subject from the governing clause
            subj = [c for c in v.head.children if c.dep_ == "nsubj"] if v.dep_ != "relcl" else [v.head]
        if v.dep_ == "relcl" and any(c.lower_ == "who" for c in v.children):
            # "Karin Holmberg, the EU's envoy for Central Asia, who is visiting": "who" is the person
            h = v.head
            for _ in range(4):
                k = self.ctx.mention_at(h)
                if (k is not None and self.m[k].type == "Person") or h.dep_ not in ("pobj", "prep", "appos"):
                    break
                h = h.head
            subj = [h]
        if v.dep_ == "ccomp" and v.head.lemma_.lower() in REPORTING_VERBS \
                and any(s.lower_ in ("it", "they") for s in subj):
            # "the WHO said it was sending vaccines": the pronoun is the organisation that speaks
            speakers = [c for c in v.head.children if c.dep_ == "nsubj"]
            if any(self.m[k].type in ORGS for s in speakers for k in self._np_mentions(s)):
                subj = [s for s in subj if s.lower_ not in ("it", "they")] + speakers
        for s in subj:
            for k in self._np_mentions(s):
                roles.setdefault("patient" if passive else "agent", []).append(k)
        for obj in (c for c in v.children if c.dep_ in ("dobj", "attr", "oprd")):
            ks = self._np_mentions(obj)
            for k in ks:
                t = self.m[k].type
                if t in LOCATIONS and cls == "Visit":
                    role = "location"  # "visited Kyiv"
                elif t in PERSONISH or (t in LOCATIONS and cls in PLACE_PATIENT):
                    role = "patient"
                else:
                    role = "theme"
                roles.setdefault(role, []).append(k)
            if not ks:
                for k in self.ctx.mentions_in(obj):
                    if self.m[k].source != "demonym":  # "a Swedish diplomat" is not Sweden
                        roles.setdefault("theme", []).append(k)
        date = self._prep_roles(v, roles, dates, cls)
        for ob in (c for c in v.children if c.dep_ == "dobj"):
            date = self._prep_roles(ob, roles, dates, cls) or date
        for purpose in (c for c in v.children if c.dep_ in ("advcl", "xcomp") and any(a.lower_ == "to" for a in c.children)):
            # "dispatched soldiers to support Russia's war": the supported party receives
            for k in self.ctx.mentions_in(purpose):
                if self.m[k].type in PERSONISH:
                    roles.setdefault("recipient", []).append(k)
        if any(c.dep_ == "neg" for c in v.children):
            factuality = "denied"
        else:
            factuality = "asserted"
        return self._event(cls, v, roles, sent, date, factuality, "verb-" + cls.lower())

    def _noun_event(self, n: Token, sent: Span, dates: dict[int, str]) -> Event | None:
        cls = NOUN_TRIGGERS[n.lemma_.lower()]
        roles: dict[str, list[int]] = {}
        for c in n.children:
            if c.dep_ == "poss" or c.dep_ in ("compound", "amod", "nmod") and c.i < n.i:
                k = self.ctx.head_mention(c)
                if k is not None and self.m[k].type in PERSONISH:
                    roles.setdefault("agent", []).append(k)
        if n.dep_ == "dobj" and n.head.lemma_.lower() in LIGHT_VERBS:
            for s in (c for c in n.head.children if c.dep_ == "nsubj"):
                for k in self._np_mentions(s):
                    if self.m[k].type in PERSONISH:
                        roles.setdefault("agent", []).append(k)
        date = self._prep_roles(n, roles, dates, cls)
        if n.dep_ == "dobj" and n.head.lemma_.lower() in LIGHT_VERBS:
            date = self._prep_roles(n.head, roles, dates, cls) or date  # "held talks in Oslo on Monday"
        return self._event(cls, n, roles, sent, date, "asserted", "noun-" + cls.lower())

    def _event(self, cls, trig: Token, roles, sent: Span, date, factuality, rule) -> Event | None:
        if cls == "Visit" and "destination" in roles:  # "paid a visit to Kyiv" = "visited Kyiv"
            roles.setdefault("location", []).extend(roles.pop("destination"))
        roles = {r: sorted(set(ks)) for r, ks in roles.items() if ks}
        # a place named inside the object ("a station in Mogadishu") is where, not what
        # and an entity already the patient is not also the theme ("the town of X")
        taken = set(roles.get("location", [])) | set(roles.get("destination", [])) | set(roles.get("patient", []))
        if taken and "theme" in roles:
            roles["theme"] = [k for k in roles["theme"] if k not in taken]
        # an entity plays one role: agent wins over anything else
        agents = set(roles.get("agent", []))
        for r in list(roles):
            if r != "agent":
                roles[r] = [k for k in roles[r] if k not in agents]
                if not roles[r]:
                    del roles[r]
        filled = sum(len(v) for v in roles.values())
        if filled < 2:
            return None
        toks = [trig] + [t for t in sent if any(self.m[k].start <= t.idx < self.m[k].end for ks in roles.values() for k in ks)]
        start = min(t.idx for t in toks)
        end = max(t.idx + len(t) for t in toks)
        conf = 0.75 if "agent" in roles else 0.6
        return Event(type=cls, trigger=trig.text, roles=roles, date=date,
                     prov=Provenance(sent.text.strip(), start, end, rule, conf), factuality=factuality)
