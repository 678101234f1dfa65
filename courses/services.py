"""Actions on course content: marking knowledge checks and setting up the editorial roles."""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

from .models import LessonPage

TRAINERS = "Trainers"
REVIEWERS = "Reviewers"
ACCREDITATION_WORKFLOW = "Accreditation review"
ACCREDITATION_TASK = "Reviewer approval"


class KnowledgeCheckNotFound(LookupError):
    pass


@dataclass(frozen=True)
class KnowledgeCheckFeedback:
    correct: bool = False
    chosen: int | None = None
    explanation: str = ""
    error: str = ""


def mark_knowledge_check(*, lesson: LessonPage, block_id: str, choice: str | None) -> KnowledgeCheckFeedback:
    """Compare a learner's choice with the answer kept in the lesson body (never sent to the page)."""
    block = next(
        (child for child in lesson.body if child.id == block_id and child.block_type == "knowledge_check"), None
    )
    if block is None:
        raise KnowledgeCheckNotFound(_("This lesson has no such question."))
    choices = block.value["choices"]
    try:
        chosen = int(choice)
    except (TypeError, ValueError):
        return KnowledgeCheckFeedback(error=_("Choose one answer before checking."))
    if not 0 <= chosen < len(choices):
        return KnowledgeCheckFeedback(error=_("Choose one of the answers shown."))
    return KnowledgeCheckFeedback(
        correct=bool(choices[chosen]["correct"]),
        chosen=chosen,
        explanation=str(block.value["explanation"] or ""),
    )


TRAINER_PAGE_PERMISSIONS = ["add_page", "change_page"]
REVIEWER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
SHARED_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
    ("courses", "view_accreditingbody"),
    ("courses", "view_topic"),
]
REVIEWER_MODEL_PERMISSIONS = [
    ("courses", "add_accreditingbody"),
    ("courses", "change_accreditingbody"),
    ("courses", "add_topic"),
    ("courses", "change_topic"),
]


def _grant(group: Group, codes: list[tuple[str, str]]) -> None:
    for app_label, codename in codes:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


@transaction.atomic
def ensure_editorial_roles() -> Workflow | None:
    """Create the Trainers and Reviewers groups and the accreditation review workflow, once.

    Trainers write and submit pages but cannot publish; every page in the site goes through the
    workflow, which a reviewer approves (publishing the page) or rejects with a comment.
    """
    root = Page.get_first_root_node()
    if root is None:  # a flushed database (transactional tests): there is no page tree to attach roles to
        return None
    trainers, _created = Group.objects.get_or_create(name=TRAINERS)
    reviewers, _created = Group.objects.get_or_create(name=REVIEWERS)
    for group, page_codes in ((trainers, TRAINER_PAGE_PERMISSIONS), (reviewers, REVIEWER_PAGE_PERMISSIONS)):
        for codename in page_codes:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
        _grant(group, SHARED_MODEL_PERMISSIONS)
    _grant(reviewers, REVIEWER_MODEL_PERMISSIONS)

    workflow, _created = Workflow.objects.get_or_create(name=ACCREDITATION_WORKFLOW, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=ACCREDITATION_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=ACCREDITATION_TASK)
    task.groups.add(reviewers)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return workflow
