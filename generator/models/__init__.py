"""Typed records of the knowledge base: one record kind, one model."""

from .checklist import Checklist, ChecklistItem
from .choices import ChoiceList
from .country import Country
from .dataset import Dataset
from .partner import Partner
from .plan import AnalysisPlan
from .process import Process, Step
from .question import Question
from .questionnaire import Questionnaire
from .sector import Sector, SectorList
from .sharing import Sharing

__all__ = [
    "AnalysisPlan", "Checklist", "ChecklistItem", "ChoiceList", "Country", "Dataset", "Partner",
    "Process",
    "Question", "Questionnaire", "Sector", "SectorList", "Sharing", "Step",
]
