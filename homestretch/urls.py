"""URL wiring: each app's pages, the admin, sign-in and the health check."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from homestretch.accounts.views import api_tokens, healthz
from homestretch.api import api
from homestretch.backoffice.views import sign_in as backoffice_sign_in
from homestretch.front.assets import favicon

# A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 page, not Django's 400 (the API answers its own).
handler400 = "homestretch.front.errors.bad_request"
# 403 and 404 are the app's own pages, with the navigation and the reason (issue 17, item 4).
handler403 = "homestretch.front.errors.permission_denied"
handler404 = "homestretch.front.errors.page_not_found"

admin.site.site_header = "Homestretch back office"
admin.site.site_title = "Homestretch"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # One sign-in page for the app and the back office.
    path("admin/login/", backoffice_sign_in),  # to /login/, or the 403 page for a signed-in non-admin
    path("admin/", admin.site.urls),
    path("", include("homestretch.integrations.urls")),
    path("api/v1/", api.urls),
    path("settings/tokens/", api_tokens, name="api-tokens"),
    path("", include("homestretch.briefs.urls")),
    path("", include("homestretch.audit.urls")),
    path("", include("homestretch.privacy.urls")),
    path("", include("homestretch.privacy.export_urls")),
    path("", include("homestretch.front.urls")),
    path("", include("homestretch.learning.urls")),
]
