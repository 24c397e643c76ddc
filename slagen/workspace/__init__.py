"""The slagen workspace (`slagen serve`): a web application where account managers draft,
pre-sales checks and legal approves contracts.

It is a client of the engine like the command line: every contract question (is it valid, what
does check find, what does the agreement say) is answered by slagen.library.contracts, slagen.check,
slagen.pipeline.render, slagen.review and slagen.report. This package only stores, authorises and shows.

    database.py      the database URL, the engine, migrations (Alembic, shipped in migrations/)
    models.py        the tables: users, contracts, versions, comments, approvals, audit, tokens, sessions
    roles.py         who may do what: one table, checked on the server for every route
    auth.py          passwords (Argon2id), CSRF tokens, login rate limit, the cookie key
    web_sessions.py  server-side sessions: started at sign-in, ended by sign-out, idleness and admins
    api_tokens.py    API tokens: issued, listed, revoked, expiring, last use
    store.py         contracts and versions: saving with conflict detection, review, approval, audit
    register.py      the register's rows, with renewal dates and notice deadlines as of today
    engine.py        calls into the engine: diagnostics (cached per text hash) and the heavy jobs
    jobs.py          worker processes those jobs run in, replaced when they die, with memory and time limits
    job_board.py     render jobs one can watch: state, steps, the file; in memory, bounded, shared
    queue.py         on PostgreSQL: the same jobs as rows and a Procrastinate queue, run by `slagen worker`
    portfolio_run.py the monthly run over every approved contract from one export, as a job
    documents.py     documents, redlines and their downloads as render jobs
    new_contract.py  the guided form -> a contract text on the engine's starter
    uploads.py       uploads read with a size limit
    limits.py        authentication and body size checked before any body is read (ASGI middleware)
    headers.py       security headers on every response; cross-site GETs that start work refused
    throttle.py      sign-in throttling by growing delays, never a lock on the owner; aggregated audit rows
    refusals.py      odd input (huge numbers, NUL, broken characters) answered 422, a busy database 503
    app.py           the ASGI application: settings, authentication, CSRF, error pages
    pages.py         the server-rendered pages (templates/) and their handlers
    api.py           the JSON API under /api
"""
