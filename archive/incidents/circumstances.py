"""What witnesses say that tells one push-back from another of the same days and places, read from a
statement's text: the time of day or night, where they crossed or were put over (the fence, the river, the
swamp), and where the group came from. In en, pl, ru, uk and ar, on the folded text (archive/text.py `fold`:
no case, no diacritics), as group sizes are read (archive/incidents/group_sizes.py).

Why these three: each tells apart events of the same days and places that the date, place, perpetrators,
abuse types and size do not, and witnesses of one group mostly agree on them. On the generator of known truth
(bench/incident_circumstances.py; `python -m bench.linkage_fit 1000 --seed 7 --ceiling --parts …`) each,
added alone to those five, lifted the labelled ceiling at threshold 0.4 from 0.868 / 0.795 (precision /
recall) to 0.878 / 0.832 (the crossing), 0.874 / 0.822 (the time of day), 0.869 / 0.820 (the origin); all
three to 0.903 / 0.867 (docs/incidents.md). Those gains follow from how often the generator's witnesses say
each, which is a guess, not a measurement of real statements. Families and children present, the weather and
the season were not built: a yes or no that most groups share, or what the date already says.

Each is a set: a witness may say both the river and the fence, or Syrians and Iraqis. Only phrases that place
the event are read: 'at night', 'w nocy', 'ночью', 'вночі', 'ليلاً', a clock time ('at 3 a.m.', 'o 3 w nocy',
'в 3 часа ночи', '23:30'); not a duration ('two nights in the forest', 'три ночи'), not 'day' in '3 days'.
A country is read from its name and its people's ('from Syria', 'Syryjczycy', 'сирийцы', 'з Сирії',
'من سوريا', 'سوريين'), not from words that merely begin like one (Arabic 'يمنعون', they forbid, is not Yemen).
"""
import re
from dataclasses import dataclass

from archive.text import fold

# The times of day, in the order of a day: two next to each other ('evening' and 'night') are what two
# witnesses of one event often say; two apart ('night' and 'day') are not.
PERIODS = ("night", "dawn", "day", "evening")
TIME_WORDS = {
    "night": [r"at\s+night", r"in\s+the\s+(?:middle\s+of\s+the\s+)?night", r"during\s+the\s+night",
              r"that\s+night", r"midnight", r"overnight\s+(?:they|we)", r"in\s+the\s+dark",
              r"w\s+nocy", r"noca", r"o\s+polnocy", r"tej\s+nocy", r"srodku\s+nocy", r"po\s+ciemku",
              r"ночью", r"в\s+полночь", r"посреди\s+ночи", r"(?:часа|часов)\s+ночи", r"той\s+ночью", r"в\s+темноте",
              r"вночі", r"уночі", r"опівночі", r"(?:години|годині)\s+ночі", r"тієї\s+ночі", r"серед\s+ночі",
              r"в\s+темряві", r"ليلا", r"في\s+الليل", r"منتصف\s+الليل", r"تلك\s+الليله", r"في\s+الظلام"],
    "dawn": [r"at\s+dawn", r"at\s+daybreak", r"at\s+sunrise", r"early\s+(?:in\s+the\s+)?morning",
             r"in\s+the\s+morning", r"o\s+swicie", r"nad\s+ranem", r"wczesnym\s+rankiem", r"rano",
             r"на\s+рассвете", r"рано\s+утром", r"утром", r"на\s+світанку", r"рано\s+вранці", r"вранці", r"уранці",
             r"فجرا", r"عند\s+الفجر", r"في\s+الفجر", r"صباحا", r"في\s+الصباح"],
    "day": [r"during\s+the\s+day", r"in\s+(?:the\s+)?daylight", r"in\s+the\s+afternoon", r"at\s+noon", r"midday",
            r"w\s+dzien", r"za\s+dnia", r"po\s+poludniu", r"w\s+poludnie", r"w\s+bialy\s+dzien",
            r"дн[её]м", r"после\s+обеда", r"в\s+полдень", r"среди\s+бела\s+дня",
            r"вдень", r"удень", r"після\s+обіду", r"опівдні", r"серед\s+білого\s+дня",
            r"نهارا", r"في\s+النهار", r"ظهرا", r"بعد\s+الظهر", r"وقت\s+الظهيره"],
    "evening": [r"in\s+the\s+evening", r"that\s+evening", r"at\s+dusk", r"at\s+sunset", r"as\s+it\s+got\s+dark",
                r"wieczorem", r"tego\s+wieczoru", r"o\s+zmroku", r"вечером", r"в\s+сумерках", r"тем\s+вечером",
                r"ввечері", r"увечері", r"у\s+сутінках", r"того\s+вечора",
                r"مساء", r"في\s+المساء", r"عند\s+الغروب", r"تلك\s+الامسيه"],
}
# A clock time: '3 a.m.', '11 pm', '23:30' ('o 3 w nocy', 'в 3 часа ночи' are read by their words; a bare
# 'at 3' says no period).
_CLOCK = re.compile(r"(?<![\d.:/])(?P<hour>[012]?\d)(?::(?P<minute>[0-5]\d)(?!\d)|\s*(?P<half>[ap])\.?\s?m(?:\.|(?!\w)))")


def _period_of(hour):
    return "night" if hour < 5 or hour >= 23 else "dawn" if hour < 9 else "day" if hour < 18 else "evening"


CROSSINGS = ("fence", "river", "swamp")
CROSSING_WORDS = {
    "fence": [r"fence", r"razor\s+wire", r"barbed\s+wire", r"border\s+wall", r"(?:the|a|metal)\s+wall",
              r"plot(?:u|em|owi)?", r"ogrodzeni\w*", r"zasiek\w*", r"(?:przez|na|pod|przy)\s+mur\w*",
              r"забор(?:а|у|ом|е|ы|ов)?", r"ограждени\w*", r"колюч\w+\s+проволок\w*", r"паркан\w*", r"огорож\w*",
              r"колюч\w+\s+дріт\w*", r"السياج", r"سياج", r"الجدار", r"الاسلاك\s+الشائكه", r"السور"],
    "river": [r"river", r"(?:the\s+)?bug\s+river", r"rzek(?:a|i|e|ach|ami|om)", r"rzece", r"(?:przez|w|nad)\s+bug(?:iem|u)?",
              r"рек(?:а|и|е|у|ои|ою)", r"речк\w*", r"річк\w*", r"річц\w*", r"рік[аиу]", r"النهر", r"نهر"],
    "swamp": [r"swamps?", r"marsh(?:es)?", r"bogs?", r"wetlands?", r"bagn\w*", r"mokrad\w*",
              r"болот\w*", r"المستنقع\w*", r"مستنقع\w*"],
}

# Countries the groups at this border most often came from (2021–2023 reports), each by its name and its
# people's name in the five languages, folded. Words are whole: a stem gets only the endings listed.
ORIGINS = ("syria", "iraq", "afghanistan", "yemen", "iran", "congo", "cameroon", "somalia")
ORIGIN_WORDS = {
    "syria": [r"syria\w*", r"syri[iae]", r"syryj\w+", r"сири(?:я|и|ю|еи|ии|иц\w*|ец|иец|иск\w*)",
              r"сирі(?:я|і|ю|єю|иц\w*|иськ\w*|єць)", r"[وفبل]?(?:ال)?سوري(?:ا|ه|ون|ين|ات)?"],
    "iraq": [r"iraq\w*", r"irak\w*", r"ирак\w*", r"ірак\w*", r"[وفبل]?(?:ال)?عراق(?:ي|يون|يين|يه|يات)?"],
    "afghanistan": [r"afghan\w*", r"afgan\w*", r"афган\w*", r"[وفبل]?(?:ال)?افغان\w*"],
    "yemen": [r"yemen\w*", r"jemen\w*", r"иемен\w*", r"ємен\w*", r"[وفبل]?(?:ال)?يمن(?:ي|يون|يين|يه)?"],
    "iran": [r"iran(?:s|ian|ians|u|ie|czyk\w*|czycy|ski\w*|sk\w+)?", r"иран\w*", r"іран\w*", r"[وفبل]?(?:ال)?ايران\w*"],
    "congo": [r"congo\w*", r"congolese", r"kong(?:o|a|u|ijczyk\w*|ijczycy|ijsk\w*)", r"конго\w*", r"конголез\w*",
              r"[وفبل]?(?:ال)?كونغو\w*"],
    "cameroon": [r"cameroon\w*", r"kamerun\w*", r"камерун\w*", r"[وفبل]?(?:ال)?كاميرون\w*"],
    "somalia": [r"somali\w*", r"сомали\w*", r"сомалі\w*", r"[وفبل]?(?:ال)?صومال\w*"],
}


def _compile(words):
    """One pattern of every key's phrases, each key a named group: the text is scanned once (a pattern per key,
    eight scans for the origins, cost four times as much)."""
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?P<{key}>" + "|".join(phrases) + ")" for key, phrases in words.items())
                      + r")(?!\w)")


_TIMES, _CROSSINGS, _ORIGINS = _compile(TIME_WORDS), _compile(CROSSING_WORDS), _compile(ORIGIN_WORDS)
# A number of nights is a duration: 'two nights in the forest', 'три ночи', 'dwie noce', 'ثلاث ليال'.
_NIGHTS = re.compile(r"\d+\s+(?:nights|noc[ey]?|ноч(?:и|еи)|ночі|ночеи|ليال)")


@dataclass(frozen=True)
class Circumstances:
    """What a statement says of when in the day, where it crossed and where its group came from (frozensets
    of PERIODS, CROSSINGS and ORIGINS; empty: not said)."""
    times: frozenset = frozenset()
    crossings: frozenset = frozenset()
    origins: frozenset = frozenset()

    def __bool__(self):
        return bool(self.times or self.crossings or self.origins)


NONE = Circumstances()


def circumstances(text):
    """The Circumstances `text` states."""
    folded = fold(text or "")
    return Circumstances(times_of_day(folded), _found(_CROSSINGS, folded), _found(_ORIGINS, folded))


def times_of_day(folded):
    """The periods a folded text places its event in: by their words, and by clock times ('at 3 a.m.')."""
    found = set(_found(_TIMES, _NIGHTS.sub(" ", folded)))
    for match in _CLOCK.finditer(folded):
        hour, half = int(match["hour"]), match["half"]
        if hour > 23 or half and not 1 <= hour <= 12:
            continue
        if half:
            hour = hour % 12 + (12 if half == "p" else 0)
        if _followed_by_period(folded, match.end()):
            continue   # '9:30 at night': the words say it
        found.add(_period_of(hour))
    return frozenset(found)


def _followed_by_period(folded, end):
    return _TIMES.search(folded[end:end + 30]) is not None


def _found(pattern, folded):
    return frozenset(match.lastgroup for match in pattern.finditer(folded))


def stored(row):
    """Circumstances from the columns of table stated_circumstances (space-separated words)."""
    return Circumstances(*(frozenset((row[k] or "").split()) for k in ("times", "crossings", "origins")))


def columns(said):
    """The columns of table stated_circumstances for `said`."""
    return {"times": " ".join(sorted(said.times)), "crossings": " ".join(sorted(said.crossings)),
            "origins": " ".join(sorted(said.origins))}
