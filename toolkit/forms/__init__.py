"""Forms: lay out each recipient's form plan and write it as a protected Excel workbook (xlsxwriter)."""
