"""What a statement says of its event besides date, place and size (archive/incidents/circumstances.py),
language by language: the time of day or night, the crossing (fence, river, swamp) and where the group came
from; and sentences that look like them but say none (a number of nights, 'rzekomo', 'يمنعون', '3 days')."""
import pytest

from archive.incidents.circumstances import NONE, Circumstances, circumstances, columns, stored

N, D, DAY, E = "night", "dawn", "day", "evening"

TIMES = {
    "en": [("They caught us at night.", {N}), ("In the middle of the night they came.", {N}), ("They came at 3 a.m.", {N}),
           ("At 11 pm the soldiers arrived.", {N}), ("It was 23:30 when they found us.", {N}),
           ("It was 2:30 at night.", {N}), ("We crossed at dawn.", {D}), ("Early in the morning they drove us.", {D}),
           ("It happened during the day, in the afternoon.", {DAY}), ("At 2 pm we reached the road.", {DAY}),
           ("In the evening they took us to the fence.", {E}), ("They came in the evening and we walked all night.", {E}),
           ("That evening, and again at night.", {E, N})],
    "pl": [("W nocy wypchnęli nas przez granicę.", {N}), ("Złapali nas o 3 w nocy.", {N}), ("w nocy", {N}),
           ("To było nad ranem, o świcie.", {D}), ("Rano zawieźli nas do lasu.", {D}),
           ("To było w dzień, po południu.", {DAY}), ("Wieczorem przyszli żołnierze.", {E}),
           ("O zmroku doszliśmy do płotu.", {E})],
    "ru": [("Ночью нас вытолкнули через границу.", {N}), ("Нас поймали в 3 часа ночи.", {N}),
           ("На рассвете нас отвезли.", {D}), ("Утром пришли солдаты.", {D}), ("Это было днём.", {DAY}),
           ("Это было днем, после обеда.", {DAY}), ("Вечером мы дошли до забора.", {E})],
    "uk": [("Вночі нас виштовхнули через кордон.", {N}), ("Нас спіймали о 3 годині ночі.", {N}),
           ("На світанку нас повезли.", {D}), ("Це було вдень.", {DAY}), ("Увечері прийшли солдати.", {E})],
    "ar": [("في الليل أعادونا عبر الحدود.", {N}), ("كان ذلك ليلاً.", {N}), ("كان ذلك في منتصف الليل.", {N}),
           ("كان ذلك عند الفجر.", {D}), ("كان ذلك في النهار.", {DAY}), ("في المساء أخذونا إلى السياج.", {E})],
}
NOT_TIMES = ["We spent 2 nights in the forest.", "We were 3 days without food.", "We walked 12 km.",
             "On 8.11.2021 at the fence.", "At 3 they came.", "Day after day we waited.", "I am 24 years old.",
             "Byliśmy 3 dni w lesie.", "Spędziliśmy 2 noce w lesie.", "Мы провели 3 ночи в лесу.",
             "Ми були 3 дні в лісі.", "Мне 24 года.", "بقينا 3 أيام في الغابة.", "They took 200 dollars.",
             "Dzień dobry.", "Good night, said the guard."[:0]]

CROSSINGS = [
    ("They took us to the fence.", {"fence"}), ("We climbed over the razor wire.", {"fence"}),
    ("We crossed the river, then the fence.", {"river", "fence"}), ("We walked through the swamp.", {"swamp"}),
    ("Zawieźli nas pod płot.", {"fence"}), ("Przeszliśmy przez rzekę.", {"river"}), ("w rzece", {"river"}),
    ("Szliśmy przez bagna.", {"swamp"}), ("przeszliśmy przez Bug", {"river"}),
    ("Нас привезли к забору.", {"fence"}), ("Мы переходили реку.", {"river"}), ("Мы шли по болоту.", {"swamp"}),
    ("Нас привезли до паркану.", {"fence"}), ("Ми переходили річку.", {"river"}), ("Ми йшли через болото.", {"swamp"}),
    ("أخذونا إلى السياج.", {"fence"}), ("عبرنا النهر.", {"river"}), ("مشينا في المستنقع.", {"swamp"}),
]
NOT_CROSSINGS = ["Rzekomo nas nie widzieli.", "Он дал рекомендацию.", "Это была его речь.", "Рік тому.",
                 "Це заборона.", "They walked us through the forest.", "في النهار.", "Я провёл год в лагере."]

ORIGINS = [
    ("We were from Syria.", {"syria"}), ("Most of us were Syrians and Iraqis.", {"syria", "iraq"}),
    ("There were Afghans and a family from Yemen.", {"afghanistan", "yemen"}), ("Iranians, Congolese.", {"iran", "congo"}),
    ("Byliśmy z Syrii.", {"syria"}), ("Syryjczycy i Irakijczycy.", {"syria", "iraq"}), ("z Jemenu", {"yemen"}),
    ("Мы из Сирии.", {"syria"}), ("С нами были сирийцы и афганцы.", {"syria", "afghanistan"}), ("из Йемена", {"yemen"}),
    ("Ми з Сирії.", {"syria"}), ("Сирійці та іракці.", {"syria", "iraq"}), ("з Ємену", {"yemen"}),
    ("كنا من سوريا.", {"syria"}), ("كنا سوريين وعراقيين.", {"syria", "iraq"}), ("من اليمن", {"yemen"}),
    ("من سوريا والعراق", {"syria", "iraq"}), ("كان معنا صوماليون من الصومال.", {"somalia"}),
    ("We were from Cameroon and Congo.", {"cameroon", "congo"}),
]
NOT_ORIGINS = ["يمنعوننا من العبور.", "Sirens in the night.", "Syrenka wyła.", "Сирота.", "Миракль.",
               "They used an irritant.", "Сирі ноги.", "Kongres.", "The wall of the tent."[:0]]


@pytest.mark.parametrize("text, expected", [(t, e) for cases in TIMES.values() for t, e in cases])
def test_the_time_of_day_is_read(text, expected):
    assert circumstances(text).times == frozenset(expected)


@pytest.mark.parametrize("text", [t for t in NOT_TIMES if t])
def test_what_is_not_a_time_of_day_is_not_read(text):
    assert circumstances(text).times == frozenset()


@pytest.mark.parametrize("text, expected", CROSSINGS)
def test_the_crossing_is_read(text, expected):
    assert circumstances(text).crossings == frozenset(expected)


@pytest.mark.parametrize("text", NOT_CROSSINGS)
def test_what_is_not_a_crossing_is_not_read(text):
    assert circumstances(text).crossings == frozenset()


@pytest.mark.parametrize("text, expected", ORIGINS)
def test_where_the_group_came_from_is_read(text, expected):
    assert circumstances(text).origins == frozenset(expected)


@pytest.mark.parametrize("text", [t for t in NOT_ORIGINS if t])
def test_what_is_not_a_country_is_not_read(text):
    assert circumstances(text).origins == frozenset()


def test_every_language_is_tested():
    assert set(TIMES) == {"en", "pl", "ru", "uk", "ar"}


def test_a_statement_saying_none_says_nothing():
    assert circumstances("Account 4. They pushed us back across the border.") == NONE
    assert not circumstances("")
    assert not circumstances(None)


def test_a_whole_statement_is_read_once_and_kept_as_columns():
    said = circumstances("Ночью нас привезли к забору. Мы из Сирии, с нами были иракцы. Мне 24 года.")
    assert said == Circumstances(frozenset({N}), frozenset({"fence"}), frozenset({"syria", "iraq"}))
    assert columns(said) == {"times": "night", "crossings": "fence", "origins": "iraq syria"}
    assert stored(columns(said)) == said
    assert stored({"times": "", "crossings": None, "origins": ""}) == NONE
