"""The rectification ledger: items from the issued opinion, every move legal and illegal,
closed items read-only, progress with evidence, who sees what, and the pages' queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from appraisal.errors import DomainError, NotAllowed, PhaseError
from appraisal.models import AuditEvent, Campaign
from rectification.ledger import services
from rectification.ledger.models import Evidence, RectificationItem
from tests import factories
from tests.rectification.conftest import drafted
from tests.rectification.ledgerkit import (
    PDF,
    advance,
    make_item,
    set_phase,
    upload,
)

pytestmark = pytest.mark.django_db
S = RectificationItem.Status


def first_item(world, opinion=None):
    return (opinion or world.opinion_a).items.order_by("number").first()


# ---- building items ----------------------------------------------------------------------


def test_unit_builds_items_from_its_issued_opinion(ledger_world):
    w = ledger_world
    item = make_item(w, first_item(w))
    assert item.status == S.DRAFT and item.appraisal == w.appraisal_a
    assert AuditEvent.objects.filter(action="rectification.item.created").count() == 1


def test_items_need_an_issued_opinion(world):
    set_phase(world, Campaign.Phase.OPINIONS)
    opinion = drafted(world, world.appraisal_a, items=1)
    with pytest.raises(DomainError, match="已印发"):
        make_item(world, opinion.items.get())


def test_drafts_may_be_prepared_in_the_opinions_phase_but_not_submitted(ledger_world):
    w = ledger_world
    set_phase(w, Campaign.Phase.OPINIONS)
    item = make_item(w, first_item(w))
    with pytest.raises(PhaseError):
        services.item_move(item=item, actor=w.liaison_a, action="submit")
    set_phase(w, Campaign.Phase.CLOSED)
    with pytest.raises(PhaseError):
        make_item(w, first_item(w))


def test_only_the_units_own_team_builds_items(ledger_world):
    w = ledger_world
    for outsider in (w.liaison_b, w.leader, w.office, w.deputy):
        with pytest.raises(NotAllowed):
            make_item(w, first_item(w), actor=outsider)


def test_an_explained_item_needs_its_explanation_and_others_measures_and_deadline(
    ledger_world,
):
    w = ledger_world
    with pytest.raises(DomainError, match="解释"):
        make_item(w, first_item(w), category="explanation", explanation="")
    with pytest.raises(DomainError, match="时限"):
        make_item(w, first_item(w), deadline=None)
    with pytest.raises(DomainError, match="措施"):
        make_item(w, first_item(w), measures=" ")
    assert make_item(w, first_item(w), category="explanation").deadline is None


# ---- moves -------------------------------------------------------------------------------


def test_the_whole_road_to_closing(ledger_world):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "closed")
    assert item.status == S.CLOSED and item.closed_on == timezone.localdate()
    assert item.closed_by == w.leader and item.percent == 100
    actions = list(
        AuditEvent.objects.filter(object_id=str(item.pk), action__startswith="rectification.item.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "rectification.item.created",
        "rectification.item.submit",
        "rectification.item.approve",
        "rectification.item.start",
        "rectification.item.progress",
        "rectification.item.finish",
        "rectification.item.close",
    ]


@pytest.mark.parametrize(
    ("status", "action", "who", "ok"),
    [
        ("draft", "submit", "liaison_a", True),
        ("draft", "submit", "leader", False),
        ("draft", "approve", "leader", False),
        ("submitted", "approve", "leader", True),
        ("submitted", "approve", "office", True),
        ("submitted", "approve", "liaison_a", False),
        ("submitted", "accept_explanation", "leader", False),
        ("submitted", "finish", "liaison_a", False),
        ("planned", "close", "leader", False),
        ("planned", "start", "liaison_a", True),
        ("in_progress", "finish", "liaison_a", True),
        ("in_progress", "close", "leader", False),
        ("done", "close", "leader", True),
        ("done", "close", "liaison_a", False),
        ("done", "finish", "liaison_a", False),
        ("returned", "finish", "liaison_a", True),
        ("returned", "close", "leader", False),
        ("closed", "reopen", "leader", False),
        ("closed", "close", "leader", False),
        ("closed", "return", "leader", False),
        ("closed", "start", "liaison_a", False),
    ],
)
def test_moves(ledger_world, status, action, who, ok):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), status) if status != "draft" else None
    item = item or make_item(w, first_item(w))
    actor = getattr(w, who)
    if ok:
        assert services.item_move(item=item, actor=actor, action=action).status != status
    else:
        with pytest.raises(DomainError):
            services.item_move(item=item, actor=actor, action=action)
        item.refresh_from_db()
        assert item.status == status


def test_returning_needs_a_reason_and_the_reason_reaches_the_unit(ledger_world, login):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "done")
    with pytest.raises(DomainError, match="理由"):
        services.item_move(item=item, actor=w.leader, action="return", reason="  ")
    services.item_move(item=item, actor=w.leader, action="return", reason="照片看不出整改效果")
    page = login(w.liaison_a).get(reverse("rectification:ledger_item", args=[item.pk]))
    assert "照片看不出整改效果" in page.content.decode()


def _buttons(html: str) -> list[tuple[bool, str]]:
    import re

    main = html.split("<main", 1)[1]
    found = re.findall(r'<button type="submit"( class="primary")?>([^<]+)</button>', main)
    return [(bool(primary), label) for primary, label in found]


def test_the_next_step_offers_one_main_button(ledger_world, login):
    """An approved plan: reporting progress (which starts the work) is the main action;
    开始整改 and 标记为已完成 are plain buttons."""
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "planned")
    html = login(w.liaison_a).get(reverse("rectification:ledger_item", args=[item.pk]))
    assert _buttons(html.content.decode()) == [
        (False, "开始整改"),
        (False, "标记为已完成"),
        (True, "报送进展"),
    ]


def test_marking_done_is_the_main_button_once_the_work_is_at_100_with_evidence(ledger_world, login):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "in_progress")  # 60 % with a photo
    url = reverse("rectification:ledger_item", args=[item.pk])
    client = login(w.liaison_a)
    assert _buttons(client.get(url).content.decode()) == [
        (False, "标记为已完成"),
        (True, "报送进展"),
    ]
    services.progress_post(
        item=item, actor=w.liaison_a, day=timezone.localdate(), text="全部完成", percent=100
    )
    assert _buttons(client.get(url).content.decode()) == [
        (True, "标记为已完成"),
        (False, "报送进展"),
    ]
    done = services.item_move(item=item, actor=w.liaison_a, action="finish")
    assert _buttons(login(w.leader).get(url).content.decode()) == [
        (True, "销号"),
        (False, "退回继续整改"),
    ]
    assert done.status == S.DONE


@pytest.mark.parametrize(
    ("action", "who", "message"),
    [
        ("finish", "liaison_a", "已标记为已完成，等待工作组核查销号。"),
        ("close", "leader", "已销号。"),
        ("return", "leader", "已退回整改，单位可看到退回理由。"),
    ],
)
def test_each_move_says_what_happened(ledger_world, login, action, who, message):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "in_progress" if action == "finish" else "done")
    client = login(getattr(w, who))
    response = client.post(
        reverse("rectification:ledger_item_move", args=[item.pk]),
        {"action": action, "reason": "佐证不足"},
        follow=True,
    )
    text = response.content.decode()
    assert message in text
    assert "已办理" not in text


def test_the_item_page_shows_who_marked_it_done_and_when(ledger_world, login):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "done")
    item = services.item_move(item=item, actor=w.leader, action="return", reason="照片不清")
    html = login(w.liaison_a).get(reverse("rectification:ledger_item", args=[item.pk]))
    history = html.content.decode().split("<h2>历史记录</h2>")[1].split("</section>")[0]
    name = w.liaison_a.get_full_name()
    assert f'整改事项标记为已完成 · <span class="nowrap">{name}</span>' in history
    assert "整改事项退回继续整改 · " in history and "：照片不清" in history
    assert "报送整改进展" not in history  # the progress list keeps the unit's own reports
    assert item.progress.count() == 1  # nothing written in the unit's name


def test_a_returned_plan_comes_back_as_a_draft_with_the_comment(ledger_world):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "submitted")
    item = services.item_move(item=item, actor=w.leader, action="return_plan", reason="时限太长")
    assert (item.status, item.comment) == (S.DRAFT, "时限太长")
    services.item_update(
        item=item, actor=w.liaison_a, deadline=timezone.localdate() + datetime.timedelta(days=10)
    )


def test_finishing_needs_evidence(ledger_world):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "planned")
    with pytest.raises(DomainError, match="佐证"):
        services.item_move(item=item, actor=w.liaison_a, action="finish")


def test_explanations_are_accepted_or_rejected_by_the_work_group(ledger_world):
    w = ledger_world
    item = make_item(w, first_item(w), category="explanation")
    item = services.item_move(item=item, actor=w.liaison_a, action="submit")
    with pytest.raises(DomainError):
        services.item_move(item=item, actor=w.leader, action="approve")
    rejected = services.item_move(
        item=item, actor=w.leader, action="reject_explanation", reason="有政策依据可以解决"
    )
    assert rejected.status == S.DRAFT
    item = services.item_move(item=rejected, actor=w.liaison_a, action="submit")
    item = services.item_move(item=item, actor=w.leader, action="accept_explanation")
    assert item.status == S.EXPLAINED and item.finished


def test_a_closed_item_is_read_only_and_only_the_office_reopens_it_with_a_reason(
    ledger_world, login
):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "closed")
    with pytest.raises(DomainError):
        services.item_update(item=item, actor=w.liaison_a, problem="改")
    with pytest.raises(DomainError):
        services.progress_post(
            item=item, actor=w.liaison_a, day=timezone.localdate(), text="x", percent=100
        )
    client = login(w.liaison_a)
    assert client.get(reverse("rectification:ledger_item_edit", args=[item.pk])).status_code == 403
    page = client.get(reverse("rectification:ledger_item", args=[item.pk])).content.decode()
    assert f"ledger-items/{item.pk}/progress/" not in page
    assert f"ledger-items/{item.pk}/move/" not in page
    with pytest.raises(NotAllowed):
        services.item_move(item=item, actor=w.leader, action="reopen", reason="复查发现反弹")
    with pytest.raises(DomainError, match="理由"):
        services.item_move(item=item, actor=w.office, action="reopen")
    item = services.item_move(item=item, actor=w.office, action="reopen", reason="复查发现反弹")
    assert (item.status, item.closed_on, item.comment) == (S.IN_PROGRESS, None, "复查发现反弹")


def test_moves_through_the_view_refuse_what_the_person_may_not_do(ledger_world, login):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "done")
    url = reverse("rectification:ledger_item_move", args=[item.pk])
    assert login(w.liaison_a).post(url, {"action": "close"}).status_code == 403
    assert login(w.deputy).post(url, {"action": "close"}).status_code == 404
    assert login(w.leader).post(url, {"action": "close"}).status_code == 302
    item.refresh_from_db()
    assert item.status == S.CLOSED


# ---- progress and evidence -----------------------------------------------------------------


def test_progress_with_a_photo_and_a_pdf(ledger_world, login):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "planned")
    response = login(w.liaison_a).post(
        reverse("rectification:ledger_item_progress", args=[item.pk]),
        {
            "day": timezone.localdate().isoformat(),
            "percent": "40",
            "text": "制度已印发",
            "evidence_files": [upload(), upload("制度.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.percent) == (S.IN_PROGRESS, 40)
    assert sorted(item.evidence.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]


def test_evidence_that_is_not_what_it_claims_is_refused(ledger_world, login):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "planned")
    with pytest.raises(DomainError, match="pdf"):
        services.progress_post(
            item=item,
            actor=w.liaison_a,
            day=timezone.localdate(),
            text="x",
            percent=10,
            uploads=[upload("假.pdf", b"MZ\x90\x00")],
        )
    with pytest.raises(DomainError):
        services.progress_post(
            item=item,
            actor=w.liaison_a,
            day=timezone.localdate(),
            text="x",
            percent=10,
            uploads=[upload("脚本.html", b"<script>")],
        )
    assert not Evidence.objects.exists()


def test_progress_is_not_dated_in_the_future_nor_before_the_campaign_nor_over_100(ledger_world):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "planned")
    for day, percent in (
        (timezone.localdate() + datetime.timedelta(days=1), 10),
        (datetime.date(1, 1, 1), 10),
        (datetime.date(w.campaign.year - 1, 12, 31), 10),
        (None, 101),
    ):
        with pytest.raises(DomainError):
            services.progress_post(
                item=item,
                actor=w.liaison_a,
                day=day or timezone.localdate(),
                text="x",
                percent=percent,
            )


# ---- who sees what ------------------------------------------------------------------------


@pytest.fixture
def other_leader(ledger_world):
    user = factories.UserFactory(username="leader_b")
    factories.WorkGroupMemberFactory(work_group=ledger_world.appraisal_b.work_group, user=user)
    return user


PAGES = ["ledger", "ledger_item", "ledger_export", "ledger_evidence", "campaign_ledger"]
EXPECTED = {
    # who: status per page, in the order of PAGES
    "liaison_a": [200, 200, 200, 200, 200],
    "liaison_b": [404, 404, 404, 404, 200],
    "leader": [200, 200, 200, 200, 200],
    "other_leader": [404, 404, 404, 404, 200],
    "office": [200, 200, 200, 200, 200],
    "deputy": [404, 404, 404, 404, 404],
    "outsider": [404, 404, 404, 404, 404],
    "anonymous": [302, 302, 302, 302, 302],
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_role_by_page(ledger_world, other_leader, client, who):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w), problem="甲单位的秘密问题"), "in_progress")
    evidence = item.evidence.get()
    args = {
        "ledger": w.appraisal_a.pk,
        "ledger_item": item.pk,
        "ledger_export": w.appraisal_a.pk,
        "ledger_evidence": evidence.pk,
        "campaign_ledger": w.campaign.pk,
    }
    user = other_leader if who == "other_leader" else getattr(w, who, None)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    got = [client.get(reverse(f"rectification:{p}", args=[args[p]])).status_code for p in PAGES]
    assert got == EXPECTED[who]
    if got[-1] == 200:
        page = client.get(reverse("rectification:campaign_ledger", args=[w.campaign.pk]))
        sees = "甲单位的秘密问题" in page.content.decode()
        assert sees == (who in ("liaison_a", "leader", "office"))


def test_evidence_is_served_as_a_download_with_its_type(ledger_world, login):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "in_progress")
    evidence = item.evidence.get()
    response = login(w.leader).get(evidence.get_absolute_url())
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_only_the_unit_edits_and_reports(ledger_world, other_leader, login):
    w = ledger_world
    item = make_item(w, first_item(w))
    edit = reverse("rectification:ledger_item_edit", args=[item.pk])
    assert login(w.leader).get(edit).status_code == 403
    assert login(w.liaison_b).get(edit).status_code == 404
    response = login(w.liaison_a).post(
        edit,
        {
            "problem": "改后的问题",
            "category": "immediate",
            "measures": "当即整改",
            "responsible_leader": "李",
            "responsible_department": "办公室",
            "deadline": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.problem, item.category) == ("改后的问题", "immediate")
    add = reverse("rectification:ledger_item_add", args=[w.appraisal_a.pk])
    assert login(w.leader).get(add).status_code == 403
    assert login(w.liaison_b).get(add).status_code == 404


def test_the_unit_adds_an_item_through_the_page(ledger_world, login):
    w = ledger_world
    op = first_item(w)
    response = login(w.liaison_a).post(
        reverse("rectification:ledger_item_add", args=[w.appraisal_a.pk]),
        {
            "opinion_item": str(op.pk),
            "problem": "窗口排队时间长",
            "category": "explanation",
            "explanation": "",
            "responsible_leader": "李",
            "responsible_department": "办公室",
        },
    )
    assert response.status_code == 200
    assert "需要说明理由" in response.content.decode() or "解释" in response.content.decode()
    assert not RectificationItem.objects.exists()
    other = w.opinion_b.items.get()
    response = login(w.liaison_a).post(
        reverse("rectification:ledger_item_add", args=[w.appraisal_a.pk]),
        {
            "opinion_item": str(other.pk),
            "problem": "x",
            "category": "immediate",
            "measures": "y",
            "responsible_leader": "李",
            "responsible_department": "办公室",
            "deadline": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200 and not RectificationItem.objects.exists()


# ---- the ledger pages ---------------------------------------------------------------------


def test_filters_and_deadlines_that_stand_out(ledger_world, login):
    w = ledger_world
    late = make_item(w, first_item(w), problem="逾期的事项", days=5)
    RectificationItem.objects.filter(pk=late.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=3)
    )
    make_item(w, first_item(w), problem="临近的事项", days=2)
    make_item(w, first_item(w), problem="还早的事项", days=60, responsible_department="法规科")
    client = login(w.liaison_a)
    url = reverse("rectification:ledger", args=[w.appraisal_a.pk])
    page = client.get(url).content.decode()
    assert "row-overdue" in page and "row-soon" in page
    page = client.get(url, {"overdue": "1"}).content.decode()
    assert "逾期的事项" in page and "临近的事项" not in page and "还早的事项" not in page
    page = client.get(url, {"department": "法规科"}).content.decode()
    assert "还早的事项" in page and "逾期的事项" not in page
    page = client.get(url, {"status": "closed"}).content.decode()
    assert "还早的事项" not in page


def test_each_opinion_item_shows_the_roll_up_of_its_items(ledger_world, login):
    w = ledger_world
    op1, _op2 = w.opinion_a.items.order_by("number")
    advance(w, make_item(w, op1), "closed")
    make_item(w, op1)
    page = login(w.leader).get(reverse("rectification:ledger", args=[w.appraisal_a.pk]))
    text = page.content.decode()
    assert "2 项整改事项，1 项已销号或已说明" in text
    assert "尚无整改事项" in text  # op2


def _many(w, n):
    ops = list(w.opinion_a.items.all())
    for i in range(n):
        item = make_item(w, ops[i % 2], problem=f"问题{i}", days=i - 3)
        if i % 3 == 0:
            advance(w, item, "in_progress")


@pytest.mark.parametrize("page", ["ledger", "campaign_ledger", "ledger_export"])
def test_query_count_does_not_grow_with_the_items(
    ledger_world, login, django_assert_max_num_queries, page
):
    w = ledger_world
    client = login(w.leader)
    url = reverse(
        f"rectification:{page}",
        args=[w.campaign.pk if page == "campaign_ledger" else w.appraisal_a.pk],
    )
    counts = []
    client.get(url)  # the session and the person's roles, once
    for n in (3, 30):
        RectificationItem.objects.all().delete()
        _many(w, n)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(15):
        client.get(url)


def test_the_campaign_ledger_pages_and_keeps_its_numbering_and_filters(
    ledger_world, login, settings
):
    from rectification.ledger import views

    w = ledger_world
    views_page = views.CAMPAIGN_PAGE
    views.CAMPAIGN_PAGE = 2
    try:
        for i in range(3):
            make_item(w, first_item(w), problem=f"第{i}号事项", responsible_department="法规科")
        url = reverse("rectification:campaign_ledger", args=[w.campaign.pk])
        client = login(w.office)
        first = client.get(url, {"department": "法规科"}).content.decode()
        assert "第0号事项" in first and "第2号事项" not in first
        assert "page=2" in first and "department=" in first
        second = client.get(url, {"department": "法规科", "page": "2"}).content.decode()
        assert "第2号事项" in second and "第0号事项" not in second
        assert '<td data-label="序号">3</td>' in second
        assert client.get(url, {"page": "9" * 30}).status_code == 200
    finally:
        views.CAMPAIGN_PAGE = views_page


def test_home_pages_say_what_waits_on_whom(ledger_world, login):
    w = ledger_world
    advance(w, make_item(w, first_item(w)), "returned")
    advance(w, make_item(w, first_item(w)), "done")
    make_item(w, first_item(w))
    unit = login(w.liaison_a).get(reverse("appraisal:unit_home")).content.decode()
    assert "有 1 项事项被退回，请继续整改。" in unit
    assert "有 1 项整改方案尚未报送，请报送。" in unit
    group = login(w.leader).get(reverse("appraisal:workgroup_home")).content.decode()
    assert "有 1 项事项已完成，请核查销号。" in group
    other = login(w.liaison_b).get(reverse("appraisal:unit_home")).content.decode()
    assert "被退回" not in other


class _Undo(Exception):
    pass


@pytest.mark.parametrize(
    "status", ["draft", "submitted", "planned", "in_progress", "done", "returned", "closed"]
)
def test_every_action_from_every_state_follows_the_table(ledger_world, status):
    """Each action succeeds exactly when the table allows it from this state, for the one
    who may make it; every other action is refused and changes nothing."""
    from django.db import transaction

    w = ledger_world
    item = make_item(w, first_item(w))
    if status != "draft":
        item = advance(w, item, status)
    actors = {"unit": w.liaison_a, "group": w.leader, "office": w.office}
    actions = {a for moves in RectificationItem.TRANSITIONS.values() for a in moves}
    allowed = item.moves()
    for action in sorted(actions):
        move = allowed.get(action)
        actor = actors[move.by] if move else w.office
        try:
            with transaction.atomic():
                moved = services.item_move(item=item, actor=actor, action=action, reason="理由")
                assert move is not None, action
                assert moved.status == move.to
                raise _Undo
        except _Undo:
            pass
        except DomainError:
            # Allowed by the table but refused for want of evidence: finishing needs it.
            assert move is None or (action == "finish" and not item.evidence.exists()), action
        item.refresh_from_db()
        assert item.status == status


# ---- a returned item is not done -----------------------------------------------------------


def test_a_returned_item_goes_back_to_its_last_reported_percent_never_100(ledger_world, login):
    from rectification.feedback.selectors import progress_lines
    from rectification.publication import services as publication
    from rectification.publication.selectors import progress_items
    from tests.rectification.conftest import verified

    w = ledger_world
    op = first_item(w)
    returned = advance(w, make_item(w, op, problem="窗口办件超时"), "returned")  # at 60 %
    assert returned.percent == 60
    # The unit reported 100 % before marking done: returned, it stands at 99 %.
    other = advance(w, make_item(w, op, problem="投诉回复慢"), "in_progress")
    services.progress_post(
        item=other, actor=w.liaison_a, day=timezone.localdate(), text="完成", percent=100
    )
    other = services.item_move(item=other, actor=w.liaison_a, action="finish")
    assert other.percent == 100  # done, awaiting the check
    other = services.item_move(item=other, actor=w.leader, action="return", reason="不到位")
    assert other.percent == RectificationItem.REWORK_MAX == 99
    row = AuditEvent.objects.filter(action="rectification.item.return").order_by("id").last()
    assert row.data["percent"] == 99

    # The same everywhere: the ledger's roll-up, the public page, the deputy's feedback.
    ledger_html = login(w.leader).get(reverse("rectification:ledger", args=[w.appraisal_a.pk]))
    assert "2 项整改事项，0 项已销号或已说明，平均进度 79%" in ledger_html.content.decode()
    [public] = [o for o in progress_items(w.appraisal_a) if o.items]
    assert [i.percent for i in public.items] == [60, 99] and public.percent == 79
    publication.progress_publication_move(appraisal=w.appraisal_a, action="publish", actor=w.office)
    html = login(w.office).get(reverse("portal:appraisal", args=[w.appraisal_a.pk]))
    text = html.content.decode()
    assert "2 项整改事项，0 项已销号或已说明，平均进度 79%" in text
    assert "100%" not in text and "已完成 0 项" not in text
    # A returned item at 99 % beside a done one at 100 %: not 100 % on average.
    services.item_move(item=returned, actor=w.liaison_a, action="start")
    services.progress_post(
        item=returned, actor=w.liaison_a, day=timezone.localdate(), text="完成", percent=100
    )
    [public] = [o for o in progress_items(w.appraisal_a) if o.items]
    assert [i.percent for i in public.items] == [100, 99] and public.percent == 99
    finding = verified(w.appraisal_a)
    op.findings.add(finding)
    assert sorted(line.percent for line in progress_lines([finding])[finding.pk]) == [99, 100]


def test_a_reopened_item_is_not_at_100_either(ledger_world):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "closed")
    assert item.percent == 100
    item = services.item_move(item=item, actor=w.office, action="reopen", reason="群众反映仍未解决")
    assert item.status == S.IN_PROGRESS and item.percent == 60


def test_a_second_click_on_a_move_gets_a_message_not_an_error_page(ledger_world, login):
    w = ledger_world
    item = advance(w, make_item(w, first_item(w)), "done")
    group = login(w.leader)
    url = reverse("rectification:ledger_item_move", args=[item.pk])
    assert group.post(url, {"action": "close", "reason": ""}).status_code == 302
    second = group.post(url, {"action": "close", "reason": ""}, follow=True)
    assert second.status_code == 200
    assert "不能进行此项操作" in second.content.decode()
    # Someone who may not make the move at all still gets no further than before.
    assert login(w.deputy).post(url, {"action": "close"}).status_code in (403, 404)
