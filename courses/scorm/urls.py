from django.urls import path

from courses.scorm import views

urlpatterns = [
    path("<int:page_id>/launch/", views.scorm_launch, name="scorm_launch"),
    path(
        "attempts/<str:token>/scos/<int:sco_id>/commit/",
        views.scorm_commit,
        name="scorm_commit",
    ),
]
