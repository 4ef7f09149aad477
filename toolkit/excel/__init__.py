"""Excel: writing forms (xlsxwriter) and reading returns."""
