package checkin

overlay_restriction(_) := false
