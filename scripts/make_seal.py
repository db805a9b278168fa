"""Draw the demo seal (직인) ``judging/demo/seal.png``: a red square seal on a transparent ground.

Run ``python scripts/make_seal.py [OUT]`` (a one-off: the picture is committed). Uses Pillow (installed with reportlab) and the
shipped Nanum Myeongjo Bold. The text "고양특례시장지인" is set the traditional way: three columns
read top to bottom, right to left, the last two characters stretched to fill their column.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from judging.documents.fonts import FONT_DIR

OUT = Path(__file__).resolve().parent.parent / "judging" / "demo" / "seal.png"
RED = (200, 32, 38)
SIZE = 300
TEXT = "고양특례시장지인"


def _glyph(ch: str, font: ImageFont.FreeTypeFont, w: int, h: int) -> Image.Image:
    """The glyph ``ch`` as an alpha mask stretched to fill a ``w`` × ``h`` cell."""
    left, top, right, bottom = font.getbbox(ch)
    img = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(img).text((-left, -top), ch, font=font, fill=255)
    # Seal engraving has even, heavy strokes: thicken the thin Myeongjo hairlines.
    return img.resize((w, h), Image.LANCZOS).filter(ImageFilter.MaxFilter(7))


def make_seal(size: int = SIZE, seed: int = 2024) -> Image.Image:
    """Return the seal as an RGBA image (deterministic for a given seed)."""
    scale = 2  # draw large and shrink, for smooth edges
    s = size * scale
    mask = Image.new("L", (s, s), 0)
    d = ImageDraw.Draw(mask)
    border, inset = 16 * scale, 8 * scale
    d.rounded_rectangle((inset, inset, s - inset, s - inset), radius=10 * scale, outline=255, width=border)
    font = ImageFont.truetype(str(FONT_DIR / "NanumMyeongjoBold.ttf"), 160 * scale)
    inner = inset + border + 10 * scale
    span = s - 2 * inner
    gap = 6 * scale
    col_w = (span - 2 * gap) // 3
    columns = [TEXT[0:3], TEXT[3:6], TEXT[6:8]]  # right to left
    for i, chars in enumerate(columns):
        x = inner + (2 - i) * (col_w + gap)
        cell_h = (span - (len(chars) - 1) * gap) // len(chars)
        for j, ch in enumerate(chars):
            y = inner + j * (cell_h + gap)
            mask.paste(255, (x, y), _glyph(ch, font, col_w, cell_h))
    # Ink does not take evenly: knock out a few specks so it reads as stamped, not printed.
    rng = random.Random(seed)
    knock = Image.new("L", (s, s), 255)
    speck = ImageDraw.Draw(knock)
    for _ in range(260):
        cx, cy, r = rng.randrange(s), rng.randrange(s), rng.randrange(1, 4) * scale
        speck.ellipse((cx - r, cy - r, cx + r, cy + r), fill=rng.randrange(40, 140))
    mask = ImageChops.darker(mask, knock)
    mask = mask.filter(ImageFilter.GaussianBlur(scale * 0.6)).resize((size, size), Image.LANCZOS)
    alpha = mask.point(lambda v: int(v * 0.92))
    seal = Image.new("RGBA", (size, size), RED + (0,))
    seal.putalpha(alpha)
    return seal


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    make_seal().save(out, optimize=True)
    print(out)


if __name__ == "__main__":
    main()
