from programs.models.enrolment import Invitation, Participant, ParticipantEvent
from programs.models.program import Cycle, Program, Topic
from programs.models.questionnaire import Answer, Question, QuestionPair
from programs.models.training import Resource, TrainingCompletion, TrainingModule, WeeklyPrompt

__all__ = [
    "Answer",
    "Cycle",
    "Invitation",
    "Participant",
    "ParticipantEvent",
    "Program",
    "Question",
    "QuestionPair",
    "Resource",
    "Topic",
    "TrainingCompletion",
    "TrainingModule",
    "WeeklyPrompt",
]
