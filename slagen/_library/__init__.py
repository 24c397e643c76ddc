"""The default library, shipped inside the package.

Nothing is kept in this folder in the repository: the build configuration (pyproject.toml,
``[tool.setuptools.package-dir]``) maps the repository's top-level ``clauses/`` and
``contract_templates/`` folders, where the default library is edited, onto the subpackages
``slagen._library.clauses`` and ``slagen._library.contract_templates``. A wheel carries them
as package data; an editable install finds them where they are. Code reaches them only through
:mod:`slagen.library.folder`, with ``importlib.resources``.
"""
