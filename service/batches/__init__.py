"""Site batches: many pages audited by RQ workers, results and progress in Redis.

Modules: ``model`` (batch state in Redis), ``runtime`` (connections and caches of a process), ``pages``
(auditing one page politely), ``jobs`` (the RQ jobs), ``service`` (creating and cancelling batches),
``queries`` (progress, stalls, page records), ``summary`` and ``site_history`` (the site picture and its
trend), ``exports`` (CSV and JSONL streams), ``webhook`` (the signed notification when a batch ends),
``worker`` and ``supervisor`` (the RQ worker and the local workers the server starts). Their settings are
``service.config.batches``; submodules are imported where they are used, so nothing here pulls in RQ early.
"""
