"""Plane geometry for drawing a map in pixels: simplifying lines to the map's resolution, clipping
rings to its frame, and the tests label placement needs. Points are (x, y) tuples."""


def simplify(points, tolerance):
    """Douglas-Peucker: the points of a line that keep it within `tolerance` of the original; the
    first and last are always kept, so arcs simplified one by one still meet."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:  # iterative: a coastline of thousands of points would exhaust recursion
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = (dx * dx + dy * dy) ** 0.5
        farthest, distance = None, tolerance
        for i in range(first + 1, last):
            px, py = points[i]
            d = abs(dy * (px - ax) - dx * (py - ay)) / length if length else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if d > distance:
                farthest, distance = i, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [p for p, kept in zip(points, keep) if kept]


def clip_ring(ring, box):
    """Sutherland-Hodgman: a closed ring cut to the rectangle box = (left, top, right, bottom).
    A ring leaving and re-entering the box runs along its edge in between, which is why maps clip
    to a box a little larger than what they show."""
    left, top, right, bottom = box
    edges = ((lambda p: p[0] >= left, lambda a, b: _at_x(a, b, left)),
             (lambda p: p[0] <= right, lambda a, b: _at_x(a, b, right)),
             (lambda p: p[1] >= top, lambda a, b: _at_y(a, b, top)),
             (lambda p: p[1] <= bottom, lambda a, b: _at_y(a, b, bottom)))
    points = list(ring)
    for inside, crossing in edges:
        if not points:
            break
        clipped, previous = [], points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    clipped.append(crossing(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(crossing(previous, point))
            previous = point
        points = clipped
    return points


def _at_x(a, b, x):
    return x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])


def _at_y(a, b, y):
    return a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y


def area(ring):
    """The ring's area (shoelace), whatever its winding."""
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1]))) / 2


def bounds(points):
    """(left, top, right, bottom) of points, y down."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def contains(ring, point):
    """Whether point lies inside the ring (even-odd rule)."""
    x, y = point
    inside = False
    for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1]):
        if (ay > y) != (by > y) and x < ax + (bx - ax) * (y - ay) / (by - ay):
            inside = not inside
    return inside


def overlaps(a, b):
    """Whether two boxes (left, top, right, bottom) overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def path_data(rings):
    """SVG path data for closed rings: absolute first point, then offsets between points rounded
    to a tenth of a pixel (offsets of rounded points, so errors never add up)."""
    parts = []
    for ring in rings:
        rounded = [(round(x * 10), round(y * 10)) for x, y in ring]
        moves = [f"M{_number(rounded[0][0])} {_number(rounded[0][1])}l"]
        previous = rounded[0]
        for point in rounded[1:]:
            dx, dy = point[0] - previous[0], point[1] - previous[1]
            if dx or dy:
                moves.append(f"{_number(dx)}{'' if dy < 0 else ' '}{_number(dy)} ")
                previous = point
        if len(moves) > 2:  # a ring that rounds to a point or a line draws nothing
            parts.append("".join(moves).rstrip() + "z")
    return "".join(parts)


def _number(tenths):
    """A number of tenths as SVG writes it shortest: 12.3, -.5, 4."""
    whole, tenth = divmod(abs(tenths), 10)
    text = (str(whole) if whole else "") + (f".{tenth}" if tenth else "")
    return ("-" if tenths < 0 else "") + (text or "0")
