"""The ``healthgeo`` command (``main``) and its subcommands: ``batch`` (crawl, worker), ``fix``, ``keys``; with the
static-site inputs, JUnit output, saved-output comparison and the default language."""
