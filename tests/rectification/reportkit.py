"""Helpers for the rectification report tests: heads for the units, a report written from
the ledger, completed, approved and submitted."""

from __future__ import annotations

from appraisal.models import User
from rectification.reports import services
from rectification.reports.models import RectificationReport
from rectification.reports.selectors import TO_FILL
from tests import factories
from units.models import UnitTeamMember


def head_of(appraisal, username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = factories.UserFactory(username=username, full_name=f"{username}局长")
        factories.UnitTeamMemberFactory(
            unit=appraisal.unit, user=user, role=UnitTeamMember.Role.HEAD
        )
    return user


def completed(report: RectificationReport) -> dict[str, str]:
    """Each section's text with the 【请填写…】 marks written out."""
    return {
        s["key"]: s["text"].replace(TO_FILL, "已补充：").replace("】", "") for s in report.sections
    }


def written(appraisal, liaison, head) -> RectificationReport:
    report = services.report_generate(appraisal=appraisal, actor=liaison)
    report = services.report_save_draft(
        report=report, actor=liaison, title=report.title, texts=completed(report)
    )
    return services.report_approve(report=report, actor=head)


def submitted(appraisal, liaison, head, note: str = "") -> RectificationReport:
    report = written(appraisal, liaison, head)
    return services.report_move(report=report, actor=liaison, to="submitted", note=note)
