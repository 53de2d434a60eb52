"""URL wiring: each app's pages, the admin, sign-in and the health check."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from homestretch.accounts.views import healthz

admin.site.site_header = "Homestretch back office"
admin.site.site_title = "Homestretch"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("homestretch.pipeline.urls")),
]
