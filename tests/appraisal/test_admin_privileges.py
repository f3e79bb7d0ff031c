"""Office staff use the admin but are not superusers: they cannot raise anyone's rights."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from appraisal.errors import NotAllowed
from appraisal.models import User
from appraisal.services import OFFICE_GROUP, office_grant, user_privileges_guard
from tests import factories

pytestmark = pytest.mark.django_db


def change(client, user, **extra):
    data = {
        "username": user.username, "full_name": user.full_name, "phone": "", "email": "",
        "is_active": "on", **extra,
    }  # fmt: skip
    return client.post(reverse("admin:appraisal_user_change", args=[user.pk]), data)


def test_office_staff_cannot_make_themselves_superusers(world, admin_client_office):
    page = admin_client_office.get(reverse("admin:appraisal_user_change", args=[world.office.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="is_superuser"' not in html and 'name="groups"' not in html
    assert 'name="is_staff"' not in html and 'name="is_office"' not in html
    response = change(
        admin_client_office, world.office, is_superuser="on", is_staff="on", is_office="on",
        groups=[Group.objects.get(name=OFFICE_GROUP).pk],
    )  # fmt: skip
    assert response.status_code == 302  # the other fields save; the privileges are not fields
    world.office.refresh_from_db()
    assert not world.office.is_superuser


def test_office_staff_cannot_make_others_staff_or_office(world, admin_client_office):
    change(admin_client_office, world.deputy, is_staff="on", is_office="on", is_superuser="on")
    world.deputy.refresh_from_db()
    assert not (world.deputy.is_staff or world.deputy.is_office or world.deputy.is_superuser)
    assert not world.deputy.groups.exists()


def test_office_staff_cannot_take_over_a_superuser(world, admin_client_office):
    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    page = admin_client_office.get(reverse("admin:appraisal_user_change", args=[root.pk]))
    assert 'name="username"' not in page.content.decode()  # at most a read-only view
    assert change(admin_client_office, root, username="mine").status_code == 403
    password = reverse("admin:auth_user_password_change", args=[root.pk])
    assert admin_client_office.get(password).status_code == 403
    new = {"password1": "x" * 12, "password2": "x" * 12}
    assert admin_client_office.post(password, new).status_code == 403
    delete = reverse("admin:appraisal_user_delete", args=[root.pk])
    assert admin_client_office.post(delete, {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.username == "root" and root.check_password(factories.PASSWORD)


def test_a_superuser_changes_privileges(world, client):
    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    response = change(client, world.deputy, is_staff="on", is_superuser="on")
    assert response.status_code == 302
    world.deputy.refresh_from_db()
    assert world.deputy.is_superuser and world.deputy.is_staff


def test_the_service_refuses_too(world):
    me = User.objects.get(pk=world.office.pk)
    me.is_superuser = True
    with pytest.raises(NotAllowed):
        user_privileges_guard(user=me, actor=world.office)
    world.deputy.is_staff = True
    with pytest.raises(NotAllowed):
        user_privileges_guard(user=world.deputy, actor=world.office)
    user_privileges_guard(user=world.liaison_a, actor=world.office)  # nothing changed: fine
    with pytest.raises(NotAllowed):
        office_grant(user=world.liaison_a, actor=world.liaison_b)
    assert not User.objects.get(pk=world.liaison_a.pk).is_office
