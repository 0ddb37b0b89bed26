"""Word lists: reporting verbs in every inflection, noun cues, hedges, pronouns.

The verbs are listed once by base form and class, and inflected here, so that
"said", "says", "saying", "has said" all come from one entry. The class tells
the rules how sure to be (speech is surer than belief) and which quote type a
clause gets (a directive such as "urged" paraphrases rather than reports).
"""

from __future__ import annotations

from typing import Final


def words(text: str) -> list[str]:
    """A word list written as one string (easier to read and edit than a list of literals)."""
    return text.split()


# class -> base forms. "speech": the content is what was said; "directive"/"commissive":
# an act reported in the speaker's words; "accuse": X accused/blamed Y of …; "cognition":
# a belief or intention (PolNeAR annotates these; they are weaker suggestions).
_VERBS: Final[dict[str, str]] = {
    "speech": (
        "say tell claim state add insist argue note explain announce acknowledge allege assert "
        "declare deny confirm report reveal disclose suggest mention remark reply respond retort "
        "answer comment stress emphasize emphasise maintain contend concede admit testify tweet "
        "write describe recall recount predict estimate indicate affirm reiterate repeat "
        "complain boast brag joke quip lament observe conclude counter caution warn "
        "ask question wonder tout hint propose signal charge dispute reject dismiss "
        "praise criticize criticise condemn slam blast decry denounce defend "
        "characterize characterise label dub brand quote cite highlight underscore proclaim "
        "publish broadcast air preach muse speculate guarantee specify clarify elaborate continue "
        "doubt rebut refute disagree agree acknowledge assure inform advise notify brief "
        "shout scream yell whisper mutter"
    ),
    "directive": "urge call demand request order instruct encourage appeal implore beg invite press push",
    "commissive": "pledge vow promise threaten swear commit offer refuse decline intend plan",
    "accuse": "accuse blame fault",
    "evidence": "show find",
    "cognition": (
        "believe think fear hope expect want feel worry doubt suspect assume consider "
        "understand recognize recognise realize realise see"
    ),
}

_IRREGULAR: Final[dict[str, tuple[str, ...]]] = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "write": ("writes", "wrote", "written", "writing"),
    "think": ("thinks", "thought", "thinking"),
    "know": ("knows", "knew", "known", "knowing"),
    "see": ("sees", "saw", "seen", "seeing"),
    "swear": ("swears", "swore", "sworn", "swearing"),
    "feel": ("feels", "felt", "feeling"),
    "understand": ("understands", "understood", "understanding"),
    "show": ("shows", "showed", "shown", "showing"),
    "find": ("finds", "found", "finding"),
    "broadcast": ("broadcasts", "broadcast", "broadcasting"),
    "shout": ("shouts", "shouted", "shouting"),
}
_DOUBLE_FINAL: Final = frozenset({"commit", "quip", "brag", "refer", "admit", "plan", "rebut", "transmit"})

# Verb + particle cues, recognised as one cue ("called for", "pointed out").
PARTICLES: Final[dict[str, frozenset[str]]] = {
    "call": frozenset({"for", "on", "upon"}),
    "point": frozenset({"out", "to"}),
    "decline": frozenset({"to"}),
    "refuse": frozenset({"to"}),
    "go": frozenset({"on"}),
    "spell": frozenset({"out"}),
    "lash": frozenset({"out"}),
    "weigh": frozenset({"in"}),
    "speak": frozenset({"out", "of", "about"}),
    "sound": frozenset({"off"}),
    "warn": frozenset({"of", "against"}),
}
_PARTICLE_VERBS_EXTRA: Final = {
    "go": ("goes", "went", "gone", "going"),
    "speak": ("speaks", "spoke", "spoken", "speaking"),
    "spell": ("spells", "spelled", "spelt", "spelling"),
    "lash": ("lashes", "lashed", "lashing"),
    "weigh": ("weighs", "weighed", "weighing"),
    "sound": ("sounds", "sounded", "sounding"),
}

AUXILIARIES: Final = frozenset(
    words(
        "has have had having is are was were be been being will would shall should can could may might must "
        "do does did 's 've 'd 'll also later previously earlier then again once repeatedly publicly "
        "privately recently first further not never n't already"
    )
)

NOUN_CUES: Final = frozenset(
    words(
        "statement statements report reports claim claims announcement remarks interview tweet tweets post "
        "posting letter memo communique communiqué press release video message speech testimony comments "
        "comment accusation accusations warning warnings assertion pledge promise allegation allegations"
    )
)

# Hedged reports: the phrase, its canonical hedge, and whether a speaker can follow it.
HEDGE_ADVERBS: Final = frozenset({"reportedly", "allegedly", "purportedly", "supposedly", "ostensibly"})
HEDGE_PHRASES: Final[tuple[str, ...]] = (
    "there are unconfirmed reports",
    "there were unconfirmed reports",
    "there are reports",
    "there were reports",
    "there have been reports",
    "unconfirmed reports say",
    "unconfirmed reports said",
    "unconfirmed reports suggest",
    "reports say",
    "reports said",
    "reports suggest",
    "it is said",
    "it was said",
    "it is reported",
    "it was reported",
    "it has been reported",
    "it is alleged",
    "it was alleged",
    "it is claimed",
    "it was claimed",
    "it is believed",
    "it was believed",
    "it is understood",
    "sources say",
    "sources said",
    "sources told",
    "according to reports",
    "according to unconfirmed reports",
    "according to sources",
    "rumours say",
    "rumors say",
)

PERSONAL_PRONOUNS: Final = frozenset({"he", "she", "they", "it", "we", "i", "who", "you"})
PERSON_PRONOUNS: Final = frozenset({"he", "she", "i", "you"})
# Descriptions that refer back to a named speaker ("the group said", "the ministry added").
DESCRIPTION_NOUNS: Final = frozenset(
    words(
        "group ministry spokesman spokeswoman spokesperson movement organization organisation official "
        "officials agency army government campaign party militia faction front company department president "
        "minister committee council coalition statement administration office alliance brigade force forces "
        "regime rebels activist activists senator candidate lawmaker lawmakers leader leaders commander "
        "source sources aide aides team ambassador secretary governor mayor chairman chairwoman chair board "
        "court network newspaper channel spokesmen"
    )
)
ORG_WORDS: Final = frozenset(
    words(
        "front movement group ministry party army force forces council committee state agency government "
        "campaign brigade brigades alliance coalition organization organisation union front's office "
        "administration department network times post news press reuters ap association institute center "
        "centre foundation commission court university league corps company corporation bank fund council's"
    )
)


def _inflect(base: str) -> tuple[str, ...]:
    if base in _IRREGULAR:
        return (base, *_IRREGULAR[base])
    if base.endswith("e"):
        stem = base[:-1]
        return (base, base + "s", base + "d", stem + "ing")
    if base.endswith("y") and base[-2] not in "aeiou":
        stem = base[:-1]
        return (base, stem + "ies", stem + "ied", base + "ing")
    if base.endswith(("s", "sh", "ch", "x", "z")):
        return (base, base + "es", base + "ed", base + "ing")
    if base in _DOUBLE_FINAL:
        return (base, base + "s", base + base[-1] + "ed", base + base[-1] + "ing")
    return (base, base + "s", base + "ed", base + "ing")


def _build() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    forms: dict[str, tuple[str, str]] = {}
    for klass, bases in _VERBS.items():
        for base in bases.split():
            for form in _inflect(base):
                forms.setdefault(form, (base, klass))
    lemma_of: dict[str, str] = {}
    for base, extra in _PARTICLE_VERBS_EXTRA.items():
        for form in (base, *extra):
            lemma_of.setdefault(form, base)
    return forms, lemma_of


_TABLES: Final = _build()
#: inflected form -> (base form, class); about 170 verbs, 700 forms.
VERB_FORMS: Final[dict[str, tuple[str, str]]] = _TABLES[0]
_PARTICLE_ONLY: Final[dict[str, str]] = _TABLES[1]


def verb_lemma(word: str) -> tuple[str, str] | None:
    """(base, class) of a reporting verb form, or None; particle-only verbs ("went" on) get class "speech"."""
    hit = VERB_FORMS.get(word)
    if hit is not None:
        return hit
    base = _PARTICLE_ONLY.get(word)
    return (base, "particle") if base is not None else None
