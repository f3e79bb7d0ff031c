"""Items the work group returned before the rule held still show 100 %: give them the
last percent the unit reported, at most 99 (``RectificationItem.REWORK_MAX``)."""

from django.db import migrations

REWORK_MAX = 99


def lower(apps, schema_editor):
    Item = apps.get_model("rectification", "RectificationItem")
    Progress = apps.get_model("rectification", "ProgressUpdate")
    for item in Item.objects.filter(status="returned", percent__gt=REWORK_MAX):
        last = (
            Progress.objects.filter(item=item)
            .order_by("-day", "-id")
            .values_list("percent", flat=True)
            .first()
        )
        item.percent = min(last or 0, REWORK_MAX)
        item.save(update_fields=["percent"])


class Migration(migrations.Migration):
    dependencies = [("rectification", "0008_report_keeps_generated_digest")]

    operations = [migrations.RunPython(lower, migrations.RunPython.noop)]
