"""Issuing races, on PostgreSQL (SQLite serialises every write, so it cannot race)."""

import pytest
from django.db import connection

from appraisal.documents.models import IssuedDocument, IssuingSettings
from appraisal.documents.services import default_settings
from appraisal.models import Appraisal
from rectification.models import AppraisalOpinion
from rectification.opinions import services
from tests import factories
from tests.appraisal.test_ballot_concurrency import race
from tests.rectification.conftest import doc_number, drafted

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL"
    ),
]


def test_one_opinion_issued_twenty_times_at_once_gets_one_number(opinions_phase):
    world = opinions_phase
    opinion = drafted(world, world.appraisal_a)
    outcomes = race(
        [lambda: services.opinion_move(opinion=opinion, actor=world.office, to="issued")] * 20
    )
    assert sum(1 for o in outcomes if isinstance(o, AppraisalOpinion)) == 1
    assert IssuedDocument.objects.get().number == 1
    assert IssuingSettings.objects.get().next_number == 2
    assert AppraisalOpinion.objects.get().document_number == doc_number(1)


def test_eight_opinions_issued_at_once_get_eight_different_numbers(opinions_phase):
    world = opinions_phase
    appraisals = [world.appraisal_a, world.appraisal_b] + [
        factories.AppraisalFactory(campaign=world.campaign) for _ in range(6)
    ]
    opinions = [
        drafted(world, a) for a in Appraisal.objects.filter(pk__in=[a.pk for a in appraisals])
    ]
    # The issuing settings exist: every racer locks the same row.
    default_settings(world.campaign).save()
    outcomes = race(
        [
            (lambda o=o: services.opinion_move(opinion=o, actor=world.office, to="issued"))
            for o in opinions
        ]
    )
    assert all(isinstance(o, AppraisalOpinion) for o in outcomes), outcomes
    assert sorted(AppraisalOpinion.objects.values_list("number", flat=True)) == list(range(1, 9))
    assert sorted(IssuedDocument.objects.values_list("number", flat=True)) == list(range(1, 9))
    assert IssuingSettings.objects.get().next_number == 9
