"""Authors and reviewers: candidates (extract), the name grammar (names), the credential table (credentials)."""
