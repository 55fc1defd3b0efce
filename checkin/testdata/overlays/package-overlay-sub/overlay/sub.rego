package overlay.sitters

restrictions contains {"covers": ["pick_up"], "message": "No sitters."}
