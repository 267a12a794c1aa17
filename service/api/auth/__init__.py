"""Who is calling: API keys (``keys``), the tenants and scopes they grant (``tenants``), and the Flask side of
authentication and rate limits (``security``)."""
