"""Direct quotations and the cue next to them: `"…," he said, "…"` and `X said: "…"`.

A quotation of a few words is usually a scare quote inside someone else's
sentence ("caliphate"), so only quotations of four words or more, or ending
in sentence punctuation, become direct quotes here; shorter ones stay inside
the clause that contains them.
"""

from __future__ import annotations

from typing import Final

from claimdb.attribution.candidates import Candidate, Document
from claimdb.attribution.lexicon import AUXILIARIES, NOUN_CUES, verb_lemma
from claimdb.attribution.speakers import MAX_SUBJECT, is_name_token, speaker_after, statement_speaker, subject_before
from claimdb.attribution.text import Quote

_MIN_WORDS: Final = 4
#: Patterns whose content ends where the cue's clause begins ("…, X said."), so a quotation after them continues.
_CLOSED_BY_CUE: Final = frozenset({"trailing", "inverted", "trailing-no-subject"})


def quote_candidates(doc: Document) -> list[Candidate]:
    """Candidates whose content is a whole quotation (or two halves split by the cue)."""
    out: list[Candidate] = []
    used: set[int] = set()
    qs = doc.quotes
    for k, q in enumerate(qs):
        if k in used or not _is_statement(doc, q):
            continue
        cand = _cue_after(doc, q, qs[k + 1] if k + 1 < len(qs) else None)
        if cand is not None:
            if cand.pattern == "split-quote":
                used.add(k + 1)
            out.append(cand)
            continue
        cand = _cue_before(doc, q)
        if cand is not None:
            out.append(cand)
    return out


def _is_statement(doc: Document, q: Quote) -> bool:
    words = sum(1 for t in doc.tokens[q.open + 1 : q.close] if t.text[0].isalnum())
    return words >= _MIN_WORDS or (words >= 2 and doc.tokens[q.close - 1].text in {".", "!", "?"})


def _content(q: Quote) -> tuple[int, int]:
    return (q.open, q.close + 1)


def _cue_after(doc: Document, q: Quote, nxt: Quote | None) -> Candidate | None:
    """`"…," he said` / `"…," said Sham` / `"…," he said, "…"`."""
    toks = doc.tokens
    k = q.close + 1
    if (
        not q.closed
        or k >= len(toks)
        or (doc.sentence_of[k] != doc.sentence_of[q.close] and toks[q.close - 1].text != ",")
    ):
        return None
    sent = doc.sentence(k)
    limit = sent.last if doc.sentence_of[k] == doc.sentence_of[q.close] else doc.sentences[doc.sentence_of[k]].last
    if toks[k].text == ",":
        k += 1
    cue: tuple[int, int] | None = None
    source: tuple[int, int] | None = None
    j = k
    while j < limit and toks[j].lower in AUXILIARIES:
        j += 1
    if j < limit and verb_lemma(toks[j].lower) is not None:
        cue = (k, j + 1)
        source = speaker_after(doc, j + 1, limit)
    else:
        for j in range(k + 1, min(limit, k + MAX_SUBJECT + 1)):
            if verb_lemma(toks[j].lower) is not None:
                first = j
                while first - 1 > k and toks[first - 1].lower in AUXILIARIES:
                    first -= 1
                subj = subject_before(doc, first, k)
                if subj is not None and subj[0] == k:
                    cue, source = (first, j + 1), subj
                break
            if toks[j].text in {".", "“", '"', "”"}:
                break
    if cue is None or source is None:
        return None
    content = _content(q)
    _, klass = verb_lemma(toks[cue[1] - 1].lower) or ("", "speech")
    end = source[1] if source[1] > cue[1] else cue[1]
    if nxt is not None and end < len(toks) and toks[end].text in {",", "."} and nxt.open == end + 1:
        return Candidate((content[0], _content(nxt)[1]), cue, source, "split-quote", "direct", klass)
    return Candidate(content, cue, source, "quote-after", "direct", klass)


def continue_quotes(doc: Document, cands: list[Candidate]) -> None:
    """`"…," he said. "…"`: quotations that follow in the same paragraph, with no cue of their own, continue it.

    Also after content the cue closes (`"It's heartbreaking," Ryan said. "And …"`, a quotation too short to be
    a direct quote on its own, or `The administration may wait, Schiff said. "The other factor …"`): PolNeAR
    and a desk alike take the following quotation as the same speaker's words.
    """
    toks = doc.tokens
    starts = {q.open: q for q in doc.quotes}
    cue_sentences = {doc.sentence_of[c.cue[0]] for c in cands if c.cue is not None}
    for cand in cands:
        direct = cand.quote_type == "direct" and cand.pattern != "quote-before"
        if not direct and cand.pattern not in _CLOSED_BY_CUE and not _runs_to_sentence_end(doc, cand):
            continue
        last = max(cand.content[1], cand.cue[1] if cand.cue else 0, cand.source[1] if cand.source else 0)
        sent = doc.sentence_of[last - 1]
        while sent + 1 < len(doc.sentences):
            nxt = doc.sentences[sent + 1]
            if "\n" in doc.body[toks[nxt.first - 1].end : toks[nxt.first].start] or nxt.first not in starts:
                break
            q = starts[nxt.first]
            if doc.sentence_of[q.close] in cue_sentences or sent + 1 in cue_sentences:
                break
            cand.content = (cand.content[0], q.close + 1)
            if direct:
                cand.pattern = "split-quote"
            sent = doc.sentence_of[q.close]
            if q.close + 1 < len(toks) and doc.sentence_of[q.close + 1] == sent:
                break  # the sentence goes on after the quotation: leave it there


def _runs_to_sentence_end(doc: Document, cand: Candidate) -> bool:
    """ "X said that …." / "The museum, X said, …": clause content that only the sentence's end stops."""
    if cand.pattern not in {"forward", "parenthetical"}:
        return False
    sent = doc.sentences[doc.sentence_of[cand.content[1] - 1]]
    rest = doc.tokens[cand.content[1] : sent.last]
    return all(not t.text[0].isalnum() for t in rest)


def _cue_before(doc: Document, q: Quote) -> Candidate | None:
    """`X said: "…"` / `A statement issued by Nusra claims: "…"` / `X said, "…"`."""
    toks = doc.tokens
    j = q.open - 1
    if j < 0:
        return None
    if toks[j].text == "," or (toks[j].text == ":" and j - 1 >= 0 and not is_name_token(toks[j - 1].text)):
        j -= 1
    # "said in a statement:" — step back over the noun phrase.
    if j >= 2 and toks[j].lower in NOUN_CUES and toks[j - 2].lower == "in":
        j -= 3
    if j >= 0 and toks[j].text == ":" and j - 1 >= 0 and is_name_token(toks[j - 1].text):
        # "Trump: “…”": a name and a colon are the cue.
        k = j - 1
        while k - 1 >= 0 and is_name_token(toks[k - 1].text) and doc.sentence_of[k - 1] == doc.sentence_of[j]:
            k -= 1
        if j - k <= 4 and (k == 0 or doc.sentence_of[k - 1] != doc.sentence_of[k] or toks[k - 1].text == "."):
            return Candidate(_content(q), (j, j + 1), (k, j), "quote-colon", "direct", "speech")
    if (
        j < 0
        or verb_lemma(toks[j].lower) is None
        or (doc.sentence_of[j] != doc.sentence_of[q.open] and toks[q.open - 1].text != ":")
    ):
        return None
    last = j + 1
    first = j
    sent = doc.sentence(j)
    while first - 1 >= sent.first and toks[first - 1].lower in AUXILIARIES:
        first -= 1
    subj = subject_before(doc, first, sent.first)
    if subj is None:
        return None
    subj = statement_speaker(doc, subj)
    _, klass = verb_lemma(toks[j].lower) or ("", "speech")
    return Candidate(_content(q), (first, last), subj, "quote-before", "direct", klass)
