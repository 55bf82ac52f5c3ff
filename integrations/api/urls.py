from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from integrations.api import (
    fallback,
    learning,
    learning_record,
    people,
    records,
    webhooks,
)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", template_name="integrations/api_docs.html"
        ),
        name="api_docs",
    ),
    path("people/", people.PeopleList.as_view(), name="api_people"),
    path("people/<int:pk>/", people.PersonDetail.as_view(), name="api_person"),
    path(
        "people/<int:pk>/selling/",
        people.PersonSelling.as_view(),
        name="api_person_selling",
    ),
    path(
        "people/<int:pk>/learning-record/",
        learning_record.PersonLearningRecord.as_view(),
        name="api_person_learning_record",
    ),
    path(
        "people/<int:pk>/learning-record/xapi/",
        learning_record.PersonLearningRecordStatements.as_view(),
        name="api_person_learning_record_xapi",
    ),
    path("teams/", people.TeamList.as_view(), name="api_teams"),
    path("courses/", learning.CourseList.as_view(), name="api_courses"),
    path("courses/<int:pk>/", learning.CourseDetail.as_view(), name="api_course"),
    path("paths/", learning.PathList.as_view(), name="api_paths"),
    path("paths/<int:pk>/", learning.PathDetail.as_view(), name="api_path"),
    path(
        "assignments/",
        learning.AssignmentListCreate.as_view(),
        name="api_assignments",
    ),
    path(
        "assignments/<int:pk>/",
        learning.AssignmentDetail.as_view(),
        name="api_assignment",
    ),
    path(
        "assignments/<int:pk>/withdraw/",
        learning.AssignmentWithdraw.as_view(),
        name="api_assignment_withdraw",
    ),
    path("completions/", learning.CompletionList.as_view(), name="api_completions"),
    path(
        "quiz-attempts/", learning.QuizAttemptList.as_view(), name="api_quiz_attempts"
    ),
    path("reviews/", records.ReviewList.as_view(), name="api_reviews"),
    path("certificates/", records.CertificateList.as_view(), name="api_certificates"),
    path("outcomes/", records.OutcomesUpsert.as_view(), name="api_outcomes"),
    path("webhooks/", webhooks.WebhookList.as_view(), name="api_webhooks"),
    path("webhooks/<int:pk>/", webhooks.WebhookDetail.as_view(), name="api_webhook"),
    path(
        "webhooks/<int:pk>/deliveries/",
        webhooks.DeliveryList.as_view(),
        name="api_webhook_deliveries",
    ),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        webhooks.DeliveryRedeliver.as_view(),
        name="api_webhook_redeliver",
    ),
    re_path(r"^(?P<rest>[\s\S]*)$", fallback.not_found),
]
