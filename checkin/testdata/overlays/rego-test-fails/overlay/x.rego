package overlay

guardian_required contains "pick_up"
