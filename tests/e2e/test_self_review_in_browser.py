"""The self-review on a phone (390 px): the version comparison reads as the two versions
one under the other with their labels, and short cells of the versions table stay on one
line."""

from io import StringIO

import pytest
from django.core.management import call_command

from appraisal.models import Appraisal, Campaign
from demo.campaign import DEMO_PASSWORD as PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    # Two versions of 市住建局's self-review: returned, then accepted.
    call_command("load_demo", through="rectification", stdout=StringIO())
    settings.DEBUG = False
    campaign = Campaign.objects.get(year=2026)
    return Appraisal.objects.get(campaign=campaign, unit__name="市住房和城乡建设局")


def test_the_diff_reads_on_a_phone(demo, page_for, live_server):
    page = page_for("group1", PASSWORD, mobile=True)
    page.goto(f"{live_server.url}/appraisals/{demo.pk}/self-review/diff/")
    cells = page.locator("table.diff td")
    assert cells.count() > 0
    shown = page.evaluate(
        """() => [...document.querySelectorAll('table.diff td')]
            .filter(td => getComputedStyle(td).display !== 'none')
            .map(td => ({display: getComputedStyle(td).display,
                         width: td.getBoundingClientRect().width,
                         label: getComputedStyle(td, '::before').content}))"""
    )
    assert shown
    for cell in shown:
        # Each version's text in one block as wide as the card, under its label.
        assert cell["display"] == "block"
        assert cell["width"] > 280
        assert "第" in cell["label"] and "稿" in cell["label"]
    pieces = page.evaluate(
        """() => [...document.querySelectorAll('table.diff ins, table.diff del')]
            .map(e => e.getBoundingClientRect().width)"""
    )
    assert pieces and all(w > 0 for w in pieces)


def test_the_diff_is_side_by_side_on_a_wide_screen(demo, page_for, live_server):
    page = page_for("group1", PASSWORD)
    page.goto(f"{live_server.url}/appraisals/{demo.pk}/self-review/diff/")
    assert page.locator("table.diff thead th").first.is_visible()
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('table.diff td')).display")
        == "table-cell"
    )


def test_short_cells_of_the_versions_table_stay_on_one_line(demo, page_for, live_server):
    page = page_for("unit1", PASSWORD, mobile=True)
    page.goto(f"{live_server.url}/appraisals/{demo.pk}/self-review/")
    lines = page.evaluate(
        """() => [...document.querySelectorAll(
                'table.compact tbody td:first-child a, table.compact tbody td .nowrap')]
            .map(e => e.getClientRects().length)"""
    )
    assert lines and all(n == 1 for n in lines), lines
    assert page.locator("table.compact tbody td .nowrap").count() >= 4
