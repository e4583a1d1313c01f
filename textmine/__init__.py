"""textmine: code policy documents against cluster-policy schemes and compare policy emphasis."""

__version__ = "0.1.0"

from textmine.core.errors import TextmineError
from textmine.core.types import Code, Document, Page, Unit

__all__ = ["__version__", "Code", "Document", "Page", "TextmineError", "Unit"]
