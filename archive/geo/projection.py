"""The map's projection, and the frame of a map around its places.

Lambert azimuthal equal-area, centred on the frame: the projection of the EU's own statistical
maps (ETRS89-LAEA, EPSG:3035, centred on 52°N 10°E), here centred on the places instead. It keeps
areas true, so border regions compare fairly, and within the 2,000 km or so of a frame around the
EU's eastern and south-eastern borders its shapes and distances are off by well under 1 %, so a
scale bar can be drawn; a cosine-scaled equirectangular map stretches north-south as a frame grows
from a county to half of Europe. The sphere is the authalic sphere (R = 6,371 km): at this scale
the ellipsoid would move nothing by more than a fraction of a pixel.
"""
import math
from dataclasses import dataclass

EARTH_KM = 6371.0088
MARGIN = 0.12          # of the places' extent, on every side, so dots and labels stay inside
MARGIN_KM = 25.0       # and at least this much
MINIMUM_KM = 320.0     # one place alone still shows its region: the border and the nearest towns
RATIOS = (0.62, 1.25)  # height / width: neither a ribbon nor a tower (the first map was 1000 x 1450)


@dataclass(frozen=True)
class LambertAzimuthal:
    lon0: float
    lat0: float

    def forward(self, lon, lat):
        """(x, y) in km, y to the north."""
        lam, phi = math.radians(lon - self.lon0), math.radians(lat)
        phi0 = math.radians(self.lat0)
        cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)
        k = math.sqrt(2 / max(1 + cos_c, 1e-12))  # the antipode has no image; it never reaches a map
        return (EARTH_KM * k * math.cos(phi) * math.sin(lam),
                EARTH_KM * k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam)))

    def inverse(self, x, y):
        """(longitude, latitude) of a point of the plane, in degrees."""
        rho = math.hypot(x, y) / EARTH_KM
        if rho < 1e-12:
            return self.lon0, self.lat0
        c = 2 * math.asin(min(rho / 2, 1.0))
        phi0 = math.radians(self.lat0)
        lat = math.asin(math.cos(c) * math.sin(phi0) + (y / EARTH_KM) * math.sin(c) * math.cos(phi0) / rho)
        lon = self.lon0 + math.degrees(math.atan2((x / EARTH_KM) * math.sin(c),
                                                  rho * math.cos(phi0) * math.cos(c)
                                                  - (y / EARTH_KM) * math.sin(phi0) * math.sin(c)))
        return lon, math.degrees(lat)


@dataclass(frozen=True)
class Frame:
    """What a map shows: a rectangle of the projection's plane, in km."""
    projection: LambertAzimuthal
    left: float
    bottom: float
    right: float
    top: float

    @property
    def ratio(self):
        return (self.top - self.bottom) / (self.right - self.left)

    def pixels(self, width):
        """A function (lon, lat) -> (x, y) in pixels of a map `width` pixels wide, y down."""
        scale = width / (self.right - self.left)

        def to_pixels(lon, lat):
            x, y = self.projection.forward(lon, lat)
            return (x - self.left) * scale, (self.top - y) * scale
        return to_pixels

    def window(self, steps=16):
        """(west, south, east, north) in degrees around the frame: a shape outside it cannot
        reach the map. Read from points along the frame's edges, a degree wider."""
        edge = [(self.left + (self.right - self.left) * i / steps, y) for i in range(steps + 1)
                for y in (self.bottom, self.top)]
        edge += [(x, self.bottom + (self.top - self.bottom) * i / steps) for i in range(steps + 1)
                 for x in (self.left, self.right)]
        points = [self.projection.inverse(x, y) for x, y in edge]
        return (min(p[0] for p in points) - 1, min(p[1] for p in points) - 1,
                max(p[0] for p in points) + 1, max(p[1] for p in points) + 1)


def frame_around(positions):
    """The Frame around (lon, lat) positions: their extent, a margin, at least MINIMUM_KM each
    way, and a height-to-width ratio within RATIOS, widened (never stretched) to reach it."""
    lons, lats = [p[0] for p in positions], [p[1] for p in positions]
    projection = LambertAzimuthal((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)
    points = [projection.forward(lon, lat) for lon, lat in positions]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    pad = max(MARGIN * max(max(xs) - min(xs), max(ys) - min(ys)), MARGIN_KM)
    width = max(max(xs) - min(xs) + 2 * pad, MINIMUM_KM)
    height = max(max(ys) - min(ys) + 2 * pad, MINIMUM_KM)
    low, high = RATIOS
    width, height = max(width, height / high), max(height, width * low)
    middle_x, middle_y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return Frame(projection, middle_x - width / 2, middle_y - height / 2, middle_x + width / 2,
                 middle_y + height / 2)
