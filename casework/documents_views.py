"""Pages of case documents: the child's list, the upload form, a document's page and its
download. Thin: access from permissions.py, reads and writes through documents.py."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from casework import documents, permissions
from casework.documents_forms import CaseDocumentForm
from casework.views import _opened
from records.http import AuthenticatedRequest
from records.views import form_view


@require_http_methods(["GET"])
def document_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    young_person = permissions.young_person_policy.get_for_user_or_404(request.user, pk)
    found = documents.case_document_list(user=request.user, young_person=young_person)
    return render(
        request,
        "casework/document_list.html",
        {"young_person": young_person, "documents": found},
    )


@require_http_methods(["GET", "POST"])
def document_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    young_person = permissions.young_person_policy.get_for_user_or_404(request.user, pk)
    if not permissions.young_person_policy.can_add_record(request.user, young_person):
        raise Http404
    posted = request.method == "POST"
    form = CaseDocumentForm(request.POST if posted else None, request.FILES if posted else None)
    return form_view(
        request,
        form,
        lambda: documents.case_document_upload(
            actor=request.user,
            young_person=young_person,
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["upload"],
        ),
        success="Document uploaded.",
        done=lambda document: reverse("casework:document_detail", args=[document.pk]),
        template="casework/document_form.html",
        young_person=young_person,
    )


@require_http_methods(["GET"])
def document_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = _opened(request, permissions.case_document_policy, pk)
    return render(
        request,
        "casework/document_detail.html",
        {"document": document, "young_person": document.young_person},
    )


@require_http_methods(["GET"])
def document_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = permissions.case_document_policy.get_for_user_or_404(request.user, pk)
    try:
        download = documents.case_document_read(
            actor=request.user, document=document, request=request
        )
    except documents.DocumentIntegrityError:
        return render(
            request,
            "casework/document_refused.html",
            {
                "document": document,
                "young_person": document.young_person,
                "message": documents.ERROR_INTEGRITY,
            },
            status=500,
        )
    response = HttpResponse(download.content, content_type=download.content_type)
    # The same header FileResponse writes (quoted ASCII name, and the UTF-8 one as filename*).
    response.headers["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=download.filename) or "attachment"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Length"] = str(len(download.content))
    return response
