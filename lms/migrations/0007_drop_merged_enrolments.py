"""The enrolments 0006 merged into another are deleted, and one enrolment per course holds again.

Apps that point at enrolments move their rows to the kept enrolment before this runs (each names
this migration in its ``run_before``: certification's 0003 moves the merged enrolments' certificates).
"""

from django.db import migrations, models


def drop_merged(apps, schema_editor):
    Enrolment = apps.get_model("lms", "Enrolment")
    Enrolment.objects.filter(merged_into__isnull=False).delete()
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign keys of the deleted rows now: PostgreSQL refuses to alter a
        # table that still has pending trigger events in the same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [("lms", "0006_one_course_across_languages")]

    operations = [
        migrations.RunPython(drop_merged, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="enrolment", name="merged_into"),
        migrations.AddConstraint(
            model_name="enrolment",
            constraint=models.UniqueConstraint(fields=("user", "course"), name="one_enrolment_per_course"),
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.UniqueConstraint(fields=("organisation", "course"), name="one_assignment_per_unit"),
        ),
    ]
