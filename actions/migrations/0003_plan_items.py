"""The 14 items of the VAP action plan, verbatim from the seed report (325-2015).

Items 1-13 are the rows of the plan's table (action, performance information, lead
officer/agency). Item 14 is the standing commitment from the plan's introduction.
"""

from django.db import migrations

AREA = "Child sexual exploitation (CSE)"

ITEMS = [
    # number, action, measure, lead officer/agency, lead agency codes, measure kind, measure code
    (
        1,
        "Develop and implement an approach towards prevention activities with schools and "
        "carers, including residential and foster carers.",
        "Number of schools and residential carers with prevention input",
        "Barnardo’s and Education",
        ["barnardos", "education"],
        "activity",
        "prevention",
    ),
    (
        2,
        "Update the local Child Protection Procedure to include specific guidance and pathways "
        "on CSE relating to victims and perpetrators.",
        "Updated procedure in place and approved by the CCPC",
        "Lead Officer, Child Protection",
        ["cfs"],
        "milestone",
        "N16",
    ),
    (
        3,
        "Establish an operational intelligence group to share and address information on key "
        "CSE issues and trends across the city.",
        "Group meeting monthly with clear terms of reference and minutes",
        "Service Manager, Children and Families Services",
        ["cfs"],
        "activity",
        "maog_meeting",
    ),
    (
        4,
        "Ensure the needs of victims are addressed and that victim safety plans are also in "
        "place at all MAPPA Meetings.",
        "Evidence from MAPPA minutes of a focus on child victims of CSE",
        "Team Manager, Children and Families Services",
        ["cfs"],
        "indicator",
        "N14",
    ),
    (
        5,
        "Ensure all reported perpetrators of CSE are investigated by Police Scotland and "
        "reported to the Fiscal where possible.",
        "Number of reported allegations and number reported to COPFS",
        "Police Scotland",
        ["police"],
        "indicator",
        "N4",
    ),
    (
        6,
        "Ensure all cases reported to the Fiscal by Police Scotland are prosecuted where possible.",
        "Number of cases reported to COPFS resulting in prosecution",
        "Crown Office",
        ["copfs"],
        "indicator",
        "N5",
    ),
    (
        7,
        "Develop and sustain services for victims of CSE and ensure victims are satisfied with "
        "services.",
        "Number of victims offered support and number satisfied",
        "Barnardo’s",
        ["barnardos"],
        "indicator",
        "N9",
    ),
    (
        8,
        "Implement the National Working Group performance management framework on CSE.",
        "Performance management framework reported 6 monthly",
        "Service Manager, Children and Families Services",
        ["cfs"],
        "milestone",
        "",
    ),
    (
        9,
        "Complete a Comic Relief funded research project and present all findings and "
        "recommendations to the VAP and CCPC.",
        "Research findings reported to VAP and CCPC for consideration",
        "Researcher, WRASAC",
        ["wrasac"],
        "milestone",
        "N16",
    ),
    (
        10,
        "Train front line staff in key services on the understanding and identification of CSE.",
        "Number of front-line staff in receipt of CSE training",
        "Barnardo’s",
        ["barnardos"],
        "activity",
        "training",
    ),
    (
        11,
        "Ensure all children reported missing to the Police are offered a return home "
        "interview and continuing support.",
        "Number of children missing interviewed/offered support",
        "Safe and Sound",
        ["safeandsound"],
        "indicator",
        "N7",
    ),
    (
        12,
        "Brief Elected Members on issues associated with CSE and the development and delivery "
        "of the local action plan",
        "Number/% of Elected Members briefed on CSE",
        "Service Manager, Children and Families Services",
        ["cfs"],
        "activity",
        "member_briefing",
    ),
    (
        13,
        "Target awareness raising at the night time economy, including taxi drivers, hotels, "
        "cafes and nightclubs",
        "Number of venues and business in receipt of awareness raising",
        "Barnardo’s",
        ["barnardos"],
        "activity",
        "awareness",
    ),
    (
        14,
        "As a minimum, each of these strategic groups will be provided with 6-monthly progress "
        "reports on each of the actions in the plan, with an outline of any proposed remedial "
        "actions where relevant.",
        "6-monthly progress reports on each of the actions in the plan provided to the COG, "
        "the Community Safety Partnership and the CCPC",
        "Vulnerable Adolescent Partnership (VAP)",
        ["cfs"],
        "milestone",
        "",
    ),
]


def load(apps, schema_editor):
    ActionItem = apps.get_model("actions", "ActionItem")
    Agency = apps.get_model("partnership", "Agency")
    for number, action, measure, lead, agency_codes, kind, code in ITEMS:
        item, _ = ActionItem.objects.update_or_create(
            number=number,
            defaults={
                "area": AREA,
                "action": action,
                "measure": measure,
                "lead_officer": lead,
                "measure_kind": kind,
                "measure_code": code,
            },
        )
        item.lead_agencies.set(Agency.objects.filter(code__in=agency_codes))


def unload(apps, schema_editor):
    apps.get_model("actions", "ActionItem").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("actions", "0002_initial"), ("partnership", "0002_reference_data")]
    operations = [migrations.RunPython(load, unload)]
