"""Signals that ``lms`` sends to the apps that build on it (certification listens; lms imports neither).

course_completed: sent once per enrolment, after the transaction that completed it has committed.
Arguments: ``sender`` (the Enrolment model class) and ``enrolment`` (the completed Enrolment).

programme_completed: sent once per learner and programme, after the transaction that recorded the
completion has committed. Arguments: ``sender`` (the ProgrammeCompletion model class) and
``completion`` (the ProgrammeCompletion).

learner_erased: sent inside the transaction that erases a learner, so a listener that fails undoes
the erasure. Arguments: ``sender`` (the user model class) and ``user`` (already anonymised).
"""

from django.dispatch import Signal

course_completed = Signal()
programme_completed = Signal()
learner_erased = Signal()
