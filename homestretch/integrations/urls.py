from django.urls import path

from . import views

urlpatterns = [
    path("settings/notifications/", views.notification_settings, name="notification-settings"),
    path("settings/notifications/calendar/", views.calendar_feed_change, name="calendar-feed-change"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
