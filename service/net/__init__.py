"""Outbound HTTP, SSRF-hardened: the fetcher (``fetch``, built from ``policy``, ``target``, ``resolution``,
``connection`` and ``body``), robots.txt and llms.txt (``robots``), per-host politeness (``politeness``) and
site discovery from sitemaps and links (``discovery``)."""
