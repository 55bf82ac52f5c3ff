from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms import pages
from lms.accounts import views as account_views

admin.site.site_header = gettext_lazy("Onramp operations")
admin.site.site_title = gettext_lazy("Onramp operations")

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/account/", account_views.wagtail_account, name="wagtailadmin_account"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The translations scripts use (gettext, ngettext, interpolate): pages whose
    # scripts show text load it before them.
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript_catalog"),
    path("", include("lms.accounts.urls")),
    path("", include("dashboards.urls")),
    path("", include("media.urls")),
    path("library/", include("library.urls")),
    path("", include("library.share_urls")),
    path("learning/", include("courses.urls")),
    path("learning/quizzes/", include("courses.quizzes.urls")),
    path("learning/scorm/", include("courses.scorm.urls")),
    path("scorm-content/", include("courses.scorm.content_urls")),
    path("coaching/", include("coaching.urls")),
    path("", include("certificates.urls")),
    path("", include("lms.notifications.urls")),
    path("", include("automation.urls")),
    path("", include("integrations.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves the page tree, the home page included: keep it last. Its page view is
# routed from the source-language root (lms.pages.serve); the rest is Wagtail's own.
urlpatterns += [
    *(p for p in wagtail_urls.urlpatterns if getattr(p, "name", "") != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, pages.serve, name="wagtail_serve"),
]
