"""What runs keep between them: the state file (validated, locked,
written atomically), its folders, and the saved copies of remote extends.

Standard library only; it stands on the index client (URLs) alone.
bootstrap.py carries it.
"""
