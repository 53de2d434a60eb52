from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import stages
from .choices import Stage
from .models import Application


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: how many applications stand at each stage, for the user and for everyone.

    Two aggregate queries whatever the size of the pipeline. Today's agenda replaces this page as
    the landing page once it exists.
    """
    everyone = dict(Application.objects.values_list("stage").annotate(n=Count("id")).order_by())
    mine = dict(
        Application.objects.filter(recruiter=request.user).values_list("stage").annotate(n=Count("id")).order_by()
    )
    rows = [
        {"stage": stage, "label": Stage(stage).label, "mine": mine.get(stage, 0), "everyone": everyone.get(stage, 0),
         "closed": stage in stages.CLOSED}
        for stage in [*stages.PROCESS, Stage.ON_HOLD, Stage.STARTED, *sorted(stages.LOSSES)]
    ]
    return render(request, "pipeline/home.html", {"rows": rows})
