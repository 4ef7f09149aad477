"""Consolidation: the year's data from the store (status, key figures), the consolidated workbook,
the reminder list and the årshjul's state for today."""
