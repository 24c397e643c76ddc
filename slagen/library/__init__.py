"""The library a provider owns, as data: finding and opening it (``folder``), making an editable
copy (``initialise``), its brand (``brand``), its outlines (``outlines``), its starter packages and
the starter contract (``starters``); and a contract read against it (``contracts``: the model's
validation, then the clause changes checked against the outlines, ``clause_changes``)."""
