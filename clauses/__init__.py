"""Marks this folder as the package slagen._library.clauses, so that the default library ships in the
wheel and an editable install finds it here (see pyproject.toml and slagen/library/folder.py)."""
