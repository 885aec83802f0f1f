"""What a generated event was like besides its date, place and size, and what each of its witnesses says of
it (bench/incidents_bench.py): the time of day, where the group crossed or was put over, and where it came
from, in the words of archive/incidents/circumstances.py's five languages, and in French (unread there).

An event (drawn once per true incident):
- its time of day: night 0.55, dawn 0.2, evening 0.15, day 0.1 (most push-backs are at night: a shared night
  tells little);
- its crossing: the fence 0.5, the swamp 0.3, the river 0.2;
- its group's origin: one country (0.65) or two (0.35), Syria and Iraq the commonest (0.25 each);
- a near twin (another group, the same place, a day or two later) has its partner's time with 0.5, crossing
  with 0.7 (the same stretch of border) and origin with 0.4; else drawn anew, so often the same all the same.
A witness:
- says nothing of the time (0.45), else the event's (0.75), the period next to it (0.2: 'evening' for a
  night, 'dawn' for a night that ended at dawn), or another (0.05);
- nothing of the crossing (0.5), else the event's (0.8), another (0.1), or the event's and another (0.1);
- nothing of the origin (0.5), else the group's, or one of its two (0.85), a wrong one (0.1: taken for
  another), or the group's and a wrong one (0.05).
The other sentences of bench/incident_sentences.py still say 'we reached the fence' and '9:30 at night' now and
then whatever the event was, as witnesses mention things that do not place it.

Drawn from generators of their own (the seed and the incident's number, the seed and the testimony's number),
so that the structured fields and the size sentences of an archive stay those of the same seed before.
"""
import random

PERIODS = {"night": 0.55, "dawn": 0.2, "evening": 0.15, "day": 0.1}
NEXT = {"night": ("evening", "dawn"), "dawn": ("night", "day"), "day": ("dawn", "evening"),
        "evening": ("day", "night")}
CROSSINGS = {"fence": 0.5, "swamp": 0.3, "river": 0.2}
ORIGINS = {"syria": 0.25, "iraq": 0.25, "afghanistan": 0.1, "yemen": 0.1, "iran": 0.08, "congo": 0.08,
           "cameroon": 0.07, "somalia": 0.07}

TIMES_SAID = {
    "en": {"night": ["It happened at night.", "They caught us at {h} a.m.", "In the middle of the night they came."],
           "dawn": ["We crossed at dawn.", "Early in the morning they drove us to the border."],
           "day": ["It was during the day.", "They came in the afternoon."],
           "evening": ["It was in the evening.", "They took us at dusk."]},
    "pl": {"night": ["To było w nocy.", "Złapali nas o {h} w nocy."],
           "dawn": ["To było nad ranem.", "O świcie zawieźli nas na granicę."],
           "day": ["To było w dzień.", "Przyszli po południu."],
           "evening": ["To było wieczorem.", "O zmroku nas zabrali."]},
    "ru": {"night": ["Это было ночью.", "Нас поймали в {h} часа ночи."],
           "dawn": ["Это было на рассвете.", "Рано утром нас отвезли к границе."],
           "day": ["Это было днём.", "Они пришли после обеда."],
           "evening": ["Это было вечером.", "В сумерках нас забрали."]},
    "uk": {"night": ["Це було вночі.", "Нас спіймали о {h} годині ночі."],
           "dawn": ["Це було на світанку.", "Рано вранці нас повезли до кордону."],
           "day": ["Це було вдень.", "Вони прийшли після обіду."],
           "evening": ["Це було ввечері.", "У сутінках нас забрали."]},
    "ar": {"night": ["كان ذلك ليلاً.", "جاؤوا في منتصف الليل."],
           "dawn": ["كان ذلك عند الفجر.", "في الصباح الباكر أخذونا إلى الحدود."],
           "day": ["كان ذلك في النهار.", "جاؤوا بعد الظهر."],
           "evening": ["كان ذلك في المساء.", "أخذونا عند الغروب."]},
    "fr": {"night": ["C'était la nuit."], "dawn": ["C'était à l'aube."], "day": ["C'était pendant la journée."],
           "evening": ["C'était le soir."]},
}
CROSSINGS_SAID = {
    "en": {"fence": ["They drove us to the fence.", "We climbed over the razor wire."],
           "river": ["They made us cross the river.", "We waded through the river."],
           "swamp": ["We walked through the swamp.", "They left us in the marshes."]},
    "pl": {"fence": ["Zawieźli nas pod płot.", "Przeszliśmy przez zasieki."],
           "river": ["Kazali nam przejść przez rzekę.", "Przeszliśmy przez Bug."],
           "swamp": ["Szliśmy przez bagna.", "Zostawili nas na mokradłach."]},
    "ru": {"fence": ["Нас привезли к забору.", "Мы перелезли через колючую проволоку."],
           "river": ["Нас заставили переходить реку."], "swamp": ["Мы шли по болоту.", "Нас оставили на болотах."]},
    "uk": {"fence": ["Нас привезли до паркану."], "river": ["Нас змусили переходити річку."],
           "swamp": ["Ми йшли через болото."]},
    "ar": {"fence": ["أخذونا إلى السياج."], "river": ["أجبرونا على عبور النهر."], "swamp": ["مشينا في المستنقع."]},
    "fr": {"fence": ["Ils nous ont emmenés à la clôture."], "river": ["Nous avons traversé la rivière."],
           "swamp": ["Nous avons marché dans le marais."]},
}
# {language: (from <country> sentence, '<people> and <people>' sentence, {origin: (country, people)})}
ORIGINS_SAID = {
    "en": ("We were from {0}.", "Most of us were {0} and {1}.",
           {"syria": ("Syria", "Syrians"), "iraq": ("Iraq", "Iraqis"), "afghanistan": ("Afghanistan", "Afghans"),
            "yemen": ("Yemen", "Yemenis"), "iran": ("Iran", "Iranians"), "congo": ("Congo", "Congolese"),
            "cameroon": ("Cameroon", "Cameroonians"), "somalia": ("Somalia", "Somalis")}),
    "pl": ("Byliśmy z {0}.", "Byli z nami {0} i {1}.",
           {"syria": ("Syrii", "Syryjczycy"), "iraq": ("Iraku", "Irakijczycy"), "afghanistan": ("Afganistanu", "Afgańczycy"),
            "yemen": ("Jemenu", "Jemeńczycy"), "iran": ("Iranu", "Irańczycy"), "congo": ("Konga", "Kongijczycy"),
            "cameroon": ("Kamerunu", "Kameruńczycy"), "somalia": ("Somalii", "Somalijczycy")}),
    "ru": ("Мы из {0}.", "С нами были {0} и {1}.",
           {"syria": ("Сирии", "сирийцы"), "iraq": ("Ирака", "иракцы"), "afghanistan": ("Афганистана", "афганцы"),
            "yemen": ("Йемена", "йеменцы"), "iran": ("Ирана", "иранцы"), "congo": ("Конго", "конголезцы"),
            "cameroon": ("Камеруна", "камерунцы"), "somalia": ("Сомали", "сомалийцы")}),
    "uk": ("Ми з {0}.", "З нами були {0} та {1}.",
           {"syria": ("Сирії", "сирійці"), "iraq": ("Іраку", "іракці"), "afghanistan": ("Афганістану", "афганці"),
            "yemen": ("Ємену", "єменці"), "iran": ("Ірану", "іранці"), "congo": ("Конго", "конголезці"),
            "cameroon": ("Камеруну", "камерунці"), "somalia": ("Сомалі", "сомалійці")}),
    "ar": ("كنا من {0}.", "كنا {0} و{1}.",
           {"syria": ("سوريا", "سوريين"), "iraq": ("العراق", "عراقيين"), "afghanistan": ("أفغانستان", "أفغان"),
            "yemen": ("اليمن", "يمنيين"), "iran": ("إيران", "إيرانيين"), "congo": ("الكونغو", "كونغوليين"),
            "cameroon": ("الكاميرون", "كاميرونيين"), "somalia": ("الصومال", "صوماليين")}),
    "fr": ("Nous venions de {0}.", "Il y avait des {0} et des {1}.",
           {"syria": ("Syrie", "Syriens"), "iraq": ("Irak", "Irakiens"), "afghanistan": ("Afghanistan", "Afghans"),
            "yemen": ("Yémen", "Yéménites"), "iran": ("Iran", "Iraniens"), "congo": ("Congo", "Congolais"),
            "cameroon": ("Cameroun", "Camerounais"), "somalia": ("Somalie", "Somaliens")}),
}


def _pick(rng, shares):
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def event(seed, incident, partner=None):
    """(time, crossing, origins) of true incident `incident`; `partner`: those of the event it is a near twin
    of, which it shares some of."""
    rng = random.Random(f"incident-event-{seed}-{incident}")
    time, crossing = _pick(rng, PERIODS), _pick(rng, CROSSINGS)
    origins = [_pick(rng, ORIGINS)]
    if rng.random() < 0.35:
        origins.append(_pick(rng, {k: v for k, v in ORIGINS.items() if k != origins[0]}))
    if partner is not None:
        time = partner[0] if rng.random() < 0.5 else time
        crossing = partner[1] if rng.random() < 0.7 else crossing
        origins = list(partner[2]) if rng.random() < 0.4 else origins
    return time, crossing, tuple(origins)


def said(seed, n, language, facts):
    """The sentences witness `n` says, in `language`, of an event of `facts` (event()'s)."""
    rng = random.Random(f"incident-circumstances-{seed}-{n}")
    time, crossing, origins = facts
    sentences = []
    if rng.random() >= 0.45:
        told = rng.random()
        told = time if told < 0.75 else rng.choice(NEXT[time]) if told < 0.95 else rng.choice(
            [p for p in PERIODS if p != time and p not in NEXT[time]])
        sentences.append(rng.choice(TIMES_SAID[language][told]).format(h=rng.randint(1, 4)))
    if rng.random() >= 0.5:
        told, other = rng.random(), rng.choice([c for c in CROSSINGS if c != crossing])
        for place in ([crossing] if told < 0.8 else [other] if told < 0.9 else [crossing, other]):
            sentences.append(rng.choice(CROSSINGS_SAID[language][place]))
    if rng.random() >= 0.5:
        told, wrong = rng.random(), rng.choice([o for o in ORIGINS if o not in origins])
        named = (list(origins) if rng.random() < 0.6 else [rng.choice(origins)]) if told < 0.85 else (
            [wrong] if told < 0.95 else [origins[0], wrong])
        one, two, words = ORIGINS_SAID[language]
        sentences.append(one.format(words[named[0]][0]) if len(named) == 1
                         else two.format(words[named[0]][1], words[named[1]][1]))
    rng.shuffle(sentences)
    return sentences
