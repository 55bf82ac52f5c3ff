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
]
