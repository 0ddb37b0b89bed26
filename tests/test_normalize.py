"""normalize_name: spellings of one name that analysts meet must share one key."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from claimdb.normalize import name_words, normalize_name


def same_key(*spellings: str) -> str:
    keys = {normalize_name(s) for s in spellings}
    assert len(keys) == 1, keys
    return keys.pop()


# --- Latin script -------------------------------------------------------------


def test_case_is_ignored() -> None:
    assert same_key("Nusra", "NUSRA", "nusra", "nUsRa") == "nusra"
    assert same_key("Straße", "STRASSE") == "strasse"


def test_latin_diacritics_are_stripped() -> None:
    assert same_key("Ḥazm", "hazm", "HAZM", "Ḥāzm") == "hazm"
    assert same_key("Müller", "muller", "Mu\u0308ller") == "muller"
    assert same_key("Sāmī al-ʿArīḍī", "Sami al-Aridi") == "sami aridi"
    assert same_key("İstanbul", "Istanbul") == "istanbul"


def test_compatibility_forms_are_folded() -> None:
    assert same_key("Ｑａｈｔａｎｉ", "Qahtani") == "qahtani"
    assert same_key("ﬁrst", "first") == "first"


@pytest.mark.parametrize(
    "spelling",
    ["al-Qahtani", "Al Qahtani", "al Qahtani", "AL-QAHTANI", "Qahtani", "al–Qahtani", "al‐Qahtani"],
)
def test_al_is_dropped(spelling: str) -> None:
    assert normalize_name(spelling) == "qahtani"


def test_articles_are_dropped_as_whole_words_only() -> None:
    assert normalize_name("Jabhat al-Nusra") == "jabhat nusra"
    assert normalize_name("The Levant Front") == "levant front"
    assert normalize_name("Abu Maria al-Qahtani") == "abu maria qahtani"
    assert normalize_name("El Salvador") == "salvador"
    assert normalize_name("Abd ul-Aziz") == "abd aziz"
    assert normalize_name("Alawite Theatre Elders") == "alawite theatre elders"
    assert normalize_name("Theo Alan Ulrich") == "theo alan ulrich"


@pytest.mark.parametrize(("name", "key"), [("The", "the"), ("al", "al"), ("The Al", "the al"), ("al-", "al")])
def test_a_name_of_only_articles_keeps_them(name: str, key: str) -> None:
    assert normalize_name(name) == key


def test_hyphens_dashes_and_spaces_are_one_separator() -> None:
    assert same_key("Nusra Front", "nusra-front", "Nusra—Front", "nusra  front", "Nusra\tFront\n") == "nusra front"
    assert same_key(" Levant   Front ", "Levant-Front", "levant_front") == "levant front"


@pytest.mark.parametrize("mark", ["'", "’", "‘", "ʿ", "ʼ", "`", "ʾ", "´"])
def test_apostrophes_and_quote_marks_separate_words(mark: str) -> None:
    assert normalize_name(f"Ahrar{mark}Sham") == "ahrar sham"
    assert normalize_name(f"{mark}Ali") == "ali"


def test_dots_commas_and_runs_of_punctuation_become_one_space() -> None:
    assert same_key("Abu Mohammad al-Golani", "abu. mohammad, al-golani", "Abu -- Mohammad (al-Golani)") == (
        "abu mohammad golani"
    )
    assert normalize_name("U.S.") == "u s"
    assert normalize_name('"Islamic State"') == "islamic state"


def test_invisible_characters_do_not_split_words() -> None:
    assert same_key("Mül\u00adler", "Müller", "Mül\u200bler") == "muller"


def test_marks_on_other_scripts_spell_different_letters_and_stay() -> None:
    assert normalize_name("Й") == "й"
    assert normalize_name("Й") != normalize_name("И")
    assert normalize_name("Ёлкин") == "ёлкин"


# --- Arabic script ------------------------------------------------------------


def test_arabic_vowel_marks_are_removed() -> None:
    assert same_key("جَبْهَة النُّصْرَة", "جبهة النصرة", "جبهه نصره") == "جبهه نصره"


def test_arabic_quranic_marks_and_superscript_alef_are_removed() -> None:
    assert same_key("رحمٰن", "رحمن")
    assert same_key("قحطاني\u06d6", "قحطاني")


def test_arabic_article_is_stripped_from_longer_words() -> None:
    assert same_key("أبو ماريا القحطاني", "ابو ماريا قحطاني") == "ابو ماريا قحطاني"
    assert same_key("ال-قحطاني", "ال قحطاني", "القحطاني") == "قحطاني"


def test_arabic_article_stays_on_short_words() -> None:
    # "الم" and "الي" are too short to be article + noun.
    assert normalize_name("الم") == "الم"
    assert normalize_name("الي") == "الي"


@pytest.mark.parametrize("alef", ["أ", "إ", "آ", "ٱ", "ا"])
def test_alef_forms_are_one_letter(alef: str) -> None:
    assert normalize_name(f"{alef}حمد") == "احمد"


def test_taa_marbuta_is_haa() -> None:
    assert same_key("حمزة", "حمزه") == "حمزه"


def test_alef_maqsura_is_yaa() -> None:
    assert same_key("مصطفى", "مصطفي") == "مصطفي"


def test_hamza_on_waw_and_yaa() -> None:
    assert same_key("مؤمن", "مومن") == "مومن"
    assert same_key("رئيس", "رييس") == "رييس"


def test_tatweel_is_removed() -> None:
    assert same_key("جـبـهـة", "جبهة") == "جبهه"
    assert same_key("النـــصرة", "نصرة") == "نصره"


def test_arabic_indic_digits_are_ascii_digits() -> None:
    assert same_key("لواء ٢٠١٥", "لواء ۲۰۱۵", "لواء 2015") == "لواء 2015"


def test_arabic_punctuation_separates_words() -> None:
    assert same_key("جبهة،النصرة", "جبهة؛النصرة", "جبهة النصرة؟") == "جبهه نصره"


def test_arabic_presentation_forms_are_folded() -> None:
    assert same_key("ﺍﻟﻘﺤﻄﺎﻧﻲ", "القحطاني") == "قحطاني"


def test_mixed_scripts() -> None:
    assert normalize_name("Jabhat al-Nusra (جَبْهَة النُّصْرَة)") == "jabhat nusra جبهه نصره"


# --- empty input and words ----------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\t\n ", "---", " ' - . , ", "\u200b", "\u0640"])
def test_nothing_to_name_is_empty(text: str) -> None:
    assert normalize_name(text) == ""
    assert name_words(text) == []


def test_name_words_are_the_words_of_the_key() -> None:
    assert name_words("Abu Maria al-Qahtani") == ["abu", "maria", "qahtani"]
    assert name_words("The") == ["the"]
    assert name_words("أبو ماريا القحطاني") == ["ابو", "ماريا", "قحطاني"]


# --- properties -----------------------------------------------------------------

names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
# Arabic letters and marks mixed with article fragments and separators.
arabicish = st.lists(
    st.sampled_from([chr(c) for c in range(0x0600, 0x0700)] + list("al-the ʿ'’ .,ـ١2") + ["ال", "وال"]),
    max_size=30,
).map("".join)


@given(st.one_of(names, arabicish))
@example("الالعاب")
@example("الال")
@example("the al")
@example("ΐ")
@example("الำab")
@example("ال\u0301ab")
@example("ﷺ")
def test_normalization_is_idempotent(text: str) -> None:
    once = normalize_name(text)
    assert normalize_name(once) == once


@given(st.one_of(names, arabicish))
def test_key_is_trimmed_single_spaced_and_lowercase(text: str) -> None:
    key = normalize_name(text)
    assert key == " ".join(key.split())
    assert key == key.casefold()
    assert name_words(text) == key.split()


@given(st.text(alphabet="AaBbLlEeTtHhUu -'.,", max_size=20))
def test_a_name_with_letters_never_has_an_empty_key(text: str) -> None:
    assert (normalize_name(text) != "") is any(char.isalpha() for char in text)
