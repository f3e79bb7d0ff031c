"""Text of a PDF as a reader gets it (poppler's pdftotext), whitespace removed."""

import shutil
import subprocess

import pytest


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the documents")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return "".join(out.split())
