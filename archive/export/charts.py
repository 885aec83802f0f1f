"""Chart geometry as plain data for server-rendered SVG (the statistics page and the PDF): a bar
per month, and the gazetteer's places as points on an equirectangular projection of their bounding
box. No script, no tile server: templates only draw what is computed here."""
import math

WIDTH, HEIGHT = 720, 220
PADDING = {"left": 40, "right": 10, "top": 10, "bottom": 40}
MAP_WIDTH, MAP_MARGIN_DEGREES = 720, 0.4
LABEL_WIDTH, LABEL_HEIGHT = 90, 14  # px a place name takes beside its point


def timeline(months, width=WIDTH, height=HEIGHT):
    """{'bars': [{x, y, width, height, month, label, count, tick}], 'ticks': [{y, count}], ...}."""
    if not months:
        return None
    top = max(m["count"] for m in months) or 1
    plot_w = width - PADDING["left"] - PADDING["right"]
    plot_h = height - PADDING["top"] - PADDING["bottom"]
    step = plot_w / len(months)
    bars = []
    for i, month in enumerate(months):
        h = plot_h * month["count"] / top
        bars.append({**month, "x": round(PADDING["left"] + i * step + step * 0.1, 1),
                     "y": round(PADDING["top"] + plot_h - h, 1), "width": round(step * 0.8, 1),
                     "height": round(h, 1), "tick": month["month"].endswith("-01") or i == 0,
                     "centre": round(PADDING["left"] + i * step + step / 2, 1)})
    ticks = [{"count": n, "y": round(PADDING["top"] + plot_h - plot_h * n / top, 1)}
             for n in sorted({0, top, top // 2}) if n or top == 0]
    return {"width": width, "height": height, "bars": bars, "ticks": ticks, "left": PADDING["left"],
            "right": width - PADDING["right"], "baseline": PADDING["top"] + plot_h}


def place_map(places, width=MAP_WIDTH):
    """{'width', 'height', 'points': [{x, y, r, ...place}], 'graticule': [...]} for the places with
    coordinates; None when there are none. Longitude is scaled by cos(mid latitude)."""
    located = [p for p in places if p.get("lat") is not None and p.get("lon") is not None]
    if not located:
        return None
    south = min(p["lat"] for p in located) - MAP_MARGIN_DEGREES
    north = max(p["lat"] for p in located) + MAP_MARGIN_DEGREES
    west = min(p["lon"] for p in located) - MAP_MARGIN_DEGREES
    east = max(p["lon"] for p in located) + MAP_MARGIN_DEGREES
    scale_x = math.cos(math.radians((south + north) / 2))
    degrees_wide = max((east - west) * scale_x, 1e-6)
    height = max(min(round(width * (north - south) / degrees_wide), width * 1.5), 160)
    top = max(p["count"] for p in located)

    def x(lon):
        return round((lon - west) * scale_x / degrees_wide * width, 1)

    def y(lat):
        return round((north - lat) / (north - south) * height, 1)

    points = [{**p, "x": x(p["lon"]), "y": y(p["lat"]), "r": round(4 + 10 * math.sqrt(p["count"] / top), 1)}
              for p in sorted(located, key=lambda p: -p["count"])]
    labelled = []
    for point in points:  # the biggest first; a label that would overprint another is left to the tooltip
        point["labelled"] = all(abs(point["y"] - q["y"]) > LABEL_HEIGHT or abs(point["x"] - q["x"]) > LABEL_WIDTH
                                for q in labelled)
        if point["labelled"]:
            labelled.append(point)
    graticule = {"lat": [{"value": v, "y": y(v)} for v in range(math.ceil(south), math.floor(north) + 1)],
                 "lon": [{"value": v, "x": x(v)} for v in range(math.ceil(west), math.floor(east) + 1)]}
    return {"width": width, "height": height, "points": points, "graticule": graticule}
