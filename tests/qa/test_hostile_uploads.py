"""Every upload field of every page, as the office and a unit's liaison: files named with a
NUL, a right-to-left override, CJK Extension B or 300 characters, empty files, files whose
content is not what their name says, a zip that is not an Office file. A form error or a
4xx, never a server error, never a row for a refused file."""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.test_hostile_input import parse, routes, row_counts
from tests.test_hostile_input import probe as probe

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%%EOF\n"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _bomb(mb: int = 210) -> bytes:
    """A workbook-looking zip expanding to ``mb`` MB of zeros (written in 1 MB pieces)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z,
        z.open("xl/workbook.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(mb):
            member.write(bytes(1024 * 1024))
    return out.getvalue()


# (file name, content, whether the file is acceptable as such)
FILES = [
    ("a\x00b.pdf", PDF, True),  # Django drops the NUL from the name
    ("证明\u202efdp.png", PDF, False),  # a right-to-left override hiding the real type
    ("𠀀😀.pdf", PDF, True),
    ("名" * 300 + ".pdf", PDF, True),
    ("empty.pdf", b"", False),
    ("fake.pdf", b"MZ\x90\x00 not a pdf", False),
    ("fake.xlsx", b"PK\x03\x04 not a zip at all", False),
    ("other.xlsx", _zip({"hello.txt": b"hi"}), False),
    ("bomb.xlsx", _bomb(), False),
    ("fake.png", b"\x89PNG", False),
    ("page.html", b"<script>alert(1)</script>", False),
    ("noext", PDF, False),
]


class _FileForms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[str]]] = []
        self._action: str | None = None
        self._files: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._action, self._files = a.get("action", ""), []
        elif tag == "input" and a.get("type") == "file" and self._action is not None:
            self._files.append(a.get("name", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._action is not None:
            if self._files:
                self.forms.append((self._action, self._files))
            self._action = None


@pytest.mark.parametrize("who", ["office", "liaison_a", "leader"])
def test_hostile_files_on_every_upload_field(probe, world, client, who):
    client.force_login(getattr(world, who), backend="django.contrib.auth.backends.ModelBackend")
    problems, seen = [], set()
    for route in routes():
        if route.name.endswith(("_pdf", "_xlsx")) or route.name == "logout":
            continue
        if route.params and route.name not in probe.examples:
            continue
        path = route.path(probe.examples.get(route.name, {}))
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        finder = _FileForms()
        finder.feed(html)
        for action, names in finder.forms:
            action = action or path
            if action in seen:
                continue
            seen.add(action)
            defaults = next((f.defaults for f in parse(html, path).forms if f.action == action), [])
            for name in names:
                for filename, content, fine in FILES:
                    data: dict[str, object] = {}
                    for k, v in defaults:
                        data.setdefault(k, v)
                    data[name] = SimpleUploadedFile(filename, content)
                    before = row_counts()
                    try:
                        r = client.post(action, data)
                    except Exception as e:
                        problems.append(f"{who} {action} {filename[:20]!r}: {e!r:.200}")
                        continue
                    if r.status_code >= 500:
                        problems.append(f"{who} {action} {filename[:20]!r}: {r.status_code}")
                    elif not fine and row_counts() != before:
                        problems.append(f"{who} {action} {filename[:20]!r}: wrote rows")
    assert seen or who == "liaison_a", "no upload form found"
    assert not problems, "\n".join(problems)


def test_names_are_kept_printable(world, login):
    """A stored name never carries a NUL or a direction override into a download header."""
    from appraisal.announcements.models import AnnouncementAttachment
    from tests.portal.probe import notice

    a = notice(world)
    c = login(world.office)
    url = f"/office/announcements/{a.pk}/files/"
    for name in ("𠀀\u202e名单.pdf", "a\x00b.pdf"):
        c.post(url, {"file": SimpleUploadedFile(name, PDF)})
    names = [att.name for att in AnnouncementAttachment.objects.all()]
    assert len(names) == 2
    for name in names:
        assert name.isprintable(), name
