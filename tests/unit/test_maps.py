"""The map's parts: TopoJSON decoding (hand-made topologies and the shipped Natural Earth file), the
projection, the framing on the coded places, simplifying and clipping, and the map drawn from them."""
import math
import re

import pytest

from archive import i18n
from archive.export import place_map, text_metrics
from archive.geo import geometry, topojson
from archive.geo.projection import EARTH_KM, MINIMUM_KM, RATIOS, LambertAzimuthal, frame_around

# Two unit squares side by side, quantised (scale 0.5, translate 10, 20) and delta-encoded. Arc 0 is
# the border they share, from (1, 0) up to (1, 1); the left square uses it forwards, the right one
# backwards (~0 = -1), as the specification's example does.
SQUARES = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
    "objects": {"cells": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "id": "L", "properties": {"name": "Left"}, "arcs": [[0, 1]]},
        {"type": "GeometryCollection", "geometries": [
            {"type": "MultiPolygon", "id": "R", "properties": {"name": "Right"}, "arcs": [[[~0, 2]]]},
            {"type": "Point", "coordinates": [0, 0]}]},
    ]}},
    "arcs": [
        [[2, 0], [0, 2]],                    # (11, 20) -> (11, 21)
        [[2, 2], [-2, 0], [0, -2], [2, 0]],  # (11, 21) -> (10, 21) -> (10, 20) -> (11, 20)
        [[2, 0], [2, 0], [0, 2], [-2, 0]],   # (11, 20) -> (12, 20) -> (12, 21) -> (11, 21)
    ],
}


def test_arcs_are_delta_decoded_and_transformed():
    arcs = topojson.decode_arcs(SQUARES)
    assert arcs == [[(11, 20), (11, 21)], [(11, 21), (10, 21), (10, 20), (11, 20)],
                    [(11, 20), (12, 20), (12, 21), (11, 21)]]
    assert topojson.decode_arcs({"arcs": [[[1.5, 2], [3, 4]]]}) == [[(1.5, 2.0), (3.0, 4.0)]]  # no transform


def test_a_shared_arc_is_read_forwards_by_one_side_and_backwards_by_the_other():
    arcs = topojson.decode_arcs(SQUARES)
    left, right = topojson.shapes(SQUARES, "cells")
    assert (left.id, left.name, right.id, right.name) == ("L", "Left", "R", "Right")  # the point is skipped
    left_ring = topojson.stitch(left.polygons[0][0], arcs)
    right_ring = topojson.stitch(right.polygons[0][0], arcs)
    assert left_ring == [(11, 20), (11, 21), (10, 21), (10, 20), (11, 20)]   # closed, no point twice in a row
    assert right_ring == [(11, 21), (11, 20), (12, 20), (12, 21), (11, 21)]
    assert geometry.area(left_ring) == geometry.area(right_ring) == 1


def test_neighbours_in_natural_earth_share_their_border_arcs():
    arcs, countries = place_map.atlas()
    by_name = {shape.name: shape for shape, _ in countries}
    used = {name: {i for polygon in by_name[name].polygons for ring in polygon for i in ring}
            for name in ("Poland", "Belarus", "Lithuania")}
    shared = {i for i in used["Poland"] if ~i in used["Belarus"]}
    assert shared, "the Poland-Belarus border is kept once, read in both directions"
    for index in shared:
        forwards, backwards = topojson.stitch([index], arcs), topojson.stitch([~index], arcs)
        assert forwards == backwards[::-1]
        assert all(22.5 < lon < 24.5 and 51 < lat < 54 for lon, lat in forwards)  # along the Bug and beyond
    for shape, _ in countries:  # every ring closes where it started
        for polygon in shape.polygons:
            for ring in polygon:
                points = topojson.stitch(ring, arcs)
                assert points[0] == pytest.approx(points[-1]), shape.name


def test_the_projection_keeps_areas_and_inverts():
    projection = LambertAzimuthal(23.6, 53.5)
    assert projection.forward(23.6, 53.5) == (0.0, 0.0)
    x, y = projection.forward(25.28, 54.69)  # Vilnius is north-east of Kuźnica
    assert x > 0 and y > 0
    assert projection.inverse(x, y) == pytest.approx((25.28, 54.69))
    # A cell of one degree, 600 km from the centre: its area on the sphere and on the map agree.
    corners = [projection.forward(lon, lat) for lon, lat in ((18, 50), (19, 50), (19, 51), (18, 51))]
    sphere = EARTH_KM ** 2 * math.radians(1) * (math.sin(math.radians(51)) - math.sin(math.radians(50)))
    assert geometry.area(corners) == pytest.approx(sphere, rel=0.002)


GAZETTEER_IDS = ["kuznica", "bialowieza", "vilnius", "daugavpils", "velika_kladusa", "trieste", "soufli"]


@pytest.mark.parametrize("ids", [GAZETTEER_IDS, GAZETTEER_IDS[:2], ["daugavpils", "soufli"]])
def test_every_coded_place_is_inside_the_frame(codebook, ids):
    positions = [(codebook.places[i]["lon"], codebook.places[i]["lat"]) for i in ids]
    frame = frame_around(positions)
    assert RATIOS[0] - 1e-9 <= frame.ratio <= RATIOS[1] + 1e-9
    for width in place_map.WIDTHS.values():
        height, to_pixels = round(width * frame.ratio), frame.pixels(width)
        for lon, lat in positions:
            x, y = to_pixels(lon, lat)
            assert 0.05 * width < x < 0.95 * width and 0.05 * height < y < 0.95 * height


def test_one_place_is_framed_with_its_region(codebook):
    kuznica = codebook.places["kuznica"]
    frame = frame_around([(kuznica["lon"], kuznica["lat"])])
    assert frame.right - frame.left >= MINIMUM_KM and frame.top - frame.bottom >= MINIMUM_KM
    drawn = place_map.draw(frame, [{"id": "kuznica", "label": "Kuźnica", "lat": kuznica["lat"],
                                    "lon": kuznica["lon"], "count": 3}], 720)
    assert {"Poland", "Belarus", "Lithuania"} <= {c["name"] for c in drawn["countries"]}
    assert (drawn["points"][0]["x"], drawn["points"][0]["y"]) == pytest.approx((360, drawn["height"] / 2), abs=1)
    assert drawn["scale"]["label"] == "50 km"


def test_simplify_and_clip():
    wiggle = [(x, 0.1 * (-1) ** x) for x in range(11)]
    assert geometry.simplify(wiggle, 0.5) == [(0, 0.1), (10, 0.1)]
    assert geometry.simplify(wiggle, 0.05) == wiggle
    clipped = geometry.clip_ring([(-5, -5), (5, -5), (5, 5), (-5, 5)], (0, 0, 10, 10))
    assert sorted(clipped) == [(0, 0), (0, 5), (5, 0), (5, 5)]
    assert geometry.clip_ring([(20, 20), (30, 20), (30, 30)], (0, 0, 10, 10)) == []


def test_path_data_is_relative_and_loses_no_more_than_rounding():
    ring = [(10.04, 20.0), (15.55, 20.0), (15.55, 12.31), (9.0, 9.0)]
    d = geometry.path_data([ring])
    assert d.startswith("M10 20l") and d.endswith("z")
    numbers = [float(n) for n in re.findall(r"-?\d*\.?\d+", d)]
    x, y, points = numbers[0], numbers[1], []
    points.append((x, y))
    for dx, dy in zip(numbers[2::2], numbers[3::2]):
        x, y = x + dx, y + dy
        points.append((x, y))
    assert [c for p in points for c in p] == pytest.approx([c for p in ring for c in p], abs=0.051)


def _labelled_boxes(drawn):
    boxes = []
    for point in drawn["points"]:
        if point["label_at"]:
            w, at = text_metrics.width(point["label"], 12), point["label_at"]
            left = {"start": at["x"], "end": at["x"] - w, "middle": at["x"] - w / 2}[at["anchor"]]
            boxes.append((left, at["y"] - 12, left + w, at["y"] + 3))  # DejaVu's line box at 12 px, in whole px
    return boxes


@pytest.mark.parametrize("variant", list(place_map.WIDTHS))
def test_the_whole_gazetteer_on_one_map(codebook, variant):
    places = [{"id": p, "label": entry["name"], "lat": entry.get("lat"), "lon": entry.get("lon"), "count": n % 4 + 1}
              for n, (p, entry) in enumerate(codebook.places.items())]
    drawn = place_map.place_map(places)[variant]
    assert drawn["width"] == place_map.WIDTHS[variant]
    assert len(drawn["points"]) == sum(1 for p in places if p["lat"] is not None)
    names = {c["name"] for c in drawn["countries"]}
    assert {"Poland", "Belarus", "Lithuania", "Latvia", "Croatia", "Greece", "Türkiye", "North Macedonia",
            "Bosnia and Herzegovina", "Kosovo"} <= names  # named as the places' table names them, by ISO
    assert not {"Turkey", "Macedonia", "Bosnia and Herz."} & names
    boxes = _labelled_boxes(drawn)
    assert len(boxes) >= len(drawn["points"]) // 2
    assert not any(geometry.overlaps(a, b) for n, a in enumerate(boxes) for b in boxes[n + 1:])
    assert all(0 <= b[0] and b[2] <= drawn["width"] and 0 <= b[1] and b[3] <= drawn["height"] for b in boxes)
    assert sum(len(c["d"]) for c in drawn["countries"]) < 60_000  # bytes of path data
    radii = [p["r"] for p in drawn["points"]]
    assert radii == sorted(radii, reverse=True)  # the biggest drawn first, the small ones stay on top


def test_a_map_names_its_countries_in_the_language_it_is_drawn_in(codebook):
    """The atlas is read once a process: a Polish page drawn first must not name an English reader's
    countries in Polish."""
    place_map.atlas.cache_clear()
    kuznica = codebook.places["kuznica"]
    places = [{"id": "kuznica", "label": "Kuźnica", "lat": kuznica["lat"], "lon": kuznica["lon"], "count": 1}]
    with i18n.speaking("pl"):
        polish = {c["name"] for c in place_map.place_map(places)["wide"]["countries"]}
    english = {c["name"] for c in place_map.place_map(places)["wide"]["countries"]}
    assert {"Polska", "Białoruś"} <= polish
    assert {"Poland", "Belarus"} <= english and not {"Polska", "Białoruś"} & english
