"""Release after review, from the outside: a course that holds its certificates queues them on
completion, the learner sees "pending release", and only a reviewer or the course's own trainers
release them (one, a filtered set, or all), each issued exactly once, whichever language was used."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from certification.models import Certificate, CertificateRelease
from certification.tasks import issue_certificate_task
from courses.services import REVIEWERS, TRAINERS
from lms.models import Enrolment
from lms.services import enrol
from tests.factories import UserFactory, translate_tree

RELEASES = "/admin/certificates/releases/"


@pytest.fixture(autouse=True)
def issue_in_process(monkeypatch):
    # Issued in this process even when a broker is configured (the worker has its own tests).
    monkeypatch.setitem(issue_certificate_task.app.conf, "task_always_eager", True)


@pytest.fixture
def held_course(tree):
    course = tree.course
    course.certificates_need_release = True
    course.save_revision().publish()
    return tree


def staff(username: str, group: str, **extra):
    user = UserFactory(username=username, **extra)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def complete(client, lessons):
    for lesson in lessons:
        assert client.get(lesson.get_url()).status_code == 200  # read, then answer, as in a browser
        block = next(block for block in lesson.body if block.block_type == "knowledge_check")
        right = next(i for i, c in enumerate(block.value["choices"]) if c["correct"])
        response = client.post(f"{lesson.get_url()}check/{block.id}/", {"choice": str(right)})
        assert response.status_code in (200, 302)


def test_completion_holds_the_certificate_and_the_learner_sees_it_pending(
    held_course, django_capture_on_commit_callbacks
):
    learner = UserFactory(username="held-learner")
    enrol(user=learner, course=held_course.course)
    client = signed_in(learner)
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, held_course.lessons)
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.completed_at is not None
    assert not Certificate.objects.exists()
    assert CertificateRelease.objects.get().is_pending
    dashboard = client.get(reverse("learner:dashboard")).content.decode()
    assert "Certificate pending release" in dashboard
    assert "Certificate pending release" in client.get(held_course.course.get_url()).content.decode()


def test_the_course_trainer_releases_and_the_certificate_is_issued_once(
    held_course, django_capture_on_commit_callbacks
):
    owner = staff("course-owner", TRAINERS)
    held_course.course.owner = owner
    held_course.course.save(update_fields=["owner"])
    learners = [UserFactory(username=f"held-{i}") for i in range(3)]
    for learner in learners:
        enrol(user=learner, course=held_course.course)
        with django_capture_on_commit_callbacks(execute=True):
            complete(signed_in(learner), held_course.lessons)
    releases = list(CertificateRelease.objects.order_by("pk"))
    assert len(releases) == 3 and not Certificate.objects.exists()

    trainer = signed_in(owner)
    page = trainer.get(RELEASES)
    assert page.status_code == 200 and "held-0" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer.post(RELEASES, {"action": "release_selected", "release": [releases[0].pk]})
    assert response.status_code == 302
    assert list(Certificate.objects.values_list("user__username", flat=True)) == ["held-0"]
    with django_capture_on_commit_callbacks(execute=True):  # the same release again: nothing more
        trainer.post(RELEASES, {"action": "release_selected", "release": [releases[0].pk]})
    assert Certificate.objects.count() == 1
    # the learner's course page now links the certificate
    page = signed_in(learners[0]).get(reverse("learner:dashboard")).content.decode()
    assert "Certificate pending release" not in page and "/certificates/" in page

    with django_capture_on_commit_callbacks(execute=True):
        trainer.post(RELEASES, {"action": "release_all", "learner": "held-2"})  # a filtered set
    assert sorted(Certificate.objects.values_list("user__username", flat=True)) == ["held-0", "held-2"]
    with django_capture_on_commit_callbacks(execute=True):
        trainer.post(RELEASES, {"action": "release_all"})
    assert Certificate.objects.count() == 3
    assert not CertificateRelease.objects.filter(released_at__isnull=True).exists()
    assert set(CertificateRelease.objects.values_list("released_by", flat=True)) == {owner.pk}


def test_someone_who_does_not_own_the_course_is_refused_and_nothing_is_released(
    held_course, django_capture_on_commit_callbacks
):
    learner = UserFactory(username="waiting")
    enrol(user=learner, course=held_course.course)
    with django_capture_on_commit_callbacks(execute=True):
        complete(signed_in(learner), held_course.lessons)
    release = CertificateRelease.objects.get()
    other_trainer = signed_in(staff("other-trainer", TRAINERS))
    refused = other_trainer.get(RELEASES)
    assert refused.status_code == 403 and "You may not release" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = other_trainer.post(RELEASES, {"action": "release_selected", "release": [release.pk]})
    assert response.status_code == 403
    assert signed_in(learner).post(RELEASES, {"action": "release_all"}).status_code in (302, 403)
    release.refresh_from_db()
    assert release.is_pending and not Certificate.objects.exists()


def test_a_reviewer_releases_a_completion_made_in_bengali(held_course, django_capture_on_commit_callbacks):
    from certification.seeding import grant_release_to_reviewers

    grant_release_to_reviewers()
    copies = translate_tree(held_course, "bn")
    learner = UserFactory(username="bangla-learner")
    enrol(user=learner, course=copies[held_course.course.pk])
    client = signed_in(learner)
    with django_capture_on_commit_callbacks(execute=True):
        complete(client, [copies[lesson.pk] for lesson in held_course.lessons])
    release = CertificateRelease.objects.get()  # the Bengali copy follows the source copy's rule
    assert Enrolment.objects.get(user=learner).language == "bn"
    assert release.course_id == held_course.course.pk
    reviewer = signed_in(staff("the-reviewer", REVIEWERS))
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(RELEASES, {"action": "release_selected", "release": [release.pk]})
    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.language == "bn"  # the copy's locale, though it kept the source's instruction field


def test_a_course_that_does_not_hold_certificates_issues_on_completion(tree, django_capture_on_commit_callbacks):
    learner = UserFactory(username="not-held")
    enrol(user=learner, course=tree.course)
    with django_capture_on_commit_callbacks(execute=True):
        complete(signed_in(learner), tree.lessons)
    assert Certificate.objects.count() == 1 and not CertificateRelease.objects.exists()
