"""The appraisal meeting in the browser, as the demo users: a round is set up and opened,
deputies vote on phones (one with a QR code), paper ballots are double-entered, the
screen shows turnout, the office closes and publishes, a unit sees its result."""

import contextlib
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from appraisal.models import Ballot, BallotEnvelope, RoundResult, ScoringRound, VotingCode
from demo.campaign import DEMO_PASSWORD as PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def vote_on_phone(page, choice_labels):
    fieldsets = page.locator("fieldset.ballot-unit")
    expect(fieldsets).to_have_count(4)
    for i, label in enumerate(choice_labels):
        fieldsets.nth(i).get_by_text(label, exact=True).click()
    page.get_by_role("button", name="核对我的选择").click()
    expect(page.locator("h1")).to_have_text("核对您的选票")
    page.get_by_role("button", name="确认并提交选票").click()
    expect(page.locator("h1")).to_contain_text("您的选票已计入")


def test_the_appraisal_meeting_end_to_end(demo, page_for, browser, live_server, tmp_path):
    office = page_for("office", PASSWORD)
    office.get_by_role("link", name="测评", exact=True).click()
    office.get_by_role("link", name="新建测评").click()
    office.fill("#id_title", "2026年集中评议会测评")
    for box in office.locator("input[name=appraisals], input[name=voter_groups]").all():
        box.check()
    office.select_option("#id_preset", "rate_80_60")
    office.get_by_role("button", name="保存测评").click()
    expect(office.locator(".msg-success")).to_contain_text("测评已保存")
    rnd = ScoringRound.objects.get(campaign__year=2026)

    # Attendance: 20 of 25 committee members, 50 of 60 deputies; 5 paper ballots for deputies.
    office.locator("input[name$=_present]").nth(0).fill("20")
    office.locator("input[name$=_present]").nth(1).fill("50")
    office.locator("input[name$=_paper_issued]").nth(1).fill("5")
    office.get_by_role("button", name="保存出席人数").click()
    expect(office.locator(".msg-success")).to_contain_text("出席人数已保存")

    office.get_by_role("link", name="一次性测评码（二维码票条）").click()
    office.select_option("#id_voter_group", label="人大代表")
    office.fill("#id_count", "3")
    office.get_by_role("button", name="生成测评码").click()
    expect(office.locator(".msg-success")).to_contain_text("3")
    with office.expect_download() as slips:
        office.get_by_role("link", name="打印未使用的票条（PDF）").click()
    slips_pdf = tmp_path / "slips.pdf"
    slips.value.save_as(slips_pdf)
    assert slips_pdf.read_bytes().startswith(b"%PDF")

    office.goto(f"{live_server.url}{rnd.get_absolute_url()}")
    office.get_by_role("link", name="开始投票").click()
    # The demo campaign is in the investigation phase: opening asks a second confirmation.
    office.get_by_role("button", name="确认").click()
    expect(office.locator(".field-error")).to_contain_text("请勾选")
    office.locator("#id_outside_phase").check()
    office.get_by_role("button", name="确认").click()
    expect(office.locator(".state-open")).to_have_text("投票进行中")

    screen_context = browser.new_context(viewport={"width": 1920, "height": 1080})
    screen = screen_context.new_page()
    screen.goto(f"{live_server.url}/accounts/login/")
    screen.fill("#id_username", "office2")
    screen.fill("#id_password", PASSWORD)
    screen.click("button[type=submit].primary")
    screen.goto(f"{live_server.url}/office/rounds/{rnd.pk}/screen/")
    expect(screen.locator(".screen-number").first).to_contain_text("0")

    # Two deputies with accounts, on phones.
    for username in ("deputy1", "deputy30"):
        phone = page_for(username, PASSWORD, mobile=True)
        phone.get_by_role("link", name=re.compile("现在测评")).click()
        vote_on_phone(phone, ["满意", "满意", "基本满意", "不满意"])
        phone.goto(f"{live_server.url}/vote/{rnd.pk}/")
        expect(phone.locator(".big-message")).to_contain_text("已在本次测评中投过票")

    # One deputy without an account, with a code from a slip.
    code = VotingCode.objects.filter(round=rnd).first().code
    anonymous = browser.new_context(viewport={"width": 390, "height": 844})
    slip_phone = anonymous.new_page()
    slip_phone.goto(f"{live_server.url}/v/{code}/")
    vote_on_phone(slip_phone, ["满意", "基本满意", "基本满意", "不满意"])
    slip_phone.goto(f"{live_server.url}/v/{code}/")
    expect(slip_phone.locator(".big-message")).to_contain_text("已经使用过")
    anonymous.close()

    # The screen polls: turnout moves, no result is shown.
    expect(screen.locator(".screen-number").first).to_contain_text("1", timeout=10_000)
    expect(screen.locator("body")).not_to_contain_text("满意率")
    screen_context.close()
    assert BallotEnvelope.objects.filter(round=rnd).count() == 3  # sealed until the close
    assert not Ballot.objects.filter(round=rnd).exists()

    # Paper ballots for 人大代表, entered by two tellers; they first differ, then agree.
    def enter_tally(page, satisfied):
        page.goto(f"{live_server.url}/office/rounds/{rnd.pk}/tally/")
        page.get_by_role("link", name="人大代表").click()
        for row in range(4):
            page.locator("table.tally tbody tr").nth(row).locator("input").nth(0).fill(
                str(satisfied)
            )
            page.locator("table.tally tbody tr").nth(row).locator("input").nth(2).fill(
                str(5 - satisfied)
            )
        page.get_by_role("button", name="保存我的录入").click()

    enter_tally(office, 4)
    teller2 = page_for("office2", PASSWORD)
    enter_tally(teller2, 3)
    expect(teller2.locator("td .stage-progress").first).to_contain_text("不一致")
    enter_tally(teller2, 4)
    expect(teller2.locator("td .stage-done")).to_have_count(4)

    office.goto(f"{live_server.url}{rnd.get_absolute_url()}")
    office.get_by_role("link", name="结束投票并计票").click()
    expect(office.locator("table.turnout-close")).to_contain_text("人大代表")
    office.get_by_role("button", name="确认").click()
    expect(office.locator(".state").first).to_have_text("已计票，待公布")
    office.get_by_role("link", name="测评结果", exact=True).last.click()
    expect(office.locator("table.results tbody tr")).to_have_count(4)
    expect(office.locator(".warning").first).to_contain_text("尚未公布")
    office.get_by_role("link", name="公布结果").click()
    office.get_by_role("button", name="确认").click()
    rnd.refresh_from_db()
    assert rnd.state == ScoringRound.State.PUBLISHED
    housing = RoundResult.objects.get(round=rnd, appraisal__unit__name="市住房和城乡建设局")
    assert housing.valid == 3 + 5  # three electronic ballots and five paper ones

    # Exports, as the office: the Excel opens, the PDF has Chinese text.
    office.goto(f"{live_server.url}/results/{rnd.pk}/")
    with office.expect_download() as xlsx:
        office.get_by_role("link", name="导出 Excel").click()
    xlsx_path = tmp_path / "results.xlsx"
    xlsx.value.save_as(xlsx_path)
    workbook = load_workbook(xlsx_path)
    names = [row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)]
    assert "市住房和城乡建设局" in names
    with office.expect_download() as pdf:
        office.get_by_role("link", name="导出 PDF").click()
    pdf_path = tmp_path / "results.pdf"
    pdf.value.save_as(pdf_path)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "市住房和城乡建设局" in text and "满意率" in text

    # The unit sees its published result.
    unit = page_for("unit1", PASSWORD)
    expect(unit.locator("main")).to_contain_text("已公布的测评结果")
    expect(unit.locator("main")).to_contain_text("2026年集中评议会测评")


# ---- the meeting day on phones (390 × 844) ----------------------------------------------


def _open_round(rnd_title="2026年集中评议会测评"):
    from appraisal.models import Appraisal, RoundGroup, User, VoterGroup
    from appraisal.scoring import services as scoring
    from appraisal.scoring.rules import PRESETS

    office = User.objects.get(username="office")
    campaign = ScoringRound._meta.get_field("campaign").related_model.objects.get(year=2026)
    rnd = scoring.round_save(
        campaign=campaign,
        actor=office,
        title=rnd_title,
        kind=1,
        appraisals=Appraisal.objects.filter(campaign=campaign),
        voter_groups=VoterGroup.objects.filter(campaign=campaign),
        allow_unknown=False,
        rule=PRESETS["rate_80_60"],
    )
    scoring.round_set_attendance(
        round=rnd,
        actor=office,
        groups={
            rg.pk: {"present": rg.entitled, "paper_issued": 2}
            for rg in RoundGroup.objects.filter(round=rnd)
        },
    )
    return scoring.round_open(round=rnd, actor=office)


def _one_line(locator):
    """Each element's rendered text occupies a single line box."""
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        line = locator.nth(i).evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
        assert box["height"] < 1.5 * line, (locator.nth(i).inner_text(), box, line)


def test_the_meeting_day_on_phones(demo, page_for, live_server):
    rnd = _open_round()

    # deputy22 is a city deputy and in a work group: they land on the work group's page,
    # and the open ballot is at its top.
    phone = page_for("deputy22", PASSWORD, mobile=True)
    expect(phone).to_have_url(re.compile(r"/groups/$"))
    expect(phone.locator(".open-ballots")).to_contain_text("待您参加的测评")
    phone.locator(".open-ballots").get_by_role("link", name=re.compile("现在测评")).click()

    # The ballot at 390 px: no option label wraps, the radio circles are all alike.
    expect(phone.locator("fieldset.ballot-unit")).to_have_count(4)
    _one_line(phone.locator(".option span"))
    sizes = {
        (round(b["width"]), round(b["height"]))
        for b in (r.bounding_box() for r in phone.locator(".option input").all())
    }
    assert len(sizes) == 1, sizes
    for fieldset in phone.locator("fieldset.ballot-unit").all():
        fieldset.get_by_text("基本满意", exact=True).click()
    phone.get_by_role("button", name="核对我的选择").click()
    expect(phone.locator("table.review")).to_contain_text("基本满意")

    # The confirm button is the primary one, 修改选择 is not.
    def background(name):
        return phone.get_by_role("button", name=name).evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )

    assert background("确认并提交选票") == "rgb(181, 25, 31)"
    assert background("修改选择") == "rgb(255, 255, 255)"
    phone.get_by_role("button", name="确认并提交选票").click()
    expect(phone.locator("h1")).to_contain_text("您的选票已计入")

    # Back after voting shows nothing of the choices: the review page was never stored.
    # Chromium may answer with its own "resubmit the form?" error page: that is fine.
    with contextlib.suppress(PlaywrightError):
        phone.go_back()
    body = phone.locator("body").inner_text()
    assert "基本满意" not in body and "核对您的选票" not in body, body
    phone.goto(f"{live_server.url}/groups/")
    expect(phone.locator(".open-ballots")).to_contain_text("已投票")

    # Blind double entry by two tellers on phones.
    def enter(page, satisfied):
        page.goto(f"{live_server.url}/office/rounds/{rnd.pk}/tally/")
        page.get_by_role("link", name="人大代表").click()
        for row in page.locator("table.tally tbody tr").all():
            row.locator("input").nth(0).fill(str(satisfied))
            row.locator("input").nth(2).fill(str(2 - satisfied))
        page.get_by_role("button", name="保存我的录入").click()

    teller1 = page_for("office", PASSWORD, mobile=True)
    teller1.goto(f"{live_server.url}/office/rounds/{rnd.pk}/tally/")
    teller1.get_by_role("link", name="人大代表").click()
    expect(teller1.locator(".tally-compare .stage-todo").first).to_have_text("待录入")
    expect(teller1.locator(".hint").first).not_to_contain_text("不了解")
    enter(teller1, 1)
    teller2 = page_for("office2", PASSWORD, mobile=True)
    teller2.goto(f"{live_server.url}/office/rounds/{rnd.pk}/tally/")
    teller2.get_by_role("link", name="人大代表").click()
    expect(teller2.locator(".tally-compare .stage-todo").first).to_have_text("待第二人录入")
    expect(teller2.locator(".tally-compare table.numbers")).to_have_count(0)
    assert teller2.locator("table.tally input").nth(0).input_value() == "0"
    enter(teller2, 2)
    expect(teller2.locator(".tally-compare .stage-progress").first).to_contain_text("不一致")
    expect(teller2.locator(".tally-compare table.numbers").first).to_be_visible()
    # Both rows of numbers fit a 390 px phone: no column cut off at the card's edge.
    overflow = teller2.evaluate(
        "() => [...document.querySelectorAll('.table-wrap:has(.tally-compare)')]"
        ".map(w => w.scrollWidth - w.clientWidth)"
    )
    assert overflow and max(overflow) <= 0, overflow
    enter(teller2, 1)
    expect(teller2.locator(".tally-compare .stage-done")).to_have_count(4)
    expect(teller2.locator(".tally-compare .stage-done").first).to_have_text("一致")

    # The round's page on a phone: attendance and turnout fit the card, no label is cut.
    teller2.goto(f"{live_server.url}/office/rounds/{rnd.pk}/")
    overflow = teller2.evaluate(
        "() => [...document.querySelectorAll("
        "'.table-wrap:has(.attendance), table.turnout, .attendance td')]"
        ".map(e => e.scrollWidth - e.clientWidth)"
    )
    assert overflow and max(overflow) <= 0, overflow
    expect(teller2.locator(".attendance .weight-inline").first).to_be_visible()

    # The close confirmation shows the turnout; the results read right on a phone.
    teller2.goto(f"{live_server.url}/office/rounds/{rnd.pk}/closed/confirm/")
    expect(teller2.locator("table.turnout-close tbody tr")).to_have_count(2)
    expect(teller2.locator("main")).to_contain_text("投票率偏低")
    teller2.get_by_role("button", name="确认").click()
    expect(teller2.locator(".state").first).to_have_text("已计票，待公布")
    teller2.goto(f"{live_server.url}/results/{rnd.pk}/")
    expect(teller2.locator(".unit-result thead").first).to_be_visible()
    expect(teller2.locator("table.results td[data-label='得分']")).to_have_count(0)
    expect(teller2.locator("table.results td[data-label='满意率']").first).to_be_visible()
    expect(teller2.locator(".unit-result .legend-total").first).to_contain_text("收回")
    # Every column of a unit's per-group counts, the base included, fits the phone.
    overflow = teller2.evaluate(
        "() => [...document.querySelectorAll('.table-wrap:has(table.per-group)')]"
        ".map(w => w.scrollWidth - w.clientWidth)"
    )
    assert overflow and max(overflow) <= 0, overflow
