import re
from collections.abc import ItemsView
from typing import Any

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# Request headers that can carry typed text (a search for a child's name ends up in both).
_META_WITH_USER_INPUT = {"QUERY_STRING", "HTTP_REFERER", "REQUEST_URI", "RAW_URI"}


class PersonalDataSafeExceptionFilter(SafeExceptionReporterFilter):
    """Error reports never carry request bodies, query strings or local variables.

    Case data is typed into forms; any of it could name a child. An error report keeps the
    traceback and the URL path only.
    """

    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|BROKER", flags=re.I
    )

    def get_post_parameters(self, request: object) -> dict[str, str]:
        return {"(all POST data)": self.cleansed_substitute} if request is not None else {}

    def get_traceback_frame_variables(
        self, request: object, tb_frame: object
    ) -> ItemsView[str, Any]:
        return {"(local variables)": self.cleansed_substitute}.items()

    def get_safe_request_meta(self, request: Any) -> dict[str, Any]:
        meta = super().get_safe_request_meta(request)
        for key in _META_WITH_USER_INPUT & meta.keys():
            meta[key] = self.cleansed_substitute
        return meta

    def is_active(self, request: object) -> bool:
        return True


class PersonalDataSafeExceptionReporter(ExceptionReporter):
    """Django's reporter lists GET parameters and the full URL unfiltered; keep the path only."""

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        if self.request is not None:
            if self.request.GET:
                data["request_GET_items"] = [("(all GET data)", self.filter.cleansed_substitute)]
            data["request_FILES_items"] = [
                (name, self.filter.cleansed_substitute) for name in self.request.FILES
            ]
            data["request_insecure_uri"] = self.request.path
        return data
