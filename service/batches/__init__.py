"""Site batches: many pages audited by RQ workers, results and progress in Redis.

Modules: ``settings`` (configuration), ``model`` (batch state in Redis), ``pages`` (auditing one
page politely), ``jobs`` (the RQ jobs), ``service`` (creating, reading, cancelling batches),
``summary`` (the site picture), ``exports`` (CSV and JSONL streams), ``worker`` (the RQ worker).
Submodules are imported where they are used so that ``service.config`` can read the settings
without pulling in RQ.
"""
