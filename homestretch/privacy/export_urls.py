from django.urls import path

from . import export_views

urlpatterns = [
    path("candidates/<int:candidate_id>/export/", export_views.candidate_export, name="candidate-export"),
]
