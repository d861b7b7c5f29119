"""Reported speech: who said what, through which channel, and how sure.

A *cue* is a reporting verb ("said", "posted", "estimated", "denied"), "according to", or a
reporting noun with its owner ("Ukraine's claim that ...", "the ministry's estimate that ...").
Its speaker is the verb's subject or the noun's possessor (pronouns, surnames and "the
president" resolved by :class:`kg.context.ArticleContext`), its content the clausal complement
or, for quotations, the quoted text. Every event, relation and quantity inside the content
takes the speaker, cue, channel and a factuality value:

asserted (no cue), reported (said, posted...), estimated (estimated, "about 12,000"), alleged (claimed, allegedly,
reportedly), denied (denied, or a negated event), hypothetical (if-clauses, would/could/might/
may, "plans to"), question (a question sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Token

from kg.context import ArticleContext
from kg.lexicon import REPORTING_VERBS
from kg.records import Provenance, Quantity, Quote, Relation
from kg.tokens import positions, positions_where

#: Adverbs that hedge the clause they modify.
HEDGES = {"allegedly": "alleged", "reportedly": "alleged", "purportedly": "alleged", "supposedly": "alleged",
          "apparently": "alleged", "possibly": "hypothetical", "perhaps": "hypothetical", "probably": "estimated"}
#: Quantity qualifiers that make a figure an estimate ("about 12,000"), unlike bounds ("more than").
APPROXIMATE = frozenset({"about", "around", "approximately", "roughly", "some", "an estimated", "estimated",
                         "nearly", "almost", "close to"})
MODALS = frozenset({"would", "could", "might", "may", "should"})
#: Verbs whose infinitive complement has not happened yet ("plans to buy").
PLAN_VERBS = frozenset("plan intend threaten aim hope seek propose expect want consider".split())
#: Reporting nouns -> factuality of their content ("Ukraine's claim that ...").
REPORTING_NOUNS = {
    **dict.fromkeys("claim allegation accusation assertion contention".split(), "alleged"),
    **dict.fromkeys("estimate assessment estimation calculation projection".split(), "estimated"),
    **dict.fromkeys("denial".split(), "denied"),
    **dict.fromkeys("statement report announcement admission warning confirmation".split(), "reported"),
}
CHANNEL_NOUNS = frozenset("conference briefing interview statement speech address post video message "
                          "broadcast press release hearing television radio podcast channel account "
                          "session summit meeting rally event".split())
CHANNEL_PREPS = frozenset({"on", "at", "in", "during", "via", "through"})
#: Online platforms that spaCy rarely tags ("posted on X").
PLATFORMS = frozenset("x twitter telegram facebook instagram tiktok youtube threads bluesky weibo wechat "
                      "vk vkontakte linkedin truth social mastodon whatsapp signal".split())
SPEECH_NOUNS = frozenset({"statement", "report", "announcement", "press", "spokesman", "spokeswoman",
                          "spokesperson", "release", "communique", "post", "message"})
#: Straight or curly double quotes, possibly across sentences (bounded length).
MAX_QUOTE = 3000


_CUE_WORDS = frozenset(REPORTING_VERBS) | frozenset(REPORTING_NOUNS)


def _is_cue_word(lemma: str) -> bool:
    return lemma.lower() in _CUE_WORDS


@dataclass
class Cue:
    """One reporting cue with the character range of what it reports."""

    verb: str
    speaker: int | None
    start: int
    end: int
    factuality: str
    channel: str | None
    sent_start: int
    date: str | None
    at: int = 0  # character offset of the cue word


def _speaker_of(ctx: ArticleContext, subj: Token) -> int | None:
    k = ctx.head_mention(subj)
    if k is not None:
        return k
    if subj.lemma_.lower() in SPEECH_NOUNS:  # "the SBU statement explained"
        for c in subj.children:
            if c.dep_ in ("compound", "poss", "nmod"):
                k = ctx.head_mention(c)
                if k is not None:
                    return k
    inner = ctx.mentions_in(subj)
    if len(inner) == 1:
        return inner[0]
    if subj.pos_ == "PROPN":  # "Zelenskyy posted" where the NER missed the surname
        return _by_surname(ctx, subj)
    return None


def _by_surname(ctx: ArticleContext, tok: Token) -> int | None:
    """The person mention whose last word is this token, when exactly one person has that surname."""
    hits = [i for i, m in enumerate(ctx.mentions) if m.type == "Person" and m.text.split()[-1] == tok.text]
    keys = {ctx.mentions[i].key for i in hits}
    if len(keys) != 1:
        return None
    before = [i for i in hits if ctx.mentions[i].start < tok.idx]
    return (before or hits)[-1]


def _channel(ctx: ArticleContext, verb: Token, dates: dict[int, str]) -> str | None:
    """Where the words were said: "on Telegram", "at a news conference", or the outlet told."""
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in CHANNEL_PREPS):
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        nxt = prep.doc[prep.i + 1] if prep.i + 1 < len(prep.doc) else None
        if nxt is not None and nxt not in objs and (nxt.text.lower() in PLATFORMS or ctx.mention_at(nxt) is not None):
            objs.append(nxt)  # "posted on X. He ..." parsed with "He" as the object
        for pobj in objs:
            phrase = _phrase(pobj, dates) if pobj.head == prep else pobj.text.rstrip(".")
            k = ctx.mention_at(pobj)
            if k is not None and ctx.mentions[k].type in ("Platform", "MediaOrganization"):
                return f"{prep.text} {ctx.mentions[k].text}"
            if pobj.lemma_.lower() in CHANNEL_NOUNS or pobj.text.lower() in PLATFORMS:
                return f"{prep.text} {phrase}"
    for c in verb.children:  # "told Reuters"
        if c.dep_ in ("dobj", "dative"):
            k = ctx.mention_at(c)
            if k is not None and ctx.mentions[k].type in ("MediaOrganization", "Organization"):
                return ctx.mentions[k].text if ctx.mentions[k].type == "MediaOrganization" else None
    return None


def _phrase(head: Token, dates: dict[int, str]) -> str:
    """A noun phrase without its trailing date ("a news conference", not "... on Tuesday")."""
    toks = [t for t in head.subtree if t.i <= head.i]
    for c in head.rights:
        sub = list(c.subtree)
        if c.dep_ in ("prep", "compound", "amod", "nmod", "appos") and not any(t.i in dates for t in sub):
            toks.extend(sub)
    return " ".join(t.text for t in sorted(toks, key=lambda t: t.i))


def _date(tok: Token, dates: dict[int, str]) -> str | None:
    """Date attached to a cue word: "said on 11 January", "said Tuesday", "claimed in November"."""
    for c in tok.children:
        if c.dep_ == "prep":
            for t in c.subtree:
                if t.i in dates:
                    return dates[t.i]
        elif c.dep_ in ("npadvmod", "tmod") and c.i in dates:
            return dates[c.i]
    return None


def _content(tok: Token, deps: tuple[str, ...]) -> tuple[int, int] | None:
    comp = [c for c in tok.children if c.dep_ in deps]
    if not comp:
        return None
    toks = [t for c in comp for t in c.subtree]
    return min(t.idx for t in toks), max(t.idx + len(t) for t in toks)


def _verb_factuality(tok: Token) -> str:
    fact = REPORTING_VERBS[tok.lemma_.lower()]
    if any(c.dep_ == "neg" for c in tok.children):
        if fact == "denied":  # "did not deny that"
            return "reported"
        if tok.lemma_.lower() in ("confirm", "acknowledge", "admit"):  # "did not confirm": unconfirmed
            return "alleged"
    return fact


def find_cues(ctx: ArticleContext, dates: dict[int, str]) -> list[Cue]:
    """Reporting cues of every sentence."""
    cues = []
    doc = ctx.doc
    for i in sorted({*positions_where(doc, LEMMA, _is_cue_word), *positions(doc, LOWER, ("according",))}):
        tok = doc[i]
        sent = tok.sent
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and lemma in REPORTING_VERBS:
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None and tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("PROPN", "NOUN"):
                subj = tok.head  # a misparse: '"...," Zelenskyy posted on X.' as "Zelenskyy (who) posted"
            speaker = _speaker_of(ctx, subj) if subj is not None else None
            span = _content(tok, ("ccomp", "xcomp", "dobj")) or (sent.start_char, sent.end_char)
            cues.append(Cue(tok.text, speaker, span[0], span[1], _verb_factuality(tok), _channel(ctx, tok, dates),
                            sent.start_char, _date(tok, dates), tok.idx))
        elif tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            pobj = next((t for t in doc[tok.i + 1].children if t.dep_ == "pobj"), None)
            speaker = _speaker_of(ctx, pobj) if pobj is not None else None
            cues.append(Cue("according to", speaker, sent.start_char, sent.end_char, "reported", None,
                            sent.start_char, None, tok.idx))
        elif tok.pos_ == "NOUN" and lemma in REPORTING_NOUNS:
            cue = _noun_cue(ctx, tok, sent, dates)
            if cue is not None:
                cues.append(cue)
    return cues


def _noun_cue(ctx: ArticleContext, tok: Token, sent, dates: dict[int, str]) -> Cue | None:
    """ "Ukraine's claim that ...", "an estimate by the ministry that ...": needs an owner and a clause."""
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    if owner is None:
        by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")), None)
        owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
    if owner is None:
        return None
    speaker = ctx.head_mention(owner)
    span = _content(tok, ("acl", "ccomp", "relcl"))
    if speaker is None or span is None:
        return None
    return Cue(tok.text, speaker, span[0], span[1], REPORTING_NOUNS[tok.lemma_.lower()], None,
               sent.start_char, _date(tok, dates), tok.idx)


def _is_opening(text: str, i: int) -> bool:
    """A straight quote opens when it follows a space, bracket or line start and precedes a non-space."""
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{-\u2014:") and not after.isspace()


def quote_spans(text: str) -> list[tuple[int, int, str]]:
    """Direct quotations as (start, end, text): curly or straight double quotes, across sentences,
    and across paragraphs when a paragraph ends inside the quote and the next one reopens it."""
    out: list[tuple[int, int, str]] = []
    parts: list[str] = []
    first = opened = None
    for m in re.finditer(r"[\u201c\u201d\"]", text):
        ch, i = m.group(), m.start()
        opening = ch == "\u201c" or (ch == '"' and _is_opening(text, i))
        if opened is None:
            if opening:
                first, opened, parts = i, i, []
            continue
        if opening:
            between = text[opened + 1:i]
            if "\n" in between and re.search(r"\n[ \t]*$", between):
                # a paragraph ended inside the quote and the next paragraph reopens it
                parts.append(between.strip())
                opened = i
            else:
                first, opened, parts = i, i, []  # the earlier mark was stray
            continue
        parts.append(text[opened + 1:i].strip())
        if i - first <= MAX_QUOTE:
            out.append((first, i + 1, " ".join(p for p in parts if p)))
        first = opened = None
    return out


def quotes(ctx: ArticleContext, cues: list[Cue]) -> list[Quote]:
    """Direct quotations with the speaker of the nearest cue just after (or before) them."""
    text = ctx.text
    out = []
    for start, end, body in quote_spans(text):
        body = body.strip()
        if len(body.split()) < 3:
            continue  # scare quotes around a word or name
        # '"...," Zelenskyy posted on X.' (cue after) or 'Zelenskyy said: "..."' (cue before)
        after = [c for c in cues if 0 <= c.at - end <= 120 and c.verb != "according to"
                 and "\n" not in text[end:c.at]]
        before = [c for c in cues if 0 <= start - c.at <= 150 and "\n\n" not in text[c.at:start]]
        cue = (min(after, key=lambda c: c.at, default=None) if after else None) or \
            max(before, key=lambda c: c.at, default=None)
        first = ctx.doc.char_span(start, min(end, start + 1), alignment_mode="expand")
        last = ctx.doc.char_span(max(start, end - 1), end, alignment_mode="expand")
        if first is not None and last is not None:
            sentence = text[first.sent.start_char:max(last.sent.end_char, end)]
        else:
            sentence = body
        out.append(Quote(text=body, speaker=cue.speaker if cue else None,
                         prov=Provenance(sentence.strip(), start, end, "direct-quote", 0.8 if cue else 0.5),
                         cue=cue.verb if cue else None, channel=cue.channel if cue else None))
    return out


def factuality_in(ctx: ArticleContext, start: int, end: int) -> str | None:
    """Hedges, conditionals, plans and questions around a statement's words."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    sent = span.sent
    if sent.text.rstrip().rstrip("\"\u201d'").endswith("?"):
        return "question"
    for tok in span:
        if tok.lower_ in MODALS and tok.dep_ == "aux":
            return "hypothetical"
        if any(c.lower_ in MODALS and c.dep_ == "aux" for c in tok.children):
            return "hypothetical"
        if tok.lower_ == "if" and tok.dep_ == "mark":
            return "hypothetical"
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in PLAN_VERBS:
            return "hypothetical"
    for tok in sent:
        if tok.lower_ == "if" and tok.dep_ == "mark" and any(t.lower_ in MODALS for t in sent):
            return "hypothetical"
    for tok in sent:
        fact = HEDGES.get(tok.lower_)
        if fact is None:
            continue
        scope = list(tok.head.subtree)  # the clause the adverb modifies
        if scope[0].idx <= start and end <= scope[-1].idx + len(scope[-1]):
            return fact
    return None


#: Rules reading a noun phrase ("Tuva, a Russian region"): the writer's description, never a claim.
DESCRIPTIVE_RULES = frozenset({"place-apposition", "possessive-place", "demonym-place", "place-comma-place",
                               "demonym-group", "org-name-of", "org-of-org", "based-in"})
#: Strength order when a hedge and a cue disagree: the more doubtful value wins.
_ORDER = ("question", "hypothetical", "denied", "alleged", "estimated", "reported", "asserted")


def _weaker(a: str, b: str) -> str:
    return min(a, b, key=_ORDER.index)


#: Dependency labels of a verb that heads a clause of its own (not a relative or reduced clause).
CLAUSE_HEADS = frozenset({"ROOT", "ccomp", "xcomp", "conj", "advcl"})


def _relation_shape(ctx: ArticleContext, start: int, end: int) -> tuple[bool, bool]:
    """(predicative, negated) for a relation's words: "Acme is based in Zurich" states the relation
    as the clause's predicate, "Acme, based in Zurich" describes Acme; "is not based in" negates it."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False, False
    predicative = any(t.pos_ in ("VERB", "AUX") and t.dep_ in CLAUSE_HEADS for t in span)
    return predicative, any(t.dep_ == "neg" for t in span)


def attribute(ctx: ArticleContext, statements, cues: list[Cue], quote_list: list[Quote]) -> None:
    """Set speaker, cue, channel and factuality on every statement (events, relations, quantities).

    Relations read off a noun phrase (``DESCRIPTIVE_RULES``) are the writer's description and stay
    asserted, unless their words form the predicate of a clause ("... denied that Acme is based in
    Zurich"); a negation inside a relation's own words ("is not based in") denies it."""
    for st in statements:
        p = st.prov
        if isinstance(st, Relation):
            predicative, negated = _relation_shape(ctx, p.start, p.end)
            if negated:
                st.factuality = "denied"
            if p.rule in DESCRIPTIVE_RULES and not predicative:
                continue
        elif p.rule in DESCRIPTIVE_RULES:
            continue
        inside = [c for c in cues if c.start <= p.start and p.end <= c.end + 1]
        cue = min(inside, key=lambda c: c.end - c.start, default=None)
        quoted = next((q for q in quote_list if q.prov.start <= p.start and p.end <= q.prov.end), None)
        hedge = factuality_in(ctx, p.start, p.end)
        if quoted is not None and (cue is None or cue.speaker is None):
            st.speaker, st.cue, st.channel = quoted.speaker, quoted.cue, quoted.channel
            fact = "reported" if quoted.speaker is not None else "asserted"
        elif cue is not None:
            st.speaker, st.cue, st.channel = cue.speaker, cue.verb, cue.channel
            fact = cue.factuality
        else:
            fact = "asserted"
        if st.factuality == "denied":  # a negated event or relation stays denied whoever reports it
            fact = "denied"
        if isinstance(st, Quantity) and (st.qualifier or "").lower() in APPROXIMATE:
            fact = _weaker(fact, "estimated")
        st.factuality = _weaker(fact, hedge) if hedge else fact
