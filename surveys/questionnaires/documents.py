"""The documents of a questionnaire, through the document layer: the summary of answers
(a 报告), the poster, the code slips and the responses workbook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.documents import Column, Sheet, Slip, code_slips_pdf, pdf_bytes, workbook_bytes
from appraisal.documents.official import chinese_date, chinese_number, head_for, title_in_lines
from appraisal.documents.qr import qr_svg
from appraisal.documents.services import issuing_settings_of
from surveys.models import Survey, SurveyCode
from surveys.questionnaires.models import Question

TEXTS_LISTED = 30


def issuer(survey: Survey) -> str:
    """Who runs the survey: the appraisal's work group, else the campaign's office."""
    if survey.appraisal_id and survey.appraisal and survey.appraisal.work_group_id:
        return str(survey.appraisal.work_group)
    return issuing_settings_of(survey.campaign).issuing_office


def summary_date(survey: Survey) -> dt.date:
    """The report's own date: the survey's closing day, else the last day answered."""
    if survey.closes_on:
        return survey.closes_on
    last = survey.responses.order_by("-submitted_on").values_list("submitted_on", flat=True).first()
    return last or timezone.localdate(survey.created_at)


def summary_title(survey: Survey) -> str:
    """关于“…”问卷调查情况的报告, without saying 问卷 or 调查 twice when the survey's name
    ends with it; lines turn between the name and the rest."""
    name = survey.title.strip()
    rest = (
        "情况的报告"
        if name.endswith("调查")
        else "调查情况的报告"
        if name.endswith("问卷")
        else "问卷调查情况的报告"
    )
    return title_in_lines("关于", f"“{name}”", rest)


def summary_pdf(data: dict[str, Any]) -> bytes:
    survey: Survey = data["survey"]
    settings = issuing_settings_of(survey.campaign)
    head = head_for(
        settings=settings,
        title=summary_title(survey),
        date=summary_date(survey),
        kind="report",
    )
    head.letterhead = ""
    head.addressees = settings.issuing_office if survey.appraisal_id else ""
    head.signatory = issuer(survey)
    head.copy_to = ""
    head.printed_by = ""
    codes = SurveyCode.objects.filter(survey=survey)
    issued = codes.count()
    for n, row in enumerate(data["rows"], start=1):
        row["number"] = chinese_number(n)
        texts = row.get("texts") or []
        row["texts_total"] = (
            max(len(texts), row["answered"])
            if row["question"].kind == Question.Kind.TEXT
            else len(texts)
        )
        row["texts_listed"] = texts[:TEXTS_LISTED]
    return pdf_bytes(
        "documents/survey_summary.html",
        {
            **data,
            "head": head,
            "codes_issued": issued,
            "response_rate": (
                f"{data['total'] * 100 / issued:.2f}%"
                if survey.access == Survey.Access.CODES and issued
                else ""
            ),
            "texts_listed": TEXTS_LISTED,
            "issuer": issuer(survey),
        },
    )


def poster_pdf(survey: Survey, *, link: str) -> bytes:
    return pdf_bytes(
        "documents/survey_poster.html",
        {
            "survey": survey,
            "link": link,
            "qr": qr_svg(link),
            "issuer": issuer(survey),
            "closes": chinese_date(survey.closes_on) if survey.closes_on else "",
            "author": issuing_settings_of(survey.campaign).committee_name,
        },
    )


def slips_pdf(survey: Survey, *, link: str) -> bytes:
    unused = SurveyCode.objects.filter(survey=survey, used=False).order_by("code")
    return code_slips_pdf(
        title=survey.subject,
        subtitle=survey.title,
        kind_label=_("Survey code (works once)"),
        entry_url=link,
        hint=_("The code works once; your answers carry no name."),
        slips=[Slip(c, f"{link}?code={c}") for c in unused.values_list("code", flat=True)],
    )


def responses_workbook(
    survey: Survey, questions: list[Question], header: list[str], rows: Iterable[list[Any]]
) -> bytes:
    """One row per response: ratings as numbers, the day as a date, free text as text."""
    columns = [
        Column("#", "int", 7),
        Column(header[1], "date", 12),
        *[
            Column(text, "int", 12) if q.kind == Question.Kind.RATING else Column(text, "text", 30)
            for text, q in zip(header[2:], questions, strict=True)
        ],
    ]
    heading = [
        f"{survey.subject} {survey.title}",
        f"{issuer(survey)} {chinese_date(timezone.localdate())}",
    ]
    return workbook_bytes([Sheet(_("Responses"), columns, rows, heading)])
