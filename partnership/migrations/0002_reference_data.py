"""The partnership named in the seed report: agencies, committees and role groups.

Loaded by migration so every deployment starts with the same reference data. Agencies are
data: administrators add more in the admin.
"""

from django.db import migrations

AGENCIES = [
    # code, name, short name
    ("cfs", "Dundee City Council Children and Families Service", "Children and Families"),
    ("education", "Dundee City Council Education", "Education"),
    ("police", "Police Scotland", "Police Scotland"),
    ("nhs", "NHS Tayside", "NHS Tayside"),
    ("copfs", "Crown Office and Procurator Fiscal Service", "COPFS"),
    ("barnardos", "Barnardo's Scotland", "Barnardo's"),
    ("wrasac", "Women's Rape and Sexual Abuse Centre", "WRASAC"),
    ("safeandsound", "Safe and Sound", "Safe and Sound"),
    ("sacro", "SACRO", "SACRO"),
    ("venturetrust", "Venture Trust", "Venture Trust"),
    ("tca", "Tayside Council on Alcohol", "TCA"),
]

COMMITTEES = [
    (
        "cog",
        "Chief Officers Group for Protecting People",
        "Chair, Chief Officers Group for Protecting People",
        "Leadership and assurance across the partnership: the whole action plan, prosecutions "
        "and MAPPA, and the partnership's performance framework.",
    ),
    (
        "ccpc",
        "Child Care and Protection Committee",
        "Lead Officer, Child Protection",
        "Child protection: referrals and their outcomes, young people at risk, missing "
        "episodes and return discussions, support to victims and training.",
    ),
    (
        "csp",
        "Community Safety Partnership",
        "Service Manager, Children and Families Services",
        "Community safety: awareness raising in the night-time economy (taxis, hotels, cafes, "
        "nightclubs), places of concern, prevention in schools and elected-member briefings.",
    ),
]

ROLES = [
    "Practitioner",
    "Agency manager",
    "MAOG member",
    "VAP chair",
    "Committee clerk",
    "Administrator",
]


def load(apps, schema_editor):
    Agency = apps.get_model("partnership", "Agency")
    Committee = apps.get_model("partnership", "Committee")
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    for code, name, short_name in AGENCIES:
        group, _ = Group.objects.get_or_create(name=f"agency:{code}")
        Agency.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short_name, "group": group}
        )
    for code, name, report_by, focus in COMMITTEES:
        Committee.objects.update_or_create(
            code=code, defaults={"name": name, "report_by": report_by, "focus": focus}
        )


def unload(apps, schema_editor):
    apps.get_model("partnership", "Committee").objects.all().delete()
    apps.get_model("partnership", "Agency").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(load, unload)]
