"""Demo content for the self-review, the investigation report and the opinion.

Takes the demo campaign (loaded by ``load_demo``) from where it is to the opinions
phase, through the services a person would use: unit1 submits its self-review, group1
returns it with a comment, unit1 revises and group1 accepts; group1 writes its report,
leaves one prominent finding out with a reason, its two deputies sign; the office
accepts the report and issues an opinion with five items, which unit1 acknowledges.
Runs with DEBUG only, and only once.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from appraisal import services as appraisal_services
from appraisal.models import Appraisal, Campaign, ScheduledEvent, SelfReview, User
from appraisal.schedule import services as schedule
from appraisal.scoring.demo import hold_round
from appraisal.selfreview import services as selfreview
from rectification.models import AppraisalOpinion
from rectification.opinions import services as opinions
from surveys.answers.selectors import forwarded_findings
from surveys.answers.services import finding_answer_save
from surveys.findings.services import finding_forward, finding_review
from surveys.models import Finding, InvestigationActivity
from surveys.reports import services as reports

YEAR = 2026
UNIT = "市住房和城乡建设局"

FINDINGS = [
    ("service", False, "物业服务投诉办理周期长，部分投诉超过30个工作日未答复。"),
    ("livelihood", True, "老旧小区改造进度不均衡，部分小区雨污分流工程停工半年以上。"),
    ("law", False, "建筑市场执法检查程序不规范，个别案件未按规定告知当事人陈述申辩权利。"),
    ("service", False, "住房公积金提取材料要求繁琐，窗口一次性告知落实不到位。"),
    ("integrity", True, "个别工作人员在商品房预售资金监管中存在违规审批问题。"),
    ("conduct", False, "基层走访调研不够深入，对群众反映问题跟踪回访不及时。"),
]

SELF_REVIEW = {
    "basics": "市住房和城乡建设局内设科室12个，下属事业单位6个，在编人员218人。"
    "本年度重点承担城市更新、老旧小区改造、住房保障和建筑市场监管等工作。",
    "achievements": "全年完成老旧小区改造项目46个，惠及居民1.8万户；新筹集保障性租赁住房"
    "3,200套；办结12345热线诉求5,614件，按时办结率97.3%。",
    "problems": "一是物业服务监管不到位，投诉办理周期偏长。\n"
    "二是老旧小区改造推进不均衡，个别项目进度滞后。\n"
    "三是建筑市场执法规范化水平有待提高。",
    "causes": "对物业企业的日常监管手段不多，考核约束不够；项目前期群众意见征求不充分，"
    "施工协调难度大；执法人员业务培训不够系统。",
    "measures": "建立物业投诉限时办结和回访制度，2026年9月底前完成；对滞后项目实行挂牌督办，"
    "每月通报进度；开展执法案卷评查，年内培训执法人员两轮。",
    "fixed": "边查边改，已清理超期物业投诉45件，约谈物业企业12家，补正执法文书23份。",
}


def load_demo_opinions() -> Campaign:
    if not settings.DEBUG:
        raise RuntimeError("The demo loads only with DEBUG on.")
    campaign = Campaign.objects.get(year=YEAR)
    if AppraisalOpinion.objects.filter(campaign=campaign).exists():
        return campaign
    users = {u.username: u for u in User.objects.filter(username__in=[
        "office", "unit1", "unit1head", "group1", "deputy22", "deputy23"
    ])}  # fmt: skip
    office = users["office"]
    appraisal = Appraisal.objects.select_related("unit", "campaign").get(
        campaign=campaign, unit__name=UNIT
    )
    with transaction.atomic():
        findings = _findings(appraisal, users["group1"])
        raised = _raised(appraisal, users["group1"])
        campaign = _advance_to(campaign, office, Campaign.Phase.SELF_REVIEW)
        appraisal.campaign = campaign
        _self_review(appraisal, users, findings)
        _report(appraisal, users, findings)
        campaign = _advance_to(campaign, office, Campaign.Phase.MEETING)
        _meeting_round(campaign, office)
        campaign = _advance_to(campaign, office, Campaign.Phase.OPINIONS)
        appraisal.campaign = campaign
        _opinion(appraisal, users, findings, raised)
    return campaign


def _meeting_round(campaign: Campaign, office: User) -> None:
    """The appraisal meeting's first-round scoring of the four units, closed and published:
    the housing bureau only 基本满意, so its rectification matters."""
    leanings = {"市住房和城乡建设局": (0.45, 0.33), "市交通运输局": (0.68, 0.26),
                "市医疗保障局": (0.74, 0.21), "市市场监督管理局": (0.61, 0.30)}  # fmt: skip
    hold_round(
        campaign=campaign,
        office=office,
        title="集中评议会满意度测评",
        appraisals=list(campaign.appraisals.select_related("unit")),
        leanings=leanings,
        seed=YEAR,
    )
    # The meeting the schedule announced is the one just held: today, and held.
    meeting = ScheduledEvent.objects.filter(
        campaign=campaign, kind=ScheduledEvent.Kind.MEETING, status=ScheduledEvent.Status.SCHEDULED
    ).first()
    if meeting is not None:
        today = timezone.localdate()
        meeting = schedule.event_save(
            actor=office,
            campaign=campaign,
            appraisal=None,
            kind=meeting.kind,
            title=meeting.title,
            starts_at=timezone.make_aware(datetime.datetime.combine(today, datetime.time(9))),
            ends_at=timezone.make_aware(datetime.datetime.combine(today, datetime.time(12))),
            place=meeting.place,
            notes=meeting.notes,
            audience=meeting.audience,
            event=meeting,
        )
        schedule.event_move(event=meeting, actor=office, to=ScheduledEvent.Status.HELD)


def _advance_to(campaign: Campaign, office: User, phase: str) -> Campaign:
    order = list(Campaign.Phase)
    while order.index(Campaign.Phase(campaign.phase)) < order.index(Campaign.Phase(phase)):
        campaign = appraisal_services.campaign_advance_phase(
            campaign=campaign, actor=office, from_phase=campaign.phase
        )
    return campaign


def _findings(appraisal: Appraisal, leader: User) -> list[Finding]:
    activity = InvestigationActivity.objects.filter(appraisal=appraisal).first()
    if activity is None:
        activity = InvestigationActivity.objects.create(
            appraisal=appraisal,
            kind=InvestigationActivity.Kind.SYMPOSIUM,
            held_on=datetime.date(YEAR, 4, 16),
            place="市民服务中心三楼会议室",
            participants="第一评议工作组、人大代表8名、服务对象代表12名",
            summary="听取物业服务、老旧小区改造方面的意见建议。",
            recorded_by=leader,
        )
    now = timezone.now()
    out = []
    for topic, prominent, text in FINDINGS:
        out.append(
            Finding.objects.create(
                appraisal=appraisal,
                source=Finding.Source.ACTIVITY,
                activity=activity,
                text=text,
                topic=topic,
                status=Finding.Status.VERIFIED,
                prominent=prominent,
                verification_note="经工作组实地核实，情况属实。",
                verified_by=leader,
                verified_at=now,
                # The integrity case stays with the work group (handed to the discipline body).
                forwarded_at=None if topic == "integrity" else now,
            )
        )
    return out


# Opinions from outside the work group that the first opinion item rests on, so that those
# who raised them follow the rectification: deputy30's, and the public one with a receipt
# code (``load_demo_ledger`` prints it).
RAISED = [(Finding.Source.DEPUTY, "电梯加装"), (Finding.Source.PUBLIC, "维修资金")]


def _raised(appraisal: Appraisal, leader: User) -> list[Finding]:
    out = []
    for source, text in RAISED:
        finding = Finding.objects.filter(
            appraisal=appraisal, source=source, text__contains=text
        ).first()
        if finding is None:
            continue
        if finding.status != Finding.Status.VERIFIED:
            finding = finding_review(
                finding=finding,
                actor=leader,
                status=Finding.Status.VERIFIED,
                note="经工作组走访小区、查阅物业投诉台账，情况属实。",
                topic=Finding.Topic.SERVICE,
                prominent=False,
            )
        if finding.forwarded_at is None:
            finding = finding_forward(finding=finding, actor=leader)
        out.append(finding)
    return out


def _self_review(appraisal: Appraisal, users: dict[str, User], findings: list[Finding]) -> None:
    unit1, head, group1 = users["unit1"], users["unit1head"], users["group1"]
    for f in forwarded_findings(appraisal):  # the investigation demo forwards some too
        if f.forwarded_at:
            finding_answer_save(
                finding=f,
                actor=unit1,
                response="accepted" if f.topic != "conduct" else "partly",
                text="已制定整改方案，明确责任科室和完成时限。",
            )
    first = {**SELF_REVIEW, "problems": SELF_REVIEW["problems"].rsplit("\n", 1)[0]}
    review = selfreview.selfreview_save_draft(appraisal=appraisal, actor=unit1, content=first)
    selfreview.selfreview_approve(self_review=review, actor=head)
    selfreview.selfreview_move(self_review=review, actor=unit1, to=SelfReview.Status.SUBMITTED)
    selfreview.selfreview_move(
        self_review=review,
        actor=group1,
        to=SelfReview.Status.RETURNED,
        comments={
            "problems": "问题查摆不够全面，座谈会上反映的执法不规范问题未列入。",
            "measures": "整改措施请写明完成时限。",
        },
    )
    review = selfreview.selfreview_save_draft(appraisal=appraisal, actor=unit1, content=SELF_REVIEW)
    selfreview.selfreview_approve(self_review=review, actor=head)
    selfreview.selfreview_move(
        self_review=review,
        actor=unit1,
        to=SelfReview.Status.SUBMITTED,
        note="按工作组意见补充了建筑市场执法问题，整改措施明确了完成时限。",
    )
    selfreview.selfreview_move(self_review=review, actor=group1, to=SelfReview.Status.ACCEPTED)


def _report(appraisal: Appraisal, users: dict[str, User], findings: list[Finding]) -> None:
    group1 = users["group1"]
    left_out = next(f for f in findings if f.topic == "integrity")
    verified = Finding.objects.filter(appraisal=appraisal, status=Finding.Status.VERIFIED)
    included = {pk for pk in verified.values_list("pk", flat=True) if pk != left_out.pk}
    report = reports.report_save_draft(
        appraisal=appraisal,
        actor=group1,
        title="",
        body="",
        included=included,
        reasons={
            left_out.pk: "该问题线索已按规定移交市纪委监委调查处理，调查结论作出前不在报告中表述。"
        },
        compose=True,
    )
    body = report.body.replace(
        "（由工作组填写。）",
        "（一）健全物业服务监管长效机制，压实投诉办理责任。\n"
        "（二）加快老旧小区改造滞后项目进度，做好群众沟通。\n"
        "（三）规范建筑市场执法程序，提高执法文书质量。",
    )
    report = reports.report_save_draft(
        appraisal=appraisal,
        actor=group1,
        title=report.title,
        body=body,
        included=included,
        reasons={
            left_out.pk: "该问题线索已按规定移交市纪委监委调查处理，调查结论作出前不在报告中表述。"
        },
    )
    reports.report_move(report=report, actor=group1, to="signing")
    reports.report_sign(report=report, actor=users["deputy22"], decision="signed")
    reports.report_sign(report=report, actor=users["deputy23"], decision="signed")
    reports.report_move(report=report, actor=group1, to="submitted")
    reports.report_move(report=report, actor=users["office"], to="accepted")


ITEMS = [
    ("物业服务监管不到位，投诉办理周期长，群众满意度不高。",
     "建立物业投诉限时办结和回访制度，对超期投诉逐件清零，定期公布物业企业信用评价结果。"),
    ("老旧小区改造推进不均衡，个别项目停工时间长。",
     "对滞后项目实行清单管理和挂牌督办，明确复工时间，改造前充分征求居民意见。"),
    ("建筑市场执法程序不规范，执法文书质量不高。",
     "开展执法案卷评查，落实行政执法公示、全过程记录和重大执法决定法制审核制度。"),
    ("住房公积金业务办理材料繁琐，一次性告知落实不到位。",
     "精简办事材料，推行“一网通办”，全面落实首问负责和一次性告知制度。"),
    ("调查研究不够深入，对群众反映问题跟踪回访不及时。",
     "建立领导干部联系社区制度，对群众反映问题实行台账管理、限期答复。"),
]  # fmt: skip


def _report_due(campaign: Campaign) -> datetime.date:
    """The opinion's deadline: the day the schedule gives for the rectification report, so
    the calendar, the opinion and the report agree (four months on without a schedule)."""
    due = (
        ScheduledEvent.objects.filter(
            campaign=campaign, kind=ScheduledEvent.Kind.RECTIFICATION_REPORT_DUE
        )
        .order_by("starts_at")
        .first()
    )
    if due is not None:
        return timezone.localdate(due.starts_at)
    return timezone.localdate() + datetime.timedelta(days=120)


def _opinion(
    appraisal: Appraisal, users: dict[str, User], findings: list[Finding], raised: list[Finding]
) -> None:
    office = users["office"]
    opinion = opinions.opinion_save_draft(
        appraisal=appraisal,
        actor=office,
        title="",
        preamble=(
            f"根据《江川市人大常委会关于开展{YEAR}年度工作评议的实施方案》，常委会对你局"
            "工作进行了评议。评议中，你局高度重视，认真开展自查自评，边查边改取得一定成效。"
            "同时，评议也反映出一些问题和不足。现提出如下评议意见，请认真研究整改。"
        ),
        reply_deadline=_report_due(appraisal.campaign),
    )
    by_topic = {f.topic: f for f in findings}
    links = ["service", "livelihood", "law", "service", "conduct"]
    for number, ((problem, requirement), topic) in enumerate(zip(ITEMS, links, strict=True)):
        opinions.opinion_item_add(
            opinion=opinion,
            actor=office,
            problem=problem,
            requirement=requirement,
            findings=[by_topic[topic], *(raised if number == 0 else [])],
        )
    opinions.opinion_move(opinion=opinion, actor=office, to=AppraisalOpinion.Status.ISSUED)
    opinions.opinion_publish(opinion=opinion, actor=office)
    opinions.opinion_move(
        opinion=opinion, actor=users["unit1"], to=AppraisalOpinion.Status.ACKNOWLEDGED
    )
