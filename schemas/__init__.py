"""Marshmallow schemas of the HTTP API (request validation and the OpenAPI document).

Plain data shapes: this package imports neither ``service`` nor ``scoring``.
"""

from .audits import (
    REPORT_PARTS,
    AuditQuerySchema,
    AuditReportSchema,
    AuditRequestSchema,
    CacheInfoSchema,
    CategorySchema,
    CheckResultSchema,
)
from .batches import (
    BatchCountsSchema,
    BatchRequestSchema,
    BatchSchema,
    PageRecordSchema,
    PagesQuerySchema,
    PagesSchema,
    SummarySchema,
)
from .checks import CatalogueSchema, CheckMetaSchema
from .fix import FixChangeSchema, FixMissingSchema, FixSchema, FixUnfixedSchema, MarkupRemovalSchema
from .history import CompareQuerySchema, PageHistoryQuerySchema, PageHistorySchema, SiteComparisonSchema
from .ops import HealthSchema, ReadySchema
from .problems import FieldErrorSchema, ProblemSchema
from .reports import LangQuerySchema

__all__ = [
    "REPORT_PARTS",
    "AuditQuerySchema",
    "AuditReportSchema",
    "AuditRequestSchema",
    "BatchCountsSchema",
    "BatchRequestSchema",
    "BatchSchema",
    "CacheInfoSchema",
    "CatalogueSchema",
    "CategorySchema",
    "CheckMetaSchema",
    "CheckResultSchema",
    "CompareQuerySchema",
    "FieldErrorSchema",
    "FixChangeSchema",
    "FixMissingSchema",
    "FixSchema",
    "FixUnfixedSchema",
    "HealthSchema",
    "LangQuerySchema",
    "MarkupRemovalSchema",
    "PageHistoryQuerySchema",
    "PageHistorySchema",
    "PageRecordSchema",
    "PagesQuerySchema",
    "PagesSchema",
    "ProblemSchema",
    "ReadySchema",
    "SiteComparisonSchema",
    "SummarySchema",
]
