"""The slagen workspace (`slagen serve`): a web application where account managers draft,
pre-sales checks and legal approves contracts.

It is a client of the engine like the command line: every contract question (is it valid, what
does check find, what does the agreement say) is answered by slagen.load, slagen.check,
slagen.render, slagen.review and slagen.report. This package only stores, authorises and shows.

    database.py   the database URL, the engine, migrations (Alembic, shipped in migrations/)
    models.py     the tables: users, contracts, versions, comments, approvals, audit, tokens
    roles.py      who may do what: one table, checked on the server for every route
    auth.py       passwords (Argon2id), sessions, CSRF tokens, login rate limit, API tokens
    store.py      contracts and versions: saving with conflict detection, review, approval
    engine.py     calls into the engine: diagnostics (cached), renders in a process pool
    app.py        the ASGI application: pages (pages.py) and the JSON API (api.py)
"""
