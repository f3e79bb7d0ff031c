"""The demo campaign behind ``make run``: a county-level city's 2026 work appraisal.

Built as a roster and loaded through the same ``roster_import`` the office uses, then
filled through the services every page uses (``demo.investigation``), so the demo
exercises the real paths and writes the audit rows they write.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat

from appraisal import services
from appraisal.documents.services import issuing_settings_save
from appraisal.models import Campaign, User
from appraisal.roster import PersonRow, Roster, UnitRow, VoterGroupRow, roster_import
from appraisal.scoring.demo import hold_round
from demo.investigation import load_investigation
from demo.portal import load_public
from demo.schedule import load_schedule

DEMO_PASSWORD = "pingyi-demo"
YEAR = 2026
CITY = "江川市"

UNITS = [
    ("市住房和城乡建设局", "住建局", "局长", "办公室主任"),
    ("市交通运输局", "交通局", "局长", "办公室主任"),
    ("市医疗保障局", "医保局", "局长", "综合科科长"),
    ("市市场监督管理局", "市场监管局", "局长", "办公室主任"),
]
GROUPS = ["第一评议工作组", "第二评议工作组", "第三评议工作组", "第四评议工作组"]
# (name, weight, accounts named deputyN); the four work-group leaders also sit on the
# committee, which so has 25 voters.
VOTER_GROUPS = [("常委会组成人员", Decimal("0.6"), 21), ("人大代表", Decimal("0.4"), 60)]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "建国伟明华军平志强海涛文斌永红丽娟芳敏静燕霞秀英玉兰桂凤春梅德生林峰亮刚辉勇杰磊"
    "超鹏宇晨欣怡佳慧颖婷雪琳洁宏晓东振兴国庆新民学军卫东振华雅琴淑珍建华立新"
)


class DemoRefused(Exception):
    pass


def _names(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _phone(rng: random.Random) -> str:
    return rng.choice(["139", "138", "137", "186", "158", "135"]) + f"{rng.randrange(10**8):08d}"


def demo_roster() -> Roster:
    rng = random.Random(YEAR)
    names = iter(_names(200, YEAR))
    roster = Roster(
        units=[
            UnitRow(i, name, short, "government", GROUPS[i - 2])
            for i, (name, short, _h, _l) in enumerate(UNITS, start=2)
        ],
        voter_groups=[VoterGroupRow(i, n, w) for i, (n, w, _c) in enumerate(VOTER_GROUPS, start=2)],
    )
    row = 1

    def person(username: str, role: str, **kw: str) -> None:
        nonlocal row
        row += 1
        roster.people.append(
            PersonRow(
                row,
                username,
                next(names),
                role,
                kw.get("unit", ""),
                kw.get("work_group", ""),
                kw.get("voter_group", ""),
                _phone(rng),
            )
        )

    person("office", "办公室")
    person("office2", "办公室")
    committee, deputies = VOTER_GROUPS[0][0], VOTER_GROUPS[1][0]
    # deputy1–21 sit on the standing committee; deputy22–81 are deputies of the city congress.
    voter_names = [committee] * VOTER_GROUPS[0][2] + [deputies] * VOTER_GROUPS[1][2]
    for i, group in enumerate(GROUPS, start=1):
        # The leader is a vice-chair of the committee, so also a committee voter.
        person(f"group{i}", "工作组组长", work_group=group, voter_group=committee)
        person(f"group{i}staff", "工作组成员", work_group=group)
    for i, (unit, _s, _head, _liaison) in enumerate(UNITS, start=1):
        person(f"unit{i}", "单位联络员", unit=unit)
        person(f"unit{i}head", "单位主要负责人", unit=unit)
        person(f"unit{i}staff", "单位工作人员", unit=unit)
    for n, group in enumerate(voter_names, start=1):
        # Two deputies per work group take part in its investigation.
        work_group = GROUPS[(n - 22) // 2] if 22 <= n <= 29 else ""
        person(f"deputy{n}", "代表委员", voter_group=group, work_group=work_group)
    return roster


def load_demo() -> tuple[Campaign, bool]:
    """Create the demo campaign unless it exists. Refuses outside DEBUG: no known password
    may reach production. Returns the campaign and whether it was created now."""
    if not settings.DEBUG:
        raise DemoRefused("The demo has well-known passwords; it loads only with DEBUG on.")
    existing = Campaign.objects.filter(year=YEAR).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        campaign = Campaign.objects.create(
            year=YEAR,
            title=f"{CITY}人大常委会{YEAR}年度工作评议",
            plan=(
                f"根据《{CITY}人大常委会关于开展{YEAR}年度工作评议的实施方案》，"
                "对市住房和城乡建设局、市交通运输局、市医疗保障局、市市场监督管理局"
                "四个部门开展工作评议，分准备、调查研究、自查自评、集中评议、整改落实、"
                "二次测评六个阶段进行。"
            ),
        )
        roster_import(campaign=campaign, roster=demo_roster(), actor=None)
        # Who issues the campaign's documents: the defaults, as the office would save them.
        issuing_settings_save(campaign=campaign, actor=None, values={"public": True})
        # One hash for every demo account: hashing 100 passwords one by one takes seconds.
        # A mailbox each (.example never delivers), so that send_reminders has someone to
        # mail in the demo: with the console backend the messages show where it runs.
        User.objects.filter(username__in=[p.username for p in demo_roster().people]).update(
            password=make_password(DEMO_PASSWORD),
            email=Concat(F("username"), Value("@jiangchuan.example")),
        )
        office = User.objects.get(username="office")
        office.is_superuser = True
        office.save(update_fields=["is_superuser"])
        campaign = services.campaign_advance_phase(
            campaign=campaign, actor=office, from_phase=Campaign.Phase.PREPARATION
        )
        load_investigation(campaign, office)
        load_schedule(campaign, office)
        _last_year(office)
        load_public(campaign, office)
    return campaign, True


def _last_year(office: User) -> None:
    """Last year's campaign, closed, with its published first-round result: the history that
    this year's results are shown beside."""
    year = YEAR - 1
    campaign = Campaign.objects.create(year=year, title=f"{CITY}人大常委会{year}年度工作评议")
    issuing_settings_save(campaign=campaign, actor=office, values={})
    this_year = demo_roster()
    units = [
        UnitRow(2, "市住房和城乡建设局", "住建局", "government", GROUPS[0]),
        UnitRow(3, "市交通运输局", "交通局", "government", GROUPS[1]),
        UnitRow(4, "市自然资源和规划局", "自然资源局", "government", GROUPS[2]),
    ]
    voters = [
        replace(p, work_group="")
        for p in this_year.people
        if p.voter_group and p.role == "代表委员"
    ]
    roster_import(
        campaign=campaign,
        roster=Roster(units=units, voter_groups=this_year.voter_groups, people=voters),
        actor=office,
    )
    # How well each unit was liked: the share of satisfied / basically satisfied votes.
    leanings = {"市住房和城乡建设局": (0.55, 0.30), "市交通运输局": (0.70, 0.25),
                "市自然资源和规划局": (0.35, 0.35)}  # fmt: skip
    hold_round(
        campaign=campaign,
        office=office,
        title="集中评议会满意度测评",
        appraisals=list(campaign.appraisals.select_related("unit")),
        leanings=leanings,
        seed=year,
        held_on=date(year, 12, 18),
    )
    while campaign.next_phase is not None:
        campaign = services.campaign_advance_phase(
            campaign=campaign, actor=office, from_phase=campaign.phase
        )


DEMO_LOGINS = [
    ("office", "评议办公室（领导小组办公室）/ Leading-group office"),
    ("group1", "第一评议工作组组长 / Leader of work group 1"),
    ("deputy1", "常委会组成人员（测评人）/ Committee member who scores"),
    ("deputy22", "人大代表（测评人，第一工作组成员）/ Deputy, member of work group 1"),
    ("deputy30", "人大代表（测评人）/ Deputy who scores"),
    ("unit1", "市住房和城乡建设局联络员 / Liaison of the first unit"),
    ("unit2", "市交通运输局联络员 / Liaison of the second unit"),
]
