"""Self-review, investigation report and appraisal opinion in the browser, as the demo
users: unit1 submits, group1 returns with a comment, unit1 resubmits, group1 accepts;
group1 drafts its report, leaves a prominent finding out with a reason, two deputies
sign; the office accepts it and issues the opinion; unit1 acknowledges it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from appraisal.models import Appraisal, Campaign
from rectification.models import AppraisalOpinion
from surveys.models import Finding
from tests.pdftext import pdf_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pingyi-demo"
SECTIONS = {
    "basics": "本局内设科室12个。",
    "achievements": "完成老旧小区改造46个。",
    "problems": "物业服务监管不到位。",
    "causes": "监管手段不多。",
    "measures": "建立限时办结制度。",
    "fixed": "已清理超期投诉45件。",
}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False
    Campaign.objects.filter(year=2026).update(phase=Campaign.Phase.SELF_REVIEW)
    appraisal = Appraisal.objects.get(campaign__year=2026, unit__name="市住房和城乡建设局")
    for text, prominent in [("窗口排队时间长", False), ("违规收取物业保证金", True)]:
        Finding.objects.create(
            appraisal=appraisal,
            source="activity",
            text=text,
            topic="service",
            status="verified",
            prominent=prominent,
            verified_at=timezone.now(),
        )
    return appraisal


def answer_forwarded(page):
    """The demo may forward findings to the unit: every one needs an answer first."""
    for form in page.locator("form:has(input[name=finding])").all():
        form.locator("select").select_option("accepted")
        form.locator("textarea").fill("已制定整改方案。")
        form.get_by_role("button", name="保存答复").click()


def approve(head, url):
    head.goto(url)
    head.get_by_role("button", name="审定本稿").click()
    expect(head.locator(".msg-success")).to_contain_text("已审定")


def test_self_review_report_and_opinion(demo, page_for, live_server):
    pk = demo.pk
    url = f"{live_server.url}/appraisals/{pk}/self-review/"
    unit = page_for("unit1", PASSWORD, mobile=True)
    unit.goto(f"{live_server.url}/appraisals/{pk}/")
    unit.get_by_role("link", name="自查自评报告").click()
    for key, text in SECTIONS.items():
        unit.fill(f"#id_{key}", text)
    unit.get_by_role("button", name="保存草稿").click()
    expect(unit.locator(".msg-success")).to_contain_text("草稿已保存")
    unit.goto(f"{live_server.url}/appraisals/{pk}/answers/")
    answer_forwarded(unit)

    head = page_for("unit1head", PASSWORD)
    approve(head, url)
    unit.goto(url)
    unit.get_by_role("button", name="报送评议工作组").click()
    expect(unit.locator(".msg-success")).to_contain_text("已报送")

    group = page_for("group1", PASSWORD)
    group.goto(url)
    group.check("#id_decision_1")  # return for revision
    group.fill("#id_comment_problems", "请补充窗口服务方面的问题。")
    group.get_by_role("button", name="提交审核意见").click()
    expect(group.locator(".msg-success")).to_contain_text("审核意见已记录")

    unit.goto(url)
    expect(unit.locator(".warning")).to_contain_text("请补充窗口服务方面的问题。")
    unit.fill("#id_problems", "物业服务监管不到位。\n窗口服务效率不高。")
    unit.get_by_role("button", name="保存草稿").click()
    approve(head, url)
    unit.goto(url)
    unit.fill("#id_note", "补充了窗口服务问题。")
    unit.get_by_role("button", name="报送评议工作组").click()
    expect(unit.locator(".msg-success")).to_contain_text("已报送")

    group.goto(url)
    group.get_by_role("link", name="版本对照").click()
    expect(group.locator("ins")).to_have_text("窗口服务效率不高。")
    group.goto(url)
    group.check("#id_decision_0")
    group.get_by_role("button", name="提交审核意见").click()
    expect(group.locator(".pagehead")).to_contain_text("已通过")

    # The investigation report: the prominent finding left out, with a reason.
    report_url = f"{live_server.url}/appraisals/{pk}/report/"
    group.goto(report_url)
    group.get_by_role("button", name="根据调研材料生成初稿（将替换正文）").click()
    prominent = Finding.objects.get(text="违规收取物业保证金")
    # The reason box shows only once the finding is unticked; saving without one is refused.
    expect(group.locator(f"#id_reason_{prominent.pk}")).to_be_hidden()
    group.uncheck(f"#id_include_{prominent.pk}")
    expect(group.locator(f"#id_reason_{prominent.pk}")).to_be_visible()
    group.get_by_role("button", name="保存草稿").first.click()
    expect(group.locator(".field-error")).to_contain_text("略去突出问题须书面说明理由")
    group.fill(f"#id_reason_{prominent.pk}", "已移交纪检监察机关调查。")
    group.get_by_role("button", name="保存草稿").first.click()
    group.get_by_role("button", name="送代表签署").click()
    expect(group.locator(".pagehead")).to_contain_text("签署中")
    for deputy in ("deputy22", "deputy23"):
        page = page_for(deputy, PASSWORD, mobile=True)
        page.goto(report_url)
        page.check("#id_decision_0")
        page.get_by_role("button", name="提交我的意见").click()
        expect(page.locator(".msg-success")).to_contain_text("已记录")
    group.goto(report_url)
    group.get_by_role("button", name="报送办公室").click()
    expect(group.locator(".pagehead")).to_contain_text("已报送办公室")

    office = page_for("office", PASSWORD)
    office.goto(report_url)
    expect(office.locator("body")).to_contain_text("已移交纪检监察机关调查。")
    office.get_by_role("button", name="同意").click()
    expect(office.locator(".pagehead")).to_contain_text("已通过")

    # The opinion, issued in the opinions phase.
    Campaign.objects.filter(year=2026).update(phase=Campaign.Phase.OPINIONS)
    office.goto(f"{live_server.url}/appraisals/{pk}/opinion/")
    office.get_by_role("button", name="保存草稿").click()
    office.fill("#id_problem", "窗口服务效率不高。")
    office.fill("#id_requirement", "推行一次性告知和限时办结。")
    office.locator("form[action$='/opinion/items/'] button").click()
    expect(office.locator(".msg-success")).to_contain_text("条目已增加")
    office.get_by_role("button", name="印发评议意见").click()
    expect(office.locator(".msg-success")).to_contain_text("江人常评〔2026〕1号")

    unit.goto(f"{live_server.url}/appraisals/{pk}/opinion/")
    expect(unit.locator("h1")).to_contain_text("关于对市住房和城乡建设局2026年度工作评议的意见")
    unit.get_by_role("button", name="签收").click()
    expect(unit.locator(".msg-success")).to_contain_text("已签收")
    assert AppraisalOpinion.objects.get().acknowledged_at is not None

    pdf = unit.request.get(f"{live_server.url}/appraisals/{pk}/opinion/pdf/").body()
    text = pdf_text(pdf)
    assert "江人常评〔2026〕1号" in text and "市住房和城乡建设局：" in text
    assert "江川市人大常委会工作评议领导小组办公室" in text and "抄送：" in text
    assert "窗口服务效率不高" in text
