"""What a generated witness says in words of the push-back (bench/incidents_bench.py): how many the group was,
as witnesses say it, with their noise, among sentences holding numbers that are not group sizes (dates, ages,
kilometres, hours, days, money), in English, Polish, Russian, Ukrainian, Arabic and French.

A witness of a group of `people`:
- says nothing of its size (0.2);
- the exact number, counted (0.35 of the rest): "We were 47 people.";
- an approximate number, rounded, within a fifth (0.3): "We were about 50.";
- a range around it (0.15): "We were between 35 and 55 people.", "od 35 do 55 osób";
- a wrong number said as if counted, within 30 % (0.2): "We were 38."
Round numbers are now and then written in words ("about fifty", "około pięćdziesięciu"), Arabic numbers now and
then in Arabic-Indic digits, and one witness in ten later counts part of the group ("In the truck there were 12
of us"), which a reader of the text may take for the group. French is written too and is not among the
languages the archive reads sizes in (archive/incidents/group_sizes.py): those sizes go unread, as they would.

The sentences are drawn from a generator of their own (seeded by the bench's seed and the testimony's number),
so that the structured fields of an archive stay those of the same seed before sentences were written
(the figures measured before can be compared on the very same archive).
"""
import random

# Round numbers in words: nominative, and the genitive 'około', 'около', 'близько' take.
TENS = {
    "en": {10: "ten", 20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy",
           80: "eighty", 90: "ninety", 100: "a hundred"},
    "pl": {10: ("dziesięć", "dziesięciu"), 20: ("dwadzieścia", "dwudziestu"), 30: ("trzydzieści", "trzydziestu"),
           40: ("czterdzieści", "czterdziestu"), 50: ("pięćdziesiąt", "pięćdziesięciu"),
           60: ("sześćdziesiąt", "sześćdziesięciu"), 70: ("siedemdziesiąt", "siedemdziesięciu"),
           80: ("osiemdziesiąt", "osiemdziesięciu"), 90: ("dziewięćdziesiąt", "dziewięćdziesięciu"),
           100: ("sto", "stu")},
    "ru": {10: ("десять", "десяти"), 20: ("двадцать", "двадцати"), 30: ("тридцать", "тридцати"),
           40: ("сорок", "сорока"), 50: ("пятьдесят", "пятидесяти"), 60: ("шестьдесят", "шестидесяти"),
           70: ("семьдесят", "семидесяти"), 80: ("восемьдесят", "восьмидесяти"), 90: ("девяносто", "девяноста"),
           100: ("сто", "ста")},
    "uk": {10: ("десять", "десяти"), 20: ("двадцять", "двадцяти"), 30: ("тридцять", "тридцяти"),
           40: ("сорок", "сорока"), 50: ("п’ятдесят", "п’ятдесяти"), 60: ("шістдесят", "шістдесяти"),
           70: ("сімдесят", "сімдесяти"), 80: ("вісімдесят", "вісімдесяти"), 90: ("дев’яносто", "дев’яноста"),
           100: ("сто", "ста")},
    "ar": {10: "عشرة", 20: "عشرين", 30: "ثلاثين", 40: "أربعين", 50: "خمسين", 60: "ستين", 70: "سبعين",
           80: "ثمانين", 90: "تسعين", 100: "مئة"},
    "fr": {10: "dix", 20: "vingt", 30: "trente", 40: "quarante", 50: "cinquante", 60: "soixante",
           70: "soixante-dix", 80: "quatre-vingts", 90: "quatre-vingt-dix", 100: "cent"},
}
# {language: (exact sentences, approximate sentences, range sentences)}: {n}, {low}, {high} the numbers.
SAID = {
    "en": (["We were {n} people.", "There were {n} of us.", "Our group was {n} people.", "We were a group of {n}."],
           ["We were about {n}.", "There were around {n} of us.", "We were a group of about {n} people.",
            "We were approximately {n} people."],
           ["We were between {low} and {high} people.", "There were {low}–{high} of us.",
            "{low} to {high} people crossed with us."]),
    "pl": (["Było nas {n}.", "Było nas {n} osób.", "W grupie było {n} osób."],
           ["Było nas około {g}.", "Szła grupa około {g} osób.", "Nas było mniej więcej {n}."],
           ["Było nas od {low} do {high} osób.", "Było nas {low}–{high} osób."]),
    "ru": (["Нас было {n} человек.", "Нас было {n}.", "Группа из {n} человек."],
           ["Нас было около {g}.", "Нас было примерно {n} человек.", "Было нас около {g} человек."],
           ["Нас было от {low} до {high} человек.", "Нас было {low}–{high} человек."]),
    "uk": (["Нас було {n} людей.", "Нас було {n}.", "У групі було {n} осіб."],
           ["Нас було близько {g}.", "Нас було приблизно {n} людей."],
           ["Нас було від {low} до {high} людей.", "Нас було {low}–{high} осіб."]),
    "ar": (["كنا {n} شخصا.", "كان عددنا {n}.", "كنا مجموعة من {n} أشخاص."],
           ["كنا حوالي {n} شخصا.", "كنا نحو {n} شخصا.", "كنا {n} شخصا تقريبا."],
           ["كنا بين {low} و{high} شخصا.", "كنا من {low} إلى {high} شخصا."]),
    "fr": (["Nous étions {n} personnes.", "Nous étions {n}."], ["Nous étions environ {n}."],
           ["Nous étions entre {low} et {high} personnes."]),
}
# Part of the group counted later: read as the group's size when it is the only number said.
LATER = {"en": "In the truck there were {n} of us.", "pl": "W samochodzie było nas {n}.",
         "ru": "В машине нас было {n}.", "uk": "У машині нас було {n}.", "ar": "في الشاحنة كنا {n}.",
         "fr": "Dans le camion nous étions {n}."}
# Numbers that are not group sizes: a date, an age, kilometres, hours, days, money, children.
OTHER_NUMBERS = {
    "en": ["On {d} November 2021 we reached the fence.", "I am {age} years old.",
           "We walked {km} km through the forest.",
           "We were {h} hours in the truck.", "We were {days} days without food.", "They took {usd} dollars from us.",
           "Two of us were beaten.", "It was {h}:30 at night."],
    "pl": ["{d}.11.2021 doszliśmy do płotu.", "Mam {age} lat.", "Szliśmy {km} km przez las.",
           "Byliśmy {h} godzin w samochodzie.", "Było nas {days} dni bez jedzenia.", "Zabrali nam {usd} dolarów."],
    "ru": ["{d} ноября 2021 года мы дошли до забора.", "Мне {age} лет.", "Мы шли {km} км по лесу.",
           "Мы были {h} часов в машине.", "Нас было {days} дней в лесу без еды.", "У нас забрали {usd} долларов."],
    "uk": ["{d} листопада 2021 року ми дійшли до паркану.", "Мені {age} років.", "Ми йшли {km} км лісом.",
           "Ми були {h} годин у машині.", "У нас забрали {usd} доларів."],
    "ar": ["في {d} تشرين الثاني 2021 وصلنا إلى السياج.", "عمري {age} عاما.", "مشينا {km} كم في الغابة.",
           "كنا {h} ساعات في الشاحنة.", "كنا {days} أيام بلا طعام.", "أخذوا منا {usd} دولار."],
    "fr": ["Le {d} novembre 2021 nous sommes arrivés à la clôture.", "J'ai {age} ans.", "Nous avons marché {km} km."],
}
# Until 2026-12-07 (evening) every opening said 'at night', which the archive now reads as the time of day:
# the time is said by bench/incident_circumstances.py, as each witness says it.
OPENINGS = {"en": "They pushed us back across the border.", "pl": "Wypchnęli nas przez granicę.",
            "ru": "Нас вытолкнули через границу.", "uk": "Нас виштовхнули через кордон.",
            "ar": "أعادونا عبر الحدود.", "fr": "Ils nous ont repoussés de l'autre côté de la frontière."}
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def text_rng(seed, n):
    """The generator of testimony `n`'s sentences, apart from the one of its structured fields."""
    return random.Random(f"incident-sentences-{seed}-{n}")


def statement(rng, language, people, circumstances=()):
    """A witness's account in `language` of a push-back of a group of `people`: the opening, what the witness
    says of its circumstances (bench/incident_circumstances.py), the size as said (or not), numbers that are
    not sizes before and after it."""
    sentences = [OPENINGS[language], *circumstances]
    others = OTHER_NUMBERS[language]
    numbers = {"d": rng.randint(1, 28), "age": rng.randint(16, 60), "km": rng.randint(2, 40), "h": rng.randint(5, 12),
               "days": rng.randint(5, 9), "usd": rng.choice((100, 200, 500))}
    sentences += [rng.choice(others).format(**numbers) for _ in range(rng.randint(0, 2))]
    said = _size_said(rng, language, people)
    if said:
        sentences.append(said)
    sentences += [rng.choice(others).format(**numbers) for _ in range(rng.randint(0, 2))]
    if rng.random() < 0.1:
        sentences.append(LATER[language].format(n=_digits(rng, language, max(2, people // rng.randint(2, 5)))))
    return " ".join(sentences)


def _size_said(rng, language, people):
    exact, about, ranges = SAID[language]
    kind = rng.random()
    if kind < 0.2:
        return None
    kind = (kind - 0.2) / 0.8
    if kind < 0.35:
        return rng.choice(exact).format(n=_digits(rng, language, people))
    if kind < 0.65:
        rounded = _round(people * rng.uniform(0.8, 1.2))
        sentence = rng.choice(about)
        return sentence.format(n=_number(rng, language, rounded), g=_number(rng, language, rounded, genitive=True))
    if kind < 0.8:
        low, high = _round(people * rng.uniform(0.7, 0.95)), _round(people * rng.uniform(1.05, 1.3))
        if high <= low:
            high = low + 5
        return rng.choice(ranges).format(low=_digits(rng, language, low), high=_digits(rng, language, high))
    wrong = max(2, round(people * rng.uniform(0.7, 1.3)))
    return rng.choice(exact).format(n=_digits(rng, language, wrong))


def _round(value):
    """As people round a crowd: to 5 below 50, to 10 above."""
    step = 5 if value < 50 else 10
    return max(step, int(round(value / step)) * step)


def _number(rng, language, value, genitive=False):
    """A round number in words now and then (0.3), else in digits."""
    words = TENS[language].get(value)
    if words and rng.random() < 0.3:
        if isinstance(words, tuple):
            return words[1] if genitive else words[0]
        return words
    return _digits(rng, language, value)


def _digits(rng, language, value):
    written = str(value)
    return written.translate(EASTERN) if language == "ar" and rng.random() < 0.4 else written
