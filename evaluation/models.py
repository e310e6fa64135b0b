"""Surveys, KPI dashboards, exports and certificates (reads every other app)."""
