from django.urls import path

from lms.notifications import views

urlpatterns = [
    path(
        "notifications/unsubscribe/<str:token>/",
        views.notice_unsubscribe_view,
        name="notice_unsubscribe",
    ),
]
