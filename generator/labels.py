"""Human wording for the enum values records use."""

LABELS: dict[str, str] = {
    # sharing modalities
    "public": "Public",
    "confidential": "Confidential (MoU)",
    "urgent-action": "Urgent action (protocol)",
    # question status
    "proposed": "Proposed",
    "agreed": "Agreed",
    "dropped": "Dropped",
    # question types
    "select_one": "Select one",
    "select_multiple": "Select multiple",
    "integer": "Whole number",
    "decimal": "Number",
    "text": "Text",
    "date": "Date",
    "yes_no": "Yes / No",
    "restricted": "Restricted",  # a confidential question's type, in the public view
    # process leads
    "dtm": "DTM",
    "partners": "Partners",
    "joint": "Joint",
    # disaggregations
    "admin1": "Admin 1",
    "admin2": "Admin 2",
    "location_type": "Location type",
    "population_group": "Population group",
    "key_informant_type": "Key informant type",
    # partner types
    "cluster": "Cluster",
    "aor": "Area of Responsibility",
    "working-group": "Working group",
    "ocha": "OCHA",
    "un-agency": "UN agency",
    "ngo": "NGO",
    "government": "Government",
    "donor": "Donor",
    "other": "Other",
    # engagement status
    "not-started": "Not started",
    "planned": "Planned",
    "approached": "Approached",
    "engaged": "Engaged",
    "needs-received": "Needs received",
    "declined": "Declined",
}

