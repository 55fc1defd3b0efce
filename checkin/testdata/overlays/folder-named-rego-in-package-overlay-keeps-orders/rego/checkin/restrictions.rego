package overlay

guardian_required contains "consent_procedure"
