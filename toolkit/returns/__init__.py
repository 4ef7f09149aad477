"""Returns: guard, read (in isolated workers), identify, normalise and validate returned forms, find
when each was last saved (which version counts), and hand each result to the store."""
