"""The parts of an official document after GB/T 9704-2012, ready for the templates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import combinations, pairwise
from typing import Any

from appraisal.documents.models import IssuedDocument, IssuingSettings


def chinese_date(date: dt.date) -> str:
    """成文日期: Arabic numerals, the year in full, no padding (2026年3月5日)."""
    return f"{date.year}年{date.month}月{date.day}日"


_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")


def cjk_text(text: str) -> str:
    """Chinese text without the ASCII spaces that justification would stretch (常委会组成人员 0.6
    → 常委会组成人员0.6); spaces between Latin words stay."""
    return _SPACE_BY_CJK.sub("", text)


DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三, 105 → 一百零五, 110 → 一百一十, 10001 → 一万零一:
    heading numbers 一、 and （一）, any count a ledger or an opinion reaches. Past 99,999,999
    (or below 0) the digits themselves."""
    if n < 0 or n >= 100_000_000:
        return str(n)
    if n < 10:
        return DIGITS[n]
    if n < 20:  # 十, 十一 … 十九: no 一 before 十 at the start
        return "十" + (DIGITS[n - 10] if n > 10 else "")
    high, low = divmod(n, 10_000)
    if high:
        head = chinese_number(high) + "万"
        if not low:
            return head
        return head + ("零" if low < 1000 else "") + _below_ten_thousand(low)
    return _below_ten_thousand(low)


def _below_ten_thousand(n: int) -> str:
    """1–9999 with 千, 百, 十 and a single 零 for each run of missing places."""
    out, gap = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if gap and out else "") + DIGITS[digit] + unit
            gap = False
        else:
            gap = True
    return out


# A title in 二号 (22 pt) fills 156 mm with 20 characters; Latin letters and digits take
# about half a character.
TITLE_CHARS = 20.0


def _width(text: str) -> float:
    return sum(0.55 if ord(c) < 0x2E80 else 1.0 for c in text)


def title_in_lines(*segments: str, chars: float = TITLE_CHARS) -> str:
    """A title from pieces that must not be split across lines (GB/T 9704: 回行时词意完整):
    each line is filled with whole pieces, the lines joined by "\n" (printed as line
    breaks, read as one title everywhere else). A piece wider than a line still wraps."""
    lines: list[str] = []
    line = ""
    for piece in segments:
        if line and _width(line + piece) > chars:
            lines.append(line)
            line = piece
        else:
            line += piece
    lines.append(line)
    if len(lines) > 1 and len(segments) <= 12:
        # As many lines as filling them gives, but as even as the pieces allow (a title is
        # set as a trapezoid or a diamond, not a full line over a stub such as 的意见).
        best = lines
        for cuts in combinations(range(1, len(segments)), len(lines) - 1):
            bounds = [0, *cuts, len(segments)]
            trial = ["".join(segments[a:b]) for a, b in pairwise(bounds)]
            widest = max(_width(t) for t in trial)
            if widest <= chars and widest < max(_width(t) for t in best):
                best = trial
        lines = best
    return "\n".join(lines)


# Where a title may turn to a new line without splitting a word: after 关于, after the
# committee's name, after the year's 年度工作评议 or 年度, and before 的 or the document
# type (实施方案, 通知, 通报, 报告, 意见).
_TITLE_BREAKS = re.compile(
    r"(?<=关于)|(?<=常委会)|(?=\d{4}年)|(?<=年度工作评议)|(?<=年度)(?!工作评议)|(?=的)"
    r"|(?<!年度)(?=工作评议)|(?<=开展)|(?<=召开)|(?<=局)|(?=问卷调查)"
    r"|(?=实施方案$)|(?=(?:通知|通报|报告|意见|公告)$)"
)


def title_pieces(text: str) -> list[str]:
    """A title cut where a line may turn between words: after 关于, 开展, 召开, the
    committee, a bureau (…局), the year; before 工作评议, 问卷调查, 的 or the document type."""
    return [p for p in _TITLE_BREAKS.split(text) if p]


def title_of(text: str, chars: float = TITLE_CHARS) -> str:
    """A title someone typed, in lines broken only between words when it is longer than a
    line."""
    return title_in_lines(*title_pieces(text), chars=chars)


@dataclass
class Head:
    """What frames a document: 版头, 主送, 署名 and date, 附注 and 版记."""

    title: str
    date: dt.date
    kind: str = IssuedDocument.Kind.NOTICE
    letterhead: str = ""
    number_text: str = ""
    addressees: str = ""
    signatory: str = ""
    author: str = ""
    copy_to: str = ""
    printed_by: str = ""
    public: bool = False
    draft_note: str = ""  # e.g. 未发布稿: printed instead of a number
    attachments: list[str] = field(default_factory=list)

    @property
    def title_display(self) -> str:
        """The title as printed: its own line breaks, else broken between words."""
        return self.title if "\n" in self.title else title_of(self.title)

    @property
    def date_text(self) -> str:
        return chinese_date(self.date)

    @property
    def title_text(self) -> str:
        """The title on one line (metadata, lists, file names)."""
        return self.title.replace("\n", "")

    @property
    def letterhead_pt(self) -> float:
        # As large as 36 pt, but never wider than the 156 mm text block.
        return round(min(36.0, 430.0 / max(1, len(self.letterhead))), 1)

    @property
    def imprint(self) -> bool:
        return bool(self.copy_to or self.printed_by)


def head_for(
    *,
    settings: IssuingSettings,
    title: str,
    date: dt.date,
    issued: IssuedDocument | None = None,
    kind: str = IssuedDocument.Kind.NOTICE,
    attachments: list[str] | None = None,
    draft_note: str = "",
) -> Head:
    """A head from the issue record when the document was issued (so it re-renders the
    same), else from the current settings."""
    source: Any = issued if issued is not None else settings
    return Head(
        title=issued.title if issued is not None else title,
        date=issued.date if issued is not None else date,
        kind=kind,
        letterhead=issued.letterhead if issued is not None else settings.letterhead,
        number_text=issued.number_text if issued is not None else "",
        addressees=source.addressees,
        signatory=source.signatory,
        author=issued.committee_name if issued is not None else settings.committee_name,
        copy_to=source.copy_to,
        printed_by=source.printed_by,
        public=source.public,
        draft_note=draft_note,
        attachments=attachments or [],
    )


@dataclass
class Block:
    """A piece of body text: ``h1`` 一、, ``h2`` （一）, ``h3`` 1., ``p`` or ``table``.

    A table's ``columns`` name each column's kind: ``name`` (left, wraps, 30 %), ``text``
    (left, wraps), ``num`` (figures, never wrap) or ``""`` (centred). Without them the
    first column is a name and the others figures."""

    kind: str
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    keep: bool = False  # a short table kept on one page with its heading

    def cells(self) -> list[list[tuple[str, Any]]]:
        """Each row as (column kind, value) pairs, for the template."""
        out = []
        for row in self.rows:
            kinds = self.columns or ["name", *["num"] * (len(row) - 1)]
            out.append([(kinds[i] if i < len(kinds) else "", v) for i, v in enumerate(row)])
        return out


@dataclass
class Annex:
    """附件: on a page of its own; ``landscape`` for a table wider than the portrait block."""

    title: str
    blocks: list[Block]
    landscape: bool = False


def official_pdf(
    *, head: Head, blocks: list[Block], annexes: list[Annex] | None = None, archive: bool = False
) -> bytes:
    """Render a document of ``head.kind`` (notice, report, opinion, attachment)."""
    from appraisal.documents.pdf import pdf_bytes

    annexes = annexes or []
    if annexes and not head.attachments:
        head.attachments = [a.title for a in annexes]
    return pdf_bytes(
        f"documents/official/{head.kind}.html",
        {"head": head, "blocks": blocks, "annexes": annexes},
        archive=archive,
    )


@dataclass
class Part:
    """One document of a packet, as ``official_pdf`` would print it alone."""

    head: Head
    blocks: list[Block]
    annexes: list[Annex] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.annexes and not self.head.attachments:
            self.head.attachments = [a.title for a in self.annexes]

    @property
    def template(self) -> str:
        return f"documents/official/{self.head.kind}.html"


def packet_pdf(
    *, title: str, subtitle: str, author: str, date: dt.date, parts: list[Part]
) -> bytes:
    """Several documents in one PDF, for a meeting: a cover with their list, then each
    document from a right-hand page, numbered on through the packet ("— 1 —" is the first
    page of the first document; the cover and blank backs carry no number)."""
    from appraisal.documents.pdf import pdf_bytes

    return pdf_bytes(
        "documents/official/packet.html",
        {
            "title": title,
            "title_text": title.replace("\n", ""),
            "subtitle": subtitle,
            "author": author,
            "date": date,
            "date_text": chinese_date(date),
            "parts": parts,
            "contents": [(chinese_number(n), p.head.title_text) for n, p in enumerate(parts, 1)],
        },
    )
