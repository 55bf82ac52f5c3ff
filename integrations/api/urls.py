from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from integrations.api import people

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
    path("teams/", people.TeamList.as_view(), name="api_teams"),
]
