"""Limits on the public behind a reverse proxy: the client address, the sign-in lockout, the
opinion limit, the questionnaire link's ceiling; and the counters under concurrent requests."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from appraisal.client_ip import client_address
from appraisal.models import AuditEvent
from surveys.findings import services
from surveys.models import Finding, Response, Survey
from surveys.questionnaires import services as survey_services
from tests.appraisal.test_ballot_concurrency import race
from tests.factories import PASSWORD
from tests.surveys.test_questionnaires import build

pytestmark = pytest.mark.django_db

PROXY = "10.9.9.9"
ALICE, BOB = "203.0.113.5", "198.51.100.7"


def via_proxy(client_ip, claimed=""):
    """What the app receives from one proxy that appends the address it saw."""
    chain = f"{claimed}, {client_ip}" if claimed else client_ip
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, via_proxy(ALICE), PROXY),  # no proxy configured: the header is not trusted
        (1, via_proxy(ALICE), ALICE),
        (1, via_proxy(ALICE, claimed=BOB), ALICE),  # a forged leftmost entry is ignored
        (2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{BOB}, {ALICE}, 10.0.0.2"}, ALICE),
        (1, {"REMOTE_ADDR": PROXY}, PROXY),  # reached the app without the proxy
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-address"}, PROXY),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": " 2001:db8::1 "}, "2001:db8::1"),
    ],
)
def test_the_client_address_is_the_entry_the_trusted_proxies_added(
    settings, proxies, meta, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(RequestFactory().get("/", **meta)) == expected


def test_axes_uses_the_client_address():
    assert settings.AXES_CLIENT_IP_CALLABLE == "appraisal.client_ip.client_address"


def sign_in(client, username, password, meta):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def test_wrong_passwords_behind_a_proxy_lock_that_client_only(world, one_proxy):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "deputy", "wrong-password", via_proxy(ALICE))
    assert sign_in(Client(), "deputy", PASSWORD, via_proxy(ALICE)).status_code == 429
    # Forging another address in front does not unlock the same client...
    assert sign_in(Client(), "deputy", PASSWORD, via_proxy(ALICE, claimed=BOB)).status_code == 429
    # ...and the same account from another client behind the same proxy signs in.
    assert sign_in(Client(), "deputy", PASSWORD, via_proxy(BOB)).status_code == 302


def test_the_opinion_limit_counts_each_client_behind_the_proxy(world, one_proxy):
    url = reverse("surveys:public_opinion")
    data = {"appraisal": world.appraisal_a.pk, "text": "办事大厅空调坏了很久", "contact": ""}
    for _ in range(services.PUBLIC_LIMIT_PER_HOUR):
        assert Client().post(url, data, **via_proxy(ALICE)).status_code == 302
    assert Client().post(url, data, **via_proxy(ALICE)).status_code == 429
    assert Client().post(url, data, **via_proxy(ALICE, claimed=BOB)).status_code == 429
    assert Client().post(url, data, **via_proxy(BOB)).status_code == 302
    assert Finding.objects.count() == services.PUBLIC_LIMIT_PER_HOUR + 1


def answer_data(q):
    return {
        f"q{q['sat'].pk}": "满意",
        f"q{q['rate'].pk}": "4",
        f"q{q['multi'].pk}": ["排队久"],
        f"q{q['text'].pk}": "",
    }


def test_a_meeting_hall_on_one_address_answers_a_public_link(world, one_proxy):
    survey, q = build(world)
    url = reverse("surveys:answer", args=[survey.token])
    assert survey.link_limit_per_hour >= 100  # generous by default
    hall = via_proxy(ALICE)
    for _ in range(10):  # ten people, ten phones, one Wi-Fi
        assert Client().post(url, answer_data(q), **hall).status_code == 200
    assert Response.objects.count() == 10
    # One answer per browser stays.
    phone = Client()
    assert phone.post(url, answer_data(q), **hall).status_code == 200
    assert phone.get(url, **hall).status_code == 409
    assert phone.post(url, answer_data(q), **hall).status_code == 409
    assert Response.objects.count() == 11


def test_the_owner_sets_the_ceiling_and_a_refused_visitor_is_told_before_the_form(
    world, login, one_proxy
):
    survey, q = build(world)
    share = reverse("surveys:survey_share", args=[survey.pk])
    office = login(world.leader)
    assert office.post(share, {"link_limit_per_hour": "٠"}).status_code == 200  # form error
    assert office.post(share, {"link_limit_per_hour": "2"}).status_code == 302
    survey.refresh_from_db()
    assert survey.link_limit_per_hour == 2
    assert AuditEvent.objects.filter(
        action="surveys.survey.link_limit_changed", actor=world.leader, data={"from": 300, "to": 2}
    ).exists()
    # Changing the ceiling is allowed after answers came in (it is not the questionnaire).
    url = reverse("surveys:answer", args=[survey.token])
    for _ in range(2):
        assert Client().post(url, answer_data(q), **via_proxy(ALICE)).status_code == 200
    third = Client().get(url, **via_proxy(ALICE))
    assert third.status_code == 409
    html = third.content.decode()
    assert "一小时" in html and f'name="q{q["sat"].pk}"' not in html  # no form to fill in
    assert Client().post(url, answer_data(q), **via_proxy(ALICE)).status_code == 409
    assert Client().get(url, **via_proxy(BOB)).status_code == 200
    assert Response.objects.count() == 2
    survey_services.survey_set_link_limit(survey=survey, actor=world.leader, limit=3)
    assert Client().get(url, **via_proxy(ALICE)).status_code == 200


def test_a_copy_keeps_the_ceiling(world):
    survey, _q = build(world)
    survey = survey_services.survey_set_link_limit(survey=survey, actor=world.leader, limit=40)
    copy = survey_services.survey_copy(survey=survey, actor=world.leader)
    assert Survey.objects.get(pk=copy.pk).link_limit_per_hour == 40


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="races are tested on PostgreSQL")
def test_thirty_simultaneous_opinions_from_one_address_pass_the_limit_exactly(world):
    def submit():
        return services.finding_submit_public(
            appraisal=world.appraisal_a, text="同一地址同时提交的意见", contact="", address=ALICE
        )

    outcomes = race([submit] * 30)
    passed = [o for o in outcomes if isinstance(o, str)]
    assert len(passed) == services.PUBLIC_LIMIT_PER_HOUR
    assert all(isinstance(o, services.RateLimited) for o in outcomes if o not in passed)
    assert Finding.objects.count() == services.PUBLIC_LIMIT_PER_HOUR


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="races are tested on PostgreSQL")
def test_thirty_simultaneous_link_answers_from_one_address_pass_the_ceiling_exactly(world):
    survey, q = build(world)
    survey_services.survey_set_link_limit(survey=survey, actor=world.leader, limit=5)
    answers = {q["sat"].pk: ["满意"], q["rate"].pk: ["4"], q["multi"].pk: [], q["text"].pk: ""}

    def submit():
        return survey_services.response_submit(survey=survey, answers=answers, address=ALICE)

    outcomes = race([submit] * 30)
    assert sum(isinstance(o, Response) for o in outcomes) == 5
    assert all(
        isinstance(o, survey_services.LinkLimitReached)
        for o in outcomes
        if not isinstance(o, Response)
    )
    assert Response.objects.count() == 5
