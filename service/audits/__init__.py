"""Auditing one page for the API, the batches and the command line: reading inputs (``inputs``), the audit with
its cache and history (``service``, ``history``) and its time budget (``budget``)."""
