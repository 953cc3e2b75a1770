"""The fields of the case records that more than one layer names."""

# What a caseworker records about a young person and about a referral: the form, the
# service (which also takes the API's and imports' reference) and the API all use these.
YOUNG_PERSON_FIELDS = (
    "first_name",
    "last_name",
    "known_as",
    "date_of_birth",
    "sex",
    "ethnicity",
    "disability",
    "looked_after",
    "placement_type",
    "school",
)
REFERRAL_FIELDS = (
    "received_on",
    "referring_agency",
    "referrer_name",
    "referrer_role",
    "concerns",
    "initial_risk_level",
    "outcome",
    "outcome_date",
)
# What is recorded about a missing episode (the API's writable fields, with its reference):
# the form leaves out rd_offered_at, which the service sets from the discussion's status.
MISSING_EPISODE_FIELDS = (
    "missing_from",
    "located_at",
    "category",
    "placement_type",
    "placement_name",
    "where_found",
    "found_with",
    "reported_to_police",
    "return_discussion",
    "rd_offered_at",
    "rd_declined_reason",
    "rd_reoffered_at",
    "rd_completed_at",
    "rd_agency",
)
# What the services take for a risk assessment (never edited: a new one is made) and for
# support offered, and what the API reads of them.
RISK_ASSESSMENT_FIELDS = (
    "tool",
    "assessed_on",
    "score",
    "calculated_level",
    "override_level",
    "override_reason",
    "level",
    "reassessment_due",
)
SUPPORT_FIELDS = (
    "provider_agency",
    "service_type",
    "offered_on",
    "accepted",
    "started_on",
    "ended_on",
)
