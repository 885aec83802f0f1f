"""The map of a set of testimonies' places, as plain data for the SVG that the statistics page and
the PDF draw (templates/charts/_place_map.html): the countries around the coded places (Natural
Earth 1:50m, archive/data/countries-50m-europe.json), the places as dots sized by the number of
testimonies, labels that do not overprint each other, and a scale bar. Nothing is fetched: the
borders ship with the archive.

A map is drawn once per width it is shown at (WIDTHS): a label that fits beside its dot on a
desktop can collide on a phone, and the lines are simplified to the pixels of each width.
"""
import functools
import json
import math
from pathlib import Path

import pycountry

from archive.export import map_labels, tables
from archive.geo import geometry, topojson
from archive.geo.projection import frame_around

COUNTRIES = Path(__file__).resolve().parent.parent / "data" / "countries-50m-europe.json"
WIDTHS = {"wide": 720, "narrow": 340}   # px: a desktop's map column, a phone's 390 px less margins
TOLERANCE = 0.35                        # px a simplified border may stray from Natural Earth's
CLIP_PAD = 4                            # px beyond the frame where rings are cut (unseen)
DOT = {"wide": (3.0, 13.0), "narrow": (2.5, 9.0)}   # radius of the fewest and of the most
NICE_KM = (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


@functools.lru_cache(maxsize=1)
def atlas():
    """(arcs in degrees, [(Shape, [(polygon, its exterior's lon/lat bounds)])]), read once. The shapes
    keep Natural Earth's names: this is cached for the process, and a map names its countries in the
    language of the page that draws it (_named)."""
    with open(COUNTRIES, encoding="utf-8") as handle:
        topology = json.load(handle)
    arcs = topojson.decode_arcs(topology)
    countries = [(shape, [(polygon, geometry.bounds(topojson.stitch(polygon[0], arcs)))
                                  for polygon in shape.polygons])
                 for shape in topojson.shapes(topology, "countries")]
    return arcs, countries


def _named(shape):
    """The name the places' table gives the shape's country, in the reader's language (Natural Earth
    4.1.0 still has 'Macedonia' and 'Turkey'), by its ISO 3166 number; Natural Earth's where ISO has
    none (Kosovo)."""
    country = pycountry.countries.get(numeric=shape.id) if shape.id.isdigit() else None
    return tables.country_label(country, shape.name)


def place_map(places, widths=WIDTHS):
    """{width name: drawn map} for the places with coordinates, or None when none has any."""
    located = [p for p in places if p.get("lat") is not None and p.get("lon") is not None]
    if not located:
        return None
    frame = frame_around([(p["lon"], p["lat"]) for p in located])
    projected = _ProjectedArcs(atlas()[0], frame.projection)  # once for every width: the trigonometry
    return {name: draw(frame, located, width, DOT.get(name, DOT["wide"]), projected)
            for name, width in widths.items()}


def draw(frame, located, width, dot=DOT["wide"], projected=None):
    """{'width', 'height', 'countries': [{id, name, d}], 'country_labels', 'points', 'scale'}."""
    height = round(width * frame.ratio)
    to_pixels = frame.pixels(width)
    drawn_arcs = _DrawnArcs(projected or _ProjectedArcs(atlas()[0], frame.projection), frame, width)
    countries = _countries(frame, drawn_arcs, (-CLIP_PAD, -CLIP_PAD, width + CLIP_PAD, height + CLIP_PAD))
    top = max(p["count"] for p in located)
    points = []
    for place in sorted(located, key=lambda p: (-p["count"], p["label"])):
        x, y = to_pixels(place["lon"], place["lat"])
        radius = dot[0] + (dot[1] - dot[0]) * math.sqrt(place["count"] / top)
        points.append({**place, "x": round(x, 1), "y": round(y, 1), "r": round(radius, 1)})
    scale = _scale_bar(frame, width, height)
    scale_box = (0, scale["y"] - 14, scale["x"] + scale["length"] + 60, height)  # the bar and "250 km"
    taken = map_labels.label_places(points, width, height, reserved=[scale_box])
    labels = map_labels.label_countries(countries, taken, width, height)
    return {"width": width, "height": height, "points": points, "country_labels": labels,
            "countries": [{"id": c["id"], "name": c["name"], "d": c["d"]} for c in countries], "scale": scale}


def _countries(frame, drawn_arcs, box):
    """The countries that reach the frame, each as SVG path data and its visible exteriors."""
    countries = atlas()[1]
    west, south, east, north = frame.window()
    found = []
    for shape, polygons in countries:
        rings, exteriors = [], []
        for polygon, (left, bottom, right, top) in polygons:
            if right < west or left > east or top < south or bottom > north:
                continue
            for number, ring in enumerate(polygon):
                clipped = geometry.clip_ring(topojson.stitch(ring, drawn_arcs), box)
                if len(clipped) >= 3 and geometry.area(clipped) >= 0.5:
                    rings.append(clipped)
                    if number == 0:
                        exteriors.append(clipped)
        if rings:
            found.append({"id": shape.id, "name": _named(shape), "d": geometry.path_data(rings), "exteriors": exteriors})
    return found


class _ProjectedArcs:
    """Arcs in the projection's km, each projected the first time a map asks for it."""

    def __init__(self, arcs, projection):
        self.arcs, self.projection, self.done = arcs, projection, {}

    def __getitem__(self, index):
        if index not in self.done:
            self.done[index] = [self.projection.forward(lon, lat) for lon, lat in self.arcs[index]]
        return self.done[index]


class _DrawnArcs:
    """Arcs in the pixels of one width, simplified the first time a ring asks for them: a border
    two countries share is computed once and comes out the same for both."""

    def __init__(self, projected, frame, width):
        self.projected, self.frame, self.done = projected, frame, {}
        self.scale = width / (frame.right - frame.left)

    def __getitem__(self, index):
        if index not in self.done:
            left, top, scale = self.frame.left, self.frame.top, self.scale
            self.done[index] = geometry.simplify([((x - left) * scale, (top - y) * scale)
                                                  for x, y in self.projected[index]], TOLERANCE)
        return self.done[index]


def _scale_bar(frame, width, height):
    """A bar of a round number of km, about a fifth of the map wide, at the bottom left."""
    km_per_px = (frame.right - frame.left) / width
    km = max([n for n in NICE_KM if n / km_per_px <= width / 5] or [NICE_KM[0]])
    return {"x": 10, "y": height - 12, "length": round(km / km_per_px, 1), "label": f"{km} km"}
