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
