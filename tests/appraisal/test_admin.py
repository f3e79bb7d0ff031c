import pytest
from django.contrib import admin
from django.urls import reverse

from appraisal.models import AuditEvent, WorkGroup
from appraisal.services import OFFICE_APPS

pytestmark = pytest.mark.django_db


def test_every_admin_changelist_opens_for_the_office(world, admin_client_office):
    models = [m for m in admin.site._registry if m._meta.app_label in OFFICE_APPS]
    assert len(models) >= 10
    for model in models:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = admin_client_office.get(url)
        assert response.status_code == 200, url


def test_admin_search_and_filters_work(world, admin_client_office):
    url = reverse("admin:units_unit_changelist")
    html = admin_client_office.get(url, {"q": "住房"}).content.decode()
    assert "市住房和城乡建设局" in html and "市交通运输局" not in html


def test_audit_rows_cannot_be_added_changed_or_deleted(world, admin_client_office):
    event = AuditEvent.objects.first()
    assert event is not None  # office_grant wrote one
    change = reverse("admin:appraisal_auditevent_change", args=[event.pk])
    delete = reverse("admin:appraisal_auditevent_delete", args=[event.pk])
    add = reverse("admin:appraisal_auditevent_add")
    assert admin_client_office.get(add).status_code == 403
    assert admin_client_office.post(delete, {"post": "yes"}).status_code == 403
    admin_client_office.post(change, {"action": "tampered"})
    event.refresh_from_db()
    assert event.action == "appraisal.role.granted"
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_changes_are_audited(world, admin_client_office):
    url = reverse("admin:appraisal_workgroup_add")
    response = admin_client_office.post(
        url,
        {
            "campaign": world.campaign.pk,
            "name": "第九评议工作组",
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "0",
            "members-0-user": world.deputy.pk,
            "members-0-role": "member",
        },
    )
    assert response.status_code == 302
    group = WorkGroup.objects.get(name="第九评议工作组")
    assert group.members.get().user == world.deputy
    actions = set(
        AuditEvent.objects.filter(object_id=str(group.pk), actor=world.office).values_list(
            "action", flat=True
        )
    )
    assert actions == {
        "admin.appraisal.workgroup.created",
        "admin.appraisal.workgroupmember.changed",
    }


def test_admin_is_closed_to_non_staff(world, client):
    client.force_login(world.liaison_a, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response.url


def test_the_office_group_gets_permissions_of_every_office_app(world):
    from django.contrib.auth.models import Group

    from appraisal.services import OFFICE_GROUP

    perms = set(Group.objects.get(name=OFFICE_GROUP).permissions.values_list("codename", flat=True))
    assert {"change_finding", "view_survey", "change_unit", "view_auditevent"} <= perms
    assert "change_auditevent" not in perms and "delete_auditevent" not in perms
