"""A small writer of HWPX, the OWPML package (KS X 6101) that 한글 (Hancom Office Hangul 2014 and
later, Hancom Docs, and the Hangul viewer) opens as its own document.

Only what official paperwork needs: A4 portrait paragraphs in a few character and paragraph
shapes, and grid tables (a header row repeated on each page, cells that span). Built with the
standard library: ``zipfile`` for the package and escaped XML text for the parts, so no binary or
run-time dependency comes in. The package holds, as 한글 writes them:

``mimetype`` (stored first, uncompressed) · ``version.xml`` · ``META-INF/container.xml`` (points at
the OPF package) · ``META-INF/manifest.xml`` · ``Contents/content.hpf`` (metadata, manifest, spine)
· ``Contents/header.xml`` (fonts, border fills, character, tab and paragraph shapes, styles) ·
``Contents/section0.xml`` (page set-up and the body) · ``settings.xml`` · ``Preview/PrvText.txt``
(the plain-text preview file managers show).

Korean text wraps between words (어절): every paragraph shape sets ``breakNonLatinWord="KEEP_WORD"``.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

__all__ = ["Cell", "HwpxDocument", "MM", "Para", "Table"]

MM = 7200 / 25.4                   # HWPUNIT (1/7200 inch) per millimetre
PAGE_W, PAGE_H = 59528, 84186      # A4 portrait, as 한글 writes it
MARGIN_LR, MARGIN_TOP, MARGIN_BOTTOM = 8504, 5668, 4252
CONTENT_W = PAGE_W - 2 * MARGIN_LR

NS = {
    "ha": "http://www.hancom.co.kr/hwpml/2011/app",
    "hp": "http://www.hancom.co.kr/hwpml/2011/paragraph",
    "hp10": "http://www.hancom.co.kr/hwpml/2016/paragraph",
    "hs": "http://www.hancom.co.kr/hwpml/2011/section",
    "hc": "http://www.hancom.co.kr/hwpml/2011/core",
    "hh": "http://www.hancom.co.kr/hwpml/2011/head",
    "hhs": "http://www.hancom.co.kr/hwpml/2011/history",
    "hm": "http://www.hancom.co.kr/hwpml/2011/master-page",
    "hpf": "http://www.hancom.co.kr/schema/2011/hpf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "opf": "http://www.idpf.org/2007/opf/",
    "ooxmlchart": "http://www.hancom.co.kr/hwpml/2016/ooxmlchart",
    "hwpunitchar": "http://www.hancom.co.kr/hwpml/2016/HwpUnitChar",
    "epub": "http://www.idpf.org/2007/ops",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
}
XMLNS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>'

# Character shapes: (height in 1/100 pt, bold).
CHAR_SHAPES = {"body": (1000, False), "title": (1800, True), "subtitle": (1100, False), "heading": (1100, True),
               "small": (850, False), "strong": (1000, True)}
# Paragraph shapes: (horizontal alignment, space after in HWPUNIT).
PARA_SHAPES = {"body": ("JUSTIFY", 0), "center": ("CENTER", 0), "right": ("RIGHT", 0), "left": ("LEFT", 0),
               "heading": ("LEFT", 0)}
BORDER_NONE, BORDER_GRID = 1, 2
FONT = "나눔명조"  # the certificates' and PDFs' face; 한글 substitutes its own Myeongjo if absent


def _ids(names: dict) -> dict[str, int]:
    return {name: i for i, name in enumerate(names)}


CHAR_ID = _ids(CHAR_SHAPES)
PARA_ID = _ids(PARA_SHAPES)


@dataclass(frozen=True)
class Para:
    """One paragraph: text in one character shape (``CHAR_SHAPES``), aligned by ``PARA_SHAPES``."""

    text: str
    char: str = "body"
    align: str = "body"


@dataclass(frozen=True)
class Cell:
    paras: tuple[Para, ...]
    col_span: int = 1
    row_span: int = 1

    @classmethod
    def of(cls, text: str, char: str = "body", align: str = "left", col_span: int = 1) -> Cell:
        lines = text.split("\n") if text else [""]
        return cls(tuple(Para(line, char, align) for line in lines), col_span=col_span)


@dataclass(frozen=True)
class Table:
    """A grid table: ``rows`` of cells over columns of ``widths`` (HWPUNIT, summing to the table's
    width); the first ``header_rows`` rows repeat on every page. ``height`` is a row's least height."""

    widths: tuple[int, ...]
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int = 1
    height: int = 1600
    align: str = "left"


@dataclass
class HwpxDocument:
    title: str
    blocks: list[Para | Table] = field(default_factory=list)
    created: dt.datetime | None = None

    def add(self, *blocks: Para | Table) -> None:
        self.blocks.extend(blocks)

    def text(self) -> str:
        """The document's text, one paragraph a line (tables cell by cell): the preview file."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Para):
                lines.append(block.text)
            else:
                for row in block.rows:
                    lines.append("\t".join(" ".join(p.text for p in cell.paras) for cell in row))
        return "\r\n".join(lines)

    def to_bytes(self) -> bytes:
        """The HWPX package."""
        created = (self.created or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            # The mimetype comes first and uncompressed, so the type can be read at a fixed offset.
            z.writestr(zipfile.ZipInfo("mimetype", (1980, 1, 1, 0, 0, 0)), "application/hwp+zip",
                       compress_type=zipfile.ZIP_STORED)
            for name, data in (
                ("version.xml", _version()),
                ("Contents/header.xml", _header()),
                ("Contents/section0.xml", _Section().render(self.blocks)),
                ("Preview/PrvText.txt", self.text()[:1024]),
                ("settings.xml", _settings()),
                ("Contents/content.hpf", _content(self.title, created)),
                ("META-INF/container.xml", _container()),
                ("META-INF/manifest.xml", _manifest()),
            ):
                z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=zipfile.ZIP_DEFLATED)
        return buf.getvalue()


# --- the package parts ---------------------------------------------------------------------------

def _version() -> str:
    return (DECL + '<hv:HCFVersion xmlns:hv="http://www.hancom.co.kr/hwpml/2011/version" '
            'tagetApplication="WORDPROCESSOR" major="5" minor="1" micro="1" buildNumber="0" os="1" '
            'xmlVersion="1.5" application="Hancom Office Hangul" appVersion="13, 0, 0, 0"/>')


def _container() -> str:
    return (DECL + '<ocf:container xmlns:ocf="urn:oasis:names:tc:opendocument:xmlns:container" '
            'xmlns:hpf="http://www.hancom.co.kr/schema/2011/hpf"><ocf:rootfiles>'
            '<ocf:rootfile full-path="Contents/content.hpf" media-type="application/hwpml-package+xml"/>'
            '<ocf:rootfile full-path="Preview/PrvText.txt" media-type="text/plain"/>'
            '</ocf:rootfiles></ocf:container>')


def _manifest() -> str:
    return DECL + '<odf:manifest xmlns:odf="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'


def _settings() -> str:
    return (DECL + f'<ha:HWPApplicationSetting xmlns:ha="{NS["ha"]}" xmlns:config="{NS["config"]}">'
            '<ha:CaretPosition listIDRef="0" paraIDRef="0" pos="0"/></ha:HWPApplicationSetting>')


def _content(title: str, created: str) -> str:
    meta = "".join(f'<opf:meta name="{name}" content="text">{escape(value)}</opf:meta>'
                   for name, value in (("creator", "judging"), ("lastsaveby", "judging"),
                                       ("CreatedDate", created), ("ModifiedDate", created)))
    return (DECL + f'<opf:package {XMLNS} version="" unique-identifier="" id="">'
            f'<opf:metadata><opf:title>{escape(title)}</opf:title><opf:language>ko</opf:language>{meta}'
            '</opf:metadata><opf:manifest>'
            '<opf:item id="header" href="Contents/header.xml" media-type="application/xml"/>'
            '<opf:item id="section0" href="Contents/section0.xml" media-type="application/xml"/>'
            '<opf:item id="settings" href="settings.xml" media-type="application/xml"/>'
            '</opf:manifest><opf:spine><opf:itemref idref="header" linear="yes"/>'
            '<opf:itemref idref="section0" linear="yes"/></opf:spine></opf:package>')


LANGS = ("HANGUL", "LATIN", "HANJA", "JAPANESE", "OTHER", "SYMBOL", "USER")
LANG_ATTRS = ("hangul", "latin", "hanja", "japanese", "other", "symbol", "user")


def _per_lang(value: int) -> str:
    return " ".join(f'{a}="{value}"' for a in LANG_ATTRS)


def _border_fill(ident: int, kind: str) -> str:
    sides = "".join(f'<hh:{side}Border type="{kind}" width="0.12 mm" color="#000000"/>'
                    for side in ("left", "right", "top", "bottom"))
    return (f'<hh:borderFill id="{ident}" threeD="0" shadow="0" centerLine="NONE" breakCellSeparateLine="0">'
            '<hh:slash type="NONE" Crooked="0" isCounter="0"/><hh:backSlash type="NONE" Crooked="0" isCounter="0"/>'
            f'{sides}<hh:diagonal type="SOLID" width="0.1 mm" color="#000000"/></hh:borderFill>')


def _char_pr(ident: int, height: int, bold: bool) -> str:
    return (f'<hh:charPr id="{ident}" height="{height}" textColor="#000000" shadeColor="none" useFontSpace="0" '
            f'useKerning="0" symMark="NONE" borderFillIDRef="{BORDER_NONE}">'
            f'<hh:fontRef {_per_lang(0)}/><hh:ratio {_per_lang(100)}/><hh:spacing {_per_lang(0)}/>'
            f'<hh:relSz {_per_lang(100)}/><hh:offset {_per_lang(0)}/>' + ("<hh:bold/>" if bold else "")
            + '<hh:underline type="NONE" shape="SOLID" color="#000000"/><hh:strikeout shape="NONE" color="#000000"/>'
            '<hh:outline type="NONE"/><hh:shadow type="NONE" color="#B2B2B2" offsetX="10" offsetY="10"/></hh:charPr>')


def _para_pr(ident: int, align: str, after: int) -> str:
    margin = "".join(f'<hc:{name} value="{after if name == "next" else 0}" unit="HWPUNIT"/>'
                     for name in ("intent", "left", "right", "prev", "next"))
    return (f'<hh:paraPr id="{ident}" tabPrIDRef="0" condense="0" fontLineHeight="0" snapToGrid="1" '
            'suppressLineNumbers="0" checked="0">'
            f'<hh:align horizontal="{align}" vertical="BASELINE"/><hh:heading type="NONE" idRef="0" level="0"/>'
            '<hh:breakSetting breakLatinWord="KEEP_WORD" breakNonLatinWord="KEEP_WORD" widowOrphan="0" '
            'keepWithNext="0" keepLines="0" pageBreakBefore="0" lineWrap="BREAK"/>'
            '<hh:autoSpacing eAsianEng="0" eAsianNum="0"/>'
            f'<hh:margin>{margin}</hh:margin><hh:lineSpacing type="PERCENT" value="160" unit="HWPUNIT"/>'
            f'<hh:border borderFillIDRef="{BORDER_NONE}" offsetLeft="0" offsetRight="0" offsetTop="0" '
            'offsetBottom="0" connect="0" ignoreMargin="0"/></hh:paraPr>')


def _header() -> str:
    fonts = "".join(f'<hh:fontface lang="{lang}" fontCnt="1"><hh:font id="0" face="{FONT}" type="TTF" '
                    'isEmbedded="0"/></hh:fontface>' for lang in LANGS)
    chars = "".join(_char_pr(CHAR_ID[name], h, b) for name, (h, b) in CHAR_SHAPES.items())
    paras = "".join(_para_pr(PARA_ID[name], a, s) for name, (a, s) in PARA_SHAPES.items())
    return (DECL + f'<hh:head {XMLNS} version="1.4" secCnt="1">'
            '<hh:beginNum page="1" footnote="1" endnote="1" pic="1" tbl="1" equation="1"/><hh:refList>'
            f'<hh:fontfaces itemCnt="{len(LANGS)}">{fonts}</hh:fontfaces>'
            f'<hh:borderFills itemCnt="2">{_border_fill(BORDER_NONE, "NONE")}{_border_fill(BORDER_GRID, "SOLID")}'
            '</hh:borderFills>'
            f'<hh:charProperties itemCnt="{len(CHAR_SHAPES)}">{chars}</hh:charProperties>'
            '<hh:tabProperties itemCnt="1"><hh:tabPr id="0" autoTabLeft="0" autoTabRight="0"/></hh:tabProperties>'
            f'<hh:paraProperties itemCnt="{len(PARA_SHAPES)}">{paras}</hh:paraProperties>'
            '<hh:styles itemCnt="1"><hh:style id="0" type="PARA" name="바탕글" engName="Normal" paraPrIDRef="0" '
            'charPrIDRef="0" nextStyleIDRef="0" langID="1042" lockForm="0"/></hh:styles>'
            '</hh:refList><hh:compatibleDocument targetProgram="HWP201X"><hh:layoutCompatibility/>'
            '</hh:compatibleDocument><hh:docOption><hh:linkinfo path="" pageInherit="0" footnoteInherit="0"/>'
            '</hh:docOption><hh:trackchageConfig flags="56"/></hh:head>')


SEC_PR = (
    '<hp:secPr id="" textDirection="HORIZONTAL" spaceColumns="1134" tabStop="8000" tabStopVal="4000" '
    'tabStopUnit="HWPUNIT" outlineShapeIDRef="0" memoShapeIDRef="0" textVerticalWidthHead="0" masterPageCnt="0">'
    '<hp:grid lineGrid="0" charGrid="0" wonggojiFormat="0"/>'
    '<hp:startNum pageStartsOn="BOTH" page="0" pic="0" tbl="0" equation="0"/>'
    '<hp:visibility hideFirstHeader="0" hideFirstFooter="0" hideFirstMasterPage="0" border="SHOW_ALL" '
    'fill="SHOW_ALL" hideFirstPageNum="0" hideFirstEmptyLine="0" showLineNumber="0"/>'
    '<hp:lineNumberShape restartType="0" countBy="0" distance="0" startNumber="0"/>'
    f'<hp:pagePr landscape="WIDELY" width="{PAGE_W}" height="{PAGE_H}" gutterType="LEFT_ONLY">'
    f'<hp:margin header="4252" footer="4252" gutter="0" left="{MARGIN_LR}" right="{MARGIN_LR}" '
    f'top="{MARGIN_TOP}" bottom="{MARGIN_BOTTOM}"/></hp:pagePr>'
    '<hp:footNotePr><hp:autoNumFormat type="DIGIT" userChar="" prefixChar="" suffixChar=")" supscript="0"/>'
    '<hp:noteLine length="-1" type="SOLID" width="0.12 mm" color="#000000"/>'
    '<hp:noteSpacing betweenNotes="283" belowLine="567" aboveLine="850"/>'
    '<hp:numbering type="CONTINUOUS" newNum="1"/><hp:placement place="EACH_COLUMN" beneathText="0"/>'
    '</hp:footNotePr><hp:endNotePr>'
    '<hp:autoNumFormat type="DIGIT" userChar="" prefixChar="" suffixChar=")" supscript="0"/>'
    '<hp:noteLine length="14692344" type="SOLID" width="0.12 mm" color="#000000"/>'
    '<hp:noteSpacing betweenNotes="0" belowLine="567" aboveLine="850"/>'
    '<hp:numbering type="CONTINUOUS" newNum="1"/><hp:placement place="END_OF_DOCUMENT" beneathText="0"/>'
    '</hp:endNotePr>'
    + "".join(f'<hp:pageBorderFill type="{kind}" borderFillIDRef="{BORDER_NONE}" textBorder="PAPER" '
              'headerInside="0" footerInside="0" fillArea="PAPER">'
              '<hp:offset left="1417" right="1417" top="1417" bottom="1417"/></hp:pageBorderFill>'
              for kind in ("BOTH", "EVEN", "ODD"))
    + '</hp:secPr><hp:ctrl><hp:colPr id="" type="NEWSPAPER" layout="LEFT" colCount="1" sameSz="1" sameGap="0"/>'
    '</hp:ctrl>'
)


class _Section:
    """Renders the body; paragraph and table ids are numbered in document order."""

    def __init__(self) -> None:
        self.next_id = 0

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def para(self, p: Para, inner: str = "", first: bool = False) -> str:
        head = SEC_PR if first else ""
        text = f"<hp:t>{escape(p.text)}</hp:t>" if p.text else "<hp:t/>"
        return (f'<hp:p id="{self._id()}" paraPrIDRef="{PARA_ID[p.align]}" styleIDRef="0" pageBreak="0" '
                f'columnBreak="0" merged="0"><hp:run charPrIDRef="{CHAR_ID[p.char]}">{head}{inner}{text}'
                '</hp:run></hp:p>')

    def table(self, t: Table, first: bool = False) -> str:
        if sum(t.widths) > CONTENT_W + 2:
            raise ValueError(f"table wider than the page: {sum(t.widths)} > {CONTENT_W}")
        n_cols = len(t.widths)
        rows_xml = []
        occupied: set[tuple[int, int]] = set()
        for r, row in enumerate(t.rows):
            cells = []
            c = 0
            for cell in row:
                while (r, c) in occupied:
                    c += 1
                if c + cell.col_span > n_cols:
                    raise ValueError(f"row {r} has more cells than the table's {n_cols} columns")
                for dr in range(cell.row_span):
                    for dc in range(cell.col_span):
                        occupied.add((r + dr, c + dc))
                width = sum(t.widths[c:c + cell.col_span])
                body = "".join(self.para(p) for p in cell.paras)
                cells.append(
                    f'<hp:tc name="" header="{1 if r < t.header_rows else 0}" hasMargin="0" protect="0" '
                    f'editable="0" dirty="0" borderFillIDRef="{BORDER_GRID}">'
                    '<hp:subList id="" textDirection="HORIZONTAL" lineWrap="BREAK" vertAlign="CENTER" '
                    'linkListIDRef="0" linkListNextIDRef="0" textWidth="0" textHeight="0" hasTextRef="0" '
                    f'hasNumRef="0">{body}</hp:subList><hp:cellAddr colAddr="{c}" rowAddr="{r}"/>'
                    f'<hp:cellSpan colSpan="{cell.col_span}" rowSpan="{cell.row_span}"/>'
                    f'<hp:cellSz width="{width}" height="{t.height * cell.row_span}"/>'
                    '<hp:cellMargin left="425" right="425" top="141" bottom="141"/></hp:tc>')
                c += cell.col_span
            rows_xml.append("<hp:tr>" + "".join(cells) + "</hp:tr>")
        width = sum(t.widths)
        table = (
            f'<hp:tbl id="{self._id()}" zOrder="0" numberingType="TABLE" textWrap="TOP_AND_BOTTOM" '
            'textFlow="BOTH_SIDES" lock="0" dropcapstyle="None" pageBreak="CELL" '
            f'repeatHeader="{1 if t.header_rows else 0}" rowCnt="{len(t.rows)}" colCnt="{n_cols}" cellSpacing="0" '
            f'borderFillIDRef="{BORDER_GRID}" noAdjust="0">'
            f'<hp:sz width="{width}" widthRelTo="ABSOLUTE" height="{t.height * len(t.rows)}" '
            'heightRelTo="ABSOLUTE" protect="0"/>'
            '<hp:pos treatAsChar="1" affectLSpacing="0" flowWithText="1" allowOverlap="0" holdAnchorAndSO="0" '
            'vertRelTo="PARA" horzRelTo="COLUMN" vertAlign="TOP" horzAlign="LEFT" vertOffset="0" horzOffset="0"/>'
            '<hp:outMargin left="0" right="0" top="0" bottom="0"/>'
            '<hp:inMargin left="425" right="425" top="141" bottom="141"/>'
            + "".join(rows_xml) + "</hp:tbl>"
        )
        return self.para(Para("", "body", t.align), inner=table, first=first)

    def render(self, blocks: Sequence[Para | Table]) -> str:
        parts = []
        for i, block in enumerate(blocks or [Para("")]):
            if isinstance(block, Table):
                parts.append(self.table(block, first=i == 0))
            else:
                parts.append(self.para(block, first=i == 0))
        return DECL + f"<hs:sec {XMLNS}>" + "".join(parts) + "</hs:sec>"

