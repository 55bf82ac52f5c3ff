from django.urls import path

from dashboards import views

urlpatterns = [
    path("team/", views.team_overview, name="team_overview"),
    path("team/matrix/", views.team_matrix, name="team_matrix"),
    path("team/export.csv", views.team_export_csv, name="team_export_csv"),
    path("team/export.xlsx", views.team_export_xlsx, name="team_export_xlsx"),
    path("team/reports/", views.admin_reports, name="admin_reports"),
    path("team/charts/", views.team_charts, name="team_charts"),
    path("team/analytics/", views.ramp_analytics, name="ramp_analytics"),
    path("team/outcomes/import/", views.outcomes_import, name="outcomes_import"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
]
