"""The lookup key for actor names and aliases (DESIGN.md, "Search by speaker").

Sources spell one faction many ways: "Jabhat al-Nusra", "jabhat an-Nusra",
"Nusra Front", "جَبْهَة النُّصْرَة". Names and aliases are stored under
normalize_name() and searched by it, so two spellings match exactly when their
keys are equal. The key is never shown to analysts; it only has to be stable
(idempotent) and forgiving of case, diacritics, punctuation and articles.

Pure: no Flask, no SQLAlchemy, no I/O.
"""

from __future__ import annotations

import unicodedata
from typing import Final

# Latin articles and the detached Arabic one ("ال قحطاني", "ال-قحطاني").
_ARTICLES: Final = frozenset({"al", "el", "ul", "the", "ال"})
_ARABIC_ARTICLE: Final = "ال"
# Shorter words that begin with ال are usually not article + noun.
_ARABIC_ARTICLE_MIN_WORD: Final = 4

_ARABIC_DELETED: Final = frozenset(
    [chr(c) for c in range(0x064B, 0x0660)]  # harakat, shadda, sukun, hamza marks
    + ["\u0670"]  # superscript alef
    + [chr(c) for c in range(0x06D6, 0x06EE)]  # Quranic annotation marks
    + ["\u0640"]  # tatweel
)
_ARABIC_REPLACED: Final[dict[str, str]] = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ة": "ه",
    "ى": "ي",
    "ؤ": "و",
    "ئ": "ي",
    # Persian keyboards type these for Arabic yaa and kaf.
    "ی": "ي",
    "ک": "ك",
}
_ARABIC_TABLE: Final = str.maketrans({**{c: None for c in _ARABIC_DELETED}, **_ARABIC_REPLACED})

# Apostrophe-like modifier letters used in transliteration ("ʿAli", "Qurʼan");
# Unicode files them as letters, but they separate words like ' does.
_APOSTROPHE_LETTERS: Final = frozenset("ʹʺʻʼʽʾʿˈˊˋ")


def normalize_name(text: str) -> str:
    """The key under which a name or alias is stored and looked up.

    Two spellings of one name in the ways analysts meet them (case, Latin
    diacritics, hyphens and apostrophes, "al-" and "the", Arabic vowel marks,
    alef and taa marbuta variants) give the same key. Applying it twice gives
    the same key as applying it once.
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_ARABIC_TABLE)
    spaced = unicodedata.normalize("NFC", _strip_marks_and_punctuation(folded))
    words = [_strip_arabic_article(word) for word in spaced.split()]
    meaningful = [word for word in words if word not in _ARTICLES]
    # A name that is only articles ("The") keeps them rather than vanish.
    return " ".join(meaningful or words)


def name_words(text: str) -> list[str]:
    """The words of the key, for "contains all of its words" search."""
    return normalize_name(text).split()


def _strip_marks_and_punctuation(text: str) -> str:
    out: list[str] = []
    base_is_latin_or_none = True
    for char in unicodedata.normalize("NFKD", text):
        category = unicodedata.category(char)
        if category.startswith("M"):
            # Diacritics go only on Latin letters (and stray marks); marks on
            # other scripts (Cyrillic й, Devanagari vowels) spell different
            # letters and stay.
            if not base_is_latin_or_none:
                out.append(char)
            continue
        if category == "Cf":
            # Soft hyphens, zero-width joiners, direction marks: invisible,
            # so they must not split "Mül\u00adler" into two words.
            continue
        if category == "Nd":
            out.append(str(unicodedata.decimal(char)))
            base_is_latin_or_none = True
        elif category[0] in "PSZC" or char.isspace() or char in _APOSTROPHE_LETTERS:
            out.append(" ")
            base_is_latin_or_none = True
        else:
            out.append(char)
            base_is_latin_or_none = unicodedata.name(char, "").startswith("LATIN")
    return "".join(out)


def _strip_arabic_article(word: str) -> str:
    # Repeat so that the result cannot start with a strippable ال, and never
    # leave a word starting with a combining mark (the next pass would drop
    # it): both keep normalize_name idempotent.
    rest = len(_ARABIC_ARTICLE)
    while (
        word.startswith(_ARABIC_ARTICLE)
        and len(word) >= _ARABIC_ARTICLE_MIN_WORD
        and not unicodedata.category(unicodedata.normalize("NFKD", word[rest])[0]).startswith("M")
    ):
        word = word[rest:]
    return word
