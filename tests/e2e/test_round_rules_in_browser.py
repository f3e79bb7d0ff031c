"""The round form and the results in the browser: a preset fills the rule in visibly before
saving, a threshold is typed as 2/3, and both pages read at phone and desktop widths."""

import shutil
from fractions import Fraction
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from appraisal.models import Campaign, ScoringRound

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pingyi-demo"
SHOTS = Path("/tmp/pingyi-shots")


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False


def shoot(page, tmp_path, name):
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)


def no_sideways_scroll(page):
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1 && !e.closest('.table-wrap')).slice(0, 5)"
        ".map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), wide


@pytest.mark.parametrize("width", [390, 1366])
def test_preset_fills_the_rule_before_saving(demo, browser, live_server, tmp_path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    campaign = Campaign.objects.get(year=2026)
    page.goto(f"{live_server.url}/office/campaigns/{campaign.pk}/rounds/new/")

    # Units and voter groups start ticked.
    boxes = page.locator("input[name=appraisals], input[name=voter_groups]")
    assert boxes.count() > 0
    for box in boxes.all():
        expect(box).to_be_checked()
    # With the script, the no-script button is gone.
    expect(page.locator("#apply-preset")).to_have_count(0)

    page.select_option("#id_preset", "tiered_over_half")
    # Filled in, visibly, before anything is saved: 过半数 excludes half.
    expect(page.locator("#id_shape")).to_have_value("tiered")
    expect(page.locator("#id_denominator")).to_have_value("present")
    expect(page.locator("#id_upper_threshold")).to_have_value("0.5")
    expect(page.locator("#id_upper_inclusive")).not_to_be_checked()
    expect(page.locator("#id_lower_inclusive")).not_to_be_checked()
    expect(page.locator("#preset-filled")).to_be_visible()
    assert not ScoringRound.objects.filter(campaign=campaign).exists()
    no_sideways_scroll(page)
    shoot(page, tmp_path, f"round-edit-{width}")

    page.fill("#id_title", "测评（三分之二）")
    page.fill("#id_upper_threshold", "2/3")
    page.fill("#id_unsatisfied_flag", "1/3")
    page.get_by_role("button", name="保存测评").click()
    expect(page.locator(".msg-success")).to_contain_text("测评已保存")
    rnd = ScoringRound.objects.get(campaign=campaign)
    assert rnd.upper_threshold == Fraction(2, 3) and not rnd.upper_inclusive
    assert rnd.unsatisfied_flag == Fraction(1, 3)
    assert rnd.appraisals.count() == campaign.appraisals.count()
    expect(page.locator("ul.rule")).to_contain_text("超过2/3（三分之二）")
    no_sideways_scroll(page)
    shoot(page, tmp_path, f"round-detail-{width}")
    context.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_results_read_at_phone_and_desktop_widths(demo, browser, live_server, tmp_path, width):
    published = ScoringRound.objects.filter(state=ScoringRound.State.PUBLISHED).first()
    assert published is not None
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/results/{published.pk}/")
    expect(page.locator("ul.rule")).to_contain_text("没有有效票的单位不作评定")
    expect(page.locator("table.results")).to_contain_text("%")
    shoot(page, tmp_path, f"results-{width}")
    context.close()
