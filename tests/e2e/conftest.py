"""Browser tests: headless Chromium (Debian's package) driven by Playwright.

``.ci/run`` installs chromium, so in CI a missing browser fails the run; on a
developer machine without it these tests are skipped with the reason.
"""

import os
import shutil
from io import StringIO

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# under one unless told it is safe (the test thread does no async work of its own).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run should install it")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_for(browser, live_server):
    """``page_for(username, password, mobile=False)``: a signed-in page on the live server."""
    contexts = []

    def _page(username, password, *, mobile=False):
        size = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900}
        context = browser.new_context(viewport=size, locale="en-US")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit].primary")
        page.wait_for_load_state()
        return page

    yield _page
    for context in contexts:
        context.close()


@pytest.fixture
def demo(settings):
    """The demo campaign in its investigation phase (``load_demo`` without ``--through``;
    its loader wants DEBUG on)."""
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False
