"""Draws logo.png (128×128, transparent): a parcel with a smile-like arrow and sync arrows.

Run: python tools/draw_logo.py  (needs Pillow; only for redrawing the logo)
"""

from pathlib import Path

from PIL import Image, ImageDraw

SIZE, SCALE = 128, 4  # drawn 4× larger, then reduced, for smooth edges
ORANGE, DARK, BOX, TAPE = (255, 153, 0, 255), (35, 47, 62, 255), (214, 165, 104, 255), (189, 140, 80, 255)


def draw():
    s = SIZE * SCALE
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    u = s / 128
    # rounded badge
    d.rounded_rectangle([4 * u, 4 * u, 124 * u, 124 * u], radius=26 * u, fill=DARK)
    # the parcel: front, top, side
    d.polygon([(34 * u, 52 * u), (78 * u, 52 * u), (78 * u, 96 * u), (34 * u, 96 * u)], fill=BOX)
    d.polygon([(34 * u, 52 * u), (50 * u, 38 * u), (94 * u, 38 * u), (78 * u, 52 * u)], fill=(232, 190, 132, 255))
    d.polygon([(78 * u, 52 * u), (94 * u, 38 * u), (94 * u, 82 * u), (78 * u, 96 * u)], fill=TAPE)
    d.polygon([(52 * u, 52 * u), (60 * u, 52 * u), (76 * u, 38 * u), (68 * u, 38 * u)], fill=TAPE)
    # the orange arrow under it, smiling
    d.arc([26 * u, 76 * u, 102 * u, 112 * u], start=25, end=155, fill=ORANGE, width=int(6 * u))
    d.polygon([(26 * u, 88 * u), (22 * u, 100 * u), (34 * u, 98 * u)], fill=ORANGE)
    d.polygon([(96 * u, 104 * u), (106 * u, 96 * u), (98 * u, 92 * u)], fill=ORANGE)
    # two sync arrows at the top right: data going both ways
    d.arc([88 * u, 12 * u, 116 * u, 40 * u], start=200, end=340, fill=ORANGE, width=int(4 * u))
    d.polygon([(112 * u, 18 * u), (118 * u, 28 * u), (106 * u, 26 * u)], fill=ORANGE)
    return img.resize((SIZE, SIZE), Image.LANCZOS)


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "logo.png"
    draw().save(out, optimize=True)
    print(out)
