"""Signals that ``lms`` sends to the apps that build on it (certification listens; lms imports neither).

course_completed: sent once per enrolment, after the transaction that completed it has committed.
Arguments: ``sender`` (the Enrolment model class) and ``enrolment`` (the completed Enrolment).
"""

from django.dispatch import Signal

course_completed = Signal()
