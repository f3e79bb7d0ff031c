"""Layer 3 — appraisal opinions, the rectification ledger, progress and evidence.

The models live in the sub-domain packages; Django finds them here."""

from rectification.feedback.models import ClosureNotice
from rectification.ledger.models import Evidence, ProgressUpdate, RectificationItem, Reminder
from rectification.opinions.models import AppraisalOpinion, OpinionItem
from rectification.publication.models import ProgressPublication

__all__ = [
    "AppraisalOpinion",
    "ClosureNotice",
    "Evidence",
    "OpinionItem",
    "ProgressPublication",
    "ProgressUpdate",
    "RectificationItem",
    "Reminder",
]
