"""Returns: guard, read (in isolated workers), identify, normalise and validate returned forms, and
hand each result to the store."""
