"""Every kind of official document, read back as a clerk would (GB/T 9704-2012)."""

import datetime as dt

import pytest

from appraisal.documents import MissingGlyph, fonts
from appraisal.documents.official import Annex, Block, Head, official_pdf
from tests.documents import pdfcheck
from tests.documents.pdfcheck import MM

RARE = "𠀀䶮赟喆堃"
TITLE = "关于江川市人大常委会2026年度工作评议满意度测评结果的通报"
BODY = (
    "2026年3月4日，江川市第十七届人大常委会第二十次会议以无记名投票方式对市住房和城乡建设局"
    "等4个部门的工作进行满意度测评，常委会组成人员和部分市人大代表参加测评。现将测评结果通报如下。"
)


def head(kind: str) -> Head:
    return Head(
        kind=kind,
        title=TITLE if kind != "report" else "关于市住房和城乡建设局工作情况的报告",
        date=dt.date(2026, 3, 5),
        letterhead=""
        if kind in ("report", "attachment")
        else "江川市人大常委会工作评议领导小组办公室",
        number_text="江人常评〔2026〕3号",
        addressees="各被评议单位，各评议工作组",
        signatory="江川市人大常委会工作评议领导小组办公室",
        author="江川市人民代表大会常务委员会",
        copy_to="市人大常委会主任会议成员，市人民政府办公室",
        printed_by="江川市人大常委会办公室",
        public=True,
    )


def blocks() -> list[Block]:
    return [
        Block("p", BODY),
        Block("h1", "一、测评情况"),
        Block("h2", "（一）到会情况"),
        Block("p", f"常委会组成人员应到25人，实到23人。联系人：王{RARE}。"),
        Block("h3", "1. 选票"),
        Block(
            "table", header=["单位", "满意", "满意率"], rows=[["市住房和城乡建设局", 15, "65.22%"]]
        ),
    ]


@pytest.mark.parametrize("kind", ["notice", "report", "opinion", "attachment"])
def test_each_kind_reads_back_with_its_parts(kind):
    h = head(kind)
    pdf = official_pdf(
        head=h,
        blocks=blocks(),
        annexes=[Annex("测评结果汇总表", [Block("p", "见表。")])] if kind == "notice" else None,
    )
    text = pdfcheck.flat(pdf)
    for part in (
        h.title,
        h.number_text,
        "各被评议单位，各评议工作组：",
        h.signatory,
        "2026年3月5日",
    ):
        assert part in text, part
    assert RARE in text  # the rare characters print, from the fallback font
    if kind in ("notice", "opinion"):
        assert "抄送：市人大常委会主任会议成员，市人民政府办公室。" in text
        assert "2026年3月5日印发" in text and "（此件公开发布）" in text
    if kind == "notice":
        assert "附件：测评结果汇总表" in text
    info = pdfcheck.info(pdf)
    assert info["Page size"].startswith("595.") and "841.8" in info["Page size"]  # A4
    assert info["Title"] == h.title and info["Author"] == h.author
    assert info["CreationDate"].startswith("2026-03-05")  # the document's date, not today
    assert info["Tagged"] == "yes"
    fonts_used = pdfcheck.fonts(pdf)
    assert fonts_used and all(f["emb"] == "yes" and f["uni"] == "yes" for f in fonts_used)


def test_the_text_block_sits_where_gb_t_9704_puts_it():
    h = head("notice")
    pdf = official_pdf(head=h, blocks=[Block("p", BODY * 12)])
    words = pdfcheck.words(pdf)
    page1 = [w for w in words if w.page == 1]
    page2 = [w for w in words if w.page == 2]
    assert page2, "the body should run onto a second page"
    # Odd page: binding margin 28 mm on the left, the block 156 mm wide.
    assert abs(min(w.x0 for w in page1) - 28 * MM) < 1 * MM
    assert abs(max(w.x1 for w in page1 if "—" not in w.text) - 184 * MM) < 1 * MM
    # Even page: mirrored, the binding margin on the right.
    assert abs(min(w.x0 for w in page2 if "—" not in w.text) - 26 * MM) < 1 * MM
    assert abs(max(w.x1 for w in page2 if "—" not in w.text) - 182 * MM) < 1 * MM
    # Top: 37 mm (the second page has no letterhead; its first line starts the block).
    body2 = [w for w in page2 if "—" not in w.text and not w.text.isdigit()]
    first_line = min(w.y0 for w in body2)
    assert 37 * MM - 1 * MM < first_line < 37 * MM + 3 * MM  # half the line's leading
    # Bottom: nothing of the body below 37 + 225 = 262 mm.
    assert max(w.y1 for w in body2) < 262 * MM + 1 * MM
    # Page number "— 2 —": its line starts 7 mm below the block (the glyph box that
    # pdftotext reports starts a little lower, by the font's internal leading).
    number = [w for w in page2 if w.text == "2"]
    assert number and 269 * MM - 1 * MM < number[0].y0 < 269 * MM + 3 * MM
    assert number[0].x0 < 105 * MM
    number1 = [w for w in page1 if w.text == "1" and w.y0 > 262 * MM]
    assert number1 and number1[0].x0 > 105 * MM


def test_a_line_holds_28_characters():
    pdf = official_pdf(head=head("report"), blocks=[Block("p", "测" * 200)])
    lines = [ln.strip() for ln in pdfcheck.text(pdf).splitlines() if set(ln.strip()) == {"测"}]
    # The first line is indented two characters; the others hold the full 28.
    assert max(len(ln) for ln in lines) == 28


def test_a_character_no_font_has_is_an_error_naming_it(monkeypatch):
    monkeypatch.setattr(fonts, "FALLBACK", [])
    h = head("notice")
    h.addressees = "市𠀀区人民政府"
    with pytest.raises(MissingGlyph) as e:
        official_pdf(head=h, blocks=blocks()[:1])
    assert "𠀀" in e.value.message and "U+20000" in e.value.message
    assert "addressees" in e.value.message


def test_the_signature_never_stands_alone_on_a_page():
    # Enough text to fill page 1 to its last line: the signature must take text with it.
    for n in range(18, 24):
        pdf = official_pdf(head=head("report"), blocks=[Block("p", "测" * 28 * n)])
        pages = pdfcheck.text(pdf).split("\f")
        for page in pages:
            if "江川市人大常委会工作评议领导小组办公室" in page.replace(" ", ""):
                assert "测" in page, f"signature alone on a page with {n} lines"


def test_the_archive_variant_is_pdf_a():
    pdf = official_pdf(head=head("notice"), blocks=blocks()[:1], archive=True)
    meta = pdfcheck.xmp(pdf)
    assert "pdfaid" in meta and "3" in meta.split("pdfaid:part")[1][:8]
    assert "各被评议单位" in pdfcheck.flat(pdf)


def test_no_ascii_space_is_left_for_justification_to_stretch():
    from appraisal.documents.official import cjk_text

    assert cjk_text("（常委会组成人员 0.6、人大代表 0.4）") == "（常委会组成人员0.6、人大代表0.4）"
    assert cjk_text("PDF/A file") == "PDF/A file"
