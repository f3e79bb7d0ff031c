"""The demo's implementation plan, planned phase dates and schedule, written through the
schedule's services: past activities scheduled before they were held (and recorded from
their events), an unannounced visit for group1 ahead, the appraisal meeting and the
deadlines to come."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from appraisal.models import Appraisal, Campaign, ScheduledEvent, User
from appraisal.schedule import services as schedule

PLAN_TEXT = "\n".join(
    [
        (
            "为贯彻落实监督法和市人大常委会年度工作要点，经主任会议研究，决定对市住房和城乡建"
            "设局、市交通运输局、市医疗保障局、市市场监督管理局开展工作评议。现制定如下实施方"
            "案。"
        ),
        "一、指导思想",
        (
            "坚持党的领导、人民当家作主、依法治国有机统一，以增强监督实效为目标，推动被评议单"
            "位依法履职、改进作风、提升服务水平。"
        ),
        "二、评议对象和内容",
        ("（一）评议对象：市住房和城乡建设局、市交通运输局、市医疗保障局、市市场监督管理局。"),
        (
            "（二）评议内容：贯彻执行法律法规和市人大常委会决议决定情况，依法行政、公正司法情"
            "况，办理代表建议情况，作风建设和廉政建设情况。"
        ),
        "三、方法步骤",
        (
            "（一）准备、宣传发动阶段。成立评议工作领导小组及办公室，组建四个评议工作组，被评"
            "议单位成立工作专班。"
        ),
        (
            "（二）调查研究阶段。各评议工作组通过座谈会、明察暗访、实地察看、查阅资料、问卷调"
            "查等方式广泛听取意见。"
        ),
        "（三）自查自评阶段。被评议单位对照评议内容开展自查自评，形成自查自评报告。",
        (
            "（四）集中评议阶段。召开常委会会议，听取被评议单位报告和评议工作组调研报告，进行"
            "满意度测评。"
        ),
        "（五）整改落实阶段。被评议单位对照评议意见逐项制定整改方案，按期报告整改情况。",
        "（六）二次测评阶段。常委会听取整改情况报告并进行二次测评。",
        "四、工作要求",
        "各评议工作组和被评议单位要高度重视，精心组织，确保评议工作取得实效。",
    ]
)

# Planned phase dates, in days from the day the demo is loaded.
PHASES = [
    ("preparation", -30, -14),
    ("investigation", -14, 20),
    ("self_review", 20, 35),
    ("meeting", 35, 42),
    ("opinions", 42, 55),
    ("rectification", 55, 150),
    ("second_scoring", 150, 170),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def event_for_activity(
    *, appraisal: Appraisal, leader: User, kind: str, day: date, place: str, summary: str
) -> ScheduledEvent:
    """The event a work group scheduled before holding this activity (the demo then records
    the activity from it, which marks it held)."""
    return schedule.event_save(
        actor=leader,
        campaign=appraisal.campaign,
        appraisal=appraisal,
        kind=kind,
        title="",
        starts_at=_at(day, 9, 30),
        ends_at=_at(day, 11, 30),
        place=place,
        notes=summary,
        audience="",
    )


def load_schedule(campaign: Campaign, office: User) -> None:
    today = timezone.localdate()
    schedule.plan_save(
        campaign=campaign, actor=office, title=f"{campaign.title}实施方案", text=PLAN_TEXT
    )
    schedule.phase_plan_save(
        campaign=campaign,
        actor=office,
        dates={
            phase: (today + timedelta(days=a), today + timedelta(days=b)) for phase, a, b in PHASES
        },
    )
    appraisals = list(campaign.appraisals.select_related("unit").order_by("sort_order", "id"))
    leaders = {i: User.objects.get(username=f"group{i + 1}") for i in range(len(appraisals))}
    hall = "市人大常委会机关三楼会议室"
    K = ScheduledEvent.Kind
    for kind, days, title, start, end, place in [
        (K.SELF_REVIEW_DUE, 30, "自查自评报告报送截止", None, None, ""),
        (K.MEETING, 38, "常委会第二十三次会议：集中评议", (9, 0), (12, 0), hall),
        # The unit answers the opinions with its plan first; the report on how it rectified
        # is due by the opinion's deadline (the demo's opinion takes that event's day).
        (K.OPINION_REPLY_DUE, 70, "整改方案报送截止", None, None, ""),
        (K.RECTIFICATION_REPORT_DUE, 140, "整改情况报告报送截止", None, None, ""),
        (K.SECOND_MEETING, 160, "常委会会议：二次测评", (9, 0), (11, 30), hall),
        (K.OTHER, 2, "评议工作推进会", (15, 0), (16, 30), hall),
    ]:
        day = today + timedelta(days=days)
        schedule.event_save(
            actor=office,
            campaign=campaign,
            appraisal=None,
            kind=kind,
            title=title,
            starts_at=_at(day, *start) if start else _at(day, 0),
            ends_at=_at(day, *end) if end else None,
            all_day=start is None,
            place=place,
            notes="",
            audience="all" if kind != K.OTHER else "unit",
        )
    upcoming = [
        (0, K.UNANNOUNCED_VISIT, 3, "城东片区物业服务暗访", "城东片区三个住宅小区", ""),
        (0, K.SYMPOSIUM, 9, "与物业企业代表座谈", "市住建局三楼会议室", "unit"),
        (1, K.FIELD_INSPECTION, 5, "实地察看城乡公交站点", "城北公交枢纽", "unit"),
        (2, K.DOCUMENT_REVIEW, 7, "查阅医保基金监管案卷", "市医疗保障局", "unit"),
        (3, K.SYMPOSIUM, 11, "与农贸市场经营户座谈", "城北农贸市场", "all"),
    ]
    for index, kind, days, title, place, audience in upcoming:
        if index >= len(appraisals):
            continue
        day = today + timedelta(days=days)
        schedule.event_save(
            actor=leaders[index],
            campaign=campaign,
            appraisal=appraisals[index],
            kind=kind,
            title=title,
            starts_at=_at(day, 14, 30),
            ends_at=_at(day, 17, 0),
            place=place,
            notes="",
            audience=audience,
        )
    # A field inspection called off: its reason stays on the event.
    called_off = schedule.event_save(
        actor=leaders[1],
        campaign=campaign,
        appraisal=appraisals[1],
        kind=K.FIELD_INSPECTION,
        title="实地察看出租车服务站",
        starts_at=_at(today + timedelta(days=1), 9, 0),
        place="火车站出租车服务站",
        audience="unit",
    )
    schedule.event_move(
        event=called_off, actor=leaders[1], to=ScheduledEvent.Status.CANCELLED, note="改期另行通知"
    )
