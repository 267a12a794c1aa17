"""The HTTP API: the Flask app factory (``app``), its blueprints (``routes``), problem documents (``problems``),
request language, body cap, authentication and tenants (``auth``), metrics, logs and the gunicorn settings."""
