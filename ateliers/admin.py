"""Read-mostly admin: domain changes go through actions, so the admin is for looking."""

from django.contrib import admin

from ateliers.models import Activity, Challenge, Workshop


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "maturity", "created_at"]
    search_fields = ["title"]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    readonly_fields = ["state"]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "challenge", "join_code", "state", "last_seq"]
    list_filter = ["state"]
    readonly_fields = ["join_code", "state", "last_seq", "opened_at", "closed_at"]
    inlines = [ActivityInline]
