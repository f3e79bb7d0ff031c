"""Every model has a Chinese name: the admin's permission chooser, history and delete
pages show them to the office."""

import re

from django.apps import apps
from django.utils import translation

APPS = ("units", "appraisal", "surveys", "rectification")
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_model_is_named_in_chinese():
    with translation.override("zh-hans"):
        english = [
            f"{m._meta.label}: {m._meta.verbose_name} / {m._meta.verbose_name_plural}"
            for m in apps.get_models()
            if m._meta.app_label in APPS
            and not (
                HAN.search(str(m._meta.verbose_name))
                and HAN.search(str(m._meta.verbose_name_plural))
            )
        ]
    assert english == []
