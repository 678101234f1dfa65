"""Certificates follow lms's merge of one learner's enrolments in two languages' copies of a course.

lms 0006 marks each merged enrolment ``merged_into`` the one it kept; here their certificates move to
the kept enrolment (numbered after its own generations, so none is lost and none is revoked), and
every certificate's course becomes the source copy of its translation group, as enrolments' are.
Runs before lms 0007 deletes the merged enrolments.
"""

from django.db import migrations


def follow(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Enrolment = apps.get_model("lms", "Enrolment")
    Certificate = apps.get_model("certification", "Certificate")

    key_of, first_of_key = {}, {}
    for pk, key in Page.objects.values_list("pk", "translation_key"):
        key_of[pk] = key
        first_of_key[key] = min(pk, first_of_key.get(key, pk))

    merged = dict(Enrolment.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id"))
    generations = {}
    for certificate in Certificate.objects.order_by("issued_at", "pk"):
        changes = {}
        source = first_of_key.get(key_of.get(certificate.course_id), certificate.course_id)
        if source != certificate.course_id:
            changes["course_id"] = source
        enrolment_id = merged.get(certificate.enrolment_id, certificate.enrolment_id)
        if enrolment_id not in generations:
            generations[enrolment_id] = Certificate.objects.filter(enrolment_id=enrolment_id).count()
        if enrolment_id != certificate.enrolment_id:
            generations[enrolment_id] += 1
            changes.update(enrolment_id=enrolment_id, generation=generations[enrolment_id])
        if changes:
            Certificate.objects.filter(pk=certificate.pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0002_wallet_exchange"),
        ("lms", "0006_one_course_across_languages"),
    ]
    run_before = [("lms", "0007_drop_merged_enrolments")]

    operations = [migrations.RunPython(follow, migrations.RunPython.noop, elidable=False)]
