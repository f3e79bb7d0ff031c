"""A public opinion's receipt: post/redirect/get, the code shown once and never in a URL."""

import pytest
from django.urls import reverse

from surveys.models import Finding

pytestmark = pytest.mark.django_db


def test_reloading_the_receipt_does_not_submit_again(world, client):
    data = {
        "appraisal": world.appraisal_b.pk,
        "text": "公交站台雨棚损坏一个多月无人修",
        "contact": "",
    }
    response = client.post(reverse("surveys:public_opinion"), data)
    assert response.status_code == 302
    code = Finding.objects.get().receipt_code
    assert code not in response.url
    receipt = client.get(response.url)
    assert receipt.status_code == 200 and code in receipt.content.decode()
    assert f"code={code}" not in receipt.content.decode()  # no link carries it into a log
    # A reload (or the back button) shows no second receipt and stores nothing.
    again = client.get(response.url)
    assert again.status_code == 302 and again.url == reverse("surveys:opinion_status")
    assert Finding.objects.count() == 1


def test_the_receipt_page_shows_nothing_to_another_visitor(world, client):
    response = client.get(reverse("surveys:opinion_receipt"))
    assert response.status_code == 302
