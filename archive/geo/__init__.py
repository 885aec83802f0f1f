"""Geography for the archive's maps, in plain Python: TopoJSON decoding, a map projection and the
framing of a map on its places, and the plane geometry (simplifying, clipping) to draw them."""
