"""Shared fixtures: one campaign with two appraisals, and a person for every role.

``office``, ``leader`` (work group of appraisal A), ``liaison_a`` / ``liaison_b``
(unit teams of A and B), ``deputy`` (a voter) and ``outsider`` (no role at all),
so every view gets its allowed and its denied case.
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from appraisal.models import Appraisal, Campaign, User, WorkGroupMember
from appraisal.services import office_grant
from tests import factories


@dataclass
class World:
    campaign: Campaign
    appraisal_a: Appraisal
    appraisal_b: Appraisal
    office: User
    leader: User
    liaison_a: User
    liaison_b: User
    deputy: User
    outsider: User


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # The real hasher costs ~0.3 s a password by design; tests hash hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language(settings) -> None:
    # The language middleware activates the chosen language for the thread and leaves it:
    # a test that chose English must not turn the next test's direct calls English.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Ballot definitions are cached by round id, and tests reuse ids.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    campaign = factories.CampaignFactory(year=2026)
    appraisal_a = factories.AppraisalFactory(campaign=campaign, unit__name="市住房和城乡建设局")
    appraisal_b = factories.AppraisalFactory(campaign=campaign, unit__name="市交通运输局")
    office = factories.UserFactory(username="office", full_name="办公室")
    office_grant(user=office, actor=None)
    leader = factories.UserFactory(username="leader")
    factories.WorkGroupMemberFactory(
        work_group=appraisal_a.work_group, user=leader, role=WorkGroupMember.Role.LEADER
    )
    liaison_a = factories.UserFactory(username="liaison_a")
    factories.UnitTeamMemberFactory(unit=appraisal_a.unit, user=liaison_a)
    liaison_b = factories.UserFactory(username="liaison_b")
    factories.UnitTeamMemberFactory(unit=appraisal_b.unit, user=liaison_b)
    deputy = factories.UserFactory(username="deputy")
    factories.VoterFactory(voter_group__campaign=campaign, user=deputy)
    outsider = factories.UserFactory(username="outsider")
    return World(
        campaign, appraisal_a, appraisal_b, office, leader, liaison_a, liaison_b, deputy, outsider
    )


@pytest.fixture
def login(client: Client):
    """``login(user)`` signs the test client in as that person and returns the client."""

    def _login(user: User) -> Client:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def admin_client_office(world: World, client: Client) -> Client:
    """The office, signed in to the Django admin with the permissions the office gets."""
    client.force_login(world.office, backend="django.contrib.auth.backends.ModelBackend")
    return client
