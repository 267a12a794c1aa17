"""HTTP blueprints, one per resource: audits, checks, and health/ops."""
