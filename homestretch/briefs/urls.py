from django.urls import path

from . import views

urlpatterns = [
    path("applications/<int:application_id>/brief/", views.brief, name="brief"),
]
