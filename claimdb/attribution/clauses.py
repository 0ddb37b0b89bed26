"""Clause patterns around a reporting verb: "X said (that) …", "…, X said.", "…, said X", "according to X".

One candidate per cue. Which side the content is on is decided by what
follows the cue: the end of the sentence (or only an inverted speaker) means
the content came before it; "that", a colon or more words mean it follows.
"""

from __future__ import annotations

from typing import Final

from claimdb.attribution.candidates import Candidate, Document
from claimdb.attribution.lexicon import AUXILIARIES, HEDGE_ADVERBS, NOUN_CUES, PARTICLES, verb_lemma, words
from claimdb.attribution.speakers import (
    STATEMENT_VERBS,
    is_name_token,
    speaker_after,
    statement_speaker,
    subject_before,
)

# Forms that are more often nouns or adjectives; they need a subject right before them.
_AMBIGUOUS: Final = frozenset(
    words(
        "state states report reports claim claims post posts charge charges order orders call calls plan "
        "plans offer offers point points question questions answer answers comment comments note notes tweet "
        "tweets quote quotes air doubt doubts promise promises pledge pledges brief request requests appeal "
        "appeals push press fear fears hope hopes want see know consider continue continues reported alleged "
        "stated noted known seen concerned question attack attacks estimate estimates dispute signal signals "
        "order label brand joke repeat respond counter defend blast slam reply guarantee commit offer feel "
        "think believe expect feels thinks believes expects wants knows hopes sees considers understand "
        "understands realize realizes recognize intend plan intends plans refuse decline publish call calls "
        "show shows find finds"
    )
)
_BLOCK_BEFORE: Final = frozenset(
    words(
        "the a an his her its their our my your this that these those of to for with by from in on at without "
        "any no every each as"
    )
)
_OBJECT_VERBS: Final = frozenset({"tell", "inform", "assure", "remind", "warn", "ask", "advise", "notify", "brief"})
_STOP_AFTER_COMMA: Final = frozenset(
    {
        "while",
        "but",
        "whereas",
        "although",
        "though",
        "adding",
        "saying",
        "referring",
        "noting",
        "according",
        "after",
        "when",
        "before",
        "because",
        "since",
        "amid",
        "despite",
        "just",
        "compared",
    }
)
_BE: Final = frozenset(words("is are was were be been being am 're 's"))
_PRONOUN_SUBJECTS: Final = frozenset({"he", "she", "they", "we", "i", "it", "who", "you"})


def verb_candidates(doc: Document) -> list[Candidate]:
    """One candidate per reporting-verb cue outside quotations."""
    out: list[Candidate] = []
    toks = doc.tokens
    n = len(toks)
    i = 0
    while i < n:
        tok = toks[i]
        low = tok.lower
        hit = verb_lemma(low)
        if hit is None or doc.in_quote[i] or not tok.text[0].islower():
            i += 1
            continue
        base, klass = hit
        sent = doc.sentence(i)
        prev = toks[i - 1].lower if i > sent.first else ""
        if prev in _BLOCK_BEFORE and not (prev == "that" and low.endswith(("ed", "id", "ld"))):
            i += 1
            continue
        if (
            low in _AMBIGUOUS
            and not prev.endswith("'s")
            and not (
                prev in _PRONOUN_SUBJECTS
                or prev in AUXILIARIES
                or (i > sent.first and is_name_token(toks[i - 1].text))
                or (i > sent.first and toks[i - 1].text.endswith("s") and toks[i - 1].text.islower())
            )
        ):
            i += 1
            continue
        last = i + 1
        if klass == "particle":
            if last < sent.last and toks[last].lower in PARTICLES.get(base, frozenset()):
                last += 1
            else:
                i += 1
                continue
        elif base in PARTICLES and last < sent.last and toks[last].lower in PARTICLES[base]:
            last += 1
            klass = "directive" if base == "call" else klass
        elif base == "see":
            i += 1  # "called him a liar", "saw": not a report without a particle
            continue
        if _passive(doc, i, sent.first) or (low.endswith("ing") and not _ing_ok(doc, i, sent.first)):
            i += 1
            continue
        first = i
        while first - 1 >= sent.first and toks[first - 1].lower in AUXILIARIES:
            first -= 1
        subj_end = first
        while subj_end - 1 >= sent.first and toks[subj_end - 1].lower in HEDGE_ADVERBS | AUXILIARIES:
            subj_end -= 1
        cand = _place(doc, first, last, base, klass, subj_end)
        if cand is not None:
            out.append(cand)
        i = last
    return out


def _passive(doc: Document, i: int, floor: int) -> bool:
    """ "Nusra was asked to …": the subject is the addressee, not the speaker."""
    toks = doc.tokens
    j = i - 1
    while j >= floor and toks[j].lower in {"also", "not", "never", "later", "reportedly", "allegedly"}:
        j -= 1
    low = toks[i].lower
    participle = low.endswith(("ed", "id", "ld", "wn", "en", "ght", "lt", "ote"))
    return participle and j >= floor and toks[j].lower in _BE


def _ing_ok(doc: Document, i: int, floor: int) -> bool:
    """ "-ing" cues count after a comma (", saying …") or a form of be ("was telling")."""
    j = i - 1
    return j >= floor and (doc.tokens[j].text == "," or doc.tokens[j].lower in _BE)


def _place(doc: Document, first: int, last: int, base: str, klass: str, subj_end: int) -> Candidate | None:
    toks = doc.tokens
    sent = doc.sentence(first)
    end = sent.last
    while end - 1 > last and toks[end - 1].text in {".", "!", "?"}:
        end -= 1
    after = last
    # "said in a statement (on Tuesday)": the noun cue belongs to the cue, not to the content.
    if (
        after + 2 < end
        and toks[after].lower == "in"
        and toks[after + 1].lower in {"a", "an", "his", "her", "its", "their", "the"}
        and toks[after + 2].lower in NOUN_CUES
    ):
        after += 3
    rest = end - after
    ing = toks[last - 1].lower.endswith("ing")
    # Backward: "…, he said." / "…, said Sham." / "…, he said in a statement on Tuesday."
    if first > sent.first and toks[first - 1].text in {",", "”", '"'} and not ing:
        spk = speaker_after(doc, after, end)
        if spk is not None and spk[1] - spk[0] <= 25 and (spk[1] >= end or toks[spk[1]].text in {",", ".", ";"}):
            content = _backward_content(doc, sent.first, first - 1)
            if content is not None:
                return Candidate(content, (first, last), spk, "inverted", "indirect", klass)
        if rest <= 6 or toks[after].text in {".", ","}:
            content = _backward_content(doc, sent.first, first - 1)
            if content is not None and not ing:
                return Candidate(content, (first, last), None, "trailing-no-subject", "indirect", klass)
    subj = subject_before(doc, subj_end, sent.first)
    if subj is not None and subj[0] > sent.first and toks[subj[0] - 1].text in {",", "”", '"'}:
        if rest <= 8 or toks[after].text == ".":
            content = _backward_content(doc, sent.first, subj[0] - 1)
            if content is not None:
                return Candidate(content, (first, last), subj, "trailing", "indirect", klass)
        elif toks[after].text == "," and subj[0] - 1 - sent.first >= 2 and not ing:
            # "The trouble, Frank writes, began …": the content is the sentence around the aside.
            return Candidate((sent.first, end), (first, last), subj, "parenthetical", "indirect", klass)
    if subj is not None:
        subj = statement_speaker(doc, subj)
    # Forward: "X said (that) …", "X told reporters that …", "X urged Y to …".
    start = after
    if base in _OBJECT_VERBS:
        j = start
        while j < min(end, start + 6) and toks[j].lower not in {"that", ":", ",", "to", "of"}:
            j += 1
        if j < end and toks[j].lower == "that":
            start = j
    if start < end and toks[start].text in {":", ","}:
        start += 1
    # "said on Friday that …", "said Wednesday night that …": the content starts at "that".
    for j in range(start, min(end, start + 5)):
        if toks[j].text in {",", "“", '"', ":"}:
            break
        if toks[j].lower == "that" and j > start:
            start = j
            break
    if end - start < 2:
        return None
    stop = _forward_end(doc, start, end)
    start = _quote_start(doc, start, stop)
    if stop - start < 2:
        return None
    if subj is None and ing and first > sent.first and toks[first - 1].text == ",":
        return Candidate((start, stop), (first, last), None, "participle", "indirect", klass)
    if subj is None:
        return None
    qtype = "paraphrase" if klass in {"directive", "commissive", "accuse"} else "indirect"
    return Candidate((start, stop), (first, last), subj, "forward", qtype, klass)


def _backward_content(doc: Document, first: int, comma: int) -> tuple[int, int] | None:
    """The content before "…, X said": from the sentence start (past a leading connective) to the comma."""
    toks = doc.tokens
    end = comma
    while end > first and toks[end - 1].text in {","}:
        end -= 1
    start = first
    if end - start < 3:
        return None
    return (start, end)


def _forward_end(doc: Document, start: int, end: int) -> int:
    """Where forward content stops: the sentence end, or a new clause after a comma outside quotes."""
    toks = doc.tokens
    for j in range(start + 2, end):
        if doc.in_quote[j]:
            continue
        if toks[j].text == ";" or (
            toks[j].text == "," and j + 1 < end and toks[j + 1].lower in _STOP_AFTER_COMMA and not doc.in_quote[j + 1]
        ):
            return j
        if toks[j].text in {"—", "–", "--", "[", "("}:
            return j
        if (
            toks[j].text == ","
            and j + 1 < end
            and not doc.in_quote[j + 1]
            and (toks[j + 1].lower in _STOP_AFTER_COMMA or toks[j + 1].lower.endswith("ing"))
        ):
            return j
    return end


def _quote_start(doc: Document, start: int, stop: int) -> int:
    """ "responded pointedly, with a smile: “…”": the content is the quotation, not the words before it."""
    toks = doc.tokens
    for j in range(start, min(stop - 2, start + 8)):
        if (
            toks[j].text in {":", ","}
            and not doc.in_quote[j]
            and doc.in_quote[j + 1]
            and toks[j + 1].text in {"“", '"'}
        ):
            return j + 1
    return start


def according_to(doc: Document) -> list[Candidate]:
    """ "According to X, …" and "…, according to X." (also without the comma, at the sentence end)."""
    out: list[Candidate] = []
    toks = doc.tokens
    for i in range(len(toks) - 2):
        if toks[i].lower != "according" or toks[i + 1].lower != "to" or doc.in_quote[i]:
            continue
        sent = doc.sentence(i)
        end = sent.last
        while end - 1 > i and toks[end - 1].text in {".", "!", "?"}:
            end -= 1
        j = i + 2
        while j < end and toks[j].text not in {",", ";", "(", "—"}:
            j += 1
        source = (i + 2, j)
        if source[1] <= source[0]:
            continue
        if i == sent.first or (i > sent.first and toks[i - 1].text in {"“", '"'}):
            if j < end and end - (j + 1) >= 2:
                out.append(Candidate((j + 1, end), (i, i + 2), source, "according-front", "paraphrase", "according"))
        else:
            c_end = i - 1 if toks[i - 1].text == "," else i
            if c_end - sent.first >= 3:
                out.append(
                    Candidate((sent.first, c_end), (i, i + 2), source, "according-back", "paraphrase", "according")
                )
    return out


def noun_cues(doc: Document) -> list[Candidate]:
    """ "a statement from X that …", "X's claim that …": a noun cue with a that-clause and no verb."""
    out: list[Candidate] = []
    toks = doc.tokens
    n = len(toks)
    for i in range(1, n - 3):
        if toks[i].lower not in NOUN_CUES or doc.in_quote[i]:
            continue
        sent = doc.sentence(i)
        source: tuple[int, int] | None = None
        j = i + 1
        if j < sent.last and toks[j].lower in STATEMENT_VERBS:
            j += 1
        if j < sent.last and toks[j].lower in {"from", "by"}:
            k = j + 1
            while k < sent.last and k - j <= 8 and toks[k].lower != "that" and toks[k].text not in {",", "."}:
                k += 1
            if k < sent.last and toks[k].lower == "that" and k > j + 1:
                source, j = (j + 1, k), k
        elif toks[i - 1].text in {"’s", "'s"} or toks[i - 1].lower.endswith(("’s", "'s")):
            k = i - 1
            while k - 1 >= sent.first and is_name_token(toks[k - 1].text):
                k -= 1
            if toks[k].lower.endswith(("’s", "'s")) and is_name_token(toks[k].text):
                source = (k, i - 1 if toks[i - 1].text in {"’s", "'s"} else i)
        if source is None or j >= sent.last or toks[j].lower != "that":
            continue
        stop = j + 1
        while stop < sent.last and not (toks[stop].text in {",", ";", "."} and not doc.in_quote[stop]):
            stop += 1
        if stop - j >= 3:
            out.append(Candidate((j, stop), (i, i + 1), source, "noun-cue", "paraphrase", "noun"))
    return out
