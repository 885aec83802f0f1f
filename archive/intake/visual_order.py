"""Right-to-left lines of a PDF put back into the order they are read in (logical order).

A PDF draws a line's glyphs left to right: in visual order. pypdf reverses each run of
right-to-left characters it meets, which is right for a line of Arabic words alone, but it keeps
the runs in visual order and reverses the digits inside an Arabic run too: "صفحة 1 من 2"
comes out as "2 من1 صفحة" and "١٢" as "٢١". So each of pypdf's runs is turned back into visual
order here, and the line is reordered as the Unicode Bidirectional Algorithm displays it, for a
line without embeddings: displaying is a reversal of runs by level, and a reversal undoes itself,
so the same reordering of the visual line gives the logical one. Numbers and Latin words inside
Arabic keep their left-to-right order; combining marks stay after the letter they belong to.
"""
import unicodedata

# pypdf's own classification (pypdf/_utils.py, as of 7.1): the characters it reverses, and those
# that keep the run's direction. A run holding neither kind took the direction of the run before.
PYPDF_RTL = (("\u0590", "\u08ff"), ("\ufb1d", "\ufdff"), ("\ufe70", "\ufeff"))
PYPDF_NEUTRAL = (("\x00", "\x2f"), ("\x3a", "\x40"), ("\u0660", "\u066d"), ("\u06f0", "\u06f9"),
                 ("\u2000", "\u206f"), ("\u20a0", "\u21ff"))
STRONG_RTL = ("R", "AL")
NUMBER = ("EN", "AN")
NUMBER_JOINERS = ("ES", "CS", "ET")  # between digits: "1,000" and "2021-11" stay one number


def was_reversed(run, previous):
    """Whether pypdf reversed this run of text: the direction of its first directional character,
    or, without one, that of the run before it on the page (`previous`)."""
    for char in run:
        if not any(low <= char <= high for low, high in PYPDF_NEUTRAL):
            return any(low <= char <= high for low, high in PYPDF_RTL)
    return previous


def logical_line(parts):
    """The logical text of one line from pypdf's runs on it, `(x, text, reversed)`."""
    visual = []
    for _, text, reversed_run in sorted(parts, key=lambda part: part[0]):
        # pypdf's reversed runs keep each mark after its letter (HarfBuzz draws the mark first):
        # cut them into clusters while they are in logical order, then reverse the clusters.
        visual.extend(_clusters(text)[::-1] if reversed_run else _clusters(text))
    return logical_order(visual)


def logical_order(visual):
    """Reorder a line given in visual order (a string, or a list of clusters) into logical order."""
    clusters = _clusters(visual) if isinstance(visual, str) else list(visual)
    kinds = [unicodedata.bidirectional(cluster[0]) for cluster in clusters]
    rtl = sum(kind in STRONG_RTL for kind in kinds)
    if not rtl:
        return "".join(clusters)
    base = 1 if rtl > sum(kind == "L" for kind in kinds) else 0
    levels = _levels(kinds, base)
    for level in range(max(levels), 0, -1):
        index = 0
        while index < len(clusters):
            if levels[index] < level:
                index += 1
                continue
            end = index
            while end < len(clusters) and levels[end] >= level:
                end += 1
            clusters[index:end] = clusters[index:end][::-1]
            levels[index:end] = levels[index:end][::-1]
            index = end
    return "".join(clusters)


def _clusters(text):
    """A letter with the combining marks after it is one unit: reversing must not part them."""
    clusters = []
    for char in text:
        if clusters and unicodedata.combining(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _levels(kinds, base):
    """Embedding levels, as the algorithm's rules resolve them for a line without embeddings:
    letters by their direction; a number right after Latin letters joins them ("BWC-17"), other
    numbers sit at level 2 beside Arabic; spaces and punctuation take the direction of the letters
    on both sides when they agree, else the base direction."""
    edge = "R" if base else "L"
    letters = [_strong(kind) for kind in kinds]
    strong = list(letters)
    before, after = _nearest(letters, edge), _nearest(letters[::-1], edge)[::-1]
    for index, kind in enumerate(kinds):
        if kind == "EN" or (kind in NUMBER_JOINERS and _between_digits(kinds, index)):
            # Read left to right as a person reads the printed line: Latin, then its number.
            latin = before[index] == "L" or not (base or after[index] == "R")
            strong[index] = "L" if latin else "N"
        elif kind == "AN":
            strong[index] = "N"
    resolved = ["R" if side == "N" else side for side in strong]
    before, after = _nearest(resolved, edge), _nearest(resolved[::-1], edge)[::-1]
    levels = []
    for index, side in enumerate(strong):
        if side is None:
            side = before[index] if before[index] == after[index] else edge
        levels.append({"L": 2 if base else 0, "R": 1, "N": 2}[side])
    return levels


def _strong(kind):
    return "R" if kind in STRONG_RTL else "L" if kind == "L" else None


def _between_digits(kinds, index):
    return 0 < index < len(kinds) - 1 and kinds[index - 1] in NUMBER and kinds[index + 1] in NUMBER


def _nearest(sides, edge):
    """For each position, the last direction seen before it (the line's edge counts as `edge`)."""
    found, last = [], edge
    for side in sides:
        found.append(last)
        if side is not None:
            last = side
    return found
