"""The documents of a scoring round: results workbook."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from appraisal.documents import workbook_bytes


def results_workbook(data: dict[str, Any]) -> bytes:
    """The results of a round: a summary sheet and one row per unit and voter group."""
    choices = data["choices"]
    summary_header = [
        _("Rank"),
        _("Unit"),
        *[label for _c, label in choices],
        _("Invalid or blank"),
        _("Valid"),
        _("Share satisfied"),
        _("Satisfaction rate"),
        *([_("Average points")] if data["is_points"] else []),
        _("Verdict"),
        _("Marks"),
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
            row["verdict"] or (_("void") if data["round"].void else _("no verdict")),
            "；".join(
                [m["label"] for m in row["marks"]]
                + ([_("unsatisfied again")] if row["second_failure"] else [])
            ),
        ]
        for row in data["rows"]
    ]
    detail_header = [
        _("Unit"),
        _("Voter group"),
        *[label for _c, label in choices],
        _("Invalid"),
        _("Blank"),
        _("Denominator"),
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
    rule = [[line] for line in data["rule_lines"]]
    if data["round"].void:
        rule.insert(
            0, [_("This round is void: %(reason)s") % {"reason": data["round"].void_reason}]
        )
    return workbook_bytes(
        [
            (_("Results"), summary_header, summary),
            (_("By voter group"), detail_header, detail),
            (_("Rule"), [_("How the verdict is reached")], rule),
        ]
    )
