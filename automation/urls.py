from django.urls import path

from automation import views

urlpatterns = [
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path(
        "calendar/<str:token>/team.ics",
        views.calendar_team_feed,
        name="calendar_team_feed",
    ),
]
