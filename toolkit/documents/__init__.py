"""Documents: hearing letters, reminders, hearing material and the DAS appendix (docxtpl), the
årshjul as a calendar file, and PDF conversion with LibreOffice."""
