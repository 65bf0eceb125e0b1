"""XLSForm (Kobo, ODK, Ona, SurveyCTO) export and import of the kb's questionnaire. No click."""
