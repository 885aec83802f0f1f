"""Where the map's labels go: each place's name beside its dot, where it overprints no other label
and no other dot, the places with most testimonies first; then country names inside their
countries, where a place's label or dot leaves room. A label that finds no room is left out: the
dot keeps its tooltip, and the table beside the map lists every place.

Text is measured in the map's font (text_metrics.py): DejaVu Sans, or Verdana, which is as wide, so
that a narrower fallback font only leaves more room.
"""
from archive.export import text_metrics
from archive.geo import geometry

PLACE_FONT, COUNTRY_FONT = 12, 10   # px, as templates/charts/_place_map.html draws them
COUNTRY_SPACING = 1                 # px between the capitals of a country's name
GAP = 3                              # px between a dot and its label
EDGE = 2                             # px a label keeps from the map's edge
# Beside the dot, in order of preference: right, left, above, below, then the four corners.
SIDES = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (1, 1), (-1, -1), (-1, 1))


def label_places(points, width, height, reserved=(), font=PLACE_FONT):
    """Set point['label_at'] to {x, y, anchor, box} (where its name's text goes, and the box behind
    it) or None, in the points' order, clear of the `reserved` boxes; returns the boxes taken
    (those, the labels and the dots), for the country names to avoid."""
    dots = [_dot_box(p) for p in points]
    taken = list(reserved)
    for number, point in enumerate(points):
        point["label_at"] = None
        others = dots[:number] + dots[number + 1:]
        text_w = text_metrics.width(point["label"], font)
        for side_x, side_y in SIDES:
            spot, box = _beside(point, side_x, side_y, text_w, font)
            if _inside(box, width, height) and not any(geometry.overlaps(box, other) for other in taken + others):
                point["label_at"] = spot
                taken.append(box)
                break
    return taken + dots


def _beside(point, side_x, side_y, text_w, font):
    """The anchor and box of a label on one side of the dot."""
    reach = point["r"] + GAP
    x, y = point["x"] + side_x * reach, point["y"] + side_y * reach
    anchor = {1: "start", -1: "end", 0: "middle"}[side_x]
    left = {"start": x, "end": x - text_w, "middle": x - text_w / 2}[anchor]
    above, below = text_metrics.extent(font)
    top = {1: y, -1: y - above - below, 0: y - (above + below) / 2}[side_y]
    spot = {"x": round(x, 1), "y": round(top + above, 1), "anchor": anchor,  # and a pale box behind the text
            "box": {"x": round(left - 1, 1), "y": round(top, 1), "width": round(text_w + 2, 1), "height": above + below}}
    return spot, (left, top, left + text_w, top + above + below)


def _dot_box(point):
    return point["x"] - point["r"], point["y"] - point["r"], point["x"] + point["r"], point["y"] + point["r"]


def _inside(box, width, height):
    return box[0] >= EDGE and box[1] >= EDGE and box[2] <= width - EDGE and box[3] <= height - EDGE


def label_countries(countries, taken, width, height, font=COUNTRY_FONT):
    """[{name, x, y}] (the middle of the text's baseline) for each country whose largest visible
    part holds its name clear of the boxes `taken`, nearest that part's centre of area."""
    labels = []
    visible = [c for c in countries if c["exteriors"]]
    for country in sorted(visible, key=lambda c: -max(geometry.area(r) for r in c["exteriors"])):
        name = country["name"].upper()
        piece = max(country["exteriors"], key=geometry.area)
        text_w = text_metrics.width(name, font, COUNTRY_SPACING)
        if geometry.area(piece) < 4 * text_w * font:
            continue
        above, below = text_metrics.extent(font)
        for x, y in _candidates(piece):
            top = y - (above + below) / 2
            box = (x - text_w / 2, top, x + text_w / 2, top + above + below)
            corners = [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3]), (x, y)]
            if _inside(box, width, height) and all(geometry.contains(piece, c) for c in corners) \
                    and not any(geometry.overlaps(box, other) for other in taken):
                labels.append({"name": name, "x": round(x, 1), "y": round(top + above, 1)})
                taken.append(box)
                break
    return labels


def _candidates(ring, steps=6):
    """The ring's centre of area, then points of a grid over its bounds, nearest that centre first."""
    centre = _centroid(ring)
    left, top, right, bottom = geometry.bounds(ring)
    grid = [(left + (right - left) * (i + .5) / steps, top + (bottom - top) * (j + .5) / steps)
            for i in range(steps) for j in range(steps)]
    return [centre] + sorted(grid, key=lambda p: (p[0] - centre[0]) ** 2 + (p[1] - centre[1]) ** 2)


def _centroid(ring):
    twice_area = cx = cy = 0.0
    for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1]):
        cross = ax * by - bx * ay
        twice_area += cross
        cx += (ax + bx) * cross
        cy += (ay + by) * cross
    if abs(twice_area) < 1e-9:
        left, top, right, bottom = geometry.bounds(ring)
        return (left + right) / 2, (top + bottom) / 2
    return cx / (3 * twice_area), cy / (3 * twice_area)
