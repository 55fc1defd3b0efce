package overlay

import future.keywords.in

guardian_required contains "consent_procedure" if "x" in {"x"}
