"""Who sees what (DESIGN.md §5), decided here and nowhere else.

Views call ``get_*_for_user`` (object or 404) and the role decorators; lists go
through the querysets' ``visible_to``. A person may hold several roles at once
(a deputy in a work group, say); ``roles_of`` lists them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from appraisal.models import Appraisal, Campaign, User, Voter, WorkGroupMember
from units.models import Unit, UnitTeamMember

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


@dataclass(frozen=True)
class Roles:
    office: bool = False
    work_group: bool = False
    unit: Unit | None = None
    voter: bool = False

    @property
    def any(self) -> bool:
        return self.office or self.work_group or self.unit is not None or self.voter

    def home_url(self) -> str:
        if self.office:
            return reverse("appraisal:office_overview")
        if self.work_group:
            return reverse("appraisal:workgroup_home")
        if self.unit is not None:
            return reverse("appraisal:unit_home")
        if self.voter:
            return reverse("appraisal:deputy_home")
        return reverse("appraisal:no_role")


def roles_of(user: User | AnonymousUser) -> Roles:
    """The roles a person holds; cached on the user object for the request."""
    if not user.is_authenticated or not user.is_active:
        return Roles()
    cached: Roles | None = getattr(user, "_pingyi_roles", None)
    if cached is not None:
        return cached
    membership = UnitTeamMember.objects.select_related("unit").filter(user=user).first()
    roles = Roles(
        office=user.is_office,
        work_group=WorkGroupMember.objects.filter(user=user).exists(),
        unit=membership.unit if membership else None,
        voter=Voter.objects.filter(user=user).exists(),
    )
    user._pingyi_roles = roles  # type: ignore[union-attr, attr-defined]
    return roles


V = TypeVar("V", bound=Callable[..., HttpResponse])


def _role_required(check: Callable[[Roles], bool]) -> Callable[[V], V]:
    def decorator(view: V) -> V:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(roles_of(request.user)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


office_required = _role_required(lambda r: r.office)
work_group_required = _role_required(lambda r: r.work_group)
unit_required = _role_required(lambda r: r.unit is not None)
voter_required = _role_required(lambda r: r.voter)


def acting_user(request: HttpRequest) -> User:
    """The signed-in person behind a request, for views already behind a login check."""
    return request.user  # type: ignore[return-value]


def get_appraisal_for_user(user: User | AnonymousUser, pk: int) -> Appraisal:
    """The appraisal if this person may see it, else 404 (its existence is not revealed)."""
    try:
        return (
            Appraisal.objects.visible_to(user)
            .select_related("campaign", "unit", "work_group")
            .get(pk=pk)
        )
    except Appraisal.DoesNotExist:
        raise Http404 from None


def get_campaign_for_office(user: User | AnonymousUser, pk: int | None = None) -> Campaign:
    """A campaign for the office: the given one, or the newest. 404 when there is none."""
    if not roles_of(user).office:
        raise PermissionDenied
    campaigns = Campaign.objects.all()
    campaign = campaigns.filter(pk=pk).first() if pk is not None else campaigns.first()
    if campaign is None:
        raise Http404
    return campaign


def is_investigator(user: User | AnonymousUser, appraisal: Appraisal) -> bool:
    """The office, or a member of the work group that covers this appraisal."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_office:
        return True
    return bool(
        appraisal.work_group_id
        and WorkGroupMember.objects.filter(work_group=appraisal.work_group_id, user=user).exists()
    )


def can_see_appraisal(user: User | AnonymousUser, appraisal: Appraisal) -> bool:
    """Whether ``get_appraisal_for_user`` would open this appraisal for the person: the
    office, its work group or its unit's team. Pages use it to link only where the
    reader may go."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_investigator(user, appraisal) or (
        UnitTeamMember.objects.filter(unit=appraisal.unit_id, user=user).exists()
    )


def get_appraisal_for_investigator(user: User | AnonymousUser, pk: int) -> Appraisal:
    """An appraisal the person investigates (office or its work group): 404 if they cannot
    see it at all, 403 if they see it but do not investigate it (its unit's team)."""
    appraisal = get_appraisal_for_user(user, pk)
    if not is_investigator(user, appraisal):
        raise PermissionDenied
    return appraisal
