import re

from django.views.debug import SafeExceptionReporterFilter


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

    def get_traceback_frame_variables(self, request: object, tb_frame: object) -> list:
        return [("(local variables)", self.cleansed_substitute)]

    def is_active(self, request: object) -> bool:
        return True
