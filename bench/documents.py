"""Documents: time the results 通报 for 6 and 32 units, the survey summary of a 30-question
survey with 20,000 responses, 2,000 code slips, a self-review report of about ten pages
and the office's campaign summary for 6 appraisals.

    .venv/bin/python bench/documents.py      # needs the local PostgreSQL; a few minutes

Fills its own database (``pingyi_bench_docs``; ``BENCH_DATABASE_URL`` overrides) with the
survey of ``bench/survey_load.py`` and two published rounds, renders each document once
to warm the fonts, then times each: wall seconds (what a person waits) and the CPU
seconds of this process (what the render costs on an idle machine), and pages. The line
before the last: ``report10_s=… summary6_s=…``; the last line:
``results6_s=… results32_s=… survey_s=… slips2000_s=…`` (wall).
"""

from __future__ import annotations

import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pingyi_bench_docs")

from bench import survey_load  # noqa: E402  (reads BENCH_DATABASE_URL on import)

SLIPS = 2_000
VOTERS = (("常委会组成人员", "0.6", 25), ("人大代表", "0.4", 60))
UNIT_NAMES = [
    "市住房和城乡建设局", "市交通运输局", "市医疗保障局", "市市场监督管理局",
    "市人力资源和社会保障局",
    "市自然资源和规划局", "市生态环境局", "市教育局", "市卫生健康委员会", "市民政局",
    "市农业农村局", "市水务局", "市文化广电旅游体育局", "市商务局", "市应急管理局",
    "市城市管理和综合执法局", "市退役军人事务局", "市司法局", "市财政局", "市审计局",
    "市统计局", "市林业局", "市粮食和物资储备局", "市行政审批服务局", "市公安局",
    "市中级人民法院", "市人民检察院", "市监察委员会", "市发展和改革委员会", "市工业和信息化局",
    "市科学技术局", "市江川经济技术开发区管理委员会社会事务和公共服务局",
]  # fmt: skip


def pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages")))


def make_round(units: int) -> int:
    from appraisal.models import Appraisal, Campaign, User, Voter, VoterGroup
    from appraisal.scoring import rules
    from appraisal.scoring import services as scoring
    from units.models import Unit

    office = User.objects.get(username="bench-office")
    campaign = Campaign.objects.create(
        year=2000 + units, title=f"江川市人大常委会{2000 + units}年度工作评议"
    )
    appraisals = [
        Appraisal.objects.create(
            campaign=campaign, unit=Unit.objects.get_or_create(name=name)[0], sort_order=i
        )
        for i, name in enumerate(UNIT_NAMES[:units])
    ]
    groups = []
    for n, (name, weight, size) in enumerate(VOTERS):
        group = VoterGroup.objects.create(campaign=campaign, name=name, weight=weight, sort_order=n)
        users = User.objects.bulk_create([User(username=f"b{units}-{n}-{i}") for i in range(size)])
        Voter.objects.bulk_create([Voter(voter_group=group, user=u) for u in users])
        groups.append((group, users))
    rnd = scoring.round_save(
        campaign=campaign, actor=office, title="集中评议会满意度测评", kind=1,
        appraisals=appraisals, voter_groups=[g for g, _u in groups], allow_unknown=False,
        rule=rules.PRESETS["rate_80_60"],
    )  # fmt: skip
    scoring.round_set_attendance(
        round=rnd,
        actor=office,
        groups={rg.pk: {"present": rg.entitled - 2} for rg in rnd.groups.all()},
    )
    scoring.round_open(round=rnd, actor=office)
    rng = random.Random(units)
    choices = ["satisfied", "basically_satisfied", "unsatisfied"]
    for _group, users in groups:
        for user in users[:-2]:
            scoring.ballot_cast(
                round_id=rnd.pk,
                voter=user,
                choices={a.pk: rng.choices(choices, weights=(6, 3, 1))[0] for a in appraisals},
            )
    scoring.round_close(round=rnd, actor=office)
    scoring.round_publish(round=rnd, actor=office)
    return rnd.pk


# Sentences of a unit's self-review, repeated into paragraphs of a long report.
SENTENCES = [
    "我局坚持以人民为中心的发展思想，把群众满意作为检验工作成效的根本标准。",
    "围绕老旧小区改造、保障性住房建设和物业服务监管等重点任务，制定年度工作方案，逐项明确责任科室和完成时限。",
    "全年完成老旧小区改造项目46个，惠及居民1.8万户，新筹集保障性租赁住房3,200套。",
    "办理12345热线诉求5,614件，按时办结率97.3%，群众满意率较上年提高4.2个百分点。",
    "对照评议工作组反馈的问题，逐条分析原因，建立问题清单、责任清单和整改清单。",
    "部分物业服务企业服务质量不高，投诉办理周期偏长，个别投诉超过30个工作日未答复。",
    "建筑市场执法检查程序不够规范，个别案件未按规定告知当事人陈述申辩权利。",
    "下一步，我局将建立投诉限时办结和回访制度，对滞后项目实行挂牌督办、每月通报进度。",
]
SECTION_PARAGRAPHS = 6  # six sections of six paragraphs: about ten pages


def make_self_review(campaign_id: int) -> int:
    """A submitted self-review version of about ten pages for the campaign's first unit."""
    from django.utils import timezone

    from appraisal.models import Appraisal, SelfReview, SelfReviewVersion, User
    from appraisal.selfreview.models import SECTION_KEYS

    office = User.objects.get(username="bench-office")
    appraisal = Appraisal.objects.filter(campaign_id=campaign_id).order_by("sort_order").first()
    assert appraisal is not None
    rng = random.Random(10)
    content = {
        key: "\n".join("".join(rng.sample(SENTENCES, 4)) for _ in range(SECTION_PARAGRAPHS))
        for key in SECTION_KEYS
    }
    review = SelfReview.objects.create(appraisal=appraisal, status="submitted", **content)
    now = timezone.now()
    version = SelfReviewVersion.objects.create(
        self_review=review, number=1, content=content, submitted_by=office, submitted_at=now,
        approved_by=office, approved_at=now,
    )  # fmt: skip
    return version.pk


def make_campaign_progress(campaign_id: int) -> None:
    """Each of the campaign's appraisals a little further on: self-reviews, reports, 40
    findings over the topics and states, opinions with five items, some acknowledged."""
    import datetime as dt

    from django.utils import timezone

    from appraisal.models import Appraisal, SelfReview
    from rectification.models import AppraisalOpinion, OpinionItem
    from surveys.models import Finding, InvestigationReport

    appraisals = list(
        Appraisal.objects.filter(campaign_id=campaign_id).select_related("unit", "campaign")
    )
    rng = random.Random(6)
    topics = [c for c, _l in Finding.Topic.choices]
    states = [c for c, _l in Finding.Status.choices]
    for n, a in enumerate(appraisals):
        SelfReview.objects.get_or_create(
            appraisal=a, defaults={"status": ["accepted", "submitted", "returned", "draft"][n % 4]}
        )
        InvestigationReport.objects.create(
            appraisal=a, title=f"关于{a.unit.name}工作评议的调研报告",
            status=["accepted", "submitted", "signing", "draft"][n % 4],
        )  # fmt: skip
        Finding.objects.bulk_create(
            [
                Finding(
                    appraisal=a,
                    source="activity",
                    text=rng.choice(SENTENCES),
                    topic=rng.choice(topics),
                    status=rng.choice(states),
                )
                for _ in range(40)
            ]
        )
        if n < 4:
            opinion = AppraisalOpinion.objects.create(
                appraisal=a, campaign=a.campaign, title=f"关于对{a.unit.name}工作评议的意见",
                status="acknowledged" if n < 2 else "issued", number=n + 1,
                document_number=f"江人常评〔{a.campaign.year}〕{n + 1}号",
                issue_date=dt.date(a.campaign.year, 6, 1),
                issued_at=timezone.now(), reply_deadline=dt.date(a.campaign.year, 12, 1),
                acknowledged_at=timezone.now() if n < 2 else None,
            )  # fmt: skip
            OpinionItem.objects.bulk_create(
                [
                    OpinionItem(
                        opinion=opinion, number=i, problem=SENTENCES[i], requirement="限期整改。"
                    )
                    for i in range(1, 6)
                ]
            )


def timed(label: str, render: object) -> tuple[float, float, bytes]:
    wall, cpu = time.perf_counter(), time.process_time()
    pdf = render()  # type: ignore[operator]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label}: {wall:.2f} s wall, {cpu:.2f} s cpu, {pages(pdf)} pages, {len(pdf) // 1024} kB")
    return wall, cpu, pdf


def main() -> None:
    started = time.perf_counter()
    survey_id = survey_load.fill()
    round6, round32 = make_round(6), make_round(32)
    from appraisal.models import ScoringRound as _Round

    campaign6 = _Round.objects.get(pk=round6).campaign_id
    version_id = make_self_review(campaign6)
    make_campaign_progress(campaign6)
    print(f"filled in {time.perf_counter() - started:.1f}s")

    from appraisal.documents import Slip, code_slips_pdf
    from appraisal.models import Campaign, ScoringRound, SelfReviewVersion
    from appraisal.scoring import documents as round_documents
    from appraisal.scoring import selectors
    from appraisal.selfreview import documents as self_review_documents
    from rectification.opinions import documents as opinion_documents
    from surveys.models import Survey
    from surveys.questionnaires import documents as survey_documents
    from surveys.questionnaires import selectors as survey_selectors

    def results(pk: int) -> bytes:
        rnd = ScoringRound.objects.get(pk=pk)
        issued = round_documents.results_issued(rnd)
        return round_documents.results_pdf(selectors.round_results(rnd), issued=issued)

    def survey() -> bytes:
        s = Survey.objects.select_related("campaign", "appraisal__unit").get(pk=survey_id)
        return survey_documents.summary_pdf(survey_selectors.survey_results(s))

    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    codes = ["".join(secrets.choice(alphabet) for _ in range(8)) for _ in range(SLIPS)]

    def slips() -> bytes:
        return code_slips_pdf(
            title="江川市人大常委会2026年度工作评议",
            subtitle="集中评议会满意度测评 · 人大代表",
            kind_label="测评码（一次有效）",
            entry_url="http://pingyi.example.org/v/",
            hint="扫码即可投票。测评码只能使用一次，选票不记名。",
            slips=[Slip(c, f"http://pingyi.example.org/v/{c}/") for c in codes],
        )

    def report10() -> bytes:
        version = SelfReviewVersion.objects.select_related(
            "self_review__appraisal__unit", "self_review__appraisal__campaign"
        ).get(pk=version_id)
        return self_review_documents.self_review_pdf(version)

    def summary6() -> bytes:
        return opinion_documents.campaign_summary_pdf(Campaign.objects.get(pk=campaign6))

    results(round6)  # warm up: fonts found and their character maps read, as in a worker
    r6 = timed("results 6 units", lambda: results(round6))
    r32 = timed("results 32 units", lambda: results(round32))
    sv = timed("survey 30 questions x 20,000 responses", survey)
    sl = timed(f"{SLIPS} code slips", slips)
    rp = timed("self-review report", report10)
    sm = timed("campaign summary 6 appraisals", summary6)
    out = os.environ.get("BENCH_PDF_DIR")
    if out:
        for name, (_w, _c, pdf) in {
            "results6": r6,
            "results32": r32,
            "survey": sv,
            "slips": sl,
            "report10": rp,
            "summary6": sm,
        }.items():
            Path(out, f"{name}.pdf").write_bytes(pdf)
    print(
        f"cpu: results6_s={r6[1]:.2f} results32_s={r32[1]:.2f} survey_s={sv[1]:.2f} "
        f"slips2000_s={sl[1]:.2f} report10_s={rp[1]:.2f} summary6_s={sm[1]:.2f}"
    )
    print(f"report10_s={rp[0]:.2f} summary6_s={sm[0]:.2f}")
    print(
        f"results6_s={r6[0]:.2f} results32_s={r32[0]:.2f} survey_s={sv[0]:.2f} "
        f"slips2000_s={sl[0]:.2f}"
    )


if __name__ == "__main__":
    main()
