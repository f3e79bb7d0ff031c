"""Office files are zips: one that expands to a gigabyte is refused, without expanding it."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisal.models import Appraisal
from appraisal.roster import roster_template
from surveys.models import Attachment, InvestigationActivity
from tests.surveys.test_attachments import record

pytestmark = pytest.mark.django_db


def office_zip(folder: str, megabytes: int) -> bytes:
    """A minimal Office zip whose one sheet or document is ``megabytes`` of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(f"{folder}content.xml", "w", force_zip64=True) as member:
            chunk = b"0" * (8 << 20)
            for _ in range(megabytes // 8):
                member.write(chunk)
    return out.getvalue()


@pytest.fixture(scope="module")
def gigabyte_workbook() -> bytes:
    content = office_zip("xl/", 1024)
    assert len(content) < 10 * 1024 * 1024  # small enough to pass the upload size limit
    return content


def test_a_workbook_expanding_to_a_gigabyte_is_refused(world, login, gigabyte_workbook):
    response = record(
        login(world.leader), world.appraisal_a, SimpleUploadedFile("统计表.xlsx", gigabyte_workbook)
    )
    assert response.status_code == 200
    assert "压缩炸弹" in response.content.decode()
    assert not InvestigationActivity.objects.exists() and not Attachment.objects.exists()


def test_a_document_expanding_far_beyond_its_size_is_refused(world, login):
    bomb = office_zip("word/", 160)  # 160 MB from a few hundred kB: no real document does that
    response = record(login(world.leader), world.appraisal_a, SimpleUploadedFile("纪要.docx", bomb))
    assert "压缩炸弹" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_real_workbook_is_accepted(world, login):
    response = record(
        login(world.leader), world.appraisal_a, SimpleUploadedFile("名册.xlsx", roster_template())
    )
    assert response.status_code == 302
    assert Attachment.objects.get().original_name == "名册.xlsx"


def test_the_roster_upload_refuses_a_zip_bomb_too(world, login, gigabyte_workbook):
    before = Appraisal.objects.count()
    response = login(world.office).post(
        reverse("appraisal:roster_upload", args=[world.campaign.pk]),
        {"file": SimpleUploadedFile("名册.xlsx", gigabyte_workbook)},
    )
    assert response.status_code == 200
    assert "压缩炸弹" in response.content.decode()
    assert Appraisal.objects.count() == before
