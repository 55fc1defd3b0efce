package overlay

guardian_required := "pick_up"
