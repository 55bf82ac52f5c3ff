from django.urls import path

from lms.accounts import views

urlpatterns = [
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
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("accounts/profile/", views.profile, name="profile"),
]
