"""Typed records of the knowledge base: one record kind, one model, and where each lives."""

from pydantic import BaseModel

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
    "FOLDERS", "MODELS", "OPTIONAL_FILES", "SINGLE_FILES",
    "AnalysisPlan", "Checklist", "ChecklistItem", "ChoiceList", "Country", "Dataset", "Partner",
    "Process", "Question", "Questionnaire", "Sector", "SectorList", "Sharing", "Step",
]

# The record-kind registry: the loader, the JSON schemas and the TODO check all read it.
# kind -> (path relative to the kb folder, model); the single-file records of a kb.
SINGLE_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "country": ("country.yml", Country),
    "sectors": ("sectors.yml", SectorList),
    "process": ("process.yml", Process),
    "checklist": ("checklist.yml", Checklist),
    "analysis-plan": ("analysis-plan.yml", AnalysisPlan),
}
# kind -> (folder glob, model); records kept one per file.
FOLDERS: dict[str, tuple[str, type[BaseModel]]] = {
    "partner": ("partners/*", Partner),
    "question": ("questions/*/*", Question),
    "dataset": ("datasets/*", Dataset),
    "choices": ("choices/*", ChoiceList),
}
# kind -> (path relative to the kb folder, model); single files a kb may leave out.
OPTIONAL_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "questionnaire": ("questionnaire.yml", Questionnaire),
}
MODELS: dict[str, type[BaseModel]] = {
    kind: model for kind, (_, model) in (SINGLE_FILES | FOLDERS | OPTIONAL_FILES).items()
}
