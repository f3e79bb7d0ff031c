import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

OFFICE = reverse("appraisal:office_overview")
GROUPS = reverse("appraisal:workgroup_home")
UNIT = reverse("appraisal:unit_home")
DEPUTY = reverse("appraisal:deputy_home")


@pytest.mark.parametrize(
    ("who", "home"),
    [
        ("office", OFFICE),
        ("leader", GROUPS),
        ("liaison_a", UNIT),
        ("deputy", DEPUTY),
        ("outsider", reverse("appraisal:no_role")),
    ],
)
def test_each_role_lands_on_its_home(world, login, who, home):
    response = login(getattr(world, who)).get("/")
    assert response.status_code == 302
    assert response.url == home


def test_anonymous_is_sent_to_sign_in(client):
    for url in [OFFICE, GROUPS, UNIT, DEPUTY]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        (OFFICE, {"office"}),
        (GROUPS, {"leader"}),
        (UNIT, {"liaison_a", "liaison_b"}),
        (DEPUTY, {"deputy"}),
    ],
)
def test_home_pages_are_for_their_role_only(world, login, url, allowed):
    for who in ["office", "leader", "liaison_a", "liaison_b", "deputy", "outsider"]:
        response = login(getattr(world, who)).get(url)
        assert response.status_code == (200 if who in allowed else 403), (who, url)


def test_office_overview_shows_phase_and_every_appraisal(world, login):
    response = login(world.office).get(OFFICE)
    html = response.content.decode()
    assert "调查研究" in html  # the phase, in Chinese by default
    assert "市住房和城乡建设局" in html and "市交通运输局" in html
    assert world.appraisal_a.work_group.name in html


def test_work_group_sees_only_its_appraisals(world, login):
    html = login(world.leader).get(GROUPS).content.decode()
    assert "市住房和城乡建设局" in html
    assert "市交通运输局" not in html


def test_unit_sees_only_its_own_appraisal(world, login):
    html = login(world.liaison_a).get(UNIT).content.decode()
    assert "市住房和城乡建设局" in html
    assert "市交通运输局" not in html


def test_unit_cannot_open_another_units_appraisal(world, login):
    client = login(world.liaison_a)
    assert client.get(world.appraisal_a.get_absolute_url()).status_code == 200
    assert client.get(world.appraisal_b.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("who", "sees_a", "sees_b"),
    [
        ("office", True, True),
        ("leader", True, False),
        ("liaison_a", True, False),
        ("liaison_b", False, True),
        ("deputy", False, False),
        ("outsider", False, False),
    ],
)
def test_appraisal_detail_access(world, login, who, sees_a, sees_b):
    client = login(getattr(world, who))
    for appraisal, sees in [(world.appraisal_a, sees_a), (world.appraisal_b, sees_b)]:
        assert client.get(appraisal.get_absolute_url()).status_code == (200 if sees else 404)


def test_deputy_home_says_nothing_is_open(world, login):
    html = login(world.deputy).get(DEPUTY).content.decode()
    assert "目前没有需要您参与的事项" in html


def test_english_can_be_chosen(world, login):
    client = login(world.office)
    client.post(reverse("set_language"), {"language": "en", "next": OFFICE})
    html = client.get(OFFICE).content.decode()
    assert "Investigation" in html
    assert "Campaign overview" in html


def test_chinese_is_the_default_whatever_the_browser_asks(world, login):
    html = login(world.office).get(OFFICE, HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert "评议总览" in html
