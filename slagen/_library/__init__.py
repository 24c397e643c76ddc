"""The default library, shipped inside the package.

Nothing is kept in this folder in the repository: the build configuration (pyproject.toml,
``[tool.setuptools.package-dir]``) maps the repository's top-level ``clauses/``,
``contract_templates/``, ``starters/`` and ``law/`` folders, where the default library is edited,
onto the subpackages ``slagen._library.clauses``, ``slagen._library.contract_templates``,
``slagen._library.starters`` and ``slagen._library.law``. A wheel carries them
as package data; an editable install finds them where they are. Code reaches them only through
:mod:`slagen.library.folder`, with ``importlib.resources``.
"""
