"""Issuing one certificate as a pipeline of small steps, each a function of its own:

    facts  → compose → sign → verify what was signed → render → store
    (read)   (status bit, credential)                  (QR, PDF, badge)  (files, row, audit)

In this order so that the slow steps (signing, rendering) hold no lock and no transaction.
Exactly one certificate exists per (enrolment, generation): a second call, a retried task or a
duplicate signal finds the first one, and a race between two workers is settled in ``store``.
"""

from django.contrib.auth.models import AbstractBaseUser

from courses.models import CoursePage
from lms.models import Enrolment, ProgrammeCompletion

from ..keys import key_ring
from ..models import Certificate, CertificateKind
from .compose import Draft, add_months, compose
from .facts import IssuanceFacts, ProgrammeFacts, facts_from_enrolment, facts_from_programme_completion
from .render import Rendered, accrediting_body_name, render, template_for_course
from .signing import IssuanceCheckError, sign, verify_signed
from .store import existing_certificate, store

__all__ = [
    "Draft",
    "IssuanceCheckError",
    "IssuanceFacts",
    "ProgrammeFacts",
    "Rendered",
    "accrediting_body_name",
    "add_months",
    "compose",
    "facts_from_enrolment",
    "issue",
    "issue_programme",
    "render",
    "sign",
    "store",
    "template_for_course",
    "verify_signed",
]


def issue(
    *,
    enrolment: Enrolment,
    generation: int,
    replaces: Certificate | None = None,
    recipient_name: str = "",
    actor: AbstractBaseUser | None = None,
    reason: str = "",
    kind: str = CertificateKind.COURSE,
    cycle: int = 1,
    course: CoursePage | None = None,
) -> Certificate:
    """A new certificate of ``enrolment`` at ``generation``, or the one a concurrent call stored first.

    Callers ask for the generation after the enrolment's latest (``certification.services``), so
    there is nothing to look up first: a race with another worker is settled in ``store``.

    ``kind`` says what ``replaces`` becomes: revoked (a re-issue) or superseded (a recertification);
    ``course`` is the certified course when it is not the enrolment's (a refresher course's completion)."""
    ring = key_ring()
    facts = facts_from_enrolment(enrolment=enrolment, recipient_name=recipient_name, course=course)
    draft = compose(facts=facts, ring=ring)
    raw, signature = sign(draft=draft, ring=ring)
    verify_signed(raw=raw, signature=signature, draft=draft, ring=ring)
    rendered = render(draft=draft, raw=raw)
    return store(
        draft=draft,
        raw=raw,
        rendered=rendered,
        generation=generation,
        replaces=replaces,
        actor=actor,
        reason=reason,
        kind=kind,
        cycle=cycle,
    )


def issue_programme(*, completion: ProgrammeCompletion, generation: int = 1) -> Certificate:
    """The certificate of a programme completion: the same pipeline from its own facts."""
    existing = existing_certificate(programme_completion_id=completion.pk, generation=generation)
    if existing is not None:
        return existing
    ring = key_ring()
    facts = facts_from_programme_completion(completion=completion)
    draft = compose(facts=facts, ring=ring)
    raw, signature = sign(draft=draft, ring=ring)
    verify_signed(raw=raw, signature=signature, draft=draft, ring=ring)
    rendered = render(draft=draft, raw=raw)
    return store(draft=draft, raw=raw, rendered=rendered, generation=generation, replaces=None, actor=None, reason="")
