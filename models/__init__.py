"""What a claim is and where it is kept. Imports no spaCy."""

from models.article import Appearance, Article, Failure, article_id, normalise_text
from models.claim import Claim, Evidence, GroupRef, Period, Place, Quantity, Source
from models.query import ClaimFilter
from models.vocab import ClaimKind, Hedge, QuantityKind, SourceType, Unit

__all__ = [
    "Appearance",
    "Article",
    "Claim",
    "ClaimFilter",
    "ClaimKind",
    "Evidence",
    "Failure",
    "GroupRef",
    "Hedge",
    "Period",
    "Place",
    "Quantity",
    "QuantityKind",
    "Source",
    "SourceType",
    "Unit",
    "article_id",
    "normalise_text",
]
