"""Group sizes as witnesses write them, read from a statement's text: how many people the group was.

'we were 80 people', 'there were about 30 of us', 'a group of forty', 'between 20 and 30 people', '20–30
people'; Polish 'było nas 30', 'grupa około 50 osób', 'od 20 do 30 osób'; Russian 'нас было около 50', 'группа
из тридцати человек', 'от 20 до 30 человек'; Ukrainian 'нас було близько 40', 'група з 25 осіб', 'від 20 до 30
людей'; Arabic 'كنا 80 شخصا', 'كنا حوالي ٥٠ شخصا', 'مجموعة من ثلاثين شخصا', 'بين 20 و 30 شخصا'. Numbers in
digits (Arabic-Indic too) or in words, with the inflected forms that 'około', 'около', 'близько' take
('około trzydziestu', 'около пятидесяти'). 'about', 'około', 'около', 'близько', 'حوالي' and their kin make
the size approximate.

Only a number in one of these frames is a group size: a date, an age, kilometres, hours or days ('we were
3 days in the forest', 'we walked 12 km', 'I am 24 years old', '8.11.2021') are not, nor is a count of some
of the group ('two of us were beaten', 'a group of 5 soldiers'). The frames are matched on the folded text
(archive/text.py `fold`: no case, no diacritics), so 'bylo nas okolo 30' typed without Polish letters reads
the same. The word lists below are written as the languages write them and folded when loaded.

The linker (archive/incidents/candidates.py) uses the first size a statement states when the coder has
recorded none: witnesses say how many they were as the story starts, and later counts ('in the truck there
were 12 of us') are more often of part of the group.
"""
import re
from dataclasses import dataclass

from archive.text import fold, windows_around

APPROXIMATE = 0.2   # 'about 80' is taken to mean 80 give or take a fifth: 64–96
LARGEST = 2000      # a number above this in a frame is not a group at a border

# Number words with the inflected forms that follow 'około', 'около', 'близько' (genitive) or 'z', 'из'.
WORDS = {
    1: "one jeden jedna один одна", 2: "two dwa dwie dwóch dwu два две двух дві двох اثنان اثنين",
    3: "three trzy trzech три трёх трьох ثلاثة ثلاث",
    4: "four cztery czterech четыре четырёх чотири чотирьох أربعة أربع",
    5: "five pięć pięciu пять пяти п'ять п'яти خمسة خمس", 6: "six sześć sześciu шесть шести шість ستة ست",
    7: "seven siedem siedmiu семь семи сім سبعة سبع", 8: "eight osiem ośmiu восемь восьми вісім ثمانية ثماني ثمان",
    9: "nine dziewięć dziewięciu девять девяти дев'ять дев'яти تسعة تسع",
    10: "ten dziesięć dziesięciu десять десяти عشرة عشر",
    11: "eleven jedenaście jedenastu одиннадцать одиннадцати одинадцять одинадцяти",
    12: "twelve dwanaście dwunastu двенадцать двенадцати дванадцять дванадцяти",
    13: "thirteen trzynaście trzynastu тринадцать тринадцати тринадцять тринадцяти",
    14: "fourteen czternaście czternastu четырнадцать четырнадцати чотирнадцять чотирнадцяти",
    15: "fifteen piętnaście piętnastu пятнадцать пятнадцати п'ятнадцять п'ятнадцяти",
    16: "sixteen szesnaście szesnastu шестнадцать шестнадцати шістнадцять шістнадцяти",
    17: "seventeen siedemnaście siedemnastu семнадцать семнадцати сімнадцять сімнадцяти",
    18: "eighteen osiemnaście osiemnastu восемнадцать восемнадцати вісімнадцять вісімнадцяти",
    19: "nineteen dziewiętnaście dziewiętnastu девятнадцать девятнадцати дев'ятнадцять дев'ятнадцяти",
    20: "twenty dwadzieścia dwudziestu двадцать двадцати двадцять عشرون عشرين",
    30: "thirty trzydzieści trzydziestu тридцать тридцати тридцять ثلاثون ثلاثين",
    40: "forty czterdzieści czterdziestu сорок сорока أربعون أربعين",
    50: "fifty pięćdziesiąt pięćdziesięciu пятьдесят пятидесяти п'ятдесят п'ятдесяти خمسون خمسين",
    60: "sixty sześćdziesiąt sześćdziesięciu шестьдесят шестидесяти шістдесят шістдесяти ستون ستين",
    70: "seventy siedemdziesiąt siedemdziesięciu семьдесят семидесяти сімдесят сімдесяти سبعون سبعين",
    80: "eighty osiemdziesiąt osiemdziesięciu восемьдесят восьмидесяти вісімдесят вісімдесяти ثمانون ثمانين",
    90: "ninety dziewięćdziesiąt dziewięćdziesięciu девяносто девяноста дев'яносто дев'яноста تسعون تسعين",
    100: "hundred sto stu сто ста مئة مائة مية",
    200: "dwieście dwustu двести двухсот двісті двохсот مئتان مئتين مائتين",
}
VALUES = {fold(word): value for value, words in WORDS.items() for word in words.split()}
VALUES.pop("hundred")
MULTIPLIERS = {"hundred": 100, "dozen": 12}   # English says 'two hundred', 'a dozen': they multiply
APPROX = ["about", "around", "approximately", "approx.", "roughly", "some", "nearly", "almost", "close to",
          "more than", "over", "maybe", "perhaps",
          "około", "ok.", "mniej więcej", "prawie", "blisko", "ponad", "przeszło", "jakieś", "chyba",
          "около", "примерно", "приблизительно", "почти", "больше", "более", "где-то", "порядка",
          "близько", "приблизно", "майже", "біля", "понад", "більше", "десь",
          "حوالي", "حوالى", "نحو", "قرابة", "ما يقارب", "تقريبا", "أكثر من"]
APPROX_AFTER = ["تقريباً"]   # Arabic may say 'about' after the number: 'كنا 50 شخصا تقريبا'
RANGE_FROM = ["between", "from", "od", "między", "pomiędzy", "от", "между", "від", "між", "بين", "من"]
RANGE_TO = ["and", "to", "do", "a", "i", "и", "і", "до", "و", "إلى"]
RANGE_OR = ["to", "or", "albo", "lub", "или", "або", "чи", "أو", "إلى"]
PEOPLE = ["people", "persons", "person", "of us", "men", "migrants", "refugees", "adults", "individuals",
          "osób", "osoby", "ludzi", "migrantów", "uchodźców",
          "человек", "человека", "людей", "мигрантов", "беженцев",
          "осіб", "чоловік", "мігрантів", "біженців",
          "شخص", "شخصاً", "أشخاص", "فرداً", "أفراد", "لاجئاً", "لاجئين", "مهاجراً", "مهاجرين"]
# What a number in a frame may count instead of the group: then it is not a group size.
NOT_PEOPLE = ["day", "days", "night", "nights", "hour", "hours", "minutes", "week", "weeks", "months", "year",
              "years", "km", "kilometres", "kilometers", "miles", "metres", "meters", "m", "o'clock", "am", "pm",
              "dollars", "euros", "children", "kids", "women", "families", "soldiers", "guards", "dogs", "cars",
              "times",
              "dni", "dnia", "dzień", "godzin", "godziny", "minut", "tygodni", "miesięcy", "lat", "lata", "roku",
              "kilometrów", "metrów", "dolarów", "euro", "dzieci", "kobiet", "rodzin", "żołnierzy", "strażników",
              "razy",
              "дней", "дня", "день", "суток", "часов", "часа", "час", "минут", "недель", "месяцев", "лет", "года",
              "год", "километров", "км", "метров", "долларов", "евро", "детей", "женщин", "семей", "солдат",
              "пограничников", "раз",
              "днів", "дні", "доби", "годин", "години", "хвилин", "тижнів", "місяців", "років", "роки",
              "кілометрів", "метрів", "доларів", "дітей", "жінок", "сімей", "родин", "солдатів", "прикордонників",
              "أيام", "يوماً", "يوم", "ساعات", "ساعة", "دقائق", "أسابيع", "أشهر", "سنوات", "عاماً", "سنة",
              "كيلومترات", "كم", "كيلومتراً", "متراً", "دولار", "أطفال", "نساء", "عائلات", "جنود", "مرات"]


def _any(words):
    """A regex alternation of folded words, the longest first, spaces as any spacing."""
    folded = sorted({fold(word) for word in words}, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in folded)


_WORD = _any([*VALUES, *MULTIPLIERS])
_DIGITS = r"(?<![\d.,:/])\d{1,4}(?!\d|[.,:/]\d)"
# A number: digits, or number words joined by spaces, hyphens, 'and' or Arabic 'و' ('forty-five', 'a hundred
# and twenty', 'dwadzieścia pięć', 'خمسة وعشرون').
_SPELLED = rf"(?:a\s+(?:hundred|dozen)|{_WORD})(?:(?:\s+and\s+|\s+و\s*|[\s-]+)(?:{_WORD}))*"
NUMBER = rf"(?:{_DIGITS}|(?<!\w)(?:{_SPELLED})(?!\w))"
_RANGE = (rf"(?:{_any(RANGE_FROM)})\s+(?P<low>{NUMBER})\s+(?:{_any(RANGE_TO)})\s*(?P<high>{NUMBER})"
          rf"|(?P<low2>{NUMBER})\s*(?:[-–—]|\s(?:{_any(RANGE_OR)})\s)\s*(?P<high2>{NUMBER})")
_ABOUT = rf"(?:(?P<about>{_any(APPROX)})\s+)?"
_ABOUT_AFTER = re.compile(rf"(?:\s+\w+)?\s+(?:{_any(APPROX_AFTER)})(?!\w)")   # after the number or its noun
QUANTITY = rf"{_ABOUT}(?:{_RANGE}|(?P<one>{NUMBER}))"
_PEOPLE = rf"(?:{_any(PEOPLE)})(?!\w)"
_PEOPLE_AFTER = rf"(?:\s+{_PEOPLE})?"

# What says, in each language, that the number after it is how many the group was ('we were', 'było nas',
# 'нас было', 'нас було', 'كنا'). The people noun after the number may follow or not ('we were 80', 'było nas 30').
LEADS = {
    "en": [r"we\s+were(?:\s+a\s+group\s+of)?", r"(?:a|our|the|my)\s+group\s+of",
           r"(?:our|the|my)\s+group\s+(?:was|had|numbered|counted)",
           r"in\s+(?:our|the|my)\s+group\s+(?:there\s+)?were"],
    "pl": [r"(?:bylo|szlo|jechalo|zostalo|przeszlo)\s+nas", r"nas\s+bylo",
           r"(?:w\s+)?(?:naszej\s+)?grupi[ea]\s+(?:bylo|liczyla|liczacej)"],
    "ru": [r"нас\s+было", r"было\s+нас", r"групп[аеуы]\s+из", r"(?:в\s+)?(?:нашеи\s+)?группе\s+было"],
    "uk": [r"нас\s+було", r"було\s+нас", r"груп[аиіу]\s+з", r"(?:в|у)\s+(?:нашіи\s+)?групі\s+було"],
    "ar": [r"كنا", r"كان\s+عددنا", r"عددنا", r"مجموعه\s+من"],
}
# Frames whose number must be followed by who they were ('there were 30 of us', 'grupa 50 osób'), and a range
# of people in any language ('20–30 people', 'od 20 do 30 osób', 'بين 20 و 30 شخصا').
FRAMES = [
    rf"(?<!\w)(?:{'|'.join(lead for leads in LEADS.values() for lead in leads)})\s+{QUANTITY}{_PEOPLE_AFTER}",
    rf"\bthere\s+were\s+{QUANTITY}\s+(?:of\s+us|people\s+in\s+(?:our|the|my)\s+group)",
    rf"(?<!\w)grup[aeyi]\s+(?:z\s+|ze\s+)?{QUANTITY}\s+(?:osob|ludzi|migrantow|uchodzcow)(?!\w)",
    rf"(?<!\w){_ABOUT}(?:{_RANGE})\s+{_PEOPLE}",
]
COMPILED = [re.compile(frame) for frame in FRAMES]
# A range needs a dash or a word of one: without either, a stretch is not read by the range frame (the costliest).
_RANGE_HINT = re.compile(rf"[-–—]|(?<!\w)(?:{_any(RANGE_FROM + RANGE_OR)})\s")
# Words one of the frames holds, matched on the text as written (before folding; Polish letters or not, Arabic
# with or without its marks): the frames are tried only WINDOW_BEFORE/WINDOW_AFTER characters around them.
_CUES = re.compile(r"(?<!\w)(?:we\s+were|there\s+were|group|grup|nas|нас|груп|كن|عدد|مجموع|people|persons|of\s+us"
                   r"|os[oó]b|ludzi|человек|людей|осіб|شخص|أشخاص|اشخاص|أفراد|افراد)", re.IGNORECASE)
WINDOW_BEFORE, WINDOW_AFTER = 70, 90   # the longest range before a people noun; the longest frame after its cue
_NOT_PEOPLE = re.compile(rf"\s*(?:{_any(NOT_PEOPLE)})(?!\w)|\s+old\b|-year")
# Arabic-Indic digits as digits, and the apostrophes of 'п’ять' as one.
_SAME = str.maketrans({**{c: str(i % 10) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")}, "’": "'", "ʼ": "'"})


@dataclass(frozen=True)
class GroupSize:
    """How many people a group was, as said: exact (low == high), a range, or approximate ('about 80')."""
    low: int
    high: int
    approximate: bool = False

    @property
    def bounds(self):
        """(low, high) people this may mean: an approximate size widened by APPROXIMATE either side."""
        if not self.approximate:
            return self.low, self.high
        return round(self.low * (1 - APPROXIMATE)), round(self.high * (1 + APPROXIMATE))


def find_group_sizes(text):
    """[GroupSize] of every group size stated in `text`, in the order written."""
    found = []
    for low, high in _windows(text or ""):
        folded = fold(text[low:high])
        if not folded.isascii():
            folded = folded.translate(_SAME)
        taken = []
        for frame in COMPILED if _RANGE_HINT.search(folded) else COMPILED[:-1]:
            for match in frame.finditer(folded):
                if any(match.start() < end and start < match.end() for start, end in taken):
                    continue   # the same words read by another frame ('we were a group of 40')
                size = _read(match, folded)
                if size is not None:
                    taken.append(match.span())
                    found.append((low + match.start(), size))
    return [size for _, size in sorted(found, key=lambda item: item[0])]


def _windows(text):
    """Stretches of the text around the words every frame holds ('we were', 'nas', 'групп', 'كنا', a people
    noun): only there do the frames look, so a long statement is read once by one simple pattern."""
    return windows_around(_CUES.finditer(text), len(text), WINDOW_BEFORE, WINDOW_AFTER)


def group_size(text):
    """The first group size `text` states, or None."""
    found = find_group_sizes(text)
    return found[0] if found else None


def _read(match, folded):
    groups = match.groupdict()
    if _NOT_PEOPLE.match(folded, match.end()):
        return None   # 'we were 3 days in the forest', 'a group of 5 soldiers', 'we were 15 years old'
    approximate = bool(groups.get("about") or _ABOUT_AFTER.match(folded, match.end()))
    low, high = groups.get("low") or groups.get("low2"), groups.get("high") or groups.get("high2")
    if low and high:
        low, high = number(low), number(high)
        if low is not None and high is not None and 0 < low < high <= LARGEST:
            return GroupSize(low, high, approximate)
        if not groups.get("low2"):
            return None
        one = number(f"{groups['low2']}-{groups['high2']}")   # 'forty-five' read as a range 40–5 is 45
    else:
        one = number(groups.get("one") or "")
    if one is None or not 1 < one <= LARGEST:
        return None   # 'we were one': no group
    return GroupSize(one, one, approximate)


def number(written):
    """The value of a number as matched (folded): digits, or number words ('forty-five', 'sto dwadziescia',
    'خمسه وعشرون', 'a hundred and twenty'); None when it is not one."""
    written = written.strip()
    if written.isdigit():
        return int(written)
    total, current = 0, 0
    for word in re.split(r"[\s-]+", written):
        if word.startswith("و") and word not in VALUES:
            word = word[1:]   # Arabic 'and' is written onto the next word: 'وعشرون'
        if not word or word == "and":
            continue
        if word == "a":
            current = max(current, 1)
        elif word in MULTIPLIERS:
            total += max(current, 1) * MULTIPLIERS[word]
            current = 0
        elif word in VALUES:
            current += VALUES[word]
        else:
            return None
    return (total + current) or None
