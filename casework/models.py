"""Casework between referral and closure (issue 17): the Inter-agency Referral Discussion
(IRD), its participants and its action plan.

An IRD is a record about one young person (``CaseRecord``: owned by the agency that held it,
seen with the child's case). The agencies that took part are given a guardian grant on the
IRD (``IrdGroupObjectPermission``), so police, health and education see the discussion they
were in without the whole case being shared with them. An action of the plan is assigned to
an agency and, optionally, a person in it; that person (and their agency) sees the action
itself, never more of the IRD than their agency may otherwise see (see permissions.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from cases.models import CaseRecord
from records.bases import Versioned, newest_first_indexes


class Ird(CaseRecord):
    """An Inter-agency Referral Discussion (National Guidance for Child Protection in
    Scotland 2021, updated 2023): who shared what, what was decided and why."""

    class Decision(models.TextChoices):
        NO_INVESTIGATION = (
            "no_cp_investigation",
            "No child-protection investigation: information to the named person",
        )
        SINGLE_AGENCY = "single_agency", "Single-agency investigation"
        JOINT = "joint", "Joint investigation"
        CPPM = "cppm", "Convene a Child Protection Planning Meeting"
        OTHER_PROTOCOL = (
            "other_protocol",
            "Another protocol (for example vulnerable young persons)",
        )

    held_at = models.DateTimeField("Date and time of the discussion")
    referral = models.ForeignKey(
        "cases.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The referral with outcome IRD that this discussion answers.",
    )
    reconvened_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reconvenings",
        help_text="The earlier discussion this one reconvenes.",
    )
    concerns = models.TextField()
    decision = models.CharField(max_length=20, choices=Decision.choices)
    reasons = models.TextField("Reasons for the decision")
    childs_views_obtained = models.BooleanField("Child's views obtained", default=False)
    carers_views_obtained = models.BooleanField("Parents' or carers' views obtained", default=False)
    chronology_considered = models.BooleanField("Chronology considered", default=False)
    # Other children and adults considered: each link shown only to those who may see it.
    other_young_people = models.ManyToManyField(
        "cases.YoungPerson", blank=True, related_name="+", verbose_name="Other children considered"
    )
    persons_of_concern = models.ManyToManyField(
        "maog.PersonOfConcern", blank=True, related_name="+", verbose_name="Adults considered"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = "IRD"
        indexes = newest_first_indexes("held_at", "young_person", "owner_agency", "case_agency")

    def __str__(self) -> str:
        return f"IRD {self.pk} on {self.held_at:%Y-%m-%d}"


class IrdUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct foreign-key table for per-user grants (not used: grants go to agencies)."""

    content_object = models.ForeignKey(Ird, on_delete=models.CASCADE)


class IrdGroupObjectPermission(GroupObjectPermissionBase):
    """A participating agency's grant to see the IRD (``view_ird`` to the agency's group)."""

    content_object = models.ForeignKey(Ird, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["group", "content_object"])]


class IrdParticipant(models.Model):
    """An agency (and the person speaking for it) in the discussion, with what it shared."""

    ird = models.ForeignKey(Ird, on_delete=models.CASCADE, related_name="participants")
    agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("Name", max_length=200)
    role = models.CharField("Role", max_length=200, blank=True)
    information_summary = models.TextField("Information the agency shared", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ird", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_id})"


class IrdAction(Versioned):
    """One action of an IRD's plan: what, which agency, which person, by when."""

    ird = models.ForeignKey(Ird, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("Action")
    agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="Agency"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Person",
        help_text="Leave empty to give the action to the agency as a whole.",
    )
    due_on = models.DateField("Due date")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completion_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        # "My tasks": open actions of one person, and of one agency, by due date.
        indexes = [
            models.Index(
                fields=[column, "due_on"],
                condition=models.Q(completed_at__isnull=True),
                name=f"ird_action_open_by_{holder}",
            )
            for column, holder in (("assigned_to", "person"), ("agency", "agency"))
        ]

    def __str__(self) -> str:
        return f"IRD action {self.pk} due {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None

    @property
    def overdue(self) -> bool:
        return self.completed_at is None and self.due_on < timezone.localdate()


class CaseNote(CaseRecord):
    """A contact or piece of work with or about the child. A significant note goes into the
    chronology (and so into the case conference's)."""

    class ContactType(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face-to-face with the young person"
        HOME_VISIT = "home_visit", "Home visit"
        PHONE = "phone", "Phone call"
        MESSAGE = "message", "Message or e-mail"
        PARENT_CARER = "parent_carer", "Contact with a parent or carer"
        PROFESSIONAL = "professional", "Contact with another professional"
        MEETING = "meeting", "Meeting"
        OTHER = "other", "Other"

    contact_type = models.CharField(max_length=16, choices=ContactType.choices)
    contact_at = models.DateTimeField("Date and time of the contact")
    narrative = models.TextField()
    significant = models.BooleanField(
        "Significant event",
        default=False,
        help_text="A significant event appears in the child's chronology.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-contact_at", "-id"]
        indexes = newest_first_indexes("contact_at", "young_person", "owner_agency")

    def __str__(self) -> str:
        return f"Case note {self.pk} on {self.contact_at:%Y-%m-%d}"


class Meeting(CaseRecord):
    """A multi-agency meeting about the child: a Child Protection Planning Meeting, or the
    meeting the repeat-missing alert asks for (which then answers that alert)."""

    class MeetingType(models.TextChoices):
        CPPM = "cppm", "Child Protection Planning Meeting"
        REPEAT_MISSING = "repeat_missing", "Meeting after repeated missing episodes"

    meeting_type = models.CharField(max_length=16, choices=MeetingType.choices)
    held_at = models.DateTimeField("Date and time of the meeting")
    participants = models.TextField("Who took part", help_text="One a line: name, role and agency.")
    childs_views = models.TextField("The child's views", blank=True)
    decisions = models.TextField("Decisions and actions agreed")
    # The missing episodes that raised the repeat-missing alert this meeting answers.
    missing_episodes = models.ManyToManyField(
        "cases.MissingEpisode", blank=True, related_name="+", verbose_name="Episodes considered"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_at", "-id"]
        indexes = [
            models.Index(fields=["young_person", "meeting_type", "-held_at"]),
            models.Index(fields=["owner_agency", "-held_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_meeting_type_display()} on {self.held_at:%Y-%m-%d}"


class AgencyCase(models.Model):
    """One agency's case of a young person: its allocated worker and team, and whether the
    agency's work is open or closed (with the reason). Every change is kept in history, so the
    case's life (opened, closed, reopened, reallocated) is the history of this row."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class ClosureReason(models.TextChoices):
        RISK_REDUCED = "risk_reduced", "Risk reduced: no further action"
        TRANSFERRED = "transferred", "Transferred to another agency"
        MOVED_AWAY = "moved_away", "Moved out of the area"
        AGED_OUT = "aged_out", "Reached adulthood: passed to adult services"
        DECLINED = "declined", "Young person or family declined support"
        OTHER = "other", "Other"

    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey("partnership.Agency", on_delete=models.PROTECT, related_name="+")
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Allocated worker",
    )
    team = models.CharField("Team", max_length=200, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(
        "Reason for closing", max_length=16, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.TextField("Closing summary", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["young_person", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["young_person", "agency"], name="one_case_per_agency")
        ]
        indexes = [models.Index(fields=["allocated_worker", "status"])]

    def __str__(self) -> str:
        return f"Case of {self.young_person_id} at {self.agency_id} ({self.status})"


class TransferRequest(models.Model):
    """A request to hand the ownership of a case to another agency, which the receiving
    agency accepts (then ``cases.services.case_transfer`` moves the case) or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the receiving agency"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.CASCADE, related_name="+"
    )
    from_agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        "partnership.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Receiving agency",
    )
    reason = models.TextField("Why the case should move")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("Note on the decision", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One open request per case at a time.
            models.UniqueConstraint(
                fields=["young_person"],
                condition=models.Q(status="pending"),
                name="one_pending_transfer_per_case",
            )
        ]
        indexes = [models.Index(fields=["to_agency", "status"])]

    def __str__(self) -> str:
        return f"Transfer of {self.young_person_id} to {self.to_agency_id} ({self.status})"


class SafetyPlan(CaseRecord):
    """The child's safety plan (the child's plan section for CSE): the risks, what protects
    the child (``SafetyPlanAction``), the child's and carer's views, and when it is reviewed
    next. A review rewrites the plan and raises ``version``; history keeps every version."""

    risks = models.TextField("Risks")
    childs_views = models.TextField("The child's views", blank=True)
    carers_views = models.TextField("The parents' or carers' views", blank=True)
    review_on = models.DateField("Review date")
    history = HistoricalRecords()

    class Meta:
        ordering = ["review_on", "id"]
        indexes = [models.Index(fields=["owner_agency", "review_on"])]

    def __str__(self) -> str:
        return f"Safety plan {self.pk} (version {self.version})"


class SafetyPlanAction(models.Model):
    """A protective action of a safety plan: what, who owns it, by when."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("Protective action")
    owner = models.CharField("Owner", max_length=200)
    due_on = models.DateField("By when")
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.description[:40]} ({self.owner}, {self.due_on})"


class CaseDocument(CaseRecord):
    """A file about the child (a report, minutes, a letter, a photo or scan), owned and seen
    like every case record. The bytes live in private storage under a random name
    (``casework.document_files``); this row holds what was checked when they arrived: the
    type sniffed from the bytes, the size and the SHA-256 a download is verified against.
    ``created_by`` and ``created_at`` are who uploaded it and when."""

    class Kind(models.TextChoices):
        REPORT = "report", "Report"
        MINUTES = "minutes", "Minutes"
        LETTER = "letter", "Letter"
        PHOTO = "photo", "Photo or scan"
        OTHER = "other", "Other"

    title = models.CharField("Title", max_length=200)
    kind = models.CharField("Kind of document", max_length=10, choices=Kind.choices)
    original_name = models.CharField("File name", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    # The file's name in private storage: random, never the uploader's file name.
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = newest_first_indexes("created_at", "young_person", "owner_agency")

    def __str__(self) -> str:
        return f"Document {self.pk}: {self.title}"
