"""The store: an archive of every received file (named by SHA-256) and an SQLite database of
submissions, values, issues and corrections, and the hashes of the forms as they were sent out.
Plain SQL, so a server database can replace it."""

from toolkit.store.db import Store, StoredValue, Submission

__all__ = ["Store", "StoredValue", "Submission"]
