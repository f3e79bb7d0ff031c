import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from appraisal.models import Appraisal, AuditEvent, User, Voter, VoterGroup, WorkGroup
from appraisal.roster import roster_template
from units.models import Unit, UnitTeamMember

pytestmark = pytest.mark.django_db

UNITS = [
    ["单位名称", "简称", "类别", "评议工作组"],
    ["市医疗保障局", "医保局", "政府部门", "第三评议工作组"],
    ["市中级人民法院", "中院", "法院", "第四评议工作组"],
]
GROUPS = [["分组名称", "权重"], ["常委会组成人员", 0.6], ["人大代表", "40%"]]
PEOPLE = [
    ["用户名", "姓名", "角色", "所属单位", "评议工作组", "投票分组", "手机号"],
    ["wanglei", "王磊", "工作组组长", "", "第三评议工作组", "常委会组成人员", "13912345678"],
    ["lina", "李娜", "单位联络员", "市医疗保障局", "", "", 13800001111],
    ["zhaogang", "赵刚", "单位主要负责人", "市中级人民法院", "", "", "0571-87654321"],
    ["chenjing", "陈静", "代表委员", "", "", "人大代表", ""],
    ["sunli", "孙丽", "办公室", "", "", "", ""],
]


def workbook(units=UNITS, groups=GROUPS, people=PEOPLE, drop_sheet=None) -> SimpleUploadedFile:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in [("单位", units), ("投票分组", groups), ("人员", people)]:
        if title == drop_sheet:
            continue
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = BytesIO()
    wb.save(out)
    return SimpleUploadedFile("roster.xlsx", out.getvalue())


def check(client, campaign, file):
    """The first step: upload and check; nothing is written."""
    return client.post(reverse("appraisal:roster_upload", args=[campaign.pk]), {"file": file})


def upload(client, campaign, file):
    """Upload, and confirm the preview when there is one."""
    response = check(client, campaign, file)
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', response.content.decode())
    if response.status_code != 200 or digest is None:
        return response
    return client.post(
        reverse("appraisal:roster_upload", args=[campaign.pk]),
        {"confirm": "1", "digest": digest.group(1)},
    )


def counts():
    return (
        Unit.objects.count(),
        Appraisal.objects.count(),
        WorkGroup.objects.count(),
        VoterGroup.objects.count(),
        User.objects.count(),
        UnitTeamMember.objects.count(),
        Voter.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_valid_roster_sets_up_the_campaign(world, login):
    response = upload(login(world.office), world.campaign, workbook())
    assert response.status_code == 200
    assert "名册已导入" in response.content.decode()

    court = Appraisal.objects.get(campaign=world.campaign, unit__name="市中级人民法院")
    assert court.unit.kind == Unit.Kind.COURT
    assert court.work_group.name == "第四评议工作组"
    assert VoterGroup.objects.get(campaign=world.campaign, name="人大代表").weight == Decimal("0.4")
    wang = User.objects.get(username="wanglei")
    assert wang.full_name == "王磊" and not wang.has_usable_password()
    assert wang.work_group_memberships.get().role == "leader"
    assert Voter.objects.get(user=wang).voter_group.name == "常委会组成人员"
    lina = User.objects.get(username="lina")
    assert lina.phone == "13800001111"  # typed as a number in Excel
    assert lina.unit_membership.unit.name == "市医疗保障局"
    assert User.objects.get(username="sunli").is_office
    assert (
        AuditEvent.objects.filter(action="appraisal.roster.imported", actor=world.office).count()
        == 1
    )
    assert (
        AuditEvent.objects.filter(action="appraisal.role.granted", actor=world.office).count() >= 5
    )


def test_reimporting_the_same_file_changes_nothing(world, login):
    client = login(world.office)
    upload(client, world.campaign, workbook())
    before = counts()
    response = upload(client, world.campaign, workbook())
    assert "没有需要更改的内容" in response.content.decode()
    assert counts() == before


def test_a_changed_row_updates_only_that_row(world, login):
    client = login(world.office)
    upload(client, world.campaign, workbook())
    people = [row[:] for row in PEOPLE]
    people[2][6] = "13800002222"
    upload(client, world.campaign, workbook(people=people))
    assert User.objects.get(username="lina").phone == "13800002222"
    assert AuditEvent.objects.filter(action="appraisal.roster.imported").count() == 2


def _with(rows, index, column, value):
    rows = [row[:] for row in rows]
    rows[index][column] = value
    return rows


@pytest.mark.parametrize(
    ("file_kwargs", "sheet", "row", "column", "message"),
    [
        (
            {"people": [[c for c in r if c != "角色"][:2] + r[3:] for r in PEOPLE]},
            "人员",
            1,
            "角色",
            "缺少必填列",
        ),
        ({"people": _with(PEOPLE, 2, 3, "市不存在局")}, "人员", 3, "所属单位", "未知单位"),
        ({"people": _with(PEOPLE, 4, 0, "WangLei")}, "人员", 5, "用户名", "不止一次"),
        ({"people": _with(PEOPLE, 1, 6, "1391234")}, "人员", 2, "手机号", "不是有效电话号码"),
        ({"people": _with(PEOPLE, 4, 2, "观察员")}, "人员", 5, "角色", "无法识别角色"),
        ({"units": _with(UNITS, 1, 2, "事业单位")}, "单位", 2, "类别", "无法识别类别"),
        ({"groups": _with(GROUPS, 1, 1, 1.5)}, "投票分组", 2, "权重", "0 至 1"),
        ({"people": _with(PEOPLE, 1, 4, "第九评议工作组")}, "人员", 2, "评议工作组", "未知工作组"),
        ({"drop_sheet": "投票分组"}, "投票分组", None, "", "缺少工作表"),
    ],
)
def test_bad_rows_are_reported_and_nothing_is_written(
    world, login, file_kwargs, sheet, row, column, message
):
    before = counts()
    response = upload(login(world.office), world.campaign, workbook(**file_kwargs))
    errors = response.context["errors"]
    assert any(
        e.sheet == sheet
        and (row is None or e.row == row)
        and e.column == column
        and message in e.message
        for e in errors
    ), errors
    assert "未导入任何数据" in response.content.decode()
    assert counts() == before


def test_every_bad_row_is_listed_at_once(world, login):
    people = _with(_with(PEOPLE, 1, 6, "123"), 3, 2, "观察员")
    response = upload(login(world.office), world.campaign, workbook(people=people))
    assert {(e.row, e.column) for e in response.context["errors"]} == {(2, "手机号"), (4, "角色")}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("roster.xlsx", b"MZ\x90\x00 not a workbook", "不是 Excel 工作簿"),
        ("roster.csv", b"a,b,c", "请上传 Excel 工作簿"),
        ("roster.xlsx", b"PK\x03\x04broken zip", "不是 Excel 工作簿"),
    ],
)
def test_a_wrong_file_gets_a_clear_message(world, login, name, content, message):
    before = counts()
    response = upload(login(world.office), world.campaign, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_the_template_downloads_and_imports_cleanly(world, login):
    client = login(world.office)
    response = client.get(reverse("appraisal:roster_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(response.content))
    assert {"单位", "投票分组", "人员"} <= set(wb.sheetnames)
    before = counts()
    result = upload(client, world.campaign, SimpleUploadedFile("t.xlsx", roster_template()))
    # The examples sit on a sheet of their own and are never imported as real people.
    assert "没有需要更改的内容" in result.content.decode()
    assert "填写示例" in wb.sheetnames and counts() == before
    for title in ("单位", "投票分组", "人员"):
        assert wb[title].max_row == 1, title


@pytest.mark.parametrize("who", ["leader", "liaison_a", "deputy", "outsider"])
def test_only_the_office_imports(world, login, who):
    client = login(getattr(world, who))
    before = counts()
    assert upload(client, world.campaign, workbook()).status_code == 403
    assert client.get(reverse("appraisal:roster_template")).status_code == 403
    assert counts() == before


def test_a_raw_nul_in_a_sheet_is_a_damaged_file_not_an_error_page(world, login):
    """openpyxl meets a raw NUL in the sheet's XML only while reading the rows."""
    import zipfile

    people = [*PEOPLE[:-1], ["sunli", "PLACEHOLDER", "办公室", "", "", "", ""]]
    source = zipfile.ZipFile(BytesIO(workbook(people=people).read()))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as patched:
        for item in source.infolist():
            data = source.read(item.filename)
            patched.writestr(item, data.replace(b"PLACEHOLDER", b"a\x00b"))
    before = counts()
    response = check(
        login(world.office), world.campaign, SimpleUploadedFile("r.xlsx", out.getvalue())
    )
    assert response.status_code == 200 and "文件已损坏" in response.content.decode()
    assert counts() == before


def test_a_sheet_with_content_below_the_last_row_read_is_refused(world, login, monkeypatch):
    from appraisal import roster

    monkeypatch.setattr(roster, "MAX_SHEET_ROWS", len(PEOPLE) - 1)
    before = counts()
    response = upload(login(world.office), world.campaign, workbook())
    html = response.content.decode()
    assert f"工作表第{len(PEOPLE) - 1}行以下还有行" in html
    assert counts() == before
