from django.contrib import admin

from homestretch.integrations.models import CalendarFeed, DigestDelivery, NotificationSettings, TeamWebhook

from .base import HomestretchModelAdmin


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(HomestretchModelAdmin):
    list_display = ["user", "digest_enabled", "digest_hour", "time_zone", "by_email", "by_chat"]
    list_filter = ["digest_enabled", "by_email", "by_chat"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(TeamWebhook)
class TeamWebhookAdmin(HomestretchModelAdmin):
    list_display = ["team", "enabled"]
    list_select_related = ["team"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(HomestretchModelAdmin):
    list_display = ["user", "created_at", "revoked_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["token"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(HomestretchModelAdmin):
    list_display = ["day", "recruiter", "channel", "status", "attempts", "items", "sent_at", "last_error"]
    list_filter = ["status", "channel", "day"]
    list_select_related = ["recruiter"]
    search_fields = ["recruiter__email"]
    raw_id_fields = ["recruiter"]
    readonly_fields = ["created_at", "claimed_at", "handed_over_at", "sent_at", "attempts", "last_error", "items"]
