package overlay_test

test_pick_up_is_free if not "pick_up" in data.overlay.guardian_required
