"""Reads of the self-review: the page's data and the side-by-side diff of two versions."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from appraisal.models import Appraisal, Campaign
from appraisal.selfreview import snapshots
from appraisal.selfreview.models import SECTIONS, SelfReview, SelfReviewVersion
from appraisal.stages import StageStatus


def self_review_of(appraisal: Appraisal) -> SelfReview | None:
    return SelfReview.objects.filter(appraisal=appraisal).select_related("approved_by").first()


def submission_missing(review: SelfReview) -> list[snapshots.Missing]:
    """What the layers above still need before submission (unanswered forwarded problems)."""
    return snapshots.missing(review)


def versions_of(appraisal: Appraisal) -> list[SelfReviewVersion]:
    return list(
        SelfReviewVersion.objects.filter(self_review__appraisal=appraisal)
        .select_related("submitted_by", "approved_by", "reviewed_by")
        .order_by("number")
    )


def latest_submitted(appraisal: Appraisal) -> SelfReviewVersion | None:
    return (
        SelfReviewVersion.objects.filter(self_review__appraisal=appraisal)
        .select_related("self_review__appraisal__unit", "self_review__appraisal__campaign")
        .order_by("-number")
        .first()
    )


@dataclass(frozen=True)
class DiffRow:
    tag: str  # "equal", "replace", "delete", "insert"
    left: SafeString
    right: SafeString


def _mark(a: str, b: str) -> tuple[SafeString, SafeString]:
    """Character-level marks inside a changed paragraph (Chinese has no word breaks)."""
    left: list[str] = []
    right: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old, new = escape(a[i1:i2]), escape(b[j1:j2])
        if tag == "equal":
            left.append(old)
            right.append(new)
        else:
            if old:
                left.append(f"<del>{old}</del>")
            if new:
                right.append(f"<ins>{new}</ins>")
    # Built only from escaped text and our own two tags.
    return mark_safe("".join(left)), mark_safe("".join(right))


def diff_rows(old: str, new: str) -> list[DiffRow]:
    """Paragraph by paragraph, side by side; changed paragraphs marked character by character."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [DiffRow("equal", escape(x), escape(x)) for x in a[i1:i2]]
        elif tag == "replace":
            left, right = a[i1:i2], b[j1:j2]
            for k in range(max(len(left), len(right))):
                x = left[k] if k < len(left) else ""
                y = right[k] if k < len(right) else ""
                rows.append(DiffRow("replace", *_mark(x, y)))
        elif tag == "delete":
            rows += [
                DiffRow("delete", mark_safe(f"<del>{escape(x)}</del>"), escape(""))
                for x in a[i1:i2]
            ]
        else:
            rows += [
                DiffRow("insert", escape(""), mark_safe(f"<ins>{escape(y)}</ins>"))
                for y in b[j1:j2]
            ]
    return rows


def version_diff(old: SelfReviewVersion, new: SelfReviewVersion) -> list[dict[str, Any]]:
    """Each section with its rows and whether anything changed; answers last."""
    out = []
    for key, label in SECTIONS:
        a, b = old.content.get(key, ""), new.content.get(key, "")
        out.append({"label": label, "changed": a != b, "rows": diff_rows(a, b)})
    old_answers = {a["finding"]: a for a in old.extra.get("finding_answers", [])}
    for answer in new.extra.get("finding_answers", []):
        before = old_answers.get(answer["finding"], {})
        a = f"{before.get('response_label', '')}\n{before.get('text', '')}".strip()
        b = f"{answer.get('response_label', '')}\n{answer.get('text', '')}".strip()
        out.append(
            {
                "label": answer.get("finding_text", "")[:40],
                "changed": a != b,
                "rows": diff_rows(a, b),
            }
        )
    return out


def self_review_stage(
    campaign: Campaign, appraisals: Sequence[Appraisal]
) -> dict[int, StageStatus]:
    """The overview's column: each appraisal's self-review status and version, one query."""
    rows = {
        r["appraisal_id"]: r
        for r in SelfReview.objects.filter(appraisal__in=[a.pk for a in appraisals])
        .values("appraisal_id", "status", "approved_at")
        .annotate(n=Max("versions__number"))
    }
    labels = dict(SelfReview.Status.choices)
    out = {}
    for a in appraisals:
        row = rows.get(a.pk)
        if row is None:
            out[a.pk] = StageStatus("todo", str(_("Not started")))
            continue
        text = str(labels[row["status"]])
        if row["status"] in SelfReview.EDITABLE and row["approved_at"]:
            # Any edit or changed answer clears the approval: a set one is current.
            text = str(_("Approved by the head, ready to submit"))
        if row["n"]:
            text += f" · v{row['n']}"
        state = "done" if row["status"] == SelfReview.Status.ACCEPTED else "progress"
        out[a.pk] = StageStatus(state, text)
    return out
