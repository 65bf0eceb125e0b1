"""Typed records of the knowledge base: one record kind, one model."""

from .checklist import Checklist, ChecklistItem
from .country import Country
from .dataset import Dataset
from .partner import Partner
from .plan import AnalysisPlan
from .process import Process, Step
from .question import Question
from .sector import Sector, SectorList
from .sharing import Sharing

__all__ = [
    "AnalysisPlan", "Checklist", "ChecklistItem", "Country", "Dataset", "Partner", "Process",
    "Question", "Sector", "SectorList", "Sharing", "Step",
]
