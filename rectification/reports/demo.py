"""Demo rectification report for unit1 (called by ``load_demo_ledger``): the draft written
from the demo ledger, its next steps filled in; the places the generator cannot know
(why an item is overdue, when an open one will be done) are left marked 【请填写…】 for
whoever tries the demo to complete, approve as unit1head and submit as unit1."""

from __future__ import annotations

from appraisal.models import Appraisal, User
from rectification.reports import services

NEXT_STEPS = (
    "一是对逾期和正在整改的事项实行周调度，班子成员分片包干，确保按期完成。\n"
    "二是把物业服务监管、老旧小区改造等整改成果固化为长效制度。\n"
    "三是主动接受人大代表和群众监督，定期公开整改进展。"
)


def demo_report(appraisal: Appraisal, liaison: User) -> None:
    report = services.report_generate(appraisal=appraisal, actor=liaison)
    services.report_save_draft(
        report=report, actor=liaison, title=report.title, texts={"next": NEXT_STEPS}
    )
