"""The office's permission group was created as "Office"; the admin shows it by name."""

from django.db import migrations

OLD, NEW = "Office", "评议办公室"


def rename(apps, schema_editor, old=OLD, new=NEW):
    Group = apps.get_model("auth", "Group")
    if not Group.objects.filter(name=new).exists():
        Group.objects.filter(name=old).update(name=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("appraisal", "0006_sealed_ballot_envelopes"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
