"""Human wording for the enum values records use (English; pages show them through the
gettext catalogue of their language, generator/i18n/catalog.py)."""

from .i18n.catalog import N_

LABELS: dict[str, str] = {
    # sharing modalities
    "public": N_("Public"),
    "confidential": N_("Confidential (MoU)"),
    "urgent-action": N_("Urgent action (protocol)"),
    # analysis plan status ("agreed" is shared with the question status)
    "draft": N_("Draft"),
    "under-review": N_("Under review"),
    # question status
    "proposed": N_("Proposed"),
    "agreed": N_("Agreed"),
    "dropped": N_("Dropped"),
    # question types
    "select_one": N_("Select one"),
    "select_multiple": N_("Select multiple"),
    "integer": N_("Whole number"),
    "decimal": N_("Number"),
    "text": N_("Text"),
    "date": N_("Date"),
    "yes_no": N_("Yes / No"),
    "restricted": N_("Restricted"),  # a confidential question's type, in the public view
    # process leads
    "dtm": N_("DTM"),
    "partners": N_("Partners"),
    "joint": N_("Joint"),
    # disaggregations
    "admin1": N_("Admin 1"),
    "admin2": N_("Admin 2"),
    "location_type": N_("Location type"),
    "population_group": N_("Population group"),
    "key_informant_type": N_("Key informant type"),
    # partner types
    "cluster": N_("Cluster"),
    "aor": N_("Area of Responsibility"),
    "working-group": N_("Working group"),
    "ocha": N_("OCHA"),
    "un-agency": N_("UN agency"),
    "ngo": N_("NGO"),
    "government": N_("Government"),
    "donor": N_("Donor"),
    "other": N_("Other"),
    # engagement status
    "not-started": N_("Not started"),
    "planned": N_("Planned"),
    "approached": N_("Approached"),
    "engaged": N_("Engaged"),
    "needs-received": N_("Needs received"),
    "declined": N_("Declined"),
    # verification expertise
    "subject-matter": N_("Subject-matter expert"),
    "context": N_("Context expert"),
    "imo": N_("Information management (IMO)"),
    # analysis statistics (a question's default one comes from its type)
    "proportion": N_("proportion"),
    "mean": N_("mean"),
    "median": N_("median"),
    "sum": N_("sum"),
    "count": N_("count"),
    # data sharing agreement status
    "drafting": N_("Being drafted"),
    "signed": N_("Signed"),
}

