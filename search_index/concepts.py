"""Query expansion through the codebook: places by any spelling, abuse types by any language.

A lawyer types `Kuznitsa`, `gaz pieprzowy` or `separated`. The vocabulary recognises the place
Kuźnica and the abuse types pepper spray and family separation in those words (matching on the
same folded, English-stemmed tokens the index uses). The parser plugin then widens each
recognised run of words in place: the words themselves, OR every other spelling / term of the
concept in the text, OR the concept's code. Because the plugin works on the parsed syntax tree,
`NOT Kuznitsa` excludes every spelling too.
"""
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.qparser import syntax
from whoosh.qparser.plugins import PhrasePlugin, Plugin

from search_index import analysis

PLACE, ABUSE_TYPE = "place", "abuse_type"
MAX_WORDS = 5  # the longest place name or term we look for


@dataclass(frozen=True)
class Concept:
    kind: str      # PLACE or ABUSE_TYPE: also the keyword field that holds it
    value: str     # codebook id
    label: str
    spellings: tuple  # every name, variant or term that means it: what a query is recognised by
    in_text: tuple    # what to look for in statements: a place's spellings, an abuse type's terms


def _key(text):
    """Tokens as the `english` analyzer makes them, for matching query words to vocabulary."""
    return tuple(token.text for token in analysis.english()(text))


class Vocabulary:
    """Every place spelling and abuse-type term of the codebook, keyed by analysed tokens."""

    def __init__(self, codebook):
        self.by_key = {}
        for place in codebook.places.values():
            spellings = tuple(dict.fromkeys([place["name"], *place["variants"]]))
            self._add(Concept(PLACE, place["id"], place["name"], spellings, spellings))
        for abuse in codebook.abuse_types.values():
            terms = tuple(dict.fromkeys(term for words in abuse["terms"].values() for term in words))
            # A label ("Dog attack or threat with dogs") names the code; statements use the terms.
            self._add(Concept(ABUSE_TYPE, abuse["id"], abuse["label"], (abuse["label"], *terms), terms))

    def _add(self, concept):
        for spelling in concept.spellings:
            key = _key(spelling)
            if key and len(key) <= MAX_WORDS:
                self.by_key.setdefault(key, set()).add(concept)

    def lookup(self, words):
        """The concepts a sequence of analysed tokens means exactly, or an empty set."""
        return self.by_key.get(tuple(words), set())


class ExpansionNode(syntax.SyntaxNode):
    """Stands for 'any other way of saying these concepts' in the parsed query."""

    has_fieldname = False
    has_text = False
    has_boost = False

    def __init__(self, concepts, words):
        self.concepts = concepts
        self.startchar, self.endchar = words[0].startchar, words[-1].endchar  # the parser attaches these

    def r(self):
        return f"Expansion({sorted(c.value for c in self.concepts)})"

    def query(self, parser):
        return wq.Or([expansion_query(concept, parser.schema) for concept in sorted(self.concepts, key=str)])


def expansion_query(concept, schema):
    """The concept's code, OR any of its spellings in the text (places) / its terms (abuse types)."""
    field = "text" if concept.kind == PLACE else "text_en"
    alternatives = [wq.Term(concept.kind, concept.value)]
    for spelling in concept.in_text:
        words = [t for t in schema[field].process_text(spelling, mode="query")]
        if len(words) == 1:
            alternatives.append(wq.Term(field, words[0]))
        elif words:
            alternatives.append(wq.Phrase(field, words))
    return wq.Or(alternatives)


class ConceptPlugin(Plugin):
    """Widens recognised words before the multifield plugin spreads them over the text fields."""

    def __init__(self, vocabulary, found):
        self.vocabulary = vocabulary
        self.found = found  # filled with (words as typed, concepts) for the answer's `understood`

    def filters(self, parser):
        return [(self.expand, 105)]  # after explicit field names (100), before multifield (110)

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
        concepts = self.vocabulary.lookup(_key(text))
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
                if self.vocabulary.lookup(_key(text)):
                    output.append(self._widen(words[i:i + length], text))
                    i += length
                    break
            else:
                output.append(words[i])
                i += 1
        return output  # whitespace between words only separates them, and the parser drops it anyway
