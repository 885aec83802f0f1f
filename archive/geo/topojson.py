"""TopoJSON read into plain lists, after the specification
(https://github.com/topojson/topojson-specification, sections 2.1.2 to 2.2).

A topology keeps each shared border once, as an arc (a list of positions); a polygon's ring is a
list of arc indexes, where a negative index ~i means arc i read backwards. When the topology has a
transform, its arcs are quantised and delta-encoded: each position after the first is an offset
from the one before, in integer steps that the transform's scale and translate turn into degrees.
Rings are stitched from arcs rather than decoded whole, so that a caller can project and simplify
each arc once and a shared border comes out identical on both sides.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    """One object of a geometry collection: its id, name, and polygons as arc indexes:
    [polygon: [ring: [arc index, ...]], ...], the first ring of each polygon its exterior."""
    id: str
    name: str
    polygons: list


def decode_arcs(topology):
    """Every arc as a list of (x, y) positions in the topology's coordinates (longitude and
    latitude for world-atlas)."""
    transform = topology.get("transform")
    if transform is None:
        return [[(float(p[0]), float(p[1])) for p in arc] for arc in topology["arcs"]]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        positions = []
        for dx, dy, *_ in arc:  # a position may carry more than two numbers (2.1.2); they are ignored
            x, y = x + dx, y + dy
            positions.append((x * sx + tx, y * sy + ty))
        arcs.append(positions)
    return arcs


def stitch(ring, arcs):
    """The positions of a ring (or line) of arc indexes, taken from `arcs` (decoded, or as the
    caller has transformed them). Each arc after the first starts where the one before ended, so
    its first position is dropped."""
    positions = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        positions.extend(arc[1:] if positions else arc)
    return positions


def shapes(topology, name):
    """The polygons and multipolygons of the geometry collection `name`, as Shapes; other
    geometry types (points, lines) are skipped."""
    found = []
    for geometry in _flatten(topology["objects"][name]):
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        properties = geometry.get("properties") or {}
        found.append(Shape(str(geometry.get("id", "")), properties.get("name", ""), polygons))
    return found


def _flatten(geometry):
    if geometry["type"] == "GeometryCollection":
        for member in geometry["geometries"]:
            yield from _flatten(member)
    else:
        yield geometry
