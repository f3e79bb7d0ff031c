"""Layer 2 — investigation. The models live in the sub-domain packages; Django finds them here."""

from surveys.findings.models import (
    Attachment,
    Finding,
    FindingQuerySet,
    InvestigationActivity,
    PublicSubmissionThrottle,
)
from surveys.questionnaires.models import (
    Answer,
    Question,
    Response,
    SealedResponse,
    Survey,
    SurveyCode,
    SurveyRespondent,
)

__all__ = [
    "Answer",
    "Attachment",
    "Finding",
    "FindingQuerySet",
    "InvestigationActivity",
    "PublicSubmissionThrottle",
    "Question",
    "Response",
    "SealedResponse",
    "Survey",
    "SurveyCode",
    "SurveyRespondent",
]
