"""Deterministic synthetic archives for benchmarks: `python -m bench.generate N OUT.jsonl [--seed S]`.

Each statement is 300-1,500 words built from sentence patterns of the kind witnesses use, with
places written in any of their gazetteer variants (Latin, Polish, Cyrillic), 1-4 codes over the
real codebook, 1-2 perpetrators (sides and units), partial dates (a year, a month, a day, "around"
a day, a range of months), ages or age bands, and a share of Polish, Russian and Arabic statements.
The same N and seed give the same file.
"""
import argparse
import json
import os
import random
from pathlib import Path

from archive import codebook as codebook_module

SENTENCES = [
    "We walked through the forest for {n} hours before we reached the fence near {place}.",
    "The soldiers shouted at us and pushed us back towards the wire.",
    "They took our phones and broke them in front of us.",
    "My brother was beaten with a baton until he could not stand.",
    "The dogs were not on a lead and one of them bit a woman in our group.",
    "It was very cold and the children had no dry clothes.",
    "They sprayed something in our eyes and we could not see anything.",
    "We asked for asylum many times but nobody wrote anything down.",
    "They drove us in a military truck for a long time without stopping.",
    "At the river they told us to walk into the water and cross to the other side.",
    "A man from our group has been missing since that night near {place}.",
    "They made us sign papers in a language we did not understand.",
    "We had no food and no water for {n} days.",
    "The officers laughed and insulted us while we were lying on the ground.",
    "They put my son in another truck and I did not see him again until {place}.",
    "Someone demanded {n} hundred dollars to let us pass.",
]
OTHER_LANGUAGES = {
    "pl": ["Strażnicy zabrali nam telefony i pobili nas pałkami.", "Psy gryzły ludzi w lesie koło {place}.",
           "Było bardzo zimno, a dzieci nie miały butów.", "Prosiliśmy o azyl, ale wywieźli nas z powrotem."],
    "ru": ["Пограничники забрали телефоны и избили нас.", "Собаки бросались на людей возле {place}.",
           "Было очень холодно, дети были без обуви.", "Мы просили убежища, но нас выдворили в лес."],
    "ar": ["أخذوا هواتفنا وضربونا بالهراوات.", "هاجمتنا الكلاب قرب {place}.",
           "كان البرد شديدا ولم يكن للأطفال أحذية.", "طلبنا اللجوء لكنهم أعادونا إلى الغابة."],
}
NATIONALITIES = ["SY", "IQ", "YE", "AF", "CD", "CM", "CU", "ER", "SO", "IR", "LB", "TR"]


def statements(count, seed=2021):
    """Yield `count` import records, the same ones for the same seed."""
    rng = random.Random(seed)
    book = codebook_module.load()
    leaves = [a for a, v in book.abuse_types.items() if v["parent"]]
    perpetrators = list(book.perpetrators)
    places = list(book.places.values())
    for n in range(1, count + 1):
        language = rng.choices(["en", "pl", "ru", "ar"], weights=[85, 5, 5, 5])[0]
        place = rng.choice(places)
        spelling = rng.choice([place["name"], *place["variants"]])
        patterns = SENTENCES if language == "en" else OTHER_LANGUAGES[language]
        words, sentences = 0, []
        target = rng.randint(300, 1500)
        while words < target:
            sentence = rng.choice(patterns).format(n=rng.randint(2, 9), place=spelling)
            sentences.append(sentence)
            words += len(sentence.split())
        year = rng.choice([2021, 2021, 2022, 2023])
        month = rng.randint(1, 12)
        date = rng.choice([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{rng.randint(1, 28):02d}"])
        yield {
            "reference": f"S-{n:06d}", "title": sentences[0][:80], "text": " ".join(sentences),
            "language": language, "interview_date": f"{year + 1}-01-15",
            "witness_pseudonym": f"Witness {n}", "witness_gender": rng.choice(["male", "female", "unknown"]),
            "witness_age": rng.randint(8, 70), "witness_nationality": rng.choice(NATIONALITIES),
            "consent": rng.choice(["legal", "publication", "internal"]), "confidentiality": "restricted",
            "abuse_types": rng.sample(leaves, rng.randint(1, 4)),
            "perpetrators": rng.sample(perpetrators, rng.randint(1, 2)),
            "location": spelling, "incident_date_from": date,
            **_variations(rng, year, month),
        }


def _variations(rng, year, month):
    """Some incidents are "around" a day or a range of months; some witnesses give an age band."""
    variation, extra = rng.random(), {}
    if variation < 0.1:
        extra["incident_date_from"] = f"{year}-{month:02d}-{rng.randint(1, 28):02d}~"
    elif variation < 0.2 and month < 12:
        extra.update(incident_date_from=f"{year}-{month:02d}", incident_date_to=f"{year}-{month + 1:02d}")
    if rng.random() < 0.1:
        extra["witness_age"] = rng.choice(["15-17", "18-24", "25-34", "35-49"])
    return extra


def write(path, count, seed=2021):
    with open(path, "w", encoding="utf-8") as out:
        for statement in statements(count, seed):
            out.write(json.dumps(statement, ensure_ascii=False) + "\n")
    return path


def cached(count, seed=2021, directory=None):
    """The JSON Lines file for (count, seed), generated once into the bench data directory."""
    directory = Path(directory or os.environ.get("BENCH_DATA", Path(__file__).parent / ".data"))
    path = directory / f"synthetic-{count}-seed{seed}.jsonl"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        write(path.with_suffix(".partial"), count, seed).replace(path)  # never a half-written cache
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    write(args.out, args.count, args.seed)


if __name__ == "__main__":
    main()
