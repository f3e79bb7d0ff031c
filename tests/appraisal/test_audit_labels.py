"""The audit log reads in words: every action code written anywhere has a label."""

import ast
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from appraisal.audit_labels import ACTION_LABELS, action_label
from appraisal.models import AuditEvent
from appraisal.services import OFFICE_GROUP

ROOT = Path(__file__).resolve().parents[2]
APPS = ["appraisal", "surveys", "rectification", "units", "demo", "portal", "config"]
# Codes built with an f-string, and the values their placeholder takes.
DYNAMIC = {
    "surveys.finding.{}": ["received", "verifying", "verified", "unfounded", "changed"],
    "surveys.survey.{}": ["open", "closed"],
    "appraisal.selfreview.{}": ["submitted", "returned", "accepted"],
    "surveys.report.{}": [
        "signing",
        "draft",
        "submitted",
        "returned",
        "accepted",
        "signed",
        "dissent",
    ],
    "rectification.opinion.{}": ["issued", "acknowledged"],
    "appraisal.announcement.{}": ["scheduled", "draft", "published", "withdrawn"],
    "rectification.progress.{}": ["published", "withdrawn"],
    "rectification.item.{}": [
        "submit",
        "approve",
        "return_plan",
        "accept_explanation",
        "reject_explanation",
        "start",
        "finish",
        "close",
        "return",
        "reopen",
    ],
}


def _action_values(node: ast.expr, func: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _action_values(node.body, func) + _action_values(node.orelse, func)
    if isinstance(node, ast.JoinedStr):
        template = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        if template.startswith("admin."):
            return []  # admin codes are labelled from the model's name
        assert template in DYNAMIC, f"unknown dynamic action code {template!r}"
        return [template.format(v) for v in DYNAMIC[template]]
    if isinstance(node, ast.Name):
        values = []
        for sub in ast.walk(func):
            if isinstance(sub, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == node.id for t in sub.targets
            ):
                values += _action_values(sub.value, func)
        params = [a.arg for a in func.args.kwonlyargs + func.args.args]  # type: ignore[attr-defined]
        if not values and node.id in params:
            # A helper taking the code as an argument: read it at every call of the helper.
            for call in _calls_of(func.name):  # type: ignore[attr-defined]
                for kw in call.keywords:
                    if kw.arg == node.id:
                        values += _action_values(kw.value, call)
        assert values, f"cannot tell the action codes behind {node.id!r}"
        return values
    if isinstance(node, ast.Call):  # self._action("changed") in the audited admin
        return []
    raise AssertionError(f"cannot read the action code {ast.dump(node)}")


def _trees() -> list[ast.Module]:
    return [
        ast.parse(path.read_text(encoding="utf-8"))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    ]


def _calls_of(name: str) -> list[ast.Call]:
    return [
        call
        for tree in _trees()
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and getattr(call.func, "id", None) == name
    ]


def action_codes_in_source() -> set[str]:
    codes: set[str] = set()
    for tree in _trees():
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for call in ast.walk(func):
                if (
                    isinstance(call, ast.Call)
                    and getattr(call.func, "id", getattr(call.func, "attr", "")) == "audit_log"
                ):
                    for kw in call.keywords:
                        if kw.arg == "action":
                            codes.update(_action_values(kw.value, func))
    return codes


def test_every_audit_action_code_in_the_source_has_a_label():
    codes = action_codes_in_source()
    assert len(codes) > 20  # the walk really found the calls
    assert sorted(codes - set(ACTION_LABELS)) == []


def test_labels_are_chinese_and_admin_codes_name_the_model():
    with translation.override("zh-hans"):
        assert action_label("appraisal.round.published") == "公布测评结果"
        assert action_label("admin.appraisal.user.changed").startswith("后台管理：修改")
        assert action_label("no.such.code") == "no.such.code"
        untranslated = [c for c, label in ACTION_LABELS.items() if str(label).isascii()]
        assert untranslated == []


@pytest.mark.django_db
def test_the_admin_audit_log_shows_actions_in_words(world, admin_client_office):
    from django.db import transaction

    from appraisal.audit import audit_log

    with transaction.atomic():
        audit_log(actor=world.office, action="appraisal.round.published", obj=world.campaign)
    html = admin_client_office.get(reverse("admin:appraisal_auditevent_changelist")).content
    page = html.decode()
    assert "公布测评结果" in page
    assert ">appraisal.round.published<" not in page
    event = AuditEvent.objects.get(action="appraisal.round.published")
    detail = admin_client_office.get(
        reverse("admin:appraisal_auditevent_change", args=[event.pk])
    ).content.decode()
    assert "公布测评结果" in detail


@pytest.mark.django_db
def test_the_admin_speaks_chinese_for_axes_and_the_office_group(world, admin_client_office):
    world.office.is_superuser = True
    world.office.save()
    index = admin_client_office.get(reverse("admin:index")).content.decode()
    assert "登录保护" in index and "Axes" not in index
    assert "工作评议" in index and ">Appraisal<" not in index  # its own AppConfig still runs
    assert "Access attempts" not in index and "登录尝试" in index
    assert OFFICE_GROUP == "评议办公室"
    assert Group.objects.filter(name="评议办公室").exists()
    assert not Group.objects.filter(name="Office").exists()
    user_page = admin_client_office.get(
        reverse("admin:appraisal_user_change", args=[world.leader.pk])
    ).content.decode()
    assert "评议办公室" in user_page and ">Office<" not in user_page


@pytest.mark.django_db
def test_the_group_chooser_of_the_admin_reads_chinese(world, admin_client_office):
    script = admin_client_office.get(reverse("admin:jsi18n")).content.decode()
    # The catalogue is JSON inside the script: non-ASCII arrives as \uXXXX escapes.
    assert json.dumps("全部选择%s")[1:-1] in script
    assert json.dumps("选中要添加的%s，再点击“选择”箭头。")[1:-1] in script


@pytest.mark.django_db
def test_the_group_page_names_permissions_in_chinese(world, admin_client_office):
    world.office.is_superuser = True
    world.office.save()
    group = Group.objects.get(name=OFFICE_GROUP)
    page = admin_client_office.get(
        reverse("admin:auth_group_change", args=[group.pk])
    ).content.decode()
    assert "工作评议 | 单位评议 | 新增" in page
    assert "Can add" not in page and "Can view" not in page
