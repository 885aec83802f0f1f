"""Make archive/data/countries-50m-europe.json from world-atlas's countries-50m.json.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/make_countries.py package/countries-50m.json archive/data/countries-50m-europe.json

Keeps the countries with land in REGION (Europe, the Middle East and North Africa: every place the
codebook's gazetteer can name, with room around it), and of each country only the polygons that
reach into REGION, so that Russia keeps its European mainland but not its Pacific islands. Arcs
are kept whole and renumbered: they stay quantised and delta-encoded as in the source, under the
same transform, so the file is still TopoJSON a standard reader decodes. The "land" object is left
out (the countries cover it). Standard library only.
"""
import json
import sys

REGION = (-30.0, 15.0, 60.0, 82.0)  # west, south, east, north in degrees


def main(source, target):
    with open(source, encoding="utf-8") as handle:
        topology = json.load(handle)
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    boxes = [_box(arc, scale, translate) for arc in topology["arcs"]]
    kept, renumbered = [], {}
    for country in topology["objects"]["countries"]["geometries"]:
        polygons = country.get("arcs", [])
        if country["type"] == "Polygon":
            polygons = [polygons]
        polygons = [p for p in polygons if _overlaps(_union(boxes, p[0]), REGION)]
        if polygons:
            arcs = [[[_renumber(i, renumbered) for i in ring] for ring in p] for p in polygons]
            kept.append({"type": "MultiPolygon", "arcs": arcs, "id": country.get("id"),
                         "properties": {"name": country["properties"]["name"]}})
    old = sorted(renumbered, key=renumbered.get)
    subset = {"type": "Topology", "transform": topology["transform"],
              "objects": {"countries": {"type": "GeometryCollection", "geometries": kept}},
              "arcs": [topology["arcs"][i] for i in old]}
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(subset, handle, separators=(",", ":"), ensure_ascii=False)
    print(f"{len(kept)} countries, {len(old)} of {len(topology['arcs'])} arcs -> {target}")


def _renumber(index, renumbered):
    """An arc index in the new numbering; a negative index (~i) is arc i read backwards."""
    arc = index if index >= 0 else ~index
    new = renumbered.setdefault(arc, len(renumbered))
    return new if index >= 0 else ~new


def _box(arc, scale, translate):
    x = y = 0
    xs, ys = [], []
    for dx, dy in arc:
        x, y = x + dx, y + dy
        xs.append(x * scale[0] + translate[0])
        ys.append(y * scale[1] + translate[1])
    return min(xs), min(ys), max(xs), max(ys)


def _union(boxes, ring):
    picked = [boxes[i if i >= 0 else ~i] for i in ring]
    return (min(b[0] for b in picked), min(b[1] for b in picked),
            max(b[2] for b in picked), max(b[3] for b in picked))


def _overlaps(a, b):
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


if __name__ == "__main__":
    main(*sys.argv[1:3])
