"""The scheme's rules: criteria A, B, C; early-warning signals; the annual cycle. Pure functions."""
