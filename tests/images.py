"""Reading the PNG files referbee writes, to check them (Pillow comes with matplotlib)."""

from __future__ import annotations

import io


def read_png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and RGB pixels of a PNG file, which must be whole and valid."""
    from PIL import Image

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    Image.open(io.BytesIO(data)).verify()  # every chunk's CRC, the end marker
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.width, image.height, image.convert("RGB").tobytes()
