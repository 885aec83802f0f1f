"""Concepts of the codebook in words: places by any spelling, abuse types by any language's terms,
perpetrators as archive/coding/perpetrators.py names them ("polscy strażnicy", "литовские
пограничники", "حرس الحدود البولندي", an alias such as "Straż Graniczna"): the unit, and its side.

Recognised twice, with the same analyzers as the index:
- when a statement is indexed (`Vocabulary.found_in`): every abuse-type term and gazetteer
  spelling, of any language, is looked for in the statement analysed in its own language (so the
  Polish `psami` meets the term `pies`, `Kuźnicy` the place Kuźnica) and as written (folded), a
  term of several words with up to MAX_GAP others between its words within a sentence ('pushed us
  back' is 'push back'), and the concepts found are kept in the `concepts` keyword field;
- in a query (`ConceptPlugin`): a run of words that names a concept in any language the archive
  holds is widened in place to the words themselves OR the concept's one `concepts` term OR the
  concept's code. Because the plugin works on the parsed syntax tree, `NOT Kuznitsa` excludes
  every spelling too.
Highlighting still marks the words a statement uses: `sequences` gives each concept's terms as
each analyzer makes them, and the snippet looks for those in the statement (search_index.snippets).
"""
import re
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.qparser import syntax
from whoosh.qparser.plugins import PhrasePlugin, Plugin

from search_index import analysis
from search_index.analysis import FOLDED, by_name

PLACE, ABUSE_TYPE, PERPETRATOR = "place", "abuse_type", "perpetrator"  # each also the facet field of its codes
CONCEPTS_FIELD, NAMED_FIELD = "concepts", "named"
MAX_WORDS = 5  # the longest place name or term we look for
MAX_GAP = 2  # other words an abuse type's term may have between two of its own in a statement
SENTENCE_END = re.compile(r"[.!?؟…]+(?=\s|$)|\n")


@dataclass(frozen=True)
class Concept:
    kind: str      # PLACE or ABUSE_TYPE: also the keyword field that holds its code
    value: str     # codebook id
    label: str
    spellings: tuple  # every name, variant or term that means it: what a query is recognised by
    in_text: tuple    # what to look for in statements: a place's spellings, an abuse type's terms
    capitalised: bool = False  # a place: written with a capital where the script has case ('Bug', not 'bug')

    @property
    def term(self):
        """Its term in its keyword field (`field`)."""
        return f"{self.kind}:{self.value}"

    @property
    def field(self):
        """The keyword field that holds it: perpetrators have their own, so that the many a statement
        names do not weigh on how its places and abuse types score (the field's length counts in BM25)."""
        return NAMED_FIELD if self.kind == PERPETRATOR else CONCEPTS_FIELD


def analysed(name, text):
    return analysis.tokens(by_name(name), text)


class Vocabulary:
    """Every place spelling and abuse-type term of the codebook, keyed by analysed tokens, per analyzer
    (built for an analyzer the first time it is needed)."""

    def __init__(self, codebook):
        self.codebook = codebook
        self.concepts = []
        for place in codebook.places.values():
            spellings = tuple(dict.fromkeys([place["name"], *place["variants"]]))
            self.concepts.append(Concept(PLACE, place["id"], place["name"], spellings, spellings, True))
        for abuse in codebook.abuse_types.values():
            terms = tuple(dict.fromkeys(term for words in abuse.get("terms", {}).values() for term in words))
            # A label ("Dog attack or threat with dogs") names the code; statements use the terms.
            self.concepts.append(Concept(ABUSE_TYPE, abuse["id"], abuse["label"], (abuse["label"], *terms), terms))
        self._by_key, self._in_text, self._sequences, self._term_keys = {}, {}, {}, None
        self.perpetrators = {}  # id -> Concept: whoever the words name, however they name them
        for perpetrator in codebook.perpetrators.values():
            aliases = tuple(perpetrator.get("aliases", ()))
            self.perpetrators[perpetrator["id"]] = Concept(PERPETRATOR, perpetrator["id"], perpetrator["label"],
                                                           aliases, aliases)

    def lookup(self, text, names):
        """The concepts that `text` (query words) means exactly, read by any of the analyzers `names`."""
        found = set()
        for name in (FOLDED, *names):
            found |= self._keys(name).get(analysed(name, text), set())
        return found | self.named(text, whole=True)

    def named(self, text, whole=False):
        """The perpetrators `text` names: each unit with its side (a statement naming the unit is found by
        a query naming the side); `whole`, for a query: only where the naming is all of the text ('Belarusian
        soldiers', not 'dogs of Belarusian soldiers'), and the unit alone, as the words say no more."""
        from archive.coding import perpetrators  # archive.coding's package imports the service, which imports us

        found = set()
        for named in perpetrators.find(text, self.codebook):
            if whole and (named.start, named.end) != (len(text) - len(text.lstrip()), len(text.rstrip())):
                continue
            values = (named.value,) if whole else (named.value, named.side)
            found.update(self.perpetrators[value] for value in values if value in self.perpetrators)
        return found

    def languages_of(self, text):
        """The languages in which `text` (query words) is a codebook term, read by that language's
        analyzer: `psami` is Polish, `избиение` Russian, `dogs` English; a place's name is in none."""
        if self._term_keys is None:
            self._term_keys = {}
            for abuse in self.codebook.abuse_types.values():
                for code, terms in abuse.get("terms", {}).items():
                    if code in analysis.LANGUAGES:
                        self._term_keys.setdefault(code, set()).update(analysed(code, term) for term in terms)
        return {code for code, keys in self._term_keys.items() if analysed(code, text) in keys}

    def _keys(self, name):
        if name not in self._by_key:
            keys = {}
            for concept in self.concepts:
                for spelling in concept.spellings:
                    key = analysed(name, spelling)
                    if key and len(key) <= MAX_WORDS:
                        keys.setdefault(key, set()).add(concept)
            self._by_key[name] = keys
        return self._by_key[name]

    def sequences(self, concept, name):
        """The concept's terms (in every language) as analyzer `name` makes them: what to mark."""
        if (concept, name) not in self._sequences:
            self._sequences[(concept, name)] = {key for key in (analysed(name, t) for t in concept.in_text) if key}
        return self._sequences[(concept, name)]

    def found_in(self, text, language):
        """The concepts whose terms or spellings `text` uses, read as written and in `language`."""
        found = set()
        for name in (FOLDED, language) if language in analysis.LANGUAGES else (FOLDED,):
            by_first = self._text_patterns(name)
            reading = analysis.read(name, text)
            words = reading.words
            for i in [i for i, word in enumerate(words) if word in by_first]:  # where a term may begin
                first = text[reading.start(i)]
                for sequence, concept in by_first[words[i]]:
                    if concept in found or (concept.capitalised and not first.isupper()
                                            and first.lower() != first.upper()):
                        continue
                    if _occurs(sequence, words, i, text, reading, MAX_GAP if concept.kind == ABUSE_TYPE else 0):
                        found.add(concept)
        return found | self.named(text)

    def _text_patterns(self, name):
        if name not in self._in_text:
            by_first = {}
            for concept in self.concepts:
                for sequence in self.sequences(concept, name):
                    by_first.setdefault(sequence[0], []).append((sequence, concept))
            self._in_text[name] = by_first
        return self._in_text[name]


def _occurs(sequence, words, i, text, reading, gap):
    """`sequence` at word i, with up to `gap` other words between two of its words, within a sentence
    (as suggestions match a term: archive/coding/suggestions.py)."""
    at = i
    for word in sequence[1:]:
        for step in range(1, gap + 2):
            j = at + step
            if j >= len(words) or SENTENCE_END.search(text, reading.end(j - 1), reading.start(j)):
                return False
            if words[j] == word:
                at = j
                break
        else:
            return False
    return True


_VOCABULARIES = {}


def vocabulary(codebook):
    """One Vocabulary per codebook (the indexer and the searcher share it)."""
    key = id(codebook)
    if key not in _VOCABULARIES:
        _VOCABULARIES[key] = (codebook, Vocabulary(codebook))  # the codebook kept alive with its id
    return _VOCABULARIES[key][1]


class ExpansionNode(syntax.SyntaxNode):
    """Stands for 'this concept, however the statement says it' in the parsed query."""

    has_fieldname = False
    has_text = False
    has_boost = False

    def __init__(self, concepts, words):
        self.concepts = concepts
        self.startchar, self.endchar = words[0].startchar, words[-1].endchar  # the parser attaches these

    def r(self):
        return f"Expansion({sorted(c.value for c in self.concepts)})"

    def query(self, parser):
        return wq.Or([expansion_query(concept) for concept in sorted(self.concepts, key=str)])


def expansion_query(concept):
    """One term for the concept in the statements' words, OR its code."""
    return wq.Or([wq.Term(concept.field, concept.term), wq.Term(concept.kind, concept.value)])


class ConceptPlugin(Plugin):
    """Widens recognised words before the multifield plugin spreads them over the text fields."""

    def __init__(self, vocabulary, languages, found):
        self.vocabulary = vocabulary
        self.languages = languages  # the analyzers a query's words are read with
        self.found = found  # filled with (words as typed, concepts) for the answer's `understood`

    def filters(self, parser):
        return [(self.expand, 105)]  # after explicit field names (100), before multifield (110)

    def lookup(self, text):
        return self.vocabulary.lookup(text, self.languages)

    def expand(self, parser, group):
        nodes, run = [], []
        for node in group:
            if isinstance(node, syntax.GroupNode):
                nodes.extend(self._flush(run))
                run = []
                nodes.append(self.expand(parser, node))
            elif isinstance(node, syntax.WordNode) and node.fieldname is None:
                run.append(node)
            elif isinstance(node, syntax.Whitespace) and run:
                run.append(node)
            elif isinstance(node, PhrasePlugin.PhraseNode) and node.fieldname is None:
                nodes.extend(self._flush(run))
                run = []
                nodes.append(self._widen([node], node.text))
            else:
                nodes.extend(self._flush(run))
                run = []
                nodes.append(node)
        nodes.extend(self._flush(run))
        return group.__class__(nodes, boost=group.boost)

    def _widen(self, words, text):
        concepts = self.lookup(text)
        if not concepts:
            return words[0] if len(words) == 1 else syntax.AndGroup(words)
        self.found.append((text, concepts))
        original = words[0] if len(words) == 1 else syntax.AndGroup(words)
        return syntax.OrGroup([original, ExpansionNode(concepts, words)])

    def _flush(self, run):
        """Replace the longest recognised runs of plain words; keep the rest as they were."""
        words = [node for node in run if isinstance(node, syntax.WordNode)]
        if not words:
            return run
        output, i = [], 0
        while i < len(words):
            for length in range(min(MAX_WORDS, len(words) - i), 0, -1):
                text = " ".join(w.text for w in words[i:i + length])
                if self.lookup(text):
                    output.append(self._widen(words[i:i + length], text))
                    i += length
                    break
            else:
                output.append(words[i])
                i += 1
        return output  # whitespace between words only separates them, and the parser drops it anyway
