"""Word documents: hearing letters, reminders, hearing material and the DAS appendix (docxtpl)."""
