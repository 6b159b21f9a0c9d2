"""The Qt desktop interface. Calls services (in background tasks); never runs SQL."""
