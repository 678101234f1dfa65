"""Django admin for superusers: the organisation tree (added through treebeard's own admin) and
learner profiles. Day-to-day work for organisation admins is in the Wagtail admin's reports."""

from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Assignment, Enrolment, LearnerProfile, Organisation


@admin.register(Organisation)
class OrganisationAdmin(TreeAdmin):
    form = movenodeform_factory(Organisation, fields=["name", "kind", "code", "admins"])
    list_display = ["name", "kind", "code"]
    filter_horizontal = ["admins"]


@admin.register(LearnerProfile)
class LearnerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "organisation", "designation"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username", "user__email", "designation"]
    list_filter = ["kind"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["course", "organisation", "due_on"]
    list_select_related = ["course", "organisation"]
    readonly_fields = ["organisation", "course", "assigned_by"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "status", "progress_percent", "due_on"]
    list_select_related = ["user", "course"]
    list_filter = ["status", "source"]
    readonly_fields = [field.name for field in Enrolment._meta.fields]
