from django.contrib import admin

from participation.models import Contribution, Participant


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["__str__", "workshop", "profile", "joined_at"]
    list_filter = ["profile"]
    exclude = ["device_hash"]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "activity", "created_at"]
    readonly_fields = ["participant"]
