package practices["default"]

min_companion_age := 10
