"""Import pages: upload, map columns, check (preview), import, download the rejected rows,
roll back. Agency managers only; a batch of another agency is not found."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases import permissions as case_permissions
from imports import selectors, services, tasks
from imports.fields import FIELDS
from imports.forms import MappingForm, UploadForm
from imports.models import ImportBatch, ImportRow
from imports.reading import FileError

# Larger files are imported by a worker, with a progress bar; smaller ones at once.
BACKGROUND_FROM_ROWS = 500


def _manager(request: HttpRequest) -> Any:
    if not services.can_import(request.user):
        raise Http404
    return request.user


def batch_list(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    form = UploadForm(
        request.POST or None, request.FILES or None, mappings=selectors.mapping_list(user=user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_upload(
                actor=user,
                file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                mapping=form.cleaned_data["mapping"],
            )
        except FileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("imports:mapping", pk=batch.pk)
    return render(
        request,
        "imports/batch_list.html",
        {"form": form, "batches": selectors.batch_list(user=user)[:50]},
    )


def mapping(request: HttpRequest, pk: int) -> HttpResponse:
    user = _manager(request)
    batch = selectors.batch_for_user_or_404(user=user, pk=pk)
    form = MappingForm(
        request.POST or None,
        kind=batch.kind,
        headings=batch.headings,
        initial_columns=batch.columns,
    )
    if request.method == "POST" and form.is_valid():
        columns = form.columns()
        if form.cleaned_data["save_as"]:
            services.mapping_save(
                actor=user, kind=batch.kind, name=form.cleaned_data["save_as"], columns=columns
            )
        services.batch_check(actor=user, batch=batch, columns=columns)
        return redirect("imports:batch", pk=batch.pk)
    return render(request, "imports/mapping.html", {"form": form, "batch": batch})


def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _manager(request)
    batch = selectors.batch_for_user_or_404(user=user, pk=pk)
    show = request.GET.get("show", "problems")
    rows = batch.rows.all()
    if show == "problems":
        rows = rows.filter(status__in=selectors.REJECTED)
    page = Paginator(rows.order_by("number"), 100).get_page(request.GET.get("page"))
    labels = {f.name: f.label for f in FIELDS[batch.kind]}
    mapped = [(labels[field], heading) for field, heading in batch.columns.items()]
    # One statement for every status's count (conditional aggregates), not one per status.
    counts = batch.rows.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in ImportRow.Status.values}
    )
    return render(
        request,
        "imports/batch_detail.html",
        {
            "batch": batch,
            "page_obj": page,
            # The pagination include reads `page` (it read nothing before: rows past the
            # first 100 had no page links); its links keep the choice of rows shown.
            "page": page,
            "query_without_page": urlencode({"show": show}),
            # Each cell with the error it caused beside it; errors not about one cell last.
            "rows": [
                (
                    row,
                    [(row.cells.get(h, ""), row.errors.get(h, "")) for _label, h in mapped],
                    "; ".join(
                        message
                        for where, message in row.errors.items()
                        if where not in {h for _label, h in mapped}
                    ),
                )
                for row in page
            ],
            "mapped": mapped,
            "counts": counts,
            "show": show,
            "can_roll_back": batch.status == ImportBatch.Status.COMMITTED,
        },
    )


@require_POST
def batch_commit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _manager(request)
    batch = selectors.batch_for_user_or_404(user=user, pk=pk)
    if batch.valid_rows >= BACKGROUND_FROM_ROWS:
        tasks.batch_commit_task.delay_on_commit(batch.pk, user.pk)
        messages.info(request, "Importing: this page shows how far it has got.")
    else:
        batch = services.batch_commit(actor=user, batch=batch)
        messages.success(request, f"{batch.created_records} records imported.")
    return redirect("imports:batch", pk=batch.pk)


@require_POST
def row_decide(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    user = _manager(request)
    batch = selectors.batch_for_user_or_404(user=user, pk=pk)
    import_row = batch.rows.filter(pk=row).first()
    if import_row is None:
        raise Http404
    young_person = None
    if request.POST.get("young_person"):
        young_person = case_permissions.young_person_policy.get_for_user_or_404(
            user, request.POST["young_person"]
        )
    services.row_decide(actor=user, row=import_row, young_person=young_person)
    return redirect("imports:batch", pk=batch.pk)


@require_POST
def batch_rollback(request: HttpRequest, pk: int) -> HttpResponse:
    user = _manager(request)
    batch = selectors.batch_for_user_or_404(user=user, pk=pk)
    try:
        services.batch_rollback(actor=user, batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The batch is rolled back: what it imported is removed.")
    return redirect("imports:batch", pk=batch.pk)


def rejected_download(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    user = _manager(request)
    batch = selectors.batch_for_user_or_404(user=user, pk=pk)
    services.batch_download_record(actor=user, batch=batch)
    response = StreamingHttpResponse(
        selectors.rejected_rows_csv(batch=batch), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="rejected-rows-{batch.pk}.csv"'
    return response
