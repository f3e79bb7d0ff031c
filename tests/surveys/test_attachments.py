import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.models import Attachment, InvestigationActivity

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx(folder="word/"):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(f"{folder}document.xml", "<w/>")
    return out.getvalue()


def record(client, appraisal, *files):
    return client.post(
        reverse("surveys:activities", args=[appraisal.pk]),
        {
            "kind": "field_inspection",
            "held_on": "2026-05-20",
            "place": "城东安置小区",
            "participants": "",
            "summary": "察看小区改造进度",
            "attachments": list(files),
        },
    )


def test_good_files_are_stored_under_random_names_and_served_to_investigators(world, login):
    client = login(world.leader)
    response = record(
        client,
        world.appraisal_a,
        SimpleUploadedFile("会议纪要.pdf", PDF),
        SimpleUploadedFile("记录.docx", docx()),
    )
    assert response.status_code == 302
    files = list(Attachment.objects.order_by("id"))
    assert [f.original_name for f in files] == ["会议纪要.pdf", "记录.docx"]
    assert "会议纪要" not in files[0].file.name and files[0].file.name.endswith(".pdf")
    download = client.get(files[0].get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    # The unit's team, another unit and the public cannot fetch it.
    assert login(world.liaison_a).get(files[0].get_absolute_url()).status_code == 403
    assert login(world.liaison_b).get(files[0].get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("报告.pdf", b"MZ\x90\x00this is a program", "不是真正的"),
        ("setup.exe", b"MZ\x90\x00", "只接受"),
        ("照片.jpg.exe", b"\xff\xd8\xff\xe0", "只接受"),
        ("表格.xlsx", docx("word/"), "不是真正的"),  # a zip, but not a workbook
        ("无扩展名", PDF, "只接受"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_is_stored(
    world, login, name, content, message
):
    response = record(login(world.leader), world.appraisal_a, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not InvestigationActivity.objects.exists() and not Attachment.objects.exists()


def test_oversized_files_are_refused(world, login, settings):
    settings.MAX_UPLOAD_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    response = record(login(world.leader), world.appraisal_a, SimpleUploadedFile("大文件.pdf", big))
    assert "大于 1 MB" in response.content.decode()
    assert not Attachment.objects.exists()
