"""Language detectors measured on the evaluation set's excerpts (bench/data/eval/excerpts.jsonl): whole,
cut to their first 3, 8 and 12 words, and as mixed statements (the first half of one excerpt and the
second half of another in another language, 60 pairs drawn with a fixed seed).

    python -m bench.language_detection            # each detector in a process of its own, one table
    python -m bench.language_detection archive    # one: archive | lingua | simplemma

`archive` is archive/languages.py (lingua, low-accuracy mode, with its rules for no guess); `lingua` is
the same detector's first answer with no rule; `simplemma` is simplemma's `langdetect` over the codebook's
six languages (it has no Belarusian). A mixed statement is right when no
guess is made, and "one of the two" when the detector names either of its languages.
"""
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

EXCERPTS = Path(__file__).parent / "data" / "eval" / "excerpts.jsonl"
DETECTORS = ("archive", "lingua", "simplemma")
SIMPLEMMA_LANGUAGES = ("en", "pl", "ru", "uk", "lt", "ar")  # the codebook's; each more costs a dictionary
CUTS = (3, 8, 12)
PAIRS, SEED = 60, 16


def _archive():
    from archive import languages
    return lambda text: (lambda found: None if found == languages.UNDETERMINED else found)(languages.detect(text))


def _lingua():
    from archive import languages
    detector = languages._detector()
    return lambda text: (lambda found: found and found.iso_code_639_1.name.lower())(detector.detect_language_of(text))


def _simplemma():
    from simplemma import langdetect
    return lambda text: (lambda best: None if best == "unk" else best)(langdetect(text, lang=SIMPLEMMA_LANGUAGES)[0][0])


def cases(excerpts):
    """(kind, text, [languages it may be named]) for every measure."""
    for excerpt in excerpts:
        yield "whole", excerpt["text"], [excerpt["language"]]
        for cut in CUTS:
            yield f"first {cut} words", " ".join(excerpt["text"].split()[:cut]), [excerpt["language"]]
    draw = random.Random(SEED)
    made = 0
    while made < PAIRS:
        first, second = draw.sample(excerpts, 2)
        if first["language"] == second["language"]:
            continue
        head, tail = first["text"].split(), second["text"].split()
        made += 1
        yield "mixed", " ".join(head[:len(head) // 2]) + "\n" + " ".join(tail[len(tail) // 2:]), [
            first["language"], second["language"]]


def measure(name):
    """{kind: {right, none, wrong[, one of the two]}}, with the CPU it took and the process's peak memory."""
    excerpts = [json.loads(line) for line in EXCERPTS.open(encoding="utf-8")]
    started = time.process_time()
    detect = {"archive": _archive, "lingua": _lingua, "simplemma": _simplemma}[name]()
    detect("A first sentence, to load what the detector loads when it is first used.")
    loaded = time.process_time() - started
    tally, timed, count = {}, 0.0, 0
    for kind, text, expected in cases(excerpts):
        before = time.process_time()
        found = detect(text)
        timed, count = timed + time.process_time() - before, count + 1
        if kind == "mixed":
            outcome = "right" if found is None else "one of the two" if found in expected else "wrong"
        else:
            outcome = "right" if found == expected[0] else "none" if found is None else "wrong"
        counts = tally.setdefault(kind, {})
        counts[outcome] = counts.get(outcome, 0) + 1
    return {"detector": name, "tally": tally, "load_cpu_s": round(loaded, 2),
            "cpu_ms_each": round(1000 * timed / count, 2),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def table(results):
    kinds = list(results[0]["tally"])
    lines = ["| detector | " + " | ".join(kinds) + " | load, CPU s | ms CPU each | peak RSS MB |",
             "|---|" + "---|" * (len(kinds) + 3)]
    for result in results:
        cells = [", ".join(f"{n} {outcome}" for outcome, n in sorted(result["tally"][kind].items()))
                 for kind in kinds]
        lines.append(f"| {result['detector']} | " + " | ".join(cells)
                     + f" | {result['load_cpu_s']} | {result['cpu_ms_each']} | {result['peak_rss_mb']} |")
    return "\n".join(lines)


def main(argv):
    if argv:
        print(json.dumps(measure(argv[0])))
        return
    results = [json.loads(subprocess.run([sys.executable, "-m", "bench.language_detection", name], check=True,
                                         capture_output=True, text=True).stdout) for name in DETECTORS]
    print(table(results))


if __name__ == "__main__":
    main(sys.argv[1:])
