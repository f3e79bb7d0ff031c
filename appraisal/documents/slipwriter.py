"""A direct PDF writer for code slips: 2,000 slips in a few seconds.

WeasyPrint lays out every slip as boxes and lines (~14 ms a slip: 2,000 slips took
~29 s of CPU, minutes on a busy server), though every slip is the same drawing with
another code. Here each page is drawn straight into a PDF content stream (pydyf, which
WeasyPrint itself uses): the text in the document fonts, embedded as subsets
(fontTools) with a ToUnicode map so the text extracts, and each QR code as vector
squares. The fonts are the document layer's (``fonts.py``), with the same fallback
chain and the same refusal of a character no font has.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO

import pydyf
import segno
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from appraisal.documents import fonts

logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
SLIP_W, SLIP_H = 95 * MM, 70 * MM
LEFT, TOP = 10 * MM, 8.5 * MM
PER_PAGE = 8


@lru_cache(maxsize=16)
def _font_number(path: str, family: str) -> int:
    """Which font of a collection (.ttc) is the family; 0 for a single font."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    for i, font in enumerate(TTCollection(path, lazy=True).fonts):
        if family in {str(n) for n in font["name"].names if n.nameID in (1, 16)}:
            return i
    return 0


def _open(path: str, family: str) -> TTFont:
    # Lazy: a CJK font has tens of thousands of glyphs and a slip uses a few dozen.
    return TTFont(path, fontNumber=_font_number(path, family), lazy=True)


@lru_cache(maxsize=16)
def _load(path: str, family: str) -> TTFont:
    return _open(path, family)


@dataclass
class _Font:
    name: str  # resource name, e.g. F1
    family: str
    path: str
    tt: TTFont
    cmap: dict[int, str]
    used: dict[int, int] = field(default_factory=dict)  # gid -> code point

    @property
    def scale(self) -> float:
        return 1000 / self.tt["head"].unitsPerEm

    def width(self, ch: str, size: float) -> float:
        glyph = self.cmap.get(ord(ch))
        if glyph is None:
            return size
        return self.tt["hmtx"][glyph][0] * self.scale * size / 1000

    def encode(self, text: str) -> bytes:
        out = []
        for ch in text:
            gid = self.tt.getGlyphID(self.cmap[ord(ch)])
            self.used.setdefault(gid, ord(ch))
            out.append(gid.to_bytes(2, "big"))
        return b"".join(out)


class _FontSet:
    """The fonts of one role's chain, loaded as text needs them."""

    def __init__(self, role: str, registry: dict[str, _Font]) -> None:
        self.role = role
        self.registry = registry
        self.families = fonts.families(role)
        self._runs: dict[str, list[tuple[_Font, str]]] = {}
        self._shown: dict[tuple[str, float], bytes] = {}

    def _font(self, family: str) -> _Font | None:
        if family in self.registry:
            return self.registry[family]
        path = fonts.family_file(family, fonts.WEIGHTS.get(self.role, "regular"))
        if not path or not path.lower().endswith((".ttf", ".ttc")):
            return None  # CFF faces are for WeasyPrint's titles; slips use TrueType
        tt = _load(path, family)
        font = _Font(f"F{len(self.registry) + 1}", family, path, tt, tt.getBestCmap())
        self.registry[family] = font
        return font

    def runs(self, text: str) -> list[tuple[_Font, str]]:
        cached = self._runs.get(text)
        if cached is not None:
            return cached
        out: list[tuple[_Font, str]] = []
        for ch in text:
            for family in self.families:
                font = self._font(family)
                if font is not None and ord(ch) in font.cmap:
                    break
            else:
                raise LookupError(ch)
            if out and out[-1][0] is font:
                out[-1] = (font, out[-1][1] + ch)
            else:
                out.append((font, ch))
        self._runs[text] = out
        return out

    def shown(self, text: str, size: float) -> bytes:
        """The operators that show ``text`` (fonts, sizes, glyph ids), reused per text."""
        key = (text, size)
        if key not in self._shown:
            self._shown[key] = b"".join(
                b"/%s %g Tf <%s> Tj " % (font.name.encode(), size, font.encode(run).hex().encode())
                for font, run in self.runs(text)
            )
        return self._shown[key]

    def width(self, text: str, size: float) -> float:
        return sum(f.width(ch, size) for f, run in self.runs(text) for ch in run)

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        lines, line, w = [], "", 0.0
        for ch in text:
            cw = self.width(ch, size)
            if line and w + cw > width:
                lines.append(line)
                line, w = "", 0.0
            line += ch
            w += cw
        if line:
            lines.append(line)
        return lines


def _text(stream: pydyf.Stream, fs: _FontSet, text: str, x: float, y: float, size: float) -> None:
    """One line at (x, y): y is the baseline, from the top of the page."""
    stream.stream.append(b"BT 1 0 0 1 %.2f %.2f Tm %s ET" % (x, PAGE_H - y, fs.shown(text, size)))


def _qr(stream: pydyf.Stream, data: str, x: float, y: float, side: float) -> None:
    """The QR code as squares in module units (one transformation per code), with a quiet
    zone of two modules each side; runs of dark modules in a row are one rectangle."""
    qr = segno.make_qr(data, error="m", mask=2, boost_error=False)
    rows = list(qr.matrix)
    module = side / (len(rows) + 4)
    parts = [b"q %.4f 0 0 %.4f %.2f %.2f cm" % (module, module, x, PAGE_H - y - side)]
    height = len(rows) + 4
    for r, row in enumerate(rows):
        c, n = 0, len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                parts.append(b"%d %d %d 1.01 re" % (start + 2, height - r - 3, c - start))
            else:
                c += 1
    parts.append(b"f Q")
    stream.stream.append(b"\n".join(parts))


@dataclass(frozen=True)
class SlipText:
    title: str
    subtitle: str
    kind_label: str
    entry_label: str
    entry_url: str
    hint: str


def write(text: SlipText, slips: Sequence[tuple[str, str]], *, doc_title: str) -> bytes:
    """The PDF of ``slips`` ((code, what its QR holds), …), eight to an A4 page."""
    registry: dict[str, _Font] = {}
    body, heading, mono = (
        _FontSet("body", registry),
        _FontSet("heading1", registry),
        _FontSet("mono", registry),
    )
    inner = SLIP_W - 8 * MM
    right_w = SLIP_W - 45 * MM
    entry_lines = body.wrap(text.entry_label, 8, right_w)
    url_lines = mono.wrap(text.entry_url, 8.5, right_w)
    hint_lines = body.wrap(text.hint, 8, inner)
    title_lines = (
        heading.wrap(text.title, 10, inner)[:1] + heading.wrap(text.subtitle, 10, inner)[:2]
    )
    code_size = 20.0

    pdf = pydyf.PDF()
    pages = []
    for first in range(0, len(slips), PER_PAGE):
        stream = pydyf.Stream(compress=True)
        stream.set_line_width(0.6)
        stream.set_dash([3, 2], 0)
        for i, (code, payload) in enumerate(slips[first : first + PER_PAGE]):
            x = LEFT + (i % 2) * SLIP_W
            y = TOP + (i // 2) * SLIP_H
            stream.set_color_rgb(0.33, 0.33, 0.33, stroke=True)
            stream.rectangle(x, PAGE_H - y - SLIP_H, SLIP_W, SLIP_H)
            stream.stroke()
            stream.set_color_rgb(0, 0, 0)
            line_y = y + 4 * MM + 10
            for line in title_lines:
                _text(stream, heading, line, x + 4 * MM, line_y, 10)
                line_y += 13
            _qr(stream, payload, x + 3 * MM, y + 17 * MM, 36 * MM)
            rx, ry = x + 41 * MM, y + 19 * MM + 9
            _text(stream, body, text.kind_label, rx, ry, 9)
            ry += 7 * MM
            _text(stream, mono, code, rx, ry, code_size)
            ry += 5.5 * MM
            for line in entry_lines:
                _text(stream, body, line, rx, ry, 8)
                ry += 11
            for line in url_lines:
                _text(stream, mono, line, rx, ry, 8.5)
                ry += 11
            hy = y + SLIP_H - 4 * MM - (len(hint_lines) - 1) * 11
            for line in hint_lines:
                _text(stream, body, line, x + 4 * MM, hy, 8)
                hy += 11
        pages.append(stream)

    font_refs = {f.name: _embed(pdf, f) for f in registry.values()}
    resources = pydyf.Dictionary({"Font": pydyf.Dictionary(font_refs)})
    pdf.add_object(resources)
    for stream in pages:
        pdf.add_object(stream)
        page = pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": pdf.pages.reference,
                "MediaBox": pydyf.Array([0, 0, PAGE_W, PAGE_H]),
                "Contents": stream.reference,
                "Resources": resources.reference,
            }
        )
        pdf.add_page(page)
    pdf.info["Title"] = pydyf.String(doc_title)
    pdf.info["Producer"] = pydyf.String("Pingyi")
    pdf.catalog["Lang"] = pydyf.String("zh-CN")
    out = BytesIO()
    pdf.write(out, compress=True)
    return out.getvalue()


def _subset(path: str, family: str, gids: list[int]) -> bytes:
    """The font cut down to ``gids`` (ids kept): HarfBuzz through WeasyPrint's own binding
    (~0.05 s), else fontTools (~1 s for a CJK font)."""
    try:
        return _harfbuzz_subset(path, _font_number(path, family), gids)
    except Exception:  # an older HarfBuzz without hb-subset: fontTools does the same
        options = subset.Options()
        options.retain_gids = True
        options.notdef_outline = True
        options.name_IDs = ["*"]
        options.layout_features = []
        options.hinting = False
        sub = subset.Subsetter(options)
        sub.populate(gids=gids)
        tt = _open(path, family)
        sub.subset(tt)
        out = BytesIO()
        tt.save(out)
        return out.getvalue()


_HB_DECLARED = False


def _harfbuzz_subset(path: str, index: int, gids: list[int]) -> bytes:
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

    global _HB_DECLARED
    if not _HB_DECLARED:
        ffi.cdef(
            "hb_blob_t * hb_blob_create_from_file (const char *file_name);"
            "hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);"
        )
        _HB_DECLARED = True
    blob = ffi.gc(harfbuzz.hb_blob_create_from_file(path.encode()), harfbuzz.hb_blob_destroy)
    face = ffi.gc(harfbuzz.hb_face_create(blob, index), harfbuzz.hb_face_destroy)
    request = ffi.gc(
        harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy
    )
    glyphs = harfbuzz_subset.hb_subset_input_glyph_set(request)
    harfbuzz.hb_set_add_sorted_array(
        glyphs, ffi.new(f"hb_codepoint_t[{len(gids)}]", gids), len(gids)
    )
    harfbuzz_subset.hb_subset_input_set_flags(
        request,
        harfbuzz_subset.HB_SUBSET_FLAGS_RETAIN_GIDS
        | harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
        | harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE,
    )
    result = harfbuzz_subset.hb_subset_or_fail(face, request)
    if result == ffi.NULL:
        raise RuntimeError("HarfBuzz could not subset " + path)
    result = ffi.gc(result, harfbuzz.hb_face_destroy)
    out_blob = ffi.gc(harfbuzz.hb_face_reference_blob(result), harfbuzz.hb_blob_destroy)
    length = ffi.new("unsigned int *")
    data = harfbuzz.hb_blob_get_data(out_blob, length)
    if not length[0]:
        raise RuntimeError("HarfBuzz returned an empty font for " + path)
    return bytes(ffi.unpack(data, int(length[0])))


def _embed(pdf: pydyf.PDF, font: _Font) -> str:
    """A Type0 font over a CIDFontType2 subset, glyph ids kept, with widths and a
    ToUnicode map so that the printed text extracts."""
    data = _subset(font.path, font.family, sorted({0, *font.used}))
    file = pydyf.Stream([data], {"Length1": len(data)}, compress=True)
    pdf.add_object(file)
    head, hhea = font.tt["head"], font.tt["hhea"]
    scale = font.scale
    base = "PYSUBS+" + "".join(ch for ch in font.family if ch.isalnum())[:30]
    descriptor = pydyf.Dictionary(
        {
            "Type": "/FontDescriptor",
            "FontName": "/" + base,
            "Flags": 4,
            "FontBBox": pydyf.Array(
                [int(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
            ),
            "ItalicAngle": 0,
            "Ascent": int(hhea.ascent * scale),
            "Descent": int(hhea.descent * scale),
            "CapHeight": int(hhea.ascent * scale),
            "StemV": 80,
            "FontFile2": file.reference,
        }
    )
    pdf.add_object(descriptor)
    widths = pydyf.Array()
    hmtx = font.tt["hmtx"]
    order = font.tt.getGlyphOrder()
    for gid in sorted(font.used):
        widths.extend([gid, pydyf.Array([int(hmtx[order[gid]][0] * scale)])])
    cid = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/CIDFontType2",
            "BaseFont": "/" + base,
            "CIDSystemInfo": pydyf.Dictionary(
                {
                    "Registry": pydyf.String("Adobe"),
                    "Ordering": pydyf.String("Identity"),
                    "Supplement": 0,
                }
            ),
            "FontDescriptor": descriptor.reference,
            "W": widths,
            "CIDToGIDMap": "/Identity",
        }
    )
    pdf.add_object(cid)
    cmap_lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    items = sorted(font.used.items())
    for start in range(0, len(items), 100):
        chunk = items[start : start + 100]
        cmap_lines.append(f"{len(chunk)} beginbfchar")
        for gid, cp in chunk:
            cmap_lines.append(f"<{gid:04X}> <{chr(cp).encode('utf-16-be').hex().upper()}>")
        cmap_lines.append("endbfchar")
    cmap_lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    to_unicode = pydyf.Stream(["\n".join(cmap_lines).encode()], compress=True)
    pdf.add_object(to_unicode)
    type0 = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/Type0",
            "BaseFont": "/" + base,
            "Encoding": "/Identity-H",
            "DescendantFonts": pydyf.Array([cid.reference]),
            "ToUnicode": to_unicode.reference,
        }
    )
    pdf.add_object(type0)
    return type0.reference
