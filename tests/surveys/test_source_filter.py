"""A unit never learns who raised a finding, not even by filtering its list by source."""

import pytest
from django.urls import reverse

from surveys.findings import services

pytestmark = pytest.mark.django_db


def forwarded(world, finding):
    services.finding_review(
        finding=finding, actor=world.leader, status="verified", note="属实", topic="other",
        prominent=False,
    )  # fmt: skip
    services.finding_forward(finding=finding, actor=world.leader)


@pytest.fixture
def two_sources(world):
    by_deputy = services.finding_submit_by_deputy(
        appraisal=world.appraisal_a,
        deputy=world.deputy,
        text="代表反映：审批时限过长",
        topic="other",
    )
    forwarded(world, by_deputy)
    code = services.finding_submit_public(
        appraisal=world.appraisal_a, text="群众反映：窗口态度生硬", contact="", address="10.0.0.1"
    )
    from surveys.models import Finding

    forwarded(world, Finding.objects.get(receipt_code=code))


@pytest.mark.parametrize("source", ["deputy", "public", "activity", "survey", "nonsense"])
def test_a_unit_gets_no_source_filter_and_the_server_ignores_one(world, login, two_sources, source):
    url = reverse("surveys:findings", args=[world.appraisal_a.pk])
    response = login(world.liaison_a).get(url, {"source": source})
    html = response.content.decode()
    assert response.status_code == 200
    assert "审批时限过长" in html and "窗口态度生硬" in html
    assert 'name="source"' not in html


def test_the_work_group_filters_by_source(world, login, two_sources):
    url = reverse("surveys:findings", args=[world.appraisal_a.pk])
    client = login(world.leader)
    assert 'name="source"' in client.get(url).content.decode()
    html = client.get(url, {"source": "deputy"}).content.decode()
    assert "审批时限过长" in html and "窗口态度生硬" not in html
    html = client.get(url, {"source": "bogus", "status": "²"}).content.decode()
    assert "审批时限过长" in html and "窗口态度生硬" in html  # an unknown value filters nothing
