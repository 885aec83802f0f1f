"""Suggestions found in statements: the right codes, at exactly the right offsets, in every script."""
import datetime as dt
import json
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import yaml

from archive import codebook as codebook_module
from archive import service
from archive.coding import markers, perpetrators
from archive.coding.suggestions import suggest

TODAY = dt.date(2024, 6, 30)


def found(text, codebook, language=None, kind=None):
    return {(s.kind, s.value): s for s in suggest(text, codebook, language, today=TODAY)
            if kind is None or s.kind == kind}


@pytest.mark.parametrize("text, kind, value, passage", [
    # Arabic, with and without harakat, with a clitic glued on
    ("قالوا شيئا ثم ضربونا في الليل", "abuse_type", "beating", "ضربونا"),
    ("ثم ضَرَبُونا في الليل", "abuse_type", "beating", "ضَرَبُونا"),
    ("كانوا يتركون بالكلاب", "abuse_type", "dog_attack", "بالكلاب"),
    ("وصلنا إلى مينسك في الليل", "place", "minsk", "مينسك"),
    # Cyrillic, inflected
    ("Нас избили у Кузницы.", "abuse_type", "beating", "избили"),
    ("Нас избили у Кузницы.", "place", "kuznica", "Кузницы"),
    ("Одна собака укусила моего друга.", "abuse_type", "dog_attack", "собака"),
    # combining accents with no precomposed form, before and inside the match
    ("X\u0301\u0323 said: the dogs came", "abuse_type", "dog_attack", "dogs"),
    ("the do\u0308\u0323gs came", "abuse_type", "dog_attack", "do\u0308\u0323gs"),
    # emoji (one code point, and a ZWJ family of five) before the match
    ("🐕 then dogs", "abuse_type", "dog_attack", "dogs"),
    ("👨‍👩‍👧 at Kuźnica", "place", "kuznica", "Kuźnica"),
    # folding changes lengths: ß -> ss before the match, ﬁ -> fi inside it
    ("Die Straße, die Straße: they fired", "abuse_type", "firearm_discharge", "fired"),
    ("Then they ﬁred twice", "abuse_type", "firearm_discharge", "ﬁred"),
    ("Straßen und Kuźnica Białostocka", "place", "kuznica", "Kuźnica Białostocka"),
])
def test_offsets_point_at_the_original_passage(codebook, text, kind, value, passage):
    text = unicodedata.normalize("NFC", text)
    suggestion = found(text, codebook)[(kind, value)]
    assert text[suggestion.start:suggestion.end] == unicodedata.normalize("NFC", passage)
    before, trigger, after = suggestion.segments()
    assert trigger == text[suggestion.start:suggestion.end]
    assert text[suggestion.passage_start:].startswith(before + trigger + after)


@pytest.mark.parametrize("language, text, value", [
    ("en", "They beat us every night.", "beating"),
    ("en", "He was beaten near the fence.", "beating"),
    ("en", "Then the kicking started.", "kicking"),
    ("en", "They used pepper-spray on us.", "pepper_spray"),
    ("pl", "Funkcjonariusze pobili nas pałkami.", "beating"),
    ("pl", "Szczuli nas psami.", "dog_attack"),
    ("pl", "Prysnął mi gazem pieprzowym w oczy.", "pepper_spray"),
    ("pl", "Prosiłem o azyl.", "asylum_denied"),
    ("ru", "Нас избили дубинками.", "beating"),
    ("ru", "Собаку спустили на нас.", "dog_attack"),
    ("ru", "Я просил убежища.", "asylum_denied"),
    ("ru", "Нас выдворили в Беларусь.", "pushback"),
    ("ar", "ضربونا بالهراوات", "beating"),
    ("ar", "رشوا علينا رذاذ الفلفل", "pepper_spray"),
    ("ar", "ما زال مفقوداً حتى اليوم", "death_or_disappearance"),
])
def test_terms_in_each_language(codebook, language, text, value):
    assert ("abuse_type", value) in found(text, codebook, language)


@pytest.mark.parametrize("text, language", [
    ("A strange dogma.", "en"),             # dog
    ("We were hitchhiking.", "en"),         # hit
    ("They gave us cutlery.", "en"),        # cut
    ("Psychologia to nauka.", "pl"),        # psy: too short to stem, so exact only
    ("ضربات", "ar"),                        # ضرب with a suffix: not the word
])
def test_no_suggestion_inside_a_longer_word(codebook, text, language):
    assert found(text, codebook, language, kind="abuse_type") == {}


def test_inflection_rules_follow_the_statements_language(codebook):
    assert ("abuse_type", "beating") in found("Uderzali pałkami.", codebook, "pl")
    assert ("abuse_type", "beating") not in found("Uderzali pałkami.", codebook, "en")


def test_an_inflected_english_term_matches_only_itself(codebook):
    """'fired' (a shot) is a term; the noun 'fire' is not a shot."""
    assert ("abuse_type", "firearm_discharge") in found("They fired at us.", codebook, "en")
    assert ("abuse_type", "firearm_discharge") not in found("We made a fire.", codebook, "en")


@pytest.mark.parametrize("text, expected", [
    ("We crossed the Bug at night.", {"bug_river"}),
    ("There was a bug in my tea.", set()),
    ("Kuźnica Białostocka–Bruzgi was closed.", {"kuznica_bruzgi_crossing"}),  # longest spelling wins
    ("The Białowieża Forest is big.", {"bialowieza_forest"}),
    ("We flew to Minsk, then Grodno.", {"minsk", "hrodna"}),
    ("Minsker Straße", set()),
])
def test_places_by_any_spelling_as_whole_capitalised_words(codebook, text, expected):
    assert {value for _, value in found(text, codebook, "en", kind="place")} == expected


def test_polish_place_names_in_their_cases(codebook):
    places = found("Niedaleko Szudziałowa, potem w Michałowie.", codebook, "pl", kind="place")
    assert set(places) == {("place", "szudzialowo"), ("place", "michalowo")}
    for (_, value), suggestion in places.items():  # the spelling it was recognised by is the place's
        assert suggestion.trigger in [codebook.places[value]["name"], *codebook.places[value]["variants"]]


@pytest.mark.parametrize("text, value, written", [
    ("It was 8 November 2021 at night.", "2021-11-08", "8 November 2021"),
    ("On the 8th of November 2021 we", "2021-11-08", "8th of November 2021"),
    ("On November 8, 2021 we", "2021-11-08", "November 8, 2021"),
    ("In November 2021 we", "2021-11", "November 2021"),
    ("Dated 08.11.2021 by them", "2021-11-08", "08.11.2021"),
    ("Dated 8/11/2021 by them", "2021-11-08", "8/11/2021"),
    ("Logged 2021-11-08.", "2021-11-08", "2021-11-08"),
    ("To było 8 listopada 2021 r.", "2021-11-08", "8 listopada 2021"),
    ("To było w listopadzie 2021 roku.", "2021-11", "listopadzie 2021"),
    ("Było to 3 października 2021.", "2021-10-03", "3 października 2021"),
    ("Это было 8 ноября 2021 года.", "2021-11-08", "8 ноября 2021"),
    ("Это было в ноябре 2021.", "2021-11", "ноябре 2021"),
    ("Это было в 2021 году.", "2021", "2021"),
    ("كان ذلك في 2 نوفمبر 2021", "2021-11-02", "2 نوفمبر 2021"),
    ("We came in 2021, in the autumn.", "2021", "2021"),
    ("It happened w 2022 roku.", "2022", "2022"),
])
def test_written_dates_become_edtf(codebook, text, value, written):
    dates = found(text, codebook, kind="date")
    assert list(dates) == [("date", value)]
    suggestion = dates[("date", value)]
    assert text[suggestion.start:suggestion.end] == written


@pytest.mark.parametrize("text", [
    "It was 31.02.2021.",             # no such day
    "It was 30 February 2021.",       # nor this one, and not read as February 2021 instead
    "Logged 2021-13-01.",             # no 13th month
    "It was 8 November 2031.",        # in the future
    "Statement T-2021-0042, file GWP-2021-041.",  # references, not years
    "He was born in 1990.",           # a bare year outside 2015-2026
    "There were 2021 people.",        # a number, not a year
])
def test_impossible_or_unreadable_dates_are_not_offered(codebook, text):
    assert found(text, codebook, kind="date") == {}


def test_one_suggestion_per_value_with_its_occurrences(codebook):
    text = "A dog barked. Then the dogs bit us. A service dog, K9, again."
    suggestion = found(text, codebook, "en")[("abuse_type", "dog_attack")]
    assert suggestion.count == 5  # dog, dogs, bit (bite), dog, K9
    assert text[suggestion.start:suggestion.end] == "dog"
    assert suggestion.passage == "A dog barked."


def test_the_strongest_passage_is_chosen_over_the_first(codebook):
    text = "They had a spray. Later: pepper spray in the eyes."
    suggestion = found(text, codebook, "en")[("abuse_type", "pepper_spray")]
    assert text[suggestion.start:suggestion.end] == "pepper spray"


def test_passage_is_the_sentence_cut_in_a_long_one(codebook):
    long_sentence = "word " * 100 + "dogs " + "word " * 100
    suggestion = found(long_sentence, codebook, "en")[("abuse_type", "dog_attack")]
    assert len(suggestion.passage) <= 2 * 200 + 4
    assert suggestion.passage.startswith("word") and suggestion.passage.endswith("word")


def test_every_demo_suggestion_points_at_its_trigger(codebook):
    """Across the demo set, each span is whole words of the text and its passage contains it."""
    demo = json.loads(service.DEMO_FILE.read_text(encoding="utf-8"))
    total = 0
    for testimony in demo:
        text = testimony["text"]
        for suggestion in suggest(text, codebook, testimony["language"]):
            total += 1
            before, trigger, after = suggestion.segments()
            assert trigger == text[suggestion.start:suggestion.end] != ""
            assert text[suggestion.passage_start:suggestion.passage_start + len(suggestion.passage)] == \
                suggestion.passage
            assert suggestion.start == 0 or not text[suggestion.start - 1].isalnum()
            assert suggestion.end == len(text) or not text[suggestion.end].isalnum()
    assert total > 100


# Anything but Latin letters (which could spell a term), including combining marks, emoji, ß, ligatures
# with no Latin letters, Cyrillic, Arabic with harakat, digits and punctuation.
_NOT_LATIN = st.text(st.one_of(
    st.characters(min_codepoint=0x0400, max_codepoint=0x04FF),   # Cyrillic
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),   # Arabic, harakat included
    st.characters(min_codepoint=0x0300, max_codepoint=0x036F),   # combining marks
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),  # emoji
    st.sampled_from(list("ß0123456789 .,;:!?-–—«»„“\"'()\n\t\u200d\ufe0f")),
), max_size=80)


@settings(max_examples=300, deadline=None)
@given(prefix=_NOT_LATIN, suffix=_NOT_LATIN)
def test_offsets_survive_any_text_around_the_match(codebook, prefix, suffix):
    text = unicodedata.normalize("NFC", f"{prefix} pepper spray {suffix}")
    start = text.index(" pepper spray ") + 1
    # Words that report, deny or compare (archive/coding/markers.py) rightly silence a suggestion.
    assume(not markers.hearsay(text) and not markers.governed(text, 0, start, start + len("pepper spray")))
    suggestion = found(text, codebook, "en")[("abuse_type", "pepper_spray")]
    assert (suggestion.start, suggestion.end) == (start, start + len("pepper spray"))
    before, trigger, after = suggestion.segments()
    assert trigger == "pepper spray" and suggestion.passage == before + trigger + after


def test_a_bare_year_is_read_up_to_this_year_whatever_year_this_is():
    import datetime as dt

    from archive.coding.written_dates import find_dates
    text = "We crossed in 2027 and again in 2031."
    assert [d.text for *_, d in find_dates(text, today=dt.date(2031, 6, 1))] == ["2027", "2031"]
    assert [d.text for *_, d in find_dates(text, today=dt.date(2027, 6, 1))] == ["2027"]
    assert find_dates("in 2009", today=dt.date(2031, 6, 1)) == []


@pytest.mark.parametrize("text, expected", [
    ("Polish border guards beat us at the fence.", [("pl_border_guard", "PL")]),
    ("Polscy strażnicy graniczni nas pobili.", [("pl_border_guard", "PL")]),
    ("Потом нас избили литовские пограничники.", [("lt_border_guard", "LT")]),
    ("Нас побили білоруські прикордонники.", [("by_border_guard", "BY")]),
    ("حرس الحدود البولندي ضربونا", [("pl_border_guard", "PL")]),
    ("Białoruscy żołnierze zabrali telefony.", [("by_military_special", "BY")]),
    ("Lietuvos pasieniečiai mus išstūmė.", [("lt_border_guard", "LT")]),
    ("The Polish officers took our phones.", [("PL", "PL")]),          # a side, no unit named
    ("The Straż Graniczna took us back.", [("pl_border_guard", "PL")]),  # an alias
    ("We walked from Poland to the forest.", []),                        # a country is a place
    ("Belarusian soldiers didn’t find us.", []),                        # denied
    # withheld: a negation of giving or letting is what they did, and they stand named
    ("The Latvian authorities didn’t give us clothes.", [("LV", "LV")]),
    ("Polscy strażnicy nie dali nam wody.", [("pl_border_guard", "PL")]),
    ("Литовские пограничники не пускали нас к врачу.", [("lt_border_guard", "LT")]),
    ("Білоруські прикордонники не дозволили нам піти.", [("by_border_guard", "BY")]),
    ("Polscy strażnicy nie bili nas.", []),                              # denied, Polish
    ("Reportedly Belarusian soldiers beat them.", []),                  # hearsay
])
def test_perpetrators_are_named_with_their_side_in_every_language(codebook, text, expected):
    found = perpetrators.find(text, codebook)
    assert [(p.value, p.side) for p in found] == expected
    for p in found:  # the sentence is the evidence, and the words that name them lie inside it
        assert p.passage in text and p.passage_start <= p.start < p.end <= p.passage_start + len(p.passage)


@pytest.mark.parametrize("text, not_suggested", [
    ("They said that if you try to escape, you will be beaten.", "beating"),     # a condition
    ("We were beaten like dogs.", "dog_attack"),                                  # a comparison
    ("Many asylum seekers were waiting in the forest.", "asylum_denied"),       # a name for people
    ("They did not beat us, they only shouted.", "beating"),                     # denied
    ("Podobno pobili ich pałkami.", "beating"),                                   # hearsay, Polish
    ("Говорят, что их избили.", "beating"),                                       # hearsay, Russian
])
def test_reported_denied_or_named_abuse_is_not_suggested(codebook, text, not_suggested):
    assert not_suggested not in {s.value for s in suggest(text, codebook, None)}


@pytest.mark.parametrize("text, suggested", [
    ("The dogs bit my son.", "dog_attack"),
    ("They beat us with batons.", "beating"),
    ("Nie dali nam jeść, a potem pobili nas pałkami.", "beating"),  # a negation elsewhere in the sentence
])
def test_asserted_abuse_is_still_suggested(codebook, text, suggested):
    assert suggested in {s.value for s in suggest(text, codebook, None)}


# --- read with the index's analyzers, in every language of the codebook ----------------------------

@pytest.mark.parametrize("language, text, value", [
    ("en", "They pushed us back over the wire.", "pushback"),             # 'push back', two words apart
    ("en", "We were forced by guards to cross.", "coerced_crossing"),                # two words between
    ("pl", "Potem nas pobito i wypchnięto; psami szczuli dzieci.", "dog_attack"),  # psami: the term 'pies'
    ("pl", "Oporni są bici przez strażników.", "beating"),                # bici: a form of 'bić'
    ("ru", "Нас избивали всю ночь.", "beating"),
    ("ru", "Натравили на нас собаками.", "dog_attack"),
    ("uk", "Гнана службовим собакою група біженців.", "dog_attack"),
    ("uk", "Тих, хто відмовляється, б'ють силовики.", "beating"),         # б'ють: one word, a form of 'бити'
    ("lt", "Pasieniečiai juos sumušė prie tvoros.", "beating"),
    ("ar", "وأطلقت عليهم قنابل صوتية والغاز المسيل للدموع", "tear_gas"),  # و glued to the article
])
def test_terms_in_their_inflections_through_the_index_analyzers(codebook, language, text, value):
    assert ("abuse_type", value) in found(text, codebook, language)


@pytest.mark.parametrize("language, text, place", [
    ("pl", "Spotkaliśmy ich w Kuźnicy.", "kuznica"),
    ("pl", "Między Kuźnicą a Hajnówką.", "hajnowka"),
    ("ru", "Нас вывезли к Кузнице.", "kuznica"),
    ("lt", "Jie laikomi Medininkuose.", "medininkai"),
    ("lt", "Kūnas gulėjo Vilniaus morge.", "vilnius"),
    ("lt", "Migrantai Kybartuose.", "kybartai"),
    ("ar", "في مركزي اعتقال مدينينكاي وكيبارتاي", "kybartai"),       # after a clitic
    ("ru", "на литовском полигоне Руднинкай", "rudninkai"),
])
def test_inflected_place_names_resolve_to_their_place(codebook, language, text, place):
    assert ("place", place) in found(text, codebook, language, kind="place")


@pytest.mark.parametrize("language, text, not_suggested", [
    ("pl", "Rozmawiał z nami Michał, lekarz.", ("place", "michalowo")),     # a man's name, not Michałowo
    ("lt", "Lietuvos pasieniečiai mus išstūmė.", ("abuse_type", "beating")),  # 'mus' (us) is mušė's stem
])
def test_a_stem_does_not_make_a_short_word_or_a_name_a_code(codebook, language, text, not_suggested):
    assert not_suggested not in found(text, codebook, language)


@pytest.mark.parametrize("language, text, not_suggested", [
    ("en", "There was a river and a truck near the camp.", {"water_immersion", "reckless_driving"}),
    ("pl", "Straż graniczna pakuje uchodźców do samochodu.", {"reckless_driving"}),
    ("ru", "Беженцы пытаются попасть в Польшу, чтобы получить убежище.", {"asylum_denied"}),
    ("ar", "تحتجز طالبي اللجوء في ظروف قاسية", {"asylum_denied"}),
    ("uk", "Мігранти провели кілька днів у болотах.", {"water_immersion"}),
])
def test_terms_that_only_name_a_thing_suggest_nothing(codebook, language, text, not_suggested):
    assert not (not_suggested & {value for _, value in found(text, codebook, language, kind="abuse_type")})


def test_a_term_that_only_names_a_thing_is_still_a_term_of_its_abuse_type(codebook):
    for abuse in codebook.abuse_types.values():
        for language, terms in abuse["names_only"].items():
            assert set(terms) <= set(abuse["terms"][language])


def test_a_codebook_marking_a_word_that_is_not_its_term_is_refused():
    with open(codebook_module.DEFAULT_PATH, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    beating = next(a for a in raw["abuse_types"] if a["id"] == "beating")
    beating["names_only"] = {"en": ["a word that is not a term"]}
    with pytest.raises(ValueError, match="names_only"):
        codebook_module.Codebook.from_dict(raw)


@pytest.mark.parametrize("language, text, value", [
    # negation just before the trigger
    ("en", "They did not beat us.", "beating"),
    ("pl", "Nie bili nas.", "beating"),
    ("ru", "Нас не били.", "beating"),
    ("uk", "Нас не били.", "beating"),
    ("ar", "لم يضربونا", "beating"),
    # hearsay, reported speech, a condition
    ("en", "I heard that they beat him.", "beating"),
    ("pl", "Słyszałem, że go pobili.", "beating"),
    ("ru", "Говорили, что их избили.", "beating"),
    ("uk", "Кажуть, що їх побили.", "beating"),
    ("lt", "Girdėjau, kad juos sumušė.", "beating"),
    ("ar", "سمعت أنهم ضربوهم", "beating"),
    ("ar", "وفي حال فعلوا ذلك فسيتعرضون الى الضرب المبرح", "beating"),
])
def test_negated_or_reported_abuse_is_not_suggested_in_each_language(codebook, language, text, value):
    assert ("abuse_type", value) not in found(text, codebook, language)


@pytest.mark.parametrize("language, text, value", [
    ("ru", "Польские силовики не только жестоко избили, но и натравили собак.", "beating"),  # not only
    ("en", "They not only beat us, they took our phones.", "beating"),
])
def test_not_only_negates_nothing(codebook, language, text, value):
    assert ("abuse_type", value) in found(text, codebook, language)


@pytest.mark.parametrize("text, expected", [
    ("Lietuviai mušė ir vijosi mane.", ["LT"]),                                      # a people acting
    ("Zgarnięcie przez Białorusinów i znów marsz do Polski.", ["BY"]),
    ("Działania białoruskich i polskich pograniczników wobec migrantów.", ["by_border_guard", "pl_border_guard"]),
    ("Jie keliauja atgal į Baltarusiją, o pasieniečiai pamoja.", []),              # į Baltarusiją: a place
    ("Then we went to Poland, and the guards beat us.", []),                       # to Poland: a place
    ("Польские силовики не только жестоко избили нас.", ["PL"]),                  # not only: not a denial
    ("Мігранти пишуть, що правоохоронці Білорусі видали їм ножі.", ["BY"]),
    ("رماه الحرس البيلاروسي في ليتوانيا", ["by_border_guard"]),                     # the nearest nationality
    ("Меня поразило равнодушие польских пограничников: если бы кто-то умирал, они не помогли бы.",
     ["pl_border_guard"]),                                                          # 'if' in another clause
])
def test_perpetrators_by_their_people_the_nearest_nationality_and_clauses(codebook, text, expected):
    assert sorted(p.value for p in perpetrators.find(text, codebook)) == sorted(expected)
