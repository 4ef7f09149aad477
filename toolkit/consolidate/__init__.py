"""The consolidated workbook (`skema samlet`)."""
from toolkit.consolidate.workbook import write_consolidated

__all__ = ["write_consolidated"]
