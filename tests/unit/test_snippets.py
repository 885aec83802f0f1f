"""A results page's passages: the words a query matched, marked where the statement says them.

`match_spans` reads only where a sequence may begin (search_index/snippets.py); here it is checked
against reading every word of the statement, the plain way, on statements in several languages and
with sequences of one to three words, inflected and accented.
"""
from hypothesis import given, settings
from hypothesis import strategies as st

from search_index import analysis
from search_index.snippets import match_spans, merged_spans, passage

WORDS = ["Psy", "psami", "pies", "gryzły", "Kuźnicy", "Kuźnica", "soldiers", "soldier", "took", "taken", "phones",
         "собака", "собаки", "собаками", "граница", "границу", "الكلاب", "كلب", "dogs", "dog", "the", "Dogs"]
GAPS = [" ", ", ", ". ", " — ", "\n", " (", ") "]
LANGUAGES = ["en", "pl", "ru", "ar"]


def every_word_read(text, marks, language):
    """The spans as the plain reading finds them: each word of the text read, each sequence looked for
    at each word, longest first, without overlap (merged as the archive merges them)."""
    spans = []
    for name in (analysis.FOLDED, language):
        reading = analysis.read(name, text)
        firsts = {}
        for sequence in sorted(marks.get(name, ()), key=len, reverse=True):
            firsts.setdefault(sequence[0], []).append(sequence)
        after = 0
        for i, word in enumerate(reading.words):
            if i < after or word not in firsts:
                continue
            for sequence in firsts[word]:
                if tuple(reading.words[i:i + len(sequence)]) == sequence:
                    spans.append((reading.start(i), reading.end(i + len(sequence) - 1)))
                    after = i + len(sequence)
                    break
    return merged_spans(spans)


statements = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), min_size=1, max_size=60).map(
    lambda pieces: "".join(word + gap for word, gap in pieces))


@settings(max_examples=150, deadline=None)
@given(text=statements, language=st.sampled_from(LANGUAGES), data=st.data())
def test_the_words_marked_are_those_a_plain_reading_of_every_word_finds(text, language, data):
    read = {name: analysis.read(name, text).words for name in (analysis.FOLDED, language)}
    marks = {}
    for name, words in read.items():
        starts = data.draw(st.lists(st.integers(0, len(words) - 1), max_size=4), label=f"{name} starts")
        lengths = data.draw(st.lists(st.integers(1, 3), min_size=len(starts), max_size=len(starts)))
        marks[name] = {tuple(words[s:s + n]) for s, n in zip(starts, lengths)}
    assert match_spans(text, marks, language) == every_word_read(text, marks, language)


def test_an_inflected_word_is_marked_where_the_statement_says_it():
    text = "W nocy psy gryzły nas koło Kuźnicy. Potem psami nas goniono."
    marks = {"pl": {tuple(analysis.read("pl", "pies").words)}}
    found = passage(text, marks, "pl")
    assert [found["text"][s:e] for s, e in found["matches"]] == ["psy", "psami"]
