"""The campaign in public: an open public questionnaire and the office's notices (launch
with the opinion form's QR code, a questionnaire call, one notice withdrawn with its
reason, one draft that stays private)."""

from __future__ import annotations

from django.urls import reverse

from appraisal.announcements import services as announcements
from appraisal.models import Appraisal, Campaign, User
from surveys.models import Survey
from surveys.questionnaires import services as questionnaires


def load_public(campaign: Campaign, office: User) -> None:
    units = "、".join(a.unit.name for a in campaign.appraisals.select_related("unit"))
    survey = _public_questionnaire(campaign)
    launch = announcements.announcement_save(
        campaign=campaign,
        actor=office,
        values={
            "kind": "launch",
            "title": f"关于开展{campaign.year}年度工作评议的公告",
            "body": (
                f"根据市人大常委会{campaign.year}年度工作要点，常委会决定对{units}开展工作评议。\n"
                "评议期间，欢迎社会各界通过以下渠道反映意见建议：扫描下方二维码在线填写；"
                "致电市人大常委会评议工作领导小组办公室；来信寄市人大常委会办公室（请注明“工作评议”）。\n"
                "在线提交后您将获得一个回执码，可凭回执码查询办理情况。"
            ),
            "link": reverse("surveys:public_opinion"),
            "link_label": "在线反映意见",
        },
    )
    announcements.announcement_move(announcement=launch, action="publish", actor=office)
    call = announcements.announcement_save(
        campaign=campaign,
        actor=office,
        values={
            "kind": "questionnaire",
            "title": f"关于开展{survey.subject}服务满意度问卷调查的公告",
            "body": (
                f"为全面了解群众对{survey.subject}工作的评价，第三评议工作组开展问卷调查。"
                "问卷不记名，约需3分钟，欢迎扫码填写。"
            ),
            "link": reverse("surveys:answer", args=[survey.token]),
            "link_label": "填写问卷",
        },
    )
    announcements.announcement_move(announcement=call, action="publish", actor=office)
    symposium = announcements.announcement_save(
        campaign=campaign,
        actor=office,
        values={
            "kind": "meeting",
            "title": "关于召开服务对象座谈会的通知",
            "body": "定于下周三上午9时在市人大常委会机关3楼会议室召开服务对象座谈会。",
            "link": "",
            "link_label": "",
        },
    )
    announcements.announcement_move(announcement=symposium, action="publish", actor=office)
    announcements.announcement_move(
        announcement=symposium,
        action="withdraw",
        actor=office,
        reason="会议时间调整，另行通知。",
    )
    announcements.announcement_save(
        campaign=campaign,
        actor=office,
        values={
            "kind": "meeting",
            "title": "关于召开工作评议集中评议会议的通知",
            "body": "（草稿）会议时间、地点待领导小组确定。",
            "link": "",
            "link_label": "",
        },
    )


def _public_questionnaire(campaign: Campaign) -> Survey:
    """An open questionnaire for the public about the third unit, answered by its link."""
    appraisal = Appraisal.objects.filter(campaign=campaign).order_by("sort_order", "id")[2]
    leader = User.objects.get(username="group3")
    survey = questionnaires.survey_save(
        campaign=campaign,
        appraisal=appraisal,
        actor=leader,
        title=f"{appraisal.unit.name}服务满意度问卷",
        intro="本问卷不记名，面向办事群众和参保人员。",
        audience=Survey.Audience.PUBLIC,
        access=Survey.Access.LINK,
        opens_on=None,
        closes_on=None,
    )
    questionnaires.question_save(
        survey=survey, actor=leader, kind="satisfaction",
        text=f"您对{appraisal.unit.name}窗口服务的总体评价", required=True, options="",
        max_choices=None,
    )  # fmt: skip
    questionnaires.question_save(
        survey=survey, actor=leader, kind="text", text="您的意见建议", required=False,
        options="", max_choices=None,
    )  # fmt: skip
    questionnaires.survey_set_state(survey=survey, actor=leader, state=Survey.State.OPEN)
    return survey
