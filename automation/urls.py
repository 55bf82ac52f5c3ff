from django.urls import path

from automation import views
from automation.sequences.views import sequence_link

urlpatterns = [
    path("go/<str:token>", sequence_link, name="sequence_link"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path(
        "calendar/<str:token>/team.ics",
        views.calendar_team_feed,
        name="calendar_team_feed",
    ),
    path(
        "notifications/preferences/",
        views.notice_preferences,
        name="notice_preferences",
    ),
    path("automation/channels/", views.channel_settings, name="channel_settings"),
    path("automation/channels/slack/test/", views.slack_test, name="slack_test"),
    path("automation/channels/slack/enable/", views.slack_enable, name="slack_enable"),
    path("automation/channels/slack/remove/", views.slack_remove, name="slack_remove"),
    path(
        "automation/channels/teams/", views.teams_webhook_add, name="teams_webhook_add"
    ),
    path(
        "automation/channels/teams/<int:pk>/remove/",
        views.teams_webhook_remove,
        name="teams_webhook_remove",
    ),
]
