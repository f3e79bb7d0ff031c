"""The documents of a scoring round: the 测评结果通报 (PDF) and the results workbook.

Both read ``selectors.round_results(round)``; the numbers and the rule's wording are the
selectors' and ``rules``'s, the layout is the document layer's.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.documents import Column, Sheet, pdf_bytes, workbook_bytes
from appraisal.documents.models import IssuedDocument
from appraisal.documents.official import chinese_date, cjk_text, head_for
from appraisal.documents.services import document_issue, issuing_settings_of
from appraisal.models import User
from appraisal.scoring.models import ScoringRound


def results_subject(round: ScoringRound) -> str:
    return f"round-results:{round.pk}"


def round_name(round: ScoringRound) -> str:
    """The campaign's title and the round's, as one name: 江川市人大常委会2026年度工作评议
    集中评议会满意度测评. When the round's title begins with the words the campaign's ends
    with (…工作评议 + 评议意见办理情况满意度测评), it is quoted rather than run on, so 评议
    is not read twice."""
    campaign, title = round.campaign.title.strip(), round.title.strip()
    if title.startswith(campaign):
        return title
    if any(campaign.endswith(title[:n]) for n in range(2, min(len(title), len(campaign)) + 1)):
        return f"{campaign}“{title}”"
    return f"{campaign}{title}"


def results_title(round: ScoringRound) -> str:
    return f"关于{round_name(round)}结果的通报"


def results_issued(round: ScoringRound) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(
        campaign=round.campaign, subject=results_subject(round)
    ).first()


def results_issue(round: ScoringRound, *, actor: User | None) -> IssuedDocument | None:
    """The 通报 of a published round, issued once (its number allocated when the round is
    published, by ``round_publish``); None while the round is not published."""
    if round.state != ScoringRound.State.PUBLISHED:
        return results_issued(round)
    date = timezone.localdate(round.published_at) if round.published_at else timezone.localdate()
    return document_issue(
        campaign=round.campaign,
        kind=IssuedDocument.Kind.NOTICE,
        subject=results_subject(round),
        title=results_title(round),
        date=date,
        actor=actor,
    )


def _returned(data: dict[str, Any], group_name: str) -> int:
    """Ballots returned by a group: every unit of a ballot is marked, left blank or
    spoilt, so the largest unit total is the number of ballots."""
    best = 0
    for row in data["rows"]:
        for g in row["per_group"]:
            if g["group"] == group_name:
                best = max(best, sum(int(g.get(k, 0) or 0) for k in _count_keys(data)))
    return best


def _count_keys(data: dict[str, Any]) -> list[str]:
    return [c for c, _label in data["choices"]] + ["invalid", "blank"]


def _chart(row: dict[str, Any], choices: list[tuple[str, str]]) -> list[dict[str, Any]]:
    totals = row["totals"]
    spoilt = int(totals.get("invalid", 0)) + int(totals.get("blank", 0))
    returned = sum(int(totals.get(c, 0)) for c, _l in choices) + spoilt
    out, x = [], Decimal(0)
    for key, label in [*choices, ("spoilt", _("Invalid or blank"))]:
        n = spoilt if key == "spoilt" else int(totals.get(key, 0))
        width = Decimal(n * 100) / returned if returned else Decimal(0)
        out.append({"key": key, "label": label, "n": n, "x": x, "width": width})
        x += width
    return out


def no_verdict(round: ScoringRound) -> str:
    """What stands in the verdict column without a verdict: the same word in the 通报
    and the workbook."""
    return _("void") if round.void else _("no verdict")


def results_context(data: dict[str, Any], *, issued: IssuedDocument | None) -> dict[str, Any]:
    round: ScoringRound = data["round"]
    settings = issuing_settings_of(round.campaign)
    published = round.state == ScoringRound.State.PUBLISHED
    day = (
        timezone.localdate(round.published_at)
        if round.published_at
        else timezone.localdate(round.closed_at)
        if round.closed_at
        else timezone.localdate()
    )
    head = head_for(
        settings=settings,
        title=results_title(round),
        date=day,
        issued=issued,
        attachments=[_("Results by voter group")],
        draft_note="" if published else _("not published; for checking only"),
    )
    groups = []
    for g in data["groups"]:
        groups.append(
            {
                "name": g.voter_group.name,
                "entitled": g.entitled,
                "present": g.present,
                "weight": g.weight.normalize(),
                "returned": _returned(data, g.voter_group.name),
            }
        )
    return {
        **data,
        "rule_lines": [cjk_text(line) for line in data["rule_lines"]],
        "head": head,
        "meeting_date": chinese_date(timezone.localdate(round.closed_at))
        if round.closed_at
        else "",
        "group_lines": groups,
        "unit_count": len(data["rows"]),
        "round_name": round_name(round),
        "no_verdict": no_verdict(round),
        "charts": [{"row": row, "segments": _chart(row, data["choices"])} for row in data["rows"]],
    }


def results_pdf(round_data: dict[str, Any], *, issued: IssuedDocument | None) -> bytes:
    return pdf_bytes("documents/results.html", results_context(round_data, issued=issued))


def results_filename(round: ScoringRound, issued: IssuedDocument | None, ext: str) -> str:
    title = results_title(round)
    return f"{issued.number_text} {title}.{ext}" if issued else f"{title}（未发布稿）.{ext}"


def results_workbook(data: dict[str, Any]) -> bytes:
    """The results of a round: a summary sheet, one row per unit and voter group, and the
    rule with 应到 / 实到 / 权重 like the 通报."""
    round: ScoringRound = data["round"]
    choices = data["choices"]
    settings = issuing_settings_of(round.campaign)
    day = timezone.localdate(round.published_at or round.closed_at or timezone.now())
    heading = [
        f"{round.campaign.title} {round.title}",
        f"{settings.issuing_office} {chinese_date(day)}",
    ]
    void_word = no_verdict(round)
    summary_columns = [
        Column(_("Rank"), "int", 6),
        Column(_("Unit"), "text", 34),
        *[Column(label, "int", 10) for _c, label in choices],
        Column(_("Invalid or blank"), "int", 10),
        Column(_("Valid"), "int", 8),
        Column(_("Share satisfied"), "percent", 12),
        Column(_("Satisfaction rate"), "percent", 12),
        *([Column(_("Average points"), "number", 10)] if data["is_points"] else []),
        Column(_("Verdict"), "text", 10),
        Column(_("Marks"), "text", 16),
        *[Column(label, "text", 18) for label in data["comparison"]],
    ]
    summary = [
        [
            row["result"].rank,
            row["unit"].name,
            *[row["totals"][c] for c, _label in choices],
            row["totals"]["invalid"] + row["totals"]["blank"],
            row["result"].valid,
            row["share"],
            row["rate"],
            # The figures exactly as the page shows them: rounded once, half up.
            *([row["points"]] if data["is_points"] else []),
            row["verdict"] or void_word,
            "；".join(
                [m["label"] for m in row["marks"]]
                + ([_("unsatisfied again")] if row["second_failure"] else [])
            ),
            *[past["text"] if past else "—" for past in row["comparison"]],
        ]
        for row in data["rows"]
    ]
    detail_columns = [
        Column(_("Unit"), "text", 34),
        Column(_("Voter group"), "text", 16),
        *[Column(label, "int", 10) for _c, label in choices],
        Column(_("Invalid"), "int", 8),
        Column(_("Blank"), "int", 8),
        Column(_("Denominator"), "int", 10),
    ]
    detail = [
        [
            row["unit"].name,
            g["group"],
            *[g.get(c, 0) for c, _label in choices],
            g.get("invalid", 0),
            g.get("blank", 0),
            g.get("denominator", 0),
        ]
        for row in data["rows"]
        for g in row["per_group"]
    ]
    rule: list[list[Any]] = []
    if round.void:
        rule.append([_("This round is void: %(reason)s") % {"reason": round.void_reason}])
    rule += [[line] for line in data["rule_lines"]]
    groups = [[g.voter_group.name, g.entitled, g.present, g.weight] for g in data["groups"]]
    return workbook_bytes(
        [
            Sheet(_("Results"), summary_columns, summary, heading),
            Sheet(_("By voter group"), detail_columns, detail, heading),
            Sheet(
                _("Voter groups"),
                [
                    Column(_("Voter group"), "text", 20),
                    Column(_("Entitled"), "int", 10),
                    Column(_("Present"), "int", 10),
                    Column(_("Weight"), "number", 10),
                ],
                groups,
                heading,
            ),
            Sheet(_("Rule"), [Column(_("How the verdict is reached"), "text", 100)], rule, heading),
        ]
    )
