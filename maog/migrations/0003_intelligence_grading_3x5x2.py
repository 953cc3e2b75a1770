"""Intelligence grading in the UK 3x5x2 model: source evaluation 1-3, intelligence
assessment A-E, handling code P or C. The earlier scales were the other way round (source
reliability A-C, information assessment 1-5); the same judgement is kept, re-coded:
A->1, B->2, C->3 and 1->A, 2->B, 3->C, 4->D, 5->E.

History rows are re-coded too, so a record's history reads in one scale. The history table
is append-only on PostgreSQL (audit/append_only.py); this migration, run by the schema owner,
switches its trigger off for the one UPDATE and back on in the same transaction. The
re-coding changes how a grade is written, never what it says.
"""

from django.db import migrations, models

SOURCE = {"A": "1", "B": "2", "C": "3"}
ASSESSMENT = {"1": "A", "2": "B", "3": "C", "4": "D", "5": "E"}
TABLES = ("cases_intelligence", "cases_historicalintelligence")
TRIGGER = "cse_append_only"


def _case(column: str, mapping: dict[str, str]) -> str:
    whens = " ".join(f"WHEN '{old}' THEN '{new}'" for old, new in mapping.items())
    return f"{column} = CASE {column} {whens} ELSE {column} END"


def _recode(schema_editor, source: dict[str, str], assessment: dict[str, str]) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in TABLES:
            guarded = False
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE t.tgname = %s AND c.relname = %s",
                    [TRIGGER, table],
                )
                guarded = cursor.fetchone() is not None
            if guarded:
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER {TRIGGER}')
            cursor.execute(
                f'UPDATE "{table}" SET '  # noqa: S608  # nosec B608 - fixed names and codes, no input
                f"{_case('source_evaluation', source)}, "
                f"{_case('intelligence_assessment', assessment)}"
            )
            if guarded:
                cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER {TRIGGER}')


def forwards(apps, schema_editor) -> None:
    _recode(schema_editor, SOURCE, ASSESSMENT)


def backwards(apps, schema_editor) -> None:
    _recode(
        schema_editor,
        {new: old for old, new in SOURCE.items()},
        {new: old for old, new in ASSESSMENT.items()},
    )


class Migration(migrations.Migration):
    dependencies = [("maog", "0002_person_shares")]

    operations = [
        migrations.RenameField("intelligence", "source_reliability", "source_evaluation"),
        migrations.RenameField("intelligence", "information_assessment", "intelligence_assessment"),
        migrations.RenameField("historicalintelligence", "source_reliability", "source_evaluation"),
        migrations.RenameField(
            "historicalintelligence", "information_assessment", "intelligence_assessment"
        ),
        migrations.AlterField(
            model_name="historicalintelligence",
            name="handling_code",
            field=models.CharField(
                choices=[
                    ("P", "P: lawful sharing permitted"),
                    ("C", "C: lawful sharing permitted with conditions"),
                ],
                max_length=1,
            ),
        ),
        migrations.AlterField(
            model_name="historicalintelligence",
            name="intelligence_assessment",
            field=models.CharField(
                choices=[
                    ("A", "A: known directly to the source"),
                    ("B", "B: known indirectly, corroborated"),
                    ("C", "C: known indirectly"),
                    ("D", "D: not known"),
                    ("E", "E: suspected to be false"),
                ],
                max_length=1,
            ),
        ),
        migrations.AlterField(
            model_name="historicalintelligence",
            name="source_evaluation",
            field=models.CharField(
                choices=[("1", "1: reliable"), ("2", "2: untested"), ("3", "3: not reliable")],
                max_length=1,
            ),
        ),
        migrations.AlterField(
            model_name="intelligence",
            name="handling_code",
            field=models.CharField(
                choices=[
                    ("P", "P: lawful sharing permitted"),
                    ("C", "C: lawful sharing permitted with conditions"),
                ],
                max_length=1,
            ),
        ),
        migrations.AlterField(
            model_name="intelligence",
            name="intelligence_assessment",
            field=models.CharField(
                choices=[
                    ("A", "A: known directly to the source"),
                    ("B", "B: known indirectly, corroborated"),
                    ("C", "C: known indirectly"),
                    ("D", "D: not known"),
                    ("E", "E: suspected to be false"),
                ],
                max_length=1,
            ),
        ),
        migrations.AlterField(
            model_name="intelligence",
            name="source_evaluation",
            field=models.CharField(
                choices=[("1", "1: reliable"), ("2", "2: untested"), ("3", "3: not reliable")],
                max_length=1,
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
