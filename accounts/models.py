"""People who sign in: the user model and two-factor backup codes.

The tables keep their original names (partnership_*): the models moved here from
`partnership` without moving a row (migrations: SeparateDatabaseAndState).
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from django_otp.models import Device
from simple_history.models import HistoricalRecords

from partnership.roles import Role


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp abstract FK
    """A person who signs in. Belongs to exactly one agency; roles are groups."""

    agency = models.ForeignKey(
        "partnership.Agency", on_delete=models.PROTECT, related_name="users", null=True
    )
    job_title = models.CharField(max_length=120, blank=True)
    history = HistoricalRecords(
        excluded_fields=["password", "last_login"], table_name="partnership_historicaluser"
    )
    # The role names, cached for one request's worth of checks (None: not read yet).
    _role_names: set[str] | None = None

    class Meta:
        db_table = "partnership_user"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def role_names(self) -> set[str]:
        """The user's roles, cached on the instance for one request's worth of checks."""
        cached = self._role_names
        if cached is None:
            role_values = {role.value for role in Role}
            cached = {
                name for name in self.groups.values_list("name", flat=True) if name in role_values
            }
            self._role_names = cached
        return cached

    def has_role(self, role: Role) -> bool:
        return role.value in self.role_names()

    @property
    def primary_role(self) -> str:
        """The role named in the header: the most specific one the user holds."""
        for role in (
            Role.VAP_CHAIR,
            Role.COMMITTEE_CLERK,
            Role.MAOG_MEMBER,
            Role.IG_OFFICER,
            Role.AGENCY_MANAGER,
            Role.PRACTITIONER,
            Role.ADMINISTRATOR,
        ):
            if self.has_role(role):
                return role.value
        return "No role"


def signed_in_user(request: HttpRequest) -> User:
    """The request's user as a User; an anonymous request here is refused (never expected:
    sign-in is required everywhere but the sign-in and health pages)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


# --- Two-factor backup codes -----------------------------------------------------------
# django-otp's own static tokens are stored in plain text; these are stored hashed.


class BackupCodeDevice(Device):
    """A user's set of one-time backup codes, as a django-otp device so a code verifies a session.

    The codes themselves are in BackupCode, hashed; verification lives in
    accounts.two_factor so the hashing rule is in one place.
    """

    class Meta(Device.Meta):
        db_table = "partnership_backupcodedevice"
        verbose_name = "backup code set"

    def verify_token(self, token: str) -> bool:
        from accounts.two_factor import backup_code_consume

        return backup_code_consume(device=self, code=token)


class BackupCode(models.Model):
    """One backup code, hashed (PBKDF2 with its own salt); usable once."""

    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=200)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "partnership_backupcode"

    def __str__(self) -> str:
        return f"backup code {self.pk} ({'used' if self.used_at else 'unused'})"


class PendingRoleGrant(models.Model):
    """A role one administrator asked to give someone; a second administrator decides.

    Roles that open children's records, intelligence, the access log or the admin site
    (partnership.roles.APPROVAL_REQUIRED_ROLES) are granted only through one of these.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a second administrator"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pending_role_grants")
    role = models.CharField(max_length=60, choices=[(role.value, role.value) for role in Role])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(status="pending"),
                name="one_pending_grant_per_user_and_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} for {self.user} ({self.get_status_display()})"
