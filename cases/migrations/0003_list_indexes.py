"""Indexes the list pages need at partnership scale (measured in bench/, see
docs/DATABASE_TUNING.md).

- Partial indexes on case_agency where another agency owns the record: the second part of
  the split list count ("others' records about my cases") is an index-only range of the
  ~15% of rows where owner and case agency differ, instead of a heap read of every record
  of the case agency.
- (last_name, first_name, id) on young people: the young-person list (ordered by name,
  own OR shared) walks this index for a page instead of sorting every visible row.

Plain SQL (valid on PostgreSQL and SQLite) because a partial index comparing two columns
is not expressible as a model Meta index condition; the model state is unchanged.
"""

from django.db import migrations

INDEXES = [
    (
        "cases_referral_case_not_owner_idx",
        "cases_referral (case_agency_id) WHERE owner_agency_id <> case_agency_id",
    ),
    (
        "cases_missing_case_not_owner_idx",
        "cases_missingepisode (case_agency_id) WHERE owner_agency_id <> case_agency_id",
    ),
    ("cases_youngperson_name_idx", "cases_youngperson (last_name, first_name, id)"),
]


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_risk_tool")]
    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES
    ]
