"""Reported speech: who said what, through which channel, and how sure.

A *cue* is a reporting verb ("said", "posted", "estimated", "denied") or "according to".
Its speaker is the verb's subject (pronouns and "the president" resolved by
:class:`kg.context.ArticleContext`), its content the clausal complement or, for
quotations, the quoted text. Every event, relation and quantity inside the content takes
the speaker, cue, channel and a factuality value:

asserted (no cue), reported (said, posted...), estimated, alleged (claimed, allegedly),
denied (denied, or a negated event), hypothetical (if-clauses, would/could/might/may),
question (a question sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.context import ArticleContext
from kg.lexicon import REPORTING_VERBS
from kg.records import Provenance, Quote

HEDGES = {"allegedly": "alleged", "reportedly": "reported", "purportedly": "alleged", "apparently": "reported"}
MODALS = frozenset({"would", "could", "might", "may", "should"})
CHANNEL_NOUNS = frozenset("conference briefing interview statement speech address post video message "
                          "broadcast press release hearing television radio podcast".split())
# Straight or curly double quotes, possibly across sentences and paragraphs (bounded length).
QUOTE_RE = re.compile(r"[\u201c\"]([^\u201c\u201d\"]{3,1500}?)[\u201d\"]")
SPEECH_NOUNS = frozenset({"statement", "report", "announcement", "press", "spokesman", "spokeswoman", "spokesperson"})


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
    return inner[0] if len(inner) == 1 else None


def _channel(ctx: ArticleContext, verb: Token) -> str | None:
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("on", "at", "in", "during", "via")):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            k = ctx.mention_at(pobj)
            if k is not None and ctx.mentions[k].type in ("Platform", "MediaOrganization"):
                return ctx.mentions[k].text
            if pobj.lemma_.lower() in CHANNEL_NOUNS:
                return " ".join(t.text for t in pobj.subtree)
    for c in verb.children:  # "told Reuters"
        if c.dep_ in ("dobj", "dative"):
            k = ctx.mention_at(c)
            if k is not None and ctx.mentions[k].type == "MediaOrganization":
                return ctx.mentions[k].text
    return None


def find_cues(ctx: ArticleContext, dates: dict[int, str]) -> list[Cue]:
    """Reporting cues of every sentence."""
    cues = []
    for sent in ctx.doc.sents:
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.pos_ == "VERB" and lemma in REPORTING_VERBS:
                subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                speaker = _speaker_of(ctx, subj) if subj is not None else None
                comp = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp", "dobj")]
                if comp:
                    toks = [t for c in comp for t in c.subtree]
                    start, end = min(t.idx for t in toks), max(t.idx + len(t) for t in toks)
                else:
                    start, end = sent.start_char, sent.end_char
                fact = REPORTING_VERBS[lemma]
                if any(c.dep_ == "neg" for c in tok.children) and fact == "reported":
                    fact = "denied" if lemma in ("confirm",) else fact
                date = next((dates[t.i] for c in tok.children if c.dep_ == "prep" for t in c.subtree if t.i in dates), None)
                cues.append(Cue(tok.text, speaker, start, end, fact, _channel(ctx, tok), sent.start_char, date, tok.idx))
            elif tok.lower_ == "according" and tok.i + 1 < len(ctx.doc) and ctx.doc[tok.i + 1].lower_ == "to":
                pobj = next((t for t in ctx.doc[tok.i + 1].children if t.dep_ == "pobj"), None)
                speaker = _speaker_of(ctx, pobj) if pobj is not None else None
                cues.append(Cue("according to", speaker, sent.start_char, sent.end_char, "reported", None,
                                sent.start_char, None, tok.idx))
    return cues


def quotes(ctx: ArticleContext, cues: list[Cue]) -> list[Quote]:
    """Direct quotations with the speaker of the nearest cue just after (or before) them."""
    text = ctx.doc.text
    out = []
    for m in QUOTE_RE.finditer(text):
        body = m[1].strip()
        if len(body.split()) < 3:
            continue  # scare quotes around a word or name
        # "..., Zelenskyy posted on X." (cue after) or "Zelenskyy said: ..." (cue before)
        after = [c for c in cues if 0 <= c.at - m.end() <= 120 and c.verb != "according to"]
        before = [c for c in cues if 0 <= m.start() - c.at <= 150]
        cue = min(after, key=lambda c: c.at, default=None) or max(before, key=lambda c: c.at, default=None)
        sent = ctx.doc.char_span(m.start(), m.end(), alignment_mode="expand")
        sentence = sent.text if sent is not None else body
        out.append(Quote(text=body, speaker=cue.speaker if cue else None,
                         prov=Provenance(sentence.strip(), m.start(), m.end(), "direct-quote", 0.8 if cue else 0.5),
                         cue=cue.verb if cue else None, channel=cue.channel if cue else None))
    return out


def factuality_in(ctx: ArticleContext, start: int, end: int) -> str | None:
    """Hedges, conditionals and questions around a statement's words."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    sent = span.sent
    if sent.text.rstrip().endswith("?"):
        return "question"
    for tok in sent:
        if tok.lower_ in HEDGES:
            return HEDGES[tok.lower_]
    for tok in span:
        if tok.lower_ in MODALS and tok.dep_ == "aux":
            return "hypothetical"
        if tok.lower_ == "if" and tok.dep_ == "mark":
            return "hypothetical"
    for tok in sent:
        if tok.lower_ == "if" and tok.dep_ == "mark" and any(t.lower_ in MODALS for t in sent):
            return "hypothetical"
    return None


#: Rules reading a noun phrase ("Tuva, a Russian region"): the writer's description, never a claim.
DESCRIPTIVE_RULES = frozenset({"place-apposition", "possessive-place", "demonym-place", "place-comma-place",
                               "demonym-group", "org-name-of", "org-of-org", "based-in"})


def attribute(ctx: ArticleContext, statements, cues: list[Cue], quote_list: list[Quote]) -> None:
    """Set speaker, cue, channel and factuality on every statement (events, relations, quantities)."""
    for st in statements:
        p = st.prov
        if p.rule in DESCRIPTIVE_RULES:
            continue
        inside = [c for c in cues if c.start <= p.start and p.end <= c.end + 1]
        cue = min(inside, key=lambda c: c.end - c.start, default=None)
        quoted = next((q for q in quote_list if q.prov.start <= p.start and p.end <= q.prov.end), None)
        hedge = factuality_in(ctx, p.start, p.end)
        if quoted is not None and (cue is None or cue.speaker is None):
            st.speaker, st.cue = quoted.speaker, quoted.cue
            if hasattr(st, "channel"):
                st.channel = quoted.channel
            fact = "reported"
        elif cue is not None:
            st.speaker, st.cue = cue.speaker, cue.verb
            if hasattr(st, "channel"):
                st.channel = cue.channel
            fact = cue.factuality
        else:
            fact = "asserted"
        if st.factuality == "denied":
            continue
        st.factuality = hedge if hedge in ("hypothetical", "question", "alleged") else (
            fact if fact != "asserted" else (hedge or "asserted"))
