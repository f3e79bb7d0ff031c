"""Reading a PDF the way a clerk would: its text, fonts, page size, where the text sits,
and what its QR codes say (poppler's tools and zxing-cpp)."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4


def _run(args: list[str], pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(
            [*args, f.name, *(["-"] if args[0] in ("pdftotext",) else [])],
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def text(pdf: bytes, *, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return _run(["pdftotext", "-layout", "-enc", "UTF-8", *pages], pdf)


def flat(pdf: bytes) -> str:
    """The text with every space and line break removed (Chinese lines wrap anywhere)."""
    return re.sub(r"\s+", "", _run(["pdftotext", "-enc", "UTF-8"], pdf))


def info(pdf: bytes) -> dict[str, str]:
    out = {}
    for line in _run(["pdfinfo", "-isodates"], pdf).splitlines():
        key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


def xmp(pdf: bytes) -> str:
    return _run(["pdfinfo", "-meta"], pdf)


def fonts(pdf: bytes) -> list[dict[str, str]]:
    rows = _run(["pdffonts"], pdf).splitlines()[2:]
    out = []
    for row in rows:
        parts = row.split()
        # name, type…, encoding, emb, sub, uni, object id, generation
        out.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return out


@dataclass
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def words(pdf: bytes) -> list[Word]:
    html = _run(["pdftotext", "-bbox", "-enc", "UTF-8"], pdf)
    out: list[Word] = []
    page = 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',
            line,
        )
        if m:
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            out.append(Word(page, x0, y0, x1, y1, m.group(5)))
    return out


def qr_payloads(pdf: bytes, *, dpi: int = 150) -> list[str]:
    """Every QR code on every page, decoded from a rendering of the page."""
    import zxingcpp
    from PIL import Image

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "doc.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), str(path), str(Path(d) / "p")], check=True
        )
        found: list[str] = []
        for png in sorted(Path(d).glob("p-*.png")):
            with Image.open(png) as image:
                found += [
                    r.text
                    for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
                ]
        return found
