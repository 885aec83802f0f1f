"""Group sizes read from a statement's text (archive/incidents/group_sizes.py), language by language: exact
numbers in digits and words, ranges, 'about' as an approximate size; and sentences whose numbers are not how
many the group was (dates, ages, kilometres, hours, days, part of the group) read as no size."""
import pytest

from archive.incidents.group_sizes import GroupSize, find_group_sizes, group_size

EXACT, ABOUT = False, True

SIZES = {
    "en": [
        ("We were 80 people.", (80, 80, EXACT)),
        ("we were eighty", (80, 80, EXACT)),
        ("There were 30 of us in the forest.", (30, 30, EXACT)),
        ("We were a group of forty-five.", (45, 45, EXACT)),
        ("Our group was 12 people, with three children.", (12, 12, EXACT)),
        ("We were two hundred people.", (200, 200, EXACT)),
        ("We were about 80.", (80, 80, ABOUT)),
        ("There were around 50 of us.", (50, 50, ABOUT)),
        ("We were nearly a hundred.", (100, 100, ABOUT)),
        ("We were between 20 and 30 people.", (20, 30, EXACT)),
        ("20–30 people crossed with us.", (20, 30, EXACT)),
        ("There were 20-30 of us.", (20, 30, EXACT)),
        ("We were about 20 to 30.", (20, 30, ABOUT)),
    ],
    "pl": [
        ("Było nas 30.", (30, 30, EXACT)),
        ("Nas było 25 osób.", (25, 25, EXACT)),
        ("W grupie było 15 osób.", (15, 15, EXACT)),
        ("Było nas trzydzieści osób.", (30, 30, EXACT)),
        ("Było nas około 50.", (50, 50, ABOUT)),
        ("Było nas około pięćdziesięciu.", (50, 50, ABOUT)),
        ("bylo nas okolo 40", (40, 40, ABOUT)),                 # typed without Polish letters
        ("Szła grupa około 60 osób.", (60, 60, ABOUT)),
        ("Było nas od 20 do 30 osób.", (20, 30, EXACT)),
        ("Przyszło 20–30 osób.", (20, 30, EXACT)),
    ],
    "ru": [
        ("Нас было 50 человек.", (50, 50, EXACT)),
        ("Было нас 12.", (12, 12, EXACT)),
        ("Группа из тридцати человек.", (30, 30, EXACT)),
        ("Нас было около 50.", (50, 50, ABOUT)),
        ("Нас было около пятидесяти человек.", (50, 50, ABOUT)),
        ("Нас было примерно 40.", (40, 40, ABOUT)),
        ("Нас было от 20 до 30 человек.", (20, 30, EXACT)),
        ("Через границу шли 20–30 человек.", (20, 30, EXACT)),
    ],
    "uk": [
        ("Нас було 40 людей.", (40, 40, EXACT)),
        ("Група з 25 осіб.", (25, 25, EXACT)),
        ("У нашій групі було п’ятдесят людей.", (50, 50, EXACT)),
        ("Нас було близько 40.", (40, 40, ABOUT)),
        ("Нас було приблизно сорок людей.", (40, 40, ABOUT)),
        ("Нас було від 20 до 30 людей.", (20, 30, EXACT)),
    ],
    "ar": [
        ("كنا 80 شخصا.", (80, 80, EXACT)),
        ("كنا ٨٠ شخصاً.", (80, 80, EXACT)),                     # Arabic-Indic digits
        ("كان عددنا 35.", (35, 35, EXACT)),
        ("كنا مجموعة من ثلاثين شخصاً.", (30, 30, EXACT)),
        ("كنا خمسة وعشرين شخصا.", (25, 25, EXACT)),
        ("كنا حوالي ٥٠ شخصاً.", (50, 50, ABOUT)),
        ("كنا 50 شخصا تقريبا.", (50, 50, ABOUT)),               # 'about' after the number
        ("كنا بين 20 و30 شخصا.", (20, 30, EXACT)),
        ("كنا من 20 إلى 30 شخصا.", (20, 30, EXACT)),
    ],
}

NOT_SIZES = {
    "en": ["On 8 November 2021 we reached the fence.", "On 8.11.2021 they pushed us back.", "I am 24 years old.",
           "We walked 12 km through the forest.", "We were 3 days in the forest.", "We were 6 hours in the truck.",
           "Two of us were beaten.", "A group of 5 soldiers came with dogs.", "It was 2:30 at night.",
           "They took 200 dollars from us.", "We were 15 years old.", "We were 5 families."],
    "pl": ["8.11.2021 doszliśmy do płotu.", "Mam 24 lata.", "Szliśmy 12 km przez las.",
           "Było nas 3 dni bez jedzenia.", "Byliśmy 6 godzin w samochodzie.", "Było nas 5 rodzin."],
    "ru": ["8 ноября 2021 года мы дошли до забора.", "Мне 24 года.", "Мы шли 12 км по лесу.",
           "Нас было 3 дня в лесу без еды.", "Мы были 6 часов в машине.", "Нас было 5 семей."],
    "uk": ["8 листопада 2021 року ми дійшли до паркану.", "Мені 24 роки.", "Ми йшли 12 км лісом.",
           "Нас було 3 дні в лісі."],
    "ar": ["في 8 تشرين الثاني 2021 وصلنا إلى السياج.", "عمري 24 عاما.", "مشينا 12 كم في الغابة.",
           "كنا 3 أيام في الغابة.", "كنا 6 ساعات في الشاحنة."],
}


@pytest.mark.parametrize("language, sentence, said",
                         [(language, *case) for language, cases in SIZES.items() for case in cases])
def test_a_group_size_is_read_as_the_witness_says_it(language, sentence, said):
    assert group_size(sentence) == GroupSize(*said)


@pytest.mark.parametrize("language, sentence",
                         [(language, sentence) for language, sentences in NOT_SIZES.items() for sentence in sentences])
def test_numbers_that_are_not_a_group_size_are_not_read_as_one(language, sentence):
    assert find_group_sizes(sentence) == []


@pytest.mark.parametrize("language", list(NOT_SIZES))
def test_among_other_numbers_the_group_size_is_found_and_the_first_said_is_the_one(language):
    others = " ".join(NOT_SIZES[language])
    sentence, said = SIZES[language][0]
    later = SIZES[language][-1][0]   # a later count (here a range) is found, and is not the group's size
    text = f"{others} {sentence} {others} {later}"
    assert group_size(text) == GroupSize(*said)
    assert len(find_group_sizes(text)) == 2


def test_an_approximate_size_means_a_fifth_either_side_and_a_said_one_means_itself():
    assert GroupSize(80, 80, approximate=True).bounds == (64, 96)
    assert GroupSize(20, 30).bounds == (20, 30)
    assert group_size("") is None and group_size("We walked all night.") is None
