from django.conf import settings
from django.db import models


class SubjectAccessRequest(models.Model):
    """A subject access request (UK GDPR art. 15) received by one agency, due in one month.

    Holds who it is about (model label and id) and its dates, never the report: the PDF and
    JSON are assembled from the records each time they are downloaded (and each is logged).
    """

    agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(max_length=60)
    subject_id = models.BigIntegerField()
    received_on = models.DateField()
    due_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"SAR {self.pk} ({self.subject_type} {self.subject_id}) due {self.due_on}"
