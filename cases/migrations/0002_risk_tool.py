"""The default risk screening tool, in our own plain wording (not any copyrighted tool's).

Each item is scored by how recently it was seen: points = weight x the recency multiplier.
Totals map to levels: below `mild_from` is "not at risk".
"""

from django.db import migrations

ITEMS = [
    # code, category, wording, weight
    ("looked_after", "vulnerability", "Is looked after, or has been recently", 1),
    ("missing", "vulnerability", "Has gone missing from home or care", 1),
    ("school", "vulnerability", "Is often absent from school or excluded", 1),
    ("substances", "vulnerability", "Uses alcohol or drugs", 1),
    ("abuse_history", "vulnerability", "Has been abused or neglected before", 1),
    ("isolation", "vulnerability", "Is isolated from family or friends", 1),
    ("self_harm", "vulnerability", "Self-harms or has poor mental health", 1),
    ("older_friends", "moderate", "Has friends or a partner much older than them", 2),
    ("unexplained_items", "moderate", "Has money, phones, clothes or gifts they cannot explain", 2),
    ("late_nights", "moderate", "Comes home very late or stays out overnight", 2),
    ("online_contact", "moderate", "Is in online contact with adults they have not met", 2),
    ("sti", "moderate", "Has had a sexually transmitted infection or pregnancy test", 2),
    ("gang_link", "moderate", "Is linked to gang activity", 2),
    ("taken_by_car", "significant", "Is picked up or dropped off by unknown adults in cars", 4),
    (
        "party_flats",
        "significant",
        "Goes to parties or flats where adults give them alcohol or drugs",
        4,
    ),
    ("disclosure", "significant", "Has said they were sexually assaulted or exploited", 5),
    ("sexual_images", "significant", "Has been asked for, or has sent, sexual images", 4),
    ("trafficked", "significant", "Has been moved between places for sex", 5),
]


def load(apps, schema_editor):
    RiskTool = apps.get_model("cases", "RiskTool")
    RiskItem = apps.get_model("cases", "RiskItem")
    tool, _ = RiskTool.objects.get_or_create(
        name="CSE screening",
        version="1",
        defaults={
            "recent_months": 3,
            "recent_multiplier": 2,
            "older_multiplier": 1,
            "mild_from": 3,
            "moderate_from": 10,
            "significant_from": 18,
        },
    )
    for order, (code, category, wording, weight) in enumerate(ITEMS):
        RiskItem.objects.update_or_create(
            tool=tool,
            code=code,
            defaults={"category": category, "wording": wording, "weight": weight, "order": order},
        )


def unload(apps, schema_editor):
    apps.get_model("cases", "RiskTool").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
