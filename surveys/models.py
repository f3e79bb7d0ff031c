"""Layer 2 — investigation. The models live in the sub-domain packages; Django finds them here."""

from surveys.answers.models import FindingAnswer
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
from surveys.reports.models import InvestigationReport, ReportFinding, ReportSignoff

__all__ = [
    "Answer",
    "Attachment",
    "Finding",
    "FindingAnswer",
    "FindingQuerySet",
    "InvestigationActivity",
    "InvestigationReport",
    "PublicSubmissionThrottle",
    "Question",
    "ReportFinding",
    "ReportSignoff",
    "Response",
    "SealedResponse",
    "Survey",
    "SurveyCode",
    "SurveyRespondent",
]
