from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from actions.permissions import can_view_plan
from actions.selectors import action_plan_list


def plan(request: HttpRequest) -> HttpResponse:
    if not can_view_plan(request.user):
        raise Http404
    return render(request, "actions/plan.html", {"items": action_plan_list(user=request.user)})
