"""A results page's passages: the words a query matched, marked where the statement says them.

`match_spans` reads only where a sequence may begin (search_index/snippets.py); here it is checked
against reading every word of the statement, the plain way, on statements in several languages and
with sequences of one to three words, inflected and accented: split anew, and again from the splits
kept for the next page (search_index/shown_words.py), which are checked against analysis.split.
"""
from hypothesis import given, settings
from hypothesis import strategies as st

from search_index import analysis
from search_index.shown_words import ShownWords, shown_words
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
    expected = every_word_read(text, marks, language)
    shown_words.clear()
    assert match_spans(text, marks, language) == expected  # split anew
    assert (text in shown_words._splits) == any(marks.values())  # no marks, nothing to read
    assert match_spans(text, marks, language) == expected  # from the split kept


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(statements, min_size=1, max_size=12), bound=st.integers(1, 400))
def test_a_kept_split_is_the_statements_own_and_the_splits_kept_stay_within_their_bound(texts, bound):
    kept = ShownWords(chars_held=bound)
    for text in texts + texts[::-1]:  # each shown again, some still kept and some dropped by then
        words, offsets = kept.split(text)
        assert (words, list(offsets)) == analysis.split(text)
        assert kept.chars == sum(map(len, kept._splits)) <= bound
    kept.clear()
    assert (len(kept), kept.chars) == (0, 0)


def test_a_changed_statement_is_split_anew_and_its_passage_follows_the_change():
    before = "Soldiers took our phones near Kuźnica. The dogs barked."
    after = before.replace("dogs", "Dogs again")  # an edit: the text, and so the key, is another
    marks = {analysis.FOLDED: {("dogs",)}}
    assert passage(before, marks)["matches"] == [[43, 47]]
    changed = passage(after, marks)
    assert [changed["text"][s:e] for s, e in changed["matches"]] == ["Dogs"]
    assert changed["matches"] == [[43, 47]] and changed["text"] == after


def test_a_statement_longer_than_the_bound_is_split_but_not_kept():
    kept = ShownWords(chars_held=10)
    assert kept.split("a statement of more than ten characters")[0] == ["a", "statement", "of", "more", "than",
                                                                          "ten", "characters"]
    assert len(kept) == 0


def test_an_inflected_word_is_marked_where_the_statement_says_it():
    text = "W nocy psy gryzły nas koło Kuźnicy. Potem psami nas goniono."
    marks = {"pl": {tuple(analysis.read("pl", "pies").words)}}
    found = passage(text, marks, "pl")
    assert [found["text"][s:e] for s, e in found["matches"]] == ["psy", "psami"]
