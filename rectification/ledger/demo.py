"""Demo ledger for unit1 (after ``load_demo_opinions``): the campaign moves on to the
rectification phase and unit1 builds items from its five opinion items, in every
category and state — a draft, a plan awaiting approval, one approved (gradual), work in progress
(one of them overdue), one done and waiting for group1's check, one returned, two closed
and one explained — with progress and evidence, through the services a person would use.
DEBUG only, and only once."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from appraisal import documents
from appraisal.models import Appraisal, Campaign, User
from rectification.demo import UNIT, YEAR, _advance_to
from rectification.ledger import services
from rectification.ledger.models import RectificationItem
from rectification.opinions.models import AppraisalOpinion
from rectification.publication.services import progress_publication_move

# (opinion item, target state, category, problem, measures, standard, leader, department,
#  deadline in days from today)
ITEMS = [
    (1, "closed", "immediate", "物业投诉超期未答复45件",
     "逐件核查超期投诉，限期答复并回访", "超期投诉全部办结、回访率100%", "王建国副局长",
     "物业管理科", 20),
    (1, "in_progress", "deadline", "物业投诉办理缺少限时办结制度",
     "制定物业投诉限时办结和回访办法", "办法印发实施，按时办结率达到95%以上", "王建国副局长",
     "物业管理科", 60),
    (2, "in_progress_overdue", "deadline", "雨污分流工程停工半年以上",
     "对停工项目挂牌督办，协调施工单位复工", "停工项目全部复工并完成分流改造", "李明副局长",
     "城市更新科", -12),
    (2, "planned", "gradual", "老旧小区改造推进不均衡",
     "分年度制定改造计划，2027年完成剩余32个小区", "年度计划完成率100%", "李明副局长",
     "城市更新科", 400),
    (3, "returned", "deadline", "执法文书不规范，未告知陈述申辩权利",
     "统一执法文书格式，开展执法人员培训", "抽查案卷合格率100%", "赵志强副局长",
     "建筑市场监管科", 30),
    (3, "done", "deadline", "执法人员业务培训不系统",
     "制定年度培训计划，全员轮训", "全员培训并考试合格", "赵志强副局长",
     "政策法规科", 45),
    (4, "closed", "immediate", "公积金提取材料要求繁琐",
     "精简提取材料，取消重复证明", "提取材料由9项减至5项", "孙丽副主任",
     "住房公积金中心", 15),
    (4, "explained", "explanation", "异地公积金转移接续时间长",
     "", "", "孙丽副主任", "住房公积金中心", None),
    (5, "submitted", "deadline", "群众反映问题跟踪回访不及时",
     "建立群众诉求回访台账，每月通报", "回访率100%", "局长 陈卫东", "办公室", 90),
    (5, "draft", "immediate", "基层走访调研不够深入",
     "班子成员每季度走访基层不少于2次", "走访记录完整", "局长 陈卫东", "办公室", 30),
]  # fmt: skip
EXPLANATION = (
    "住房公积金异地转移接续由全国住房公积金监管服务平台统一办理，办理时限由国家规定，"
    "本单位无权调整；已向省住房和城乡建设厅反映，并在窗口设立专人代办。"
)


def _photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("现场照片.png", documents.qr_png("整改现场照片", scale=6))


def _pdf(title: str) -> SimpleUploadedFile:
    from weasyprint import HTML

    html = f"<h1>{title}</h1><p>市住房和城乡建设局整改佐证材料。</p>"
    return SimpleUploadedFile(f"{title}.pdf", HTML(string=html).write_pdf())


def load_demo_ledger() -> Campaign:
    if not settings.DEBUG:
        raise RuntimeError("The demo loads only with DEBUG on.")
    campaign = Campaign.objects.get(year=YEAR)
    appraisal = Appraisal.objects.select_related("unit", "campaign").get(
        campaign=campaign, unit__name=UNIT
    )
    if RectificationItem.objects.filter(appraisal=appraisal).exists():
        return campaign
    opinion = AppraisalOpinion.objects.filter(appraisal=appraisal).first()
    if opinion is None or opinion.is_draft:
        raise RuntimeError("Load the opinions first (load_demo_opinions).")
    users = {u.username: u for u in User.objects.filter(username__in=["office", "unit1", "group1"])}
    unit, group = users["unit1"], users["group1"]
    ops = {i.number: i for i in opinion.items.all()}
    today = timezone.localdate()
    pdf = _pdf("限时办结制度")
    with transaction.atomic():
        campaign = _advance_to(campaign, users["office"], Campaign.Phase.RECTIFICATION)
        for number, state, category, problem, measures, standard, leader, dept, days in ITEMS:
            item = services.item_create(
                opinion_item=ops[number],
                actor=unit,
                problem=problem,
                measures=measures,
                standard=standard,
                category=category,
                explanation=EXPLANATION if category == "explanation" else "",
                responsible_leader=leader,
                responsible_department=dept,
                deadline=None if days is None else today + datetime.timedelta(days=days),
            )
            if state == "draft":
                continue
            item = services.item_move(item=item, actor=unit, action="submit")
            if state == "submitted":
                continue
            if state == "explained":
                services.item_move(item=item, actor=group, action="accept_explanation")
                continue
            item = services.item_move(item=item, actor=group, action="approve")
            if state == "planned":
                continue
            steps: list[tuple[int, str, list[SimpleUploadedFile]]] = [
                (40, "已制定工作方案，明确责任人和时间节点。", [])
            ]
            if state in ("closed", "done", "returned", "in_progress", "in_progress_overdue"):
                steps.append((70, "主要措施已落实，正在督促检查。", [_photo()]))
            if state in ("closed", "done", "returned"):
                pdf.seek(0)
                steps.append((100, "整改任务全部完成。", [_photo(), pdf]))
            for n, (percent, text, uploads) in enumerate(steps):
                services.progress_post(
                    item=item,
                    actor=unit,
                    day=today - datetime.timedelta(days=10 * (len(steps) - n)),
                    text=text,
                    percent=percent,
                    uploads=uploads,
                )
            if state in ("closed", "done", "returned"):
                item = services.item_move(item=item, actor=unit, action="finish")
            if state == "closed":
                services.item_move(
                    item=item, actor=group, action="close", reason="经现场核查，整改到位。"
                )
            if state == "returned":
                services.item_move(
                    item=item,
                    actor=group,
                    action="return",
                    reason="抽查案卷中仍有2件未告知陈述申辩权利，请继续整改。",
                )
        # The office publishes unit1's progress on the public portal (issue 12).
        progress_publication_move(appraisal=appraisal, action="publish", actor=users["office"])
    return campaign


# Who follows the demo's feedback (对代表和服务对象的反馈): deputy30 raised a finding that
# opinion item 1 rests on, and so did a member of the public with a receipt code; item 1's
# first rectification item is closed above, so deputy30 has a closure notice.
FEEDBACK_DEPUTY = "deputy30"


def feedback_receipt_code() -> str:
    """The receipt code of the public opinion that unit1's opinion item 1 rests on."""
    from rectification.opinions.models import OpinionItem

    item = (
        OpinionItem.objects.filter(
            opinion__campaign__year=YEAR, opinion__appraisal__unit__name=UNIT, number=1
        )
        .prefetch_related("findings")
        .first()
    )
    codes = [f.receipt_code for f in item.findings.all() if f.receipt_code] if item else []
    return codes[0] if codes else ""
