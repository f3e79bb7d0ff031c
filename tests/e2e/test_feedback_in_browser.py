"""Feedback in the browser, on the demo: deputy30, whose finding an opinion item of unit1
rests on, sees the item built on it closed on their page and in their notifications; the
member of the public sees the closure on the receipt page, on a phone."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from rectification.ledger.demo import feedback_receipt_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pingyi-demo"
CLOSED = "物业投诉超期未答复45件"
NOTE = "经现场核查，整改到位。"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    for command in ("load_demo", "load_demo_opinions", "load_demo_ledger"):
        call_command(command, stdout=StringIO())
    settings.DEBUG = False
    return feedback_receipt_code()


def test_the_raisers_see_the_closure(demo, page_for, browser, live_server):
    deputy = page_for("deputy30", PASSWORD)
    deputy.goto(f"{live_server.url}/deputy/")
    mine = deputy.locator("#mine")
    expect(mine).to_contain_text(CLOSED)
    expect(mine).to_contain_text("已销号")
    expect(mine).to_contain_text(NOTE)
    deputy.get_by_role("link", name="查看通知").click()
    notices = deputy.locator("#notices")
    expect(notices).to_contain_text(CLOSED)
    expect(notices.locator(".badge-new")).to_have_count(1)
    deputy.get_by_role("button", name="全部标为已读").click()
    expect(deputy.locator("#notices .badge-new")).to_have_count(0)
    expect(deputy.locator("#notices")).to_contain_text(CLOSED)

    context = browser.new_context(viewport={"width": 390, "height": 844})
    public = context.new_page()
    public.goto(f"{live_server.url}/opinion/status/")
    public.fill("#id_code", demo)
    public.get_by_role("button", name="查询").click()
    feedback = public.locator(".feedback")
    expect(feedback).to_contain_text(CLOSED)
    expect(feedback).to_contain_text(NOTE)
    # Readable on a phone: nothing wider than the screen.
    assert public.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
