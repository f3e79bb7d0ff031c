import factory
from factory.django import DjangoModelFactory

from appraisal.models import (
    Appraisal,
    Campaign,
    User,
    Voter,
    VoterGroup,
    WorkGroup,
    WorkGroupMember,
)
from units.models import Unit, UnitTeamMember

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.django.Password(PASSWORD)


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign

    year = factory.Sequence(lambda n: 2000 + n)
    title = factory.LazyAttribute(lambda c: f"{c.year}年度工作评议")
    phase = Campaign.Phase.INVESTIGATION


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"市测试局{n}")


class WorkGroupFactory(DjangoModelFactory):
    class Meta:
        model = WorkGroup

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"第{n}评议工作组")


class AppraisalFactory(DjangoModelFactory):
    class Meta:
        model = Appraisal

    campaign = factory.SubFactory(CampaignFactory)
    unit = factory.SubFactory(UnitFactory)
    work_group = factory.SubFactory(WorkGroupFactory, campaign=factory.SelfAttribute("..campaign"))


class WorkGroupMemberFactory(DjangoModelFactory):
    class Meta:
        model = WorkGroupMember

    work_group = factory.SubFactory(WorkGroupFactory)
    user = factory.SubFactory(UserFactory)
    role = WorkGroupMember.Role.MEMBER


class UnitTeamMemberFactory(DjangoModelFactory):
    class Meta:
        model = UnitTeamMember

    unit = factory.SubFactory(UnitFactory)
    user = factory.SubFactory(UserFactory)
    role = UnitTeamMember.Role.LIAISON


class VoterGroupFactory(DjangoModelFactory):
    class Meta:
        model = VoterGroup

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"分组{n}")
    weight = 1


class VoterFactory(DjangoModelFactory):
    class Meta:
        model = Voter

    voter_group = factory.SubFactory(VoterGroupFactory)
    user = factory.SubFactory(UserFactory)
