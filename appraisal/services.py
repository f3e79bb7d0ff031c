"""Writes of the appraisal layer. Each is atomic and writes its audit row."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.audit import audit_log
from appraisal.errors import NotAllowed, PhaseError
from appraisal.models import Campaign, User, Voter, VoterGroup, WorkGroup, WorkGroupMember
from units.models import Unit, UnitTeamMember

OFFICE_GROUP = "评议办公室"  # shown in the admin's group chooser; renamed by a migration
# The office administers these apps in the Django admin (axes: to unlock a locked-out
# account); audit rows stay read-only.
OFFICE_APPS = ("units", "appraisal", "surveys", "rectification", "axes")


def campaign_advance_phase(*, campaign: Campaign, actor: User, from_phase: str) -> Campaign:
    """Move the campaign one phase forward.

    ``from_phase`` is the phase the person saw when they confirmed: if someone
    moved the campaign meanwhile, nothing happens and they are told.
    """
    if not actor.is_office:
        raise NotAllowed(_("Only the leading-group office can change the phase."))
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.phase != from_phase:
            raise PhaseError(
                _("The campaign is already in phase “%(phase)s”. Nothing was changed.")
                % {"phase": locked.get_phase_display()}
            )
        nxt = locked.next_phase
        if nxt is None:
            raise PhaseError(_("The campaign is closed; it has no next phase."))
        locked.phase = nxt
        locked.phase_changed_at = timezone.now()
        locked.save(update_fields=["phase", "phase_changed_at"])
        audit_log(
            actor=actor,
            action="appraisal.campaign.phase_changed",
            obj=locked,
            campaign=locked,
            data={"from": from_phase, "to": str(nxt)},
        )
    return locked


def office_group_sync(**_signal_kwargs: object) -> Group:
    """The office's permission group, with every permission of the office's apps (audit
    rows: view only). Run after each migrate, so models added later reach the office."""
    group, _created = Group.objects.get_or_create(name=OFFICE_GROUP)
    perms = Permission.objects.filter(content_type__app_label__in=OFFICE_APPS).exclude(
        content_type__model="auditevent", codename__regex=r"^(add|change|delete)_"
    )
    group.permissions.set(perms)
    return group


# Who may administer: only a superuser changes these, in the admin or anywhere else.
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "is_office")


def user_privileges_guard(*, user: User, actor: User) -> None:
    """Refuse a change of who is superuser, admin staff or office unless a superuser makes
    it (the admin shows these read-only to others; this stops a forged form too)."""
    if actor.is_superuser:
        return
    before = User.objects.filter(pk=user.pk).first() if user.pk else None
    before = before or User()
    changed = [f for f in PRIVILEGE_FIELDS if getattr(before, f) != getattr(user, f)]
    if changed:
        raise NotAllowed(
            _("Only a superuser can change who is a superuser, admin staff or office staff.")
        )


def office_grant(*, user: User, actor: User | None) -> bool:
    """Make a person office staff: the office pages and the Django admin. True if it changed.

    The office may add a colleague with its own rights (the roster's 办公室 role); no one
    else may, and nothing here ever makes a superuser.
    """
    if actor is not None and not (actor.is_superuser or actor.is_office):
        raise NotAllowed(_("Only the leading-group office can add office staff."))
    with transaction.atomic():
        changed = not (user.is_office and user.is_staff)
        if changed:
            user.is_office = True
            user.is_staff = True
            user.save(update_fields=["is_office", "is_staff"])
        group = Group.objects.filter(name=OFFICE_GROUP).first() or office_group_sync()
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            changed = True
        if changed:
            audit_log(
                actor=actor, action="appraisal.role.granted", obj=user, data={"role": "office"}
            )
    return changed


def work_group_member_set(
    *, work_group: WorkGroup, user: User, role: str, actor: User | None
) -> bool:
    """Put a person in a work group with a role. True if anything changed."""
    with transaction.atomic():
        member, created = WorkGroupMember.objects.get_or_create(
            work_group=work_group, user=user, defaults={"role": role}
        )
        if not created and member.role == role:
            return False
        if not created:
            member.role = role
            member.save(update_fields=["role"])
        audit_log(
            actor=actor,
            action="appraisal.role.granted",
            obj=user,
            campaign=work_group.campaign,
            data={"role": f"work_group.{role}", "work_group": work_group.name},
        )
    return True


def unit_team_member_set(*, unit: Unit, user: User, role: str, actor: User | None) -> bool:
    """Put a person in a unit's team (moving them from any other). True if anything changed."""
    with transaction.atomic():
        member = UnitTeamMember.objects.filter(user=user).first()
        if member is not None and member.unit_id == unit.pk and member.role == role:
            return False
        previous = member.unit.name if member is not None else None
        UnitTeamMember.objects.update_or_create(user=user, defaults={"unit": unit, "role": role})
        audit_log(
            actor=actor,
            action="appraisal.role.granted",
            obj=user,
            data={"role": f"unit.{role}", "unit": unit.name, "previous_unit": previous},
        )
    return True


def voter_set(*, voter_group: VoterGroup, user: User, actor: User | None) -> bool:
    """Entitle a person to score in a campaign, in this voter group only. True if it changed."""
    with transaction.atomic():
        current = Voter.objects.filter(voter_group__campaign_id=voter_group.campaign_id, user=user)
        if [v.voter_group_id for v in current] == [voter_group.pk]:
            return False
        current.exclude(voter_group=voter_group).delete()
        Voter.objects.get_or_create(voter_group=voter_group, user=user)
        audit_log(
            actor=actor,
            action="appraisal.role.granted",
            obj=user,
            campaign=voter_group.campaign,
            data={"role": "voter", "voter_group": voter_group.name},
        )
    return True
