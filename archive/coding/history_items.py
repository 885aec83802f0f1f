"""A history as a person reads it: entries made together (one transaction: the same time, person and
reason) as one item, its headline first and what it did under it.

An import is "tester imported it from the file X" with the codes it brought under it; a settlement
is its decisions with the codes it made, the blind codes it kept as superseded and the status it
moved; several coders assigned at once are one sentence. Anything else made together is its first
sentence with the others under it. Items come newest first, as the page shows them.
"""
from dataclasses import dataclass, field

from archive.coding.code_words import code_phrase
from archive.coding.history_words import who
from archive.coding.sentences import joined, plain, sentence, sentence_plural
from archive.i18n import say


@dataclass
class Item:
    at: str
    actor: str
    reason: str            # the person's own words, or None (the archive's own reasons are in the sentence)
    sentence: list         # pieces (archive/coding/sentences.py)
    details: list = field(default_factory=list)  # lists of pieces, one line each
    entries: int = 1       # how many history entries it stands for


def items(told, book):
    """The Told entries (history_words.tell, in history order) as items, newest first."""
    groups = []
    for entry in told:
        key = (entry.row["at"], entry.row["actor"], entry.row["reason"])
        if groups and groups[-1][0] == key:
            groups[-1][1].append(entry)
        else:
            groups.append((key, [entry]))
    return [_item(entries, book) for _, entries in reversed(groups)]


def _kind(entry):
    return entry.row["entity"], entry.row["action"]


def _item(entries, book):
    kinds = [_kind(entry) for entry in entries]
    if ("testimony", "create") in kinds:
        head = entries[kinds.index(("testimony", "create"))]
        details = head.details + [code_phrase(e.code, book) if _kind(e) == ("code", "create") else e.sentence
                                  for e in entries if e is not head]
    elif ("coding_assignment", "settle") in kinds:
        head = entries[kinds.index(("coding_assignment", "settle"))]
        details = _settlement(entries, head, book)
    elif len(entries) > 1 and set(kinds) == {("coding_assignment", "assign")}:
        head = entries[0]
        coders = [[e.row["new"]["coder"]] for e in entries if e.row["new"]]
        return _made(entries, sentence("%(who)s assigned %(coders)s to code it blind", who=who(head.row),
                                       coders=joined(coders)), [])
    elif len(entries) > 1 and set(kinds) == {("code", "create")}:
        head = entries[0]
        if all((e.code or {}).get("stage") == "blind" for e in entries):
            said = sentence_plural("%(who)s coded %(num)s passage in their blind coding",
                                   "%(who)s coded %(num)s passages in their blind coding", len(entries),
                                   who=who(head.row))
        else:
            said = sentence_plural("%(who)s coded %(num)s passage", "%(who)s coded %(num)s passages", len(entries),
                                   who=who(head.row))
        return _made(entries, said, [code_phrase(e.code, book) for e in entries])
    else:
        head = entries[0]
        details = head.details + [e.sentence for e in entries[1:]]
    return _made(entries, head.sentence, details)


def _made(entries, sentence, details):
    first = entries[0]
    return Item(at=first.row["at"], actor=first.row["actor"], reason=first.reason, sentence=sentence,
                details=details, entries=len(entries))


def _settlement(entries, head, book):
    """Under a settlement: each code it made part of the coding, the blind codes it kept (by coder),
    and anything else it did (the status it moved)."""
    details, superseded, others = [], {}, []
    for entry in entries:
        kind = _kind(entry)
        if kind == ("code", "settle"):
            coder = (entry.code or {}).get("coder")
            if coder:
                details.append(sentence("Now coded: %(code)s, as %(coder)s coded it",
                                        code=code_phrase(entry.code, book), coder=coder))
            else:
                details.append(sentence("Now coded: %(code)s", code=code_phrase(entry.code, book)))
        elif kind == ("code", "supersede"):
            coder = (entry.code or {}).get("coder") or say("a coder")
            superseded[coder] = superseded.get(coder, 0) + 1
        elif entry is not head:
            others.append(entry.sentence)
    if superseded:
        counted = [sentence("%(count)s of %(coder)s", count=str(count), coder=coder)
                   for coder, count in superseded.items()]
        details.append(sentence_plural("Kept as superseded: %(num)s blind code (%(counts)s)",
                                       "Kept as superseded: %(num)s blind codes (%(counts)s)",
                                       sum(superseded.values()), counts=joined(counted)))
    return details + others


def as_text(item):
    """An item as plain text (tests, logs): the sentence, ' — “reason”', then '\n  · detail' lines."""
    head = plain(item.sentence) + (f" — “{item.reason}”" if item.reason else "")
    return "\n".join([head, *(f"  · {plain(detail)}" for detail in item.details)])
