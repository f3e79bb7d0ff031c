"""Fonts of the documents: one family list per role, resolved through fontconfig.

GB/T 9704 sets the title in 小标宋, the body in 仿宋, level-1 headings in 黑体 and
level-2 in 楷体. Committees often have the licensed faces installed; the setting
``DOCUMENT_FONTS`` names them per role, and each role falls back to an open Debian
face that looks right and subsets fast (TrueType, or a CFF face used only for the
few glyphs of a title), then to faces covering CJK Extensions B–G for rare names.
A character no font covers is an error (``MissingGlyph``), never an empty box.
"""

from __future__ import annotations

import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Open defaults, tried after the configured families. Measured with WeasyPrint 70 here
# (bench/documents.py): a title in Noto Serif CJK Bold costs ~0.02 s of subsetting
# (a title has few glyphs); the body stays TrueType.
OPEN_DEFAULTS: dict[str, list[str]] = {
    "title": ["Noto Serif CJK SC"],  # weight 700: a real bold Song (思源宋体 Bold)
    "body": ["AR PL UMing CN"],
    "heading1": ["WenQuanYi Micro Hei"],
    "heading2": ["AR PL UKai CN"],
    # Number tables: plain lining digits (LXGW WenKai's 9 reads like q).
    "table": ["AR PL UMing CN"],
    # Codes and printed links: DejaVu Sans Mono tells 0 from O and 1 from l and I.
    "mono": ["DejaVu Sans Mono", "WenQuanYi Micro Hei Mono"],
}
# The licensed faces a committee usually has, tried first when present.
LICENSED: dict[str, list[str]] = {
    "title": ["方正小标宋简体", "FZXiaoBiaoSong-B05S"],
    "body": ["仿宋_GB2312", "FangSong_GB2312", "仿宋"],
    "heading1": ["黑体", "SimHei"],
    "heading2": ["楷体_GB2312", "KaiTi_GB2312", "楷体"],
    "table": ["仿宋_GB2312", "FangSong_GB2312", "仿宋"],
    "mono": [],
}
# Rare characters (CJK Extension A–G): Debian fonts-hanazono and fonts-babelstone-han.
FALLBACK = ["HanaMinA", "HanaMinB", "BabelStone Han"]

ROLE_LABELS = {
    "title": _("title"),
    "body": _("body"),
    "heading1": _("level-1 heading"),
    "heading2": _("level-2 heading"),
    "table": _("tables"),
    "mono": _("codes and links"),
}
SAMPLE = (
    "江川市人民代表大会常务委员会关于工作评议满意度测评结果的通报一二三〇0123456789〔〕（）：；、。"
)
RARE_SAMPLE = "𠀀䶮赟喆堃"
MONO_SAMPLE = "ABCDEFGHJKMNPQRSTUVWXYZ0123456789:/.?=-_"


@dataclass(frozen=True)
class ResolvedRole:
    role: str
    families: list[str]  # the CSS font-family list, fallbacks included
    family: str | None  # the first installed family of the role
    file: str | None  # its file


def configured(role: str) -> list[str]:
    """The families the deployment named for a role (setting ``DOCUMENT_FONTS``)."""
    value = getattr(settings, "DOCUMENT_FONTS", {}).get(role, "")
    return [f.strip() for f in value.split(",") if f.strip()]


def families(role: str) -> list[str]:
    seen: list[str] = []
    for f in [*configured(role), *LICENSED[role], *OPEN_DEFAULTS[role], *FALLBACK]:
        if f not in seen:
            seen.append(f)
    return seen


def _run(*args: str) -> str:
    try:
        return subprocess.run(
            list(args), capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


WEIGHT_VALUES = {"regular": 80, "bold": 200}


@lru_cache(maxsize=1)
def _installed() -> dict[str, list[tuple[int, int, str]]]:
    """Every installed family (each of its names) with its (weight, file) pairs: one call
    to fontconfig for the whole process."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    listing = _run("fc-list", "--format", "%{family}\t%{weight}\t%{slant}\t%{file}\n")
    for line in listing.splitlines():
        parts = line.split("\t")
        if len(parts) != 4:
            continue
        names, weight, slant, path = parts
        try:
            face = (int(float(weight)), int(float(slant or 0)), path)
        except ValueError:
            continue
        for name in names.split(","):
            out.setdefault(name.strip(), []).append(face)
    return out


@lru_cache(maxsize=256)
def family_file(family: str, weight: str = "regular") -> str | None:
    """The file of an installed family nearest the weight, or None when the family is
    not installed (fontconfig would substitute another; we do not)."""
    faces = _installed().get(family)
    if not faces:
        return None
    target = WEIGHT_VALUES.get(weight, 80)
    # Upright before italic, then the nearest weight.
    return min(faces, key=lambda face: (face[1] != 0, abs(face[0] - target), face[2]))[2]


WEIGHTS = {"title": "bold"}


def resolve(role: str) -> ResolvedRole:
    fams = families(role)
    for family in fams:
        path = family_file(family, WEIGHTS.get(role, "regular"))
        if path:
            return ResolvedRole(role, fams, family, path)
    return ResolvedRole(role, fams, None, None)


@lru_cache(maxsize=64)
def _cmap(path: str, family: str) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    if path.lower().endswith((".ttc", ".otc")):
        for font in TTCollection(path, lazy=True).fonts:
            names = {str(n) for n in font["name"].names if n.nameID in (1, 16)}
            if family in names:
                return frozenset(font.getBestCmap())
        return frozenset(TTCollection(path, lazy=True).fonts[0].getBestCmap())
    return frozenset(TTFont(path, lazy=True).getBestCmap())


def covered_by(family: str) -> frozenset[int]:
    path = family_file(family)
    return _cmap(path, family) if path else frozenset()


def _search_order() -> list[str]:
    """Each role's first installed family, then every other family of every chain: most
    text is covered by the first few, so the big fallback fonts load only when needed."""
    order: list[str] = []
    for role in OPEN_DEFAULTS:
        family = resolve(role).family
        if family and family not in order:
            order.append(family)
    for role in OPEN_DEFAULTS:
        for family in families(role):
            if family not in order:
                order.append(family)
    return order


def _ignorable(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def missing(text: str) -> list[str]:
    """The characters of ``text`` that no document font covers, in order of appearance."""
    left = {ord(ch) for ch in set(text) if not _ignorable(ch)}
    for family in _search_order():
        if not left:
            return []
        left -= covered_by(family)
    return [ch for ch in dict.fromkeys(text) if ord(ch) in left]


def role_missing(role: str, text: str) -> list[str]:
    """Characters the role's chosen font lacks (others of the chain may still cover them)."""
    r = resolve(role)
    covered = _cmap(r.file, r.family) if r.family and r.file else frozenset()
    return [ch for ch in dict.fromkeys(text) if ord(ch) not in covered and not _ignorable(ch)]


def css_family(role: str) -> str:
    return ", ".join(f'"{f}"' for f in families(role)) + ", serif"


def clear_caches() -> None:
    _installed.cache_clear()
    family_file.cache_clear()
    _cmap.cache_clear()
