from django.urls import path

from . import views

urlpatterns = [
    path("candidates/<int:candidate_id>/erase/", views.erase_page, name="erase-candidate"),
    path("candidates/<int:candidate_id>/erased/", views.erased_page, name="candidate-erased"),
    path("retention/", views.retention_page, name="retention"),
]
