"""Report building: one view model (context.py), several renderings (Markdown/HTML via Jinja, JSON, SARIF)."""
