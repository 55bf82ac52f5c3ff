from django.urls import path

from lms.accounts import views
from lms.dashboards import views as dashboard_views

urlpatterns = [
    path("team/", views.team_overview, name="team_overview"),
    path("team/matrix/", dashboard_views.team_matrix, name="team_matrix"),
    path("team/export.csv", dashboard_views.team_export_csv, name="team_export_csv"),
    path("team/export.xlsx", dashboard_views.team_export_xlsx, name="team_export_xlsx"),
    path("team/reports/", dashboard_views.admin_reports, name="admin_reports"),
    path("team/charts/", dashboard_views.team_charts, name="team_charts"),
    path("team/analytics/", dashboard_views.ramp_analytics, name="ramp_analytics"),
    path(
        "team/outcomes/import/",
        dashboard_views.outcomes_import,
        name="outcomes_import",
    ),
    path("team/invite/", views.invitation_new, name="invitation_new"),
    path(
        "team/invitations/<int:pk>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "team/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("accounts/profile/", views.profile, name="profile"),
]
