"""The appraisal meeting day, page by page: the round's moves, the close confirmation,
blind double entry, ballots that leave nothing behind, open ballots on every home page,
results that read right and a code box that is never a dead end (issue 10 §3)."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from appraisal.models import AuditEvent, Campaign, RoundGroup, ScoringRound, WorkGroupMember
from appraisal.scoring import services as scoring
from appraisal.scoring.forms import CodeEntryForm
from appraisal.scoring.models import PaperTallyEntry
from appraisal.services import office_grant
from tests import factories
from tests.appraisal.conftest import all_choice

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def text(response) -> str:
    return re.sub(r"<[^>]+>", "", response.content.decode())


def move_url(rnd, to):
    return reverse("appraisal:round_transition", args=[rnd.pk, to])


# ---- the round's moves ----------------------------------------------------------------


def test_round_move_follows_the_model_transitions(world, sw):
    rnd = sw.round
    for wrong in (ScoringRound.State.CLOSED, ScoringRound.State.PUBLISHED):
        with pytest.raises(scoring.RoundError):
            scoring.round_move(round=rnd, to=wrong, actor=world.office)
    with pytest.raises(scoring.RoundError):
        scoring.round_move(round=rnd, to=ScoringRound.State.DRAFT, actor=world.office)
    for to in (ScoringRound.State.OPEN, ScoringRound.State.CLOSED, ScoringRound.State.PUBLISHED):
        rnd = scoring.round_move(round=rnd, to=to, actor=world.office)
        assert rnd.state == to and getattr(rnd, ScoringRound.STAMPS[to]) is not None
        with pytest.raises(scoring.RoundError):  # never the same move twice
            scoring.round_move(round=rnd, to=to, actor=world.office)
    rnd.refresh_from_db()
    assert rnd.state == ScoringRound.State.PUBLISHED
    actions = set(
        AuditEvent.objects.filter(action__startswith="appraisal.round.").values_list(
            "action", flat=True
        )
    )
    assert {
        "appraisal.round.opened",
        "appraisal.round.closed",
        "appraisal.round.published",
    } <= actions


def test_the_view_refuses_a_move_the_transitions_do_not_allow(world, sw):
    office = client_for(world.office)
    assert office.get(move_url(sw.round, "bogus")).status_code == 404
    page = office.get(move_url(sw.round, "published")).content.decode()
    assert "测评当前所处状态不能进行此操作" in page
    office.post(move_url(sw.round, "published"))
    sw.round.refresh_from_db()
    assert sw.round.state == ScoringRound.State.DRAFT


def test_opening_outside_the_scoring_phases_asks_for_a_second_confirmation(world, sw):
    assert world.campaign.phase == Campaign.Phase.INVESTIGATION
    office = client_for(world.office)
    page = office.get(move_url(sw.round, "open")).content.decode()
    assert 'name="outside_phase"' in page and "调查研究" in page
    refused = office.post(move_url(sw.round, "open"))
    assert refused.status_code == 400 and "请勾选" in refused.content.decode()
    sw.round.refresh_from_db()
    assert sw.round.state == ScoringRound.State.DRAFT
    assert office.post(move_url(sw.round, "open"), {"outside_phase": "1"}).status_code == 302
    sw.round.refresh_from_db()
    assert sw.round.state == ScoringRound.State.OPEN


def test_opening_in_the_meeting_phase_needs_no_second_confirmation(world, sw):
    Campaign.objects.filter(pk=world.campaign.pk).update(phase=Campaign.Phase.MEETING)
    office = client_for(world.office)
    assert 'name="outside_phase"' not in office.get(move_url(sw.round, "open")).content.decode()
    office.post(move_url(sw.round, "open"))
    sw.round.refresh_from_db()
    assert sw.round.state == ScoringRound.State.OPEN


def test_the_close_confirmation_shows_turnout_and_warns_when_low(world, open_round):
    rnd = open_round.round
    RoundGroup.objects.filter(round=rnd, voter_group=open_round.deputies).update(paper_issued=3)
    scoring.ballot_cast(round_id=rnd.pk, voter=world.deputy, choices=all_choice(world, "satisfied"))
    office = client_for(world.office)
    page = text(office.get(move_url(rnd, "closed")))
    # 常委会组成人员: 1 of 4 present voted; 人大代表: 3 paper ballots of 4 present.
    assert "1 / 4 （25%）" in page and "3 / 4 （75%）" in page
    assert "投票率偏低" in page
    assert "常委会组成人员：实到人员中尚有 3 人未投票" in page
    assert "人大代表：实到人员中尚有 1 人未投票" in page


def test_no_warning_when_everyone_present_has_voted(world, open_round):
    rnd = open_round.round
    for voter in open_round.voters:
        scoring.ballot_cast(round_id=rnd.pk, voter=voter, choices=all_choice(world, "satisfied"))
    page = text(client_for(world.office).get(move_url(rnd, "closed")))
    assert "4 / 4 （100%）" in page
    assert "投票率偏低" not in page and "未投票" not in page


def test_after_the_close_the_round_reads_as_counted(world, open_round):
    office = client_for(world.office)
    response = office.post(move_url(open_round.round, "closed"), follow=True)
    html = response.content.decode()
    assert "已计票，待公布" in html and "计票中" not in html
    assert "核对测评结果后公布" in html


# ---- blind double entry -----------------------------------------------------------------


@pytest.fixture
def tellers(world):
    second = factories.UserFactory(username="office2", full_name="第二计票人")
    office_grant(user=second, actor=None)
    return client_for(world.office), client_for(second)


def tally_post(world, first_count):
    data = {}
    for a in (world.appraisal_a, world.appraisal_b):
        data.update(
            {
                f"a{a.pk}_satisfied": first_count,
                f"a{a.pk}_basically_satisfied": 0,
                f"a{a.pk}_unsatisfied": 0,
                f"a{a.pk}_invalid": 0,
                f"a{a.pk}_blank": 0,
            }
        )
    return data


def states(html):
    return re.findall(r'<span class="stage stage-\w+">([^<：]+)', html)


def test_tellers_enter_blind_and_see_the_comparison_after_both(world, open_round, tellers):
    first, second = tellers
    # Room for 37 paper ballots: a tally never counts more ballots than voters present.
    RoundGroup.objects.filter(round=open_round.round, voter_group=open_round.deputies).update(
        entitled=50, present=50, paper_issued=40
    )
    url = reverse("appraisal:round_tally_group", args=[open_round.round.pk, open_round.deputies.pk])
    assert states(first.get(url).content.decode()) == ["待录入", "待录入"]

    first.post(url, tally_post(world, 37))
    for client in (first, second):
        html = client.get(url).content.decode()
        assert states(html) == ["待第二人录入", "待第二人录入"]
        assert "两人录入后显示" in html
    # The second teller's form and page carry none of the first teller's numbers.
    # (matched as a number on its own: the page's random CSRF token may contain "37")
    assert not re.search(r"(?<![\w-])37(?![\w-])", second.get(url).content.decode())
    assert 'value="37"' in first.get(url).content.decode()  # each sees their own

    second.post(url, tally_post(world, 36))
    html = second.get(url).content.decode()
    assert states(html) == ["不一致", "不一致"] and "37" in html and "36" in html
    second.post(url, tally_post(world, 37))
    assert states(second.get(url).content.decode()) == ["一致", "一致"]


def test_a_refused_tally_comes_back_as_typed_with_the_reason(world, open_round, tellers):
    """Every unit's total must be the ballots returned: when one differs, the teller sees
    why beside the form and finds every figure still in it, to correct just that one."""
    first, _second = tellers
    RoundGroup.objects.filter(round=open_round.round, voter_group=open_round.deputies).update(
        entitled=50, present=50, paper_issued=40
    )
    url = reverse("appraisal:round_tally_group", args=[open_round.round.pk, open_round.deputies.pk])
    data = tally_post(world, 37)
    data[f"a{world.appraisal_b.pk}_satisfied"] = 31
    response = first.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and 'class="errorbox"' in html
    assert 'value="31"' in html and 'value="37"' in html
    assert not PaperTallyEntry.objects.filter(round=open_round.round).exists()


def test_the_number_order_lists_only_the_ballot_s_columns(world, open_round, tellers):
    first, _second = tellers
    url = reverse("appraisal:round_tally_group", args=[open_round.round.pk, open_round.deputies.pk])
    html = first.get(url).content.decode()
    assert "各列依次填写：满意 / 基本满意 / 不满意 / 无效 / 空白。" in html
    assert "不了解" not in html
    ScoringRound.objects.filter(pk=open_round.round.pk).update(allow_unknown=True)
    html = first.get(url).content.decode()
    assert "各列依次填写：满意 / 基本满意 / 不满意 / 不了解 / 无效 / 空白。" in html


# ---- nothing of a ballot survives --------------------------------------------------------


def test_ballot_pages_are_never_stored(world, login, open_round):
    client = login(world.deputy)
    url = reverse("appraisal:ballot", args=[open_round.round.pk])
    choices = {f"a{k}": v for k, v in all_choice(world, "basically_satisfied").items()}
    for response in (client.get(url), client.post(url, choices)):
        assert "no-store" in response["Cache-Control"], response
    page = client.get(url).content.decode()
    assert 'autocomplete="off"' in page and "js/ballot.js" in page
    done = client.post(url, {**choices, "confirm": "1"})
    assert "no-store" in done["Cache-Control"]
    assert "no-store" in client.get(done.url)["Cache-Control"]
    assert not any("satisfied" in str(value) for value in client.session.values())


def test_replaying_the_review_after_voting_shows_no_choice(world, login, open_round):
    """Back then Reload on the review page re-sends its POST: the choices must not return."""
    client = login(world.deputy)
    url = reverse("appraisal:ballot", args=[open_round.round.pk])
    choices = {f"a{k}": v for k, v in all_choice(world, "unsatisfied").items()}
    assert "不满意" in client.post(url, choices).content.decode()
    client.post(url, {**choices, "confirm": "1"})
    replay = client.post(url, choices).content.decode()
    assert "已在本次测评中投过票" in replay
    assert "不满意" not in replay and 'value="unsatisfied"' not in replay


def test_replaying_a_code_review_after_voting_shows_no_choice(world, client, open_round):
    code = scoring.codes_generate(
        round=open_round.round, voter_group=open_round.deputies, count=1, actor=world.office
    )[0].code
    url = reverse("appraisal:code_ballot", args=[code])
    choices = {f"a{k}": v for k, v in all_choice(world, "unsatisfied").items()}
    client.post(url, {**choices, "confirm": "1"})
    replay = client.post(url, choices)
    assert "no-store" in replay["Cache-Control"]
    assert "已经使用过" in replay.content.decode() and "不满意" not in replay.content.decode()


# ---- open ballots on every home page ---------------------------------------------------


def test_a_deputy_in_a_work_group_sees_the_open_ballot_where_they_land(world, open_round):
    factories.WorkGroupMemberFactory(
        work_group=world.appraisal_a.work_group, user=world.deputy, role=WorkGroupMember.Role.MEMBER
    )
    client = client_for(world.deputy)
    landing = client.get("/", follow=True)
    assert landing.redirect_chain[-1][0] == reverse("appraisal:workgroup_home")
    html = landing.content.decode()
    assert "待您参加的测评" in html
    assert reverse("appraisal:ballot", args=[open_round.round.pk]) in html
    scoring.ballot_cast(
        round_id=open_round.round.pk, voter=world.deputy, choices=all_choice(world, "satisfied")
    )
    html = client.get(reverse("appraisal:workgroup_home")).content.decode()
    assert "已投票" in html and reverse("appraisal:ballot", args=[open_round.round.pk]) not in html


@pytest.mark.parametrize("role", ["office", "liaison_a", "deputy"])
def test_every_home_page_shows_the_ballots_open_for_that_person(world, open_round, role):
    user = getattr(world, role)
    if role != "deputy":
        factories.VoterFactory(voter_group=open_round.deputies, user=user)
    ballot = reverse("appraisal:ballot", args=[open_round.round.pk])
    html = client_for(user).get("/", follow=True).content.decode()
    assert ballot in html
    assert ballot not in client_for(world.leader).get("/", follow=True).content.decode()


def test_no_open_ballot_block_when_nothing_is_open(world, sw):
    html = client_for(world.deputy).get(reverse("appraisal:deputy_home")).content.decode()
    assert reverse("appraisal:ballot", args=[sw.round.pk]) not in html


# ---- results ---------------------------------------------------------------------------


@pytest.fixture
def counted(world, open_round, tellers):
    """2 electronic ballots plus paper: 2 satisfied, 1 invalid, 1 blank for 人大代表."""
    rnd = open_round.round
    RoundGroup.objects.filter(round=rnd, voter_group=open_round.deputies).update(paper_issued=4)
    for voter in open_round.voters[:2]:
        scoring.ballot_cast(round_id=rnd.pk, voter=voter, choices=all_choice(world, "satisfied"))
    url = reverse("appraisal:round_tally_group", args=[rnd.pk, open_round.deputies.pk])
    data = tally_post(world, 2)
    for a in (world.appraisal_a, world.appraisal_b):
        data[f"a{a.pk}_invalid"] = data[f"a{a.pk}_blank"] = 1
    for teller in tellers:
        teller.post(url, data)
    scoring.round_close(round=rnd, actor=world.office)
    scoring.round_publish(round=rnd, actor=world.office)
    return rnd


def test_result_bars_are_relative_to_the_ballots_returned(world, counted):
    html = Client().get(reverse("appraisal:results", args=[counted.pk])).content.decode()
    assert "收回 6 张" in html
    segments = re.findall(r'width="([\d.]+)" height="8" fill="[^"]+" class="seg seg-(\w+)"', html)
    widths = {choice: float(width) for width, choice in segments[:5]}  # the first unit's bar
    assert list(widths) == ["satisfied", "basically_satisfied", "unsatisfied", "invalid", "blank"]
    assert widths["satisfied"] == pytest.approx(400 / 6, abs=0.001)
    assert widths["invalid"] == widths["blank"] == pytest.approx(100 / 6, abs=0.001)
    assert sum(widths.values()) == pytest.approx(100, abs=0.001)
    assert '<th class="num">收回票</th>' in html


def test_the_unit_home_shows_the_figure_the_ranking_uses(world, counted):
    counted.refresh_from_db()
    result = counted.results.get(appraisal=world.appraisal_a)
    html = client_for(world.liaison_a).get(reverse("appraisal:unit_home")).content.decode()
    assert f"{counted.score_label} {result.score_display}" in html
    results = Client().get(reverse("appraisal:results", args=[counted.pk])).content.decode()
    assert result.score_display in results
    assert f'data-label="{counted.score_label}"' in results and 'data-label="得分"' not in results


def test_score_display_follows_the_round_shape(world, counted):
    result = counted.results.select_related("round").get(appraisal=world.appraisal_a)
    result.satisfied_share, result.satisfaction_rate = Decimal("0.0513"), Decimal("0.0593")
    result.average_points = Decimal("61.005")
    for shape, expected in (
        (ScoringRound.Shape.TIERED, "5.13%"),
        (ScoringRound.Shape.RATE, "5.93%"),
        (ScoringRound.Shape.POINTS, "61.01"),
    ):
        result.round.shape = shape
        assert result.score_display.replace(" ", "") == expected


# ---- the code box ----------------------------------------------------------------------


def test_a_wrong_code_keeps_the_entry_box(world, client, open_round):
    response = client.get(reverse("appraisal:code_ballot", args=["WRONGCODE2"]))
    html = response.content.decode()
    assert response.status_code == 404
    assert 'name="code"' in html and 'value="WRONGCODE2"' in html
    assert "测评码无效" in html and "no-store" in response["Cache-Control"]


def test_a_code_typed_with_a_slash_is_a_form_error(client):
    response = client.get(reverse("appraisal:code_entry"), {"code": "AB/CD"})
    assert response.status_code == 200 and "只含字母和数字" in response.content.decode()
    assert not CodeEntryForm({"code": "ＡＢＣＤ２３"}).is_valid()


def test_a_code_after_the_close_says_the_round_has_ended(world, client, open_round):
    code = scoring.codes_generate(
        round=open_round.round, voter_group=open_round.deputies, count=1, actor=world.office
    )[0].code
    scoring.round_close(round=open_round.round, actor=world.office)
    html = client.get(reverse("appraisal:code_ballot", args=[code])).content.decode()
    assert "本次测评投票已结束" in html and "不在投票时间" not in html
