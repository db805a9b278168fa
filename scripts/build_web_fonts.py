"""Cut NanumGothic (SIL OFL 1.1) into unicode-range WOFF2 slices for the web pages.

A developer tool, run once and committed: the app only serves the files this script writes.

    .venv/bin/python scripts/build_web_fonts.py            # fetches Debian's fonts-nanum with apt-get download
    .venv/bin/python scripts/build_web_fonts.py --source DIR   # DIR holds NanumGothic.ttf and NanumGothicBold.ttf

Writes ``judging/static/fonts/judging-gothic-<weight>-<slice>.woff2``, the licence next to them
and ``judging/static/css/fonts.css`` (the ``@font-face`` rules). Pages name the family after the
usual system Korean fonts, so a device that has one never downloads a slice; a device without one
downloads only the slices holding the characters the page shows.

The slices (a browser checks the LAST matching @font-face first, so ``ui`` wins where ranges overlap):
- ``latin`` and ``symbols``: everything but Hangul syllables and Hanja (Hanja are left out: the UI
  never shows them and they would double the size);
- ``hangul-NN``: the 11,172 modern syllables in contiguous blocks (names and titles people type);
- ``ui``, declared last: ASCII and every other character the app's own text uses (templates, Python
  sources, the catalogue, scripts, the demo), so an ordinary page needs this one file per weight.

Because the Reserved Font Names of the OFL may not name a modified version, the slices are renamed
"Judging Gothic"; copyright and licence stay with them.
"""

from __future__ import annotations

import argparse
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT_FONTS = ROOT / "judging" / "static" / "fonts"
OUT_CSS = ROOT / "judging" / "static" / "css" / "fonts.css"
FAMILY = "Judging Gothic"
FILE_STEM = "judging-gothic"
WEIGHTS = {400: "NanumGothic.ttf", 700: "NanumGothicBold.ttf"}
HANGUL = range(0xAC00, 0xD7A4)
HANGUL_SLICES = 16
# Where the app's own Korean text lives.
TEXT_SOURCES = ("templates/**/*.html", "judging/**/*.py", "judging/**/*.po", "judging/**/*.toml",
                "judging/static/js/*.js")


def is_hanja(cp: int) -> bool:
    return (0x2E80 <= cp <= 0x2FDF or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF
            or 0xF900 <= cp <= 0xFAFF)


def ui_characters(covered: set[int]) -> list[int]:
    """Printable ASCII and every character of the app's own text that the font has (no Hanja)."""
    found: set[int] = set(range(0x20, 0x7F))
    for pattern in TEXT_SOURCES:
        for path in ROOT.glob(pattern):
            if ".venv" not in path.parts:
                found.update(ord(ch) for ch in path.read_text(encoding="utf-8") if ord(ch) >= 0xA0)
    return sorted(cp for cp in found & covered if not is_hanja(cp))


def chunks(items: list[int], size: int) -> list[list[int]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def plan(covered: set[int]) -> list[tuple[str, list[int]]]:
    """Name and code points of every slice, in the order their rules are written (``ui`` last)."""
    others = sorted(cp for cp in covered if cp not in HANGUL and not is_hanja(cp))
    syllables = sorted(set(HANGUL) & covered)
    slices = [("latin", [cp for cp in others if cp < 0x0250]),
              ("symbols", [cp for cp in others if cp >= 0x0250])]
    size = -(-len(syllables) // HANGUL_SLICES)
    slices += [(f"hangul-{n:02d}", part) for n, part in enumerate(chunks(syllables, size), 1)]
    slices.append(("ui", ui_characters(covered)))
    return slices


def unicode_range(codepoints: list[int]) -> str:
    """``U+AC00-AC03,U+AC10`` for a sorted list of code points."""
    spans: list[list[int]] = []
    for cp in codepoints:
        if spans and cp == spans[-1][1] + 1:
            spans[-1][1] = cp
        else:
            spans.append([cp, cp])
    return ",".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in spans)


def rename(font: TTFont, weight: int) -> None:
    """Give the slice its own family name (OFL: reserved names stay with the original)."""
    style = "Bold" if weight == 700 else "Regular"
    names = font["name"]
    keep = {0, 7, 8, 9, 11, 12, 13, 14}  # copyright, trademark, maker, designer, URLs, licence
    names.names = [record for record in names.names if record.nameID in keep]
    for name_id, value in ((1, FAMILY), (2, style), (3, f"{FAMILY} {style}; subset of NanumGothic"),
                           (4, f"{FAMILY} {style}"), (6, f"JudgingGothic-{style}")):
        names.setName(value, name_id, 3, 1, 0x409)


def cut(source: Path, weight: int, name: str, codepoints: list[int]) -> Path:
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False  # the devices that download these render Hangul unhinted anyway
    options.desubroutinize = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = ["*"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    rename(font, weight)
    target = OUT_FONTS / f"{FILE_STEM}-{weight}-{name}.woff2"
    subset.save_font(font, str(target), options)
    return target


def fetch_debian_package(into: Path) -> Path:
    subprocess.run(["apt-get", "download", "fonts-nanum"], cwd=into, check=True)
    package = next(into.glob("fonts-nanum_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(package), str(into / "x")], check=True)
    return into / "x" / "usr" / "share" / "fonts" / "truetype" / "nanum"


def write_css(rules: list[str], version: str) -> None:
    header = (f"/* Generated by scripts/build_web_fonts.py from NanumGothic {version} (SIL OFL 1.1, see\n"
              "   ../fonts/OFL.txt); do not edit. Named after the system Korean fonts in app.css, so a device\n"
              "   that has one downloads nothing; others fetch only the slices their page uses. */\n")
    OUT_CSS.write_text(header + "\n".join(rules) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="folder holding NanumGothic.ttf and NanumGothicBold.ttf")
    args = parser.parse_args(argv)
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # the hinting sources it drops
    with tempfile.TemporaryDirectory() as scratch:
        source = args.source or fetch_debian_package(Path(scratch))
        for old in OUT_FONTS.glob(f"{FILE_STEM}-*.woff2"):
            old.unlink()
        OUT_FONTS.mkdir(parents=True, exist_ok=True)
        rules = []
        version = ""
        for weight, filename in WEIGHTS.items():
            original = TTFont(source / filename, lazy=True)
            version = re.sub(r"^Version\s*", "", original["name"].getDebugName(5) or "").split(";")[0]
            for name, codepoints in plan(set(original.getBestCmap())):
                target = cut(source / filename, weight, name, codepoints)
                rules.append(
                    f'@font-face {{ font-family: "{FAMILY}"; font-style: normal; font-weight: {weight}; '
                    f'font-display: swap;\n  src: url("../fonts/{target.name}") format("woff2");\n'
                    f"  unicode-range: {unicode_range(codepoints)}; }}")
                print(f"{target.relative_to(ROOT)}: {len(codepoints)} characters, {target.stat().st_size:,} bytes")
        licence = Path(__file__).resolve().parent.parent / "judging" / "fonts" / "OFL.txt"
        shutil.copyfile(licence, OUT_FONTS / "OFL.txt")
        write_css(rules, version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
