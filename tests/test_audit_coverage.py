"""Every write leaves an audit row: each public service function, and each admin change.

The services are found by walking the services modules, so a new service without a
recipe here (or a reasoned entry in ``NOT_AUDITED``) fails
``test_every_service_has_a_recipe_or_a_reason``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from appraisal import roster as roster_module
from appraisal import services as appraisal_services
from appraisal.admin_audit import AuditedModelAdmin
from appraisal.announcements import services as announcement_services
from appraisal.models import (
    AuditEvent,
    RoundGroup,
    ScoringRound,
    Voter,
    WorkGroupMember,
)
from appraisal.roster import PersonRow, Roster, UnitRow
from appraisal.schedule import services as schedule_services
from appraisal.scoring import services as scoring_services
from appraisal.scoring.rules import PRESETS
from rectification.feedback import services as feedback_services
from rectification.ledger import importing as ledger_importing
from rectification.publication import services as publication_services
from rectification.reports import services as report_services
from surveys.findings import services as findings_services
from surveys.models import Answer, Finding, Survey
from surveys.questionnaires import services as survey_services
from tests import factories
from tests.appraisal.conftest import all_choice, make_round
from tests.conftest import World
from units.models import Unit, UnitTeamMember

pytestmark = pytest.mark.django_db

SERVICE_MODULES: list[ModuleType] = [
    appraisal_services,
    announcement_services,
    publication_services,
    scoring_services,
    findings_services,
    survey_services,
    feedback_services,
    report_services,
    schedule_services,
]
# Writes that live outside a services module.
EXTRA_SERVICES = [roster_module.roster_import, ledger_importing.ledger_import]

NOT_AUDITED = {
    "office_group_sync": "run by post_migrate, by no one: it keeps the office group's "
    "permissions equal to the office apps' models, no domain state changes",
    "seal_ballot": "encrypts a ballot's content for its envelope and writes nothing; the "
    "ballot it seals is written (and audited, who and when, never what) by ballot_cast",
    "link_limit_message": "a sentence for the answer page, not a write",
    "user_privileges_guard": "a check before an admin save, not a write: it refuses or "
    "returns, and the save it guards is audited by AuditedModelAdmin",
    "closure_notices_create": "runs only inside item_move's close (销号), whose audit row "
    "records how many were notified; the notice points at that row",
    "response_submit": "an answer is anonymous (DESIGN.md §4): a timed row beside it would "
    "help pair a respondent with a response; who answered is the roll "
    "(SurveyRespondent) or the used code, written in the same transaction",
}


def _services() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for module in SERVICE_MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                found[name] = function
    for function in EXTRA_SERVICES:
        found[function.__name__] = function
    return found


# ---- recipes: set up (no matter what that writes), then return the one call to audit ----


def _survey(world: World, *, state: str = "draft", questions: int = 2) -> Survey:
    survey = survey_services.survey_save(
        campaign=world.campaign, appraisal=world.appraisal_a, actor=world.leader, title="问卷",
        intro="", audience="public", access="codes", opens_on=None, closes_on=None,
    )  # fmt: skip
    for i in range(questions):
        survey_services.question_save(
            survey=survey, actor=world.leader, kind="text", text=f"问题{i}", required=False,
            options="", max_choices=None,
        )  # fmt: skip
    if state == "open":
        survey_services.survey_set_state(survey=survey, actor=world.leader, state="open")
        survey.refresh_from_db()
    return survey


def _finding(world: World, *, verified: bool = False) -> Finding:
    finding = findings_services.finding_record(
        appraisal=world.appraisal_a, actor=world.leader, text="问题", topic="other"
    )
    if verified:
        finding = findings_services.finding_review(
            finding=finding, actor=world.leader, status="verified", note="属实", topic="other",
            prominent=False,
        )  # fmt: skip
    return finding


def _round(world: World, state: str = "draft") -> ScoringRound:
    rnd = make_round(world).round
    if state in ("open", "closed"):
        scoring_services.round_open(round=rnd, actor=world.office)
    if state == "closed":
        scoring_services.ballot_cast(
            round_id=rnd.pk, voter=world.deputy, choices=all_choice(world, "satisfied")
        )
        scoring_services.round_close(round=rnd, actor=world.office)
    rnd.refresh_from_db()
    return rnd


def _answer_id(world: World) -> int:
    survey = _survey(world, questions=1)
    Survey.objects.filter(pk=survey.pk).update(access="link")  # public answers are not sealed
    survey_services.survey_set_state(survey=survey, actor=world.leader, state="open")
    survey.refresh_from_db()
    question = survey.questions.get()
    survey_services.response_submit(
        survey=survey, answers={question.pk: "窗口排队太久"}, address="198.51.100.9"
    )
    return Answer.objects.get(question=question).pk


RECIPES: dict[str, Callable[[World], Callable[[], Any]]] = {}


def recipe(setup: Callable[[World], Callable[[], Any]]) -> Callable[[World], Callable[[], Any]]:
    """Register ``setup`` for the service of the same name: it prepares what the service
    needs (whatever that writes) and returns the one call whose audit row is checked."""
    RECIPES[setup.__name__] = setup
    return setup


@recipe
def announcement_save(w: World) -> Callable[[], Any]:
    return lambda: announcement_services.announcement_save(
        campaign=w.campaign,
        actor=w.office,
        values={"kind": "launch", "title": "公告", "body": "正文"},
    )


def _notice(w: World) -> Any:
    return announcement_services.announcement_save(
        campaign=w.campaign,
        actor=w.office,
        values={"kind": "launch", "title": "公告", "body": "正文"},
    )


@recipe
def announcement_attach(w: World) -> Callable[[], Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = _notice(w)
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n")
    return lambda: announcement_services.announcement_attach(
        announcement=a, actor=w.office, uploads=[upload]
    )


@recipe
def announcement_detach(w: World) -> Callable[[], Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = _notice(w)
    announcement_services.announcement_attach(
        announcement=a, actor=w.office, uploads=[SimpleUploadedFile("a.pdf", b"%PDF-1.7\n")]
    )
    f = a.attachments.get()
    return lambda: announcement_services.announcement_detach(attachment=f, actor=w.office)


@recipe
def announcement_move(w: World) -> Callable[[], Any]:
    a = _notice(w)
    return lambda: announcement_services.announcement_move(
        announcement=a, action="publish", actor=w.office
    )


@recipe
def announcements_publish_due(w: World) -> Callable[[], Any]:
    import datetime as dt

    a = _notice(w)
    announcement_services.announcement_move(
        announcement=a, action="schedule", actor=w.office,
        publish_at=timezone.now() + dt.timedelta(minutes=5),
    )  # fmt: skip
    later = timezone.now() + dt.timedelta(minutes=10)
    return lambda: announcement_services.announcements_publish_due(now=later)


@recipe
def progress_publication_move(w: World) -> Callable[[], Any]:
    from tests.rectification.ledgerkit import issue

    issue(w, w.appraisal_a, items=1)  # progress is published once there is an opinion
    return lambda: publication_services.progress_publication_move(
        appraisal=w.appraisal_a, action="publish", actor=w.office
    )


@recipe
def campaign_advance_phase(w: World) -> Callable[[], Any]:
    return lambda: appraisal_services.campaign_advance_phase(
        campaign=w.campaign, actor=w.office, from_phase=w.campaign.phase
    )


@recipe
def office_grant(w: World) -> Callable[[], Any]:
    return lambda: appraisal_services.office_grant(user=w.outsider, actor=w.office)


@recipe
def work_group_member_set(w: World) -> Callable[[], Any]:
    group = w.appraisal_b.work_group
    return lambda: appraisal_services.work_group_member_set(
        work_group=group, user=w.outsider, role="member", actor=w.office
    )


@recipe
def unit_team_member_set(w: World) -> Callable[[], Any]:
    return lambda: appraisal_services.unit_team_member_set(
        unit=w.appraisal_b.unit, user=w.outsider, role="staff", actor=w.office
    )


@recipe
def voter_set(w: World) -> Callable[[], Any]:
    group = factories.VoterGroupFactory(campaign=w.campaign)
    return lambda: appraisal_services.voter_set(voter_group=group, user=w.outsider, actor=w.office)


@recipe
def roster_import(w: World) -> Callable[[], Any]:
    roster = Roster(
        units=[UnitRow(2, "市审计局", "审计局", "government", "")],
        people=[PersonRow(2, "newcomer", "新同志", "单位联络员", "市审计局", "", "", "")],
    )
    return lambda: roster_module.roster_import(campaign=w.campaign, roster=roster, actor=w.office)


@recipe
def ledger_import(w: World) -> Callable[[], Any]:
    from tests.rectification.ledgerkit import issue, set_phase

    issue(w, w.appraisal_a, items=1)
    set_phase(w, "rectification")
    op = w.appraisal_a.opinion.items.get()
    row = ledger_importing.LedgerRow(
        row=2, opinion_item=op, problem="窗口办件超时", category="deadline", measures="限时办结",
        explanation="", standard="", responsible_leader="王副局长",
        responsible_department="行政审批科", deadline=timezone.localdate(),
    )  # fmt: skip
    parsed = ledger_importing.ParsedLedger(rows=[row], ignored_columns=[])
    return lambda: ledger_importing.ledger_import(
        appraisal=w.appraisal_a, parsed=parsed, actor=w.liaison_a
    )


@recipe
def round_save(w: World) -> Callable[[], Any]:
    group = w.deputy.voter_entries.get().voter_group
    return lambda: scoring_services.round_save(
        campaign=w.campaign, actor=w.office, title="测评", kind=1, appraisals=[w.appraisal_a],
        voter_groups=[group], allow_unknown=False, rule=PRESETS["rate_80_60"],
    )  # fmt: skip


@recipe
def round_set_attendance(w: World) -> Callable[[], Any]:
    rnd = _round(w)
    groups = {g.pk: {"present": 1} for g in RoundGroup.objects.filter(round=rnd)}
    return lambda: scoring_services.round_set_attendance(round=rnd, actor=w.office, groups=groups)


@recipe
def round_open(w: World) -> Callable[[], Any]:
    rnd = _round(w)
    return lambda: scoring_services.round_open(round=rnd, actor=w.office)


@recipe
def round_move(w: World) -> Callable[[], Any]:
    rnd = _round(w)
    return lambda: scoring_services.round_move(round=rnd, to="open", actor=w.office)


@recipe
def round_close(w: World) -> Callable[[], Any]:
    rnd = _round(w, "open")
    return lambda: scoring_services.round_close(round=rnd, actor=w.office)


@recipe
def round_publish(w: World) -> Callable[[], Any]:
    rnd = _round(w, "closed")
    return lambda: scoring_services.round_publish(round=rnd, actor=w.office)


@recipe
def ballot_cast(w: World) -> Callable[[], Any]:
    rnd = _round(w, "open")
    choices = all_choice(w, "satisfied")
    return lambda: scoring_services.ballot_cast(round_id=rnd.pk, voter=w.deputy, choices=choices)


@recipe
def codes_generate(w: World) -> Callable[[], Any]:
    rnd = _round(w)
    group = rnd.groups.first().voter_group
    return lambda: scoring_services.codes_generate(
        round=rnd, voter_group=group, count=2, actor=w.office
    )


@recipe
def paper_tally_enter(w: World) -> Callable[[], Any]:
    rnd = _round(w, "open")
    group = rnd.groups.first().voter_group
    rows = {w.appraisal_a.pk: {"satisfied": 1}}
    return lambda: scoring_services.paper_tally_enter(
        round=rnd, voter_group=group, actor=w.office, rows=rows
    )


@recipe
def activity_record(w: World) -> Callable[[], Any]:
    return lambda: findings_services.activity_record(
        appraisal=w.appraisal_a, actor=w.leader, kind="symposium",
        held_on=timezone.localdate(), place="会议室", participants="", summary="座谈",
    )  # fmt: skip


@recipe
def activity_correct(w: World) -> Callable[[], Any]:
    activity = findings_services.activity_record(
        appraisal=w.appraisal_a, actor=w.leader, kind="symposium",
        held_on=timezone.localdate(), place="会议室", participants="", summary="座谈",
    )  # fmt: skip
    return lambda: findings_services.activity_correct(
        activity=activity, actor=w.leader, kind="symposium", held_on=timezone.localdate(),
        place="三楼会议室", participants="", summary="座谈",
    )  # fmt: skip


@recipe
def finding_record(w: World) -> Callable[[], Any]:
    return lambda: _finding(w)


@recipe
def finding_submit_by_deputy(w: World) -> Callable[[], Any]:
    return lambda: findings_services.finding_submit_by_deputy(
        appraisal=w.appraisal_a, deputy=w.deputy, text="意见", topic="other"
    )


@recipe
def finding_submit_public(w: World) -> Callable[[], Any]:
    return lambda: findings_services.finding_submit_public(
        appraisal=w.appraisal_a, text="意见", contact="", address="198.51.100.7"
    )


@recipe
def finding_review(w: World) -> Callable[[], Any]:
    finding = _finding(w)
    return lambda: findings_services.finding_review(
        finding=finding, actor=w.leader, status="verifying", note="", topic="other",
        prominent=False,
    )  # fmt: skip


@recipe
def finding_from_answer(w: World) -> Callable[[], Any]:
    answer_id = _answer_id(w)
    return lambda: findings_services.finding_from_answer(answer_id=answer_id, actor=w.leader)


@recipe
def finding_forward(w: World) -> Callable[[], Any]:
    finding = _finding(w, verified=True)
    return lambda: findings_services.finding_forward(finding=finding, actor=w.leader)


@recipe
def survey_save(w: World) -> Callable[[], Any]:
    return lambda: _survey(w, questions=0)


@recipe
def question_save(w: World) -> Callable[[], Any]:
    survey = _survey(w, questions=0)
    return lambda: survey_services.question_save(
        survey=survey, actor=w.leader, kind="text", text="新问题", required=False, options="",
        max_choices=None,
    )  # fmt: skip


@recipe
def question_delete(w: World) -> Callable[[], Any]:
    question = _survey(w).questions.first()
    return lambda: survey_services.question_delete(question=question, actor=w.leader)


@recipe
def question_move(w: World) -> Callable[[], Any]:
    question = _survey(w).questions.order_by("position").last()
    return lambda: survey_services.question_move(question=question, actor=w.leader, up=True)


@recipe
def survey_set_state(w: World) -> Callable[[], Any]:
    survey = _survey(w)
    return lambda: survey_services.survey_set_state(survey=survey, actor=w.leader, state="open")


@recipe
def survey_set_link_limit(w: World) -> Callable[[], Any]:
    survey = _survey(w)
    return lambda: survey_services.survey_set_link_limit(survey=survey, actor=w.leader, limit=50)


@recipe
def paper_recount(w: World) -> Callable[[], Any]:
    rnd = _round(w, "open")
    group = rnd.groups.first().voter_group
    scoring_services.paper_tally_enter(
        round=rnd, voter_group=group, actor=w.office, rows={w.appraisal_a.pk: {"satisfied": 1}}
    )
    return lambda: scoring_services.paper_recount(
        round=rnd, voter_group=group, actor=w.office, reason="两名计票人数字不一致"
    )


@recipe
def survey_copy(w: World) -> Callable[[], Any]:
    survey = _survey(w)
    return lambda: survey_services.survey_copy(survey=survey, actor=w.leader)


@recipe
def survey_codes_generate(w: World) -> Callable[[], Any]:
    survey = _survey(w)
    return lambda: survey_services.survey_codes_generate(survey=survey, actor=w.leader, count=3)


@recipe
def notices_mark_read(w: World) -> Callable[[], Any]:
    from tests.rectification.feedbackkit import close, raise_and_issue
    from tests.rectification.ledgerkit import make_item

    raised = raise_and_issue(w)
    close(w, make_item(w, raised.opinion_item))
    return lambda: feedback_services.notices_mark_read(person=w.deputy)


# ---- the rectification report (rectification/reports) ----------------------------------


def _report(w: World, *, state: str = "draft") -> Any:
    from tests.rectification.ledgerkit import issue, set_phase
    from tests.rectification.reportkit import completed, head_of, submitted

    issue(w, w.appraisal_a, items=1)
    set_phase(w, "rectification")
    w.appraisal_a.campaign.refresh_from_db()
    head = head_of(w.appraisal_a, "audit_head")
    if state == "submitted":
        return submitted(w.appraisal_a, w.liaison_a, head)
    report = report_services.report_generate(appraisal=w.appraisal_a, actor=w.liaison_a)
    return report_services.report_save_draft(
        report=report, actor=w.liaison_a, title=report.title, texts=completed(report)
    ), head


@recipe
def report_generate(w: World) -> Callable[[], Any]:
    _report(w)
    return lambda: report_services.report_generate(appraisal=w.appraisal_a, actor=w.liaison_a)


@recipe
def report_save_draft(w: World) -> Callable[[], Any]:
    report, _head = _report(w)
    return lambda: report_services.report_save_draft(
        report=report, actor=w.liaison_a, title="新标题", texts={}
    )


@recipe
def report_approve(w: World) -> Callable[[], Any]:
    report, head = _report(w)
    return lambda: report_services.report_approve(report=report, actor=head)


@recipe
def report_move(w: World) -> Callable[[], Any]:
    report = _report(w, state="submitted")
    return lambda: report_services.report_move(report=report, actor=w.leader, to="accepted")


@recipe
def plan_save(w: World) -> Callable[[], Any]:
    return lambda: schedule_services.plan_save(
        campaign=w.campaign, actor=w.office, title="实施方案", text="一、总则"
    )


@recipe
def phase_plan_save(w: World) -> Callable[[], Any]:
    day = timezone.localdate()
    return lambda: schedule_services.phase_plan_save(
        campaign=w.campaign, actor=w.office, dates={"investigation": (day, day)}
    )


def _event(w: World) -> Any:
    return schedule_services.event_save(
        actor=w.office, campaign=w.campaign, appraisal=None, kind="meeting", title="会议",
        starts_at=timezone.now(),
    )  # fmt: skip


@recipe
def event_save(w: World) -> Callable[[], Any]:
    return lambda: _event(w)


@recipe
def event_move(w: World) -> Callable[[], Any]:
    event = _event(w)
    return lambda: schedule_services.event_move(event=event, actor=w.office, to="held")


@recipe
def feed_reset(w: World) -> Callable[[], Any]:
    return lambda: schedule_services.feed_reset(user=w.deputy)


def test_every_service_has_a_recipe_or_a_reason():
    services = set(_services())
    assert services - set(RECIPES) - set(NOT_AUDITED) == set(), "add a recipe or a reason"
    assert set(RECIPES) | set(NOT_AUDITED) <= services, "a recipe for a service that is gone"
    assert not set(RECIPES) & set(NOT_AUDITED)


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_each_service_writes_an_audit_row(world, name):
    act = RECIPES[name](world)
    before = AuditEvent.objects.count()
    act()
    assert AuditEvent.objects.count() > before, f"{name} wrote no audit row"


# ---- the admin ----------------------------------------------------------------------------

# Admins that may write without an audit row, and why.
ADMIN_NOT_AUDITED = {
    "appraisal.AuditEvent": "read-only: no one adds, changes or deletes audit rows",
    "appraisal.IssuedDocument": "read-only register: issuing goes through the document services",
    "axes.AccessAttempt": "sign-in throttling records of django-axes: deleting one unlocks "
    "an account; axes logs it itself",
    "axes.AccessLog": "django-axes' own sign-in log",
    "axes.AccessFailureLog": "django-axes' own sign-in failure log",
}


def test_every_admin_is_audited_or_listed():
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        assert isinstance(model_admin, AuditedModelAdmin) or label in ADMIN_NOT_AUDITED, label
    assert isinstance(admin.site._registry[Group], GroupAdmin)  # still the auth look


def _instances(world: World) -> dict[str, Any]:
    extra = factories.AppraisalFactory(campaign=world.campaign)
    return {
        "appraisal.User": factories.UserFactory(username="to-delete"),
        "appraisal.Campaign": factories.CampaignFactory(year=1999),
        "appraisal.WorkGroup": factories.WorkGroupFactory(campaign=world.campaign),
        "appraisal.WorkGroupMember": WorkGroupMember.objects.get(user=world.leader),
        "appraisal.Appraisal": extra,
        "appraisal.VoterGroup": factories.VoterGroupFactory(campaign=world.campaign),
        "appraisal.Voter": Voter.objects.get(user=world.deputy),
        "units.Unit": factories.UnitFactory(name="市待删除局"),
        "units.UnitTeamMember": UnitTeamMember.objects.get(user=world.liaison_b),
        "auth.Group": Group.objects.create(name="临时分组"),
    }


@pytest.mark.parametrize(
    "label",
    [
        "appraisal.User",
        "appraisal.Campaign",
        "appraisal.WorkGroup",
        "appraisal.WorkGroupMember",
        "appraisal.Appraisal",
        "appraisal.VoterGroup",
        "appraisal.Voter",
        "units.Unit",
        "units.UnitTeamMember",
        "auth.Group",
    ],
)
def test_admin_deletes_are_audited(world, client, label):
    world.office.is_superuser = True  # auth.Group is the superuser's
    world.office.save(update_fields=["is_superuser"])
    client.force_login(world.office, backend="django.contrib.auth.backends.ModelBackend")
    obj = _instances(world)[label]
    app, model = label.lower().split(".")
    url = reverse(f"admin:{app}_{model}_delete", args=[obj.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert not type(obj).objects.filter(pk=obj.pk).exists()
    assert AuditEvent.objects.filter(
        action=f"admin.{label.lower()}.deleted", object_id=str(obj.pk), actor=world.office
    ).exists()


def test_the_bulk_delete_action_audits_each_row(world, admin_client_office):
    units = [factories.UnitFactory(name=f"市批量局{i}") for i in range(3)]
    response = admin_client_office.post(
        reverse("admin:units_unit_changelist"),
        {"action": "delete_selected", "_selected_action": [u.pk for u in units], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Unit.objects.filter(pk__in=[u.pk for u in units]).exists()
    deleted = AuditEvent.objects.filter(action="admin.units.unit.deleted")
    assert set(deleted.values_list("object_id", flat=True)) == {str(u.pk) for u in units}


def test_an_admin_password_change_is_audited_without_the_password(world, admin_client_office):
    url = reverse("admin:auth_user_password_change", args=[world.deputy.pk])
    new = "Another-horse-battery-9"
    response = admin_client_office.post(url, {"password1": new, "password2": new})
    assert response.status_code == 302
    world.deputy.refresh_from_db()
    assert world.deputy.check_password(new)
    event = AuditEvent.objects.get(
        action="admin.appraisal.user.changed", object_id=str(world.deputy.pk)
    )
    assert event.actor == world.office and event.data == {"fields": ["password"]}
    assert new not in str(event.data) and world.deputy.password not in str(event.data)


def test_a_refused_admin_password_change_writes_nothing(world, admin_client_office):
    url = reverse("admin:auth_user_password_change", args=[world.deputy.pk])
    before = AuditEvent.objects.count()
    response = admin_client_office.post(url, {"password1": "a-long-one-1", "password2": "other"})
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before


def test_an_admin_group_change_is_audited(world, client):
    world.office.is_superuser = True
    world.office.save(update_fields=["is_superuser"])
    client.force_login(world.office, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("admin:auth_group_add"), {"name": "新分组", "permissions": []})
    assert response.status_code == 302
    group = Group.objects.get(name="新分组")
    assert AuditEvent.objects.filter(
        action="admin.auth.group.created", object_id=str(group.pk)
    ).exists()
