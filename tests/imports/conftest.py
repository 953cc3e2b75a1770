import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

REFERRAL_HEADINGS = [
    "Ref",
    "Forename",
    "Surname",
    "DOB",
    "Gender",
    "Date received",
    "Concerns",
    "Risk",
]


def csv_file(
    rows: list[list[object]], headings: list[str] = REFERRAL_HEADINGS, name: str = "referrals.csv"
) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def referral_row(
    n: int, *, dob: str = "14/02/2012", received: str = "31/03/2025", risk: str = "Moderate"
) -> list[object]:
    return [f"R-{n}", f"Child{n}", "Imported", dob, "female", received, f"Concern {n}", risk]
