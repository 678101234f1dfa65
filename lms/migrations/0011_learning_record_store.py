"""The Learning Record Store: statements about any actor (actor, authority, registration, voided),
LRS clients, documents and attachments; existing statements get their actor key."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_actor_keys(apps, schema_editor):
    from lms.statements.validation import identifier_key

    Statement = apps.get_model("lms", "Statement")
    for row in Statement.objects.only("id", "payload").iterator(chunk_size=500):
        actor = row.payload.get("actor") if isinstance(row.payload, dict) else None
        if isinstance(actor, dict):
            Statement.objects.filter(pk=row.pk).update(actor_key=identifier_key(actor)[:500])


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0010_accounts_reset_profile_codes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LrsClient",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
                ("key", models.CharField(max_length=64, unique=True)),
                ("secret_hash", models.CharField(max_length=64)),
                ("scopes", models.CharField(help_text="Space-separated xAPI scopes.", max_length=300)),
                ("active", models.BooleanField(default=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "LRS client",
            },
        ),
        migrations.CreateModel(
            name="XapiAttachment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sha2", models.CharField(max_length=128, unique=True)),
                ("content_type", models.CharField(max_length=200)),
                ("content", models.BinaryField()),
            ],
            options={
                "verbose_name": "xAPI attachment",
            },
        ),
        migrations.CreateModel(
            name="XapiDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("state", "State"),
                            ("activity_profile", "Activity profile"),
                            ("agent_profile", "Agent profile"),
                        ],
                        max_length=20,
                    ),
                ),
                ("activity_id", models.CharField(blank=True, max_length=500)),
                ("agent_key", models.CharField(blank=True, max_length=500)),
                ("registration", models.CharField(blank=True, max_length=36)),
                ("document_id", models.CharField(max_length=500)),
                ("content", models.BinaryField()),
                ("content_type", models.CharField(max_length=200)),
                ("etag", models.CharField(max_length=40)),
                ("updated_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "xAPI document",
            },
        ),
        migrations.AddField(
            model_name="statement",
            name="actor_key",
            field=models.CharField(blank=True, db_index=True, max_length=500),
        ),
        migrations.AddField(
            model_name="statement",
            name="authority_key",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="statement",
            name="registration",
            field=models.UUIDField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="statement",
            name="voided",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="statement",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="xapi_statements",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(fields=["stored_at", "id"], name="statement_stored"),
        ),
        migrations.AddField(
            model_name="lrsclient",
            name="user",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="lrs_client", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddConstraint(
            model_name="xapidocument",
            constraint=models.UniqueConstraint(
                fields=("kind", "activity_id", "agent_key", "registration", "document_id"), name="one_xapi_document"
            ),
        ),
        migrations.RunPython(fill_actor_keys, migrations.RunPython.noop),
    ]
