"""Sign-in letters: printed one-time links with which new accounts choose a password."""

import re
import subprocess
import time
from unittest import mock

import pytest
from django.urls import reverse
from PIL import Image

from appraisal.models import AuditEvent, User
from appraisal.signin import services
from tests import factories

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letters.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def pdf_qr_codes(pdf: bytes, tmp_path) -> list[str]:
    import zxingcpp

    path = tmp_path / "letters.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")], check=True)
    found = []
    for png in sorted(tmp_path.glob("page*.png")):
        found += [r.text for r in zxingcpp.read_barcodes(Image.open(png))]
    return found


@pytest.fixture
def newcomer(world):
    user = factories.UserFactory(username="daibiao7", full_name="王秀兰")
    user.set_unusable_password()
    user.save()
    factories.VoterFactory(voter_group__campaign=world.campaign, user=user)
    return user


def _print(client, world, *people):
    return client.post(
        reverse("appraisal:signin_letters", args=[world.campaign.pk]),
        {"people": [p.pk for p in people]},
    )


def test_office_page_lists_the_campaigns_people_and_ticks_those_without_password(
    world, login, newcomer
):
    html = (
        login(world.office)
        .get(reverse("appraisal:signin_letters", args=[world.campaign.pk]))
        .content.decode()
    )
    assert "王秀兰" in html and world.liaison_a.username in html and "leader" in html
    assert re.search(rf'value="{newcomer.pk}" checked', html)
    assert not re.search(rf'value="{world.deputy.pk}" checked', html)  # has a password
    assert "outsider" not in html and f'value="{world.office.pk}"' not in html
    overview = (
        login(world.office)
        .get(reverse("appraisal:office_campaign", args=[world.campaign.pk]))
        .content.decode()
    )
    assert reverse("appraisal:signin_letters", args=[world.campaign.pk]) in overview


def test_only_the_office_prints_letters(world, login, newcomer):
    url = reverse("appraisal:signin_letters", args=[world.campaign.pk])
    for who in [world.leader, world.liaison_a, world.deputy, world.outsider]:
        client = login(who)
        assert client.get(url).status_code in (403, 404)
        assert _print(client, world, newcomer).status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="appraisal.signin.letters_issued").exists()


def test_letter_pdf_names_the_person_and_carries_the_link_and_its_qr(
    world, login, newcomer, tmp_path
):
    response = _print(login(world.office), world, newcomer, world.liaison_a)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "王秀兰" in text and "daibiao7" in text and "登录通知书" in text
    flat = re.sub(r"\s+", "", text)
    links = re.findall(r"http://testserver/signin/[0-9a-z.]+/", flat)
    assert len(links) == 2
    codes = pdf_qr_codes(response.content, tmp_path)
    assert sorted(codes) == sorted(links)
    event = AuditEvent.objects.get(action="appraisal.signin.letters_issued")
    assert event.actor == world.office and set(event.data["users"]) == {
        newcomer.pk,
        world.liaison_a.pk,
    }
    assert "token" not in str(event.data) and links[0].split("/")[-2] not in str(event.data)


def _link(world, user):
    letter = services.letters_issue(users=[user], actor=world.office)[0]
    return reverse("appraisal:signin_letter", args=[letter.token])


def test_the_link_sets_a_password_once_and_is_then_refused(world, client, newcomer):
    url = _link(world, newcomer)
    page = client.get(url)
    assert page.status_code == 200 and "daibiao7" in page.content.decode()
    weak = client.post(url, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    done = client.post(
        url, {"new_password1": "Qiuyue-2026-hao", "new_password2": "Qiuyue-2026-hao"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("login")
    newcomer.refresh_from_db()
    assert newcomer.check_password("Qiuyue-2026-hao")
    assert AuditEvent.objects.filter(
        action="appraisal.signin.password_set", actor=newcomer
    ).exists()
    again = client.get(url)
    assert again.status_code == 410 and "已经使用过" in again.content.decode()
    replay = client.post(
        url, {"new_password1": "Another-2026-x", "new_password2": "Another-2026-x"}
    )
    assert replay.status_code == 410
    newcomer.refresh_from_db()
    assert newcomer.check_password("Qiuyue-2026-hao")


def test_an_expired_letter_is_refused(world, client, newcomer, settings):
    settings.SIGNIN_LETTER_DAYS = 7
    url = _link(world, newcomer)
    later = time.time() + 7 * 24 * 3600 + 60
    with mock.patch("appraisal.signin.services._now", return_value=int(later)):
        response = client.get(url)
        posted = client.post(url, {"new_password1": "Qiuyue-2026-hao",
                                   "new_password2": "Qiuyue-2026-hao"})  # fmt: skip
    assert response.status_code == 410 and "已过期" in response.content.decode()
    assert posted.status_code == 410
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    within = time.time() + 6 * 24 * 3600
    with mock.patch("appraisal.signin.services._now", return_value=int(within)):
        assert client.get(url).status_code == 200


def test_a_forged_or_altered_link_is_refused(world, client, newcomer):
    url = _link(world, newcomer)
    assert client.get(url[:-3] + "x/").status_code == 410
    assert client.get(reverse("appraisal:signin_letter", args=["nonsense"])).status_code == 410


def test_a_forged_link_says_nothing_about_whether_the_account_has_a_password(
    world, client, newcomer
):
    """Guessing a token for an account must not tell "has a password" (已经使用过) from
    "has none": both get the same refusal."""
    from django.utils.http import int_to_base36

    newcomer.set_password("Qiuyue-2026-hao")
    newcomer.save()
    issued = int_to_base36(int(time.time()))
    forged = f"{int_to_base36(newcomer.pk)}.{issued}.{'0' * 32}"
    page = client.get(reverse("appraisal:signin_letter", args=[forged]))
    assert page.status_code == 410
    assert "已经使用过" not in page.content.decode() and "无效" in page.content.decode()


def test_no_letter_for_staff_accounts(world):
    with pytest.raises(services.NotAllowed):
        services.letters_issue(users=[world.office], actor=world.office)
    with pytest.raises(services.NotAllowed):
        services.letters_issue(users=[world.deputy], actor=world.leader)


def test_admin_bulk_action_prints_letters(world, admin_client_office, newcomer, tmp_path):
    response = admin_client_office.post(
        reverse("admin:appraisal_user_changelist"),
        {"action": "print_signin_letters", "_selected_action": [newcomer.pk, world.deputy.pk]},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "王秀兰" in text and world.deputy.get_full_name() in text
    refused = admin_client_office.post(
        reverse("admin:appraisal_user_changelist"),
        {"action": "print_signin_letters", "_selected_action": [world.office.pk]},
        follow=True,
    )
    assert "工作人员账号" in refused.content.decode()
    assert User.objects.filter(pk=world.office.pk, is_staff=True).exists()


def test_letter_page_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    client = login(world.office)
    url = reverse("appraisal:signin_letters", args=[world.campaign.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(10):
        factories.VoterFactory(voter_group__campaign=world.campaign)
        factories.UnitTeamMemberFactory(unit=world.appraisal_b.unit)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
