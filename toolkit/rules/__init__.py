"""The scheme's rules, pure over plain data: key figures, criteria A, B, C, early-warning signals and
the annual cycle. No I/O."""
