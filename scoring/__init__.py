"""Healthgeo's audit engine: knows no web, returns plain data."""

from .audit import RULES_VERSION, audit_html, audit_page, catalogue

__all__ = ["RULES_VERSION", "audit_html", "audit_page", "catalogue"]
