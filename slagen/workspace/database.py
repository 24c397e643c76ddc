"""Where the workspace keeps its data, and bringing that database up to date.

The URL comes from ``--db PATH`` (an SQLite file), else ``SLAGEN_DATABASE_URL`` (any SQLAlchemy
URL, e.g. ``postgresql+psycopg://user@host/db``), else ``slagen-workspace.db`` in the current
folder. Migrations are Alembic's, shipped inside the package, and run on every start.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from slagen.errors import UsageError

DEFAULT_FILE = "slagen-workspace.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(db_path: str | None = None) -> str:
    if db_path:
        return f"sqlite:///{Path(db_path).expanduser().resolve()}"
    return os.environ.get("SLAGEN_DATABASE_URL") or f"sqlite:///{Path(DEFAULT_FILE).resolve()}"


# The pool holds as many connections as the server has threads for requests (anyio's 40), so a
# thread never waits for a connection another thread is not using; a request that still cannot
# get one within POOL_WAIT seconds is answered 503 with Retry-After (app.py), never left hanging.
POOL_SIZE, POOL_OVERFLOW, POOL_WAIT = 20, 20, 10


def make_engine(url: str) -> Engine:
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        if url.startswith("sqlite"):
            private_database_file(url)
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15},
                                   pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, pool_timeout=POOL_WAIT)
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW,
                             pool_timeout=POOL_WAIT)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise UsageError(f"error: the database address '{_without_password(url)}' cannot be used: {exc}") from None


def _without_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: show only its scheme
        return url.split(":", 1)[0] + ":..."


def sqlite_path(url: str) -> Path | None:
    """The file an SQLite URL names, or None (another database, or one in memory)."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:
        return None
    if not parsed.drivername.startswith("sqlite") or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def private_database_file(url: str) -> None:
    """Create a new SQLite file readable by its owner only (0600). It holds contracts, password
    hashes and the key that signs session cookies; SQLite gives its -wal and -shm companions the
    main file's mode, so they are private too."""
    path = sqlite_path(url)
    if path is None or path.exists() or not path.parent.is_dir():
        return
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass


def readable_by_others(url: str) -> list[str]:
    """The database's files (the SQLite file, its -wal and -shm) that others than the owner may
    read or write: said at start, so an administrator can ``chmod 600`` them."""
    path = sqlite_path(url)
    if path is None:
        return []
    exposed = []
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = file.stat().st_mode
        except OSError:
            continue
        if mode & 0o077:
            exposed.append(f"{file} (mode {mode & 0o777:o})")
    return exposed


def _sqlite_pragmas(connection, _record) -> None:
    # WAL lets readers continue while a version is being saved; foreign keys are off by default in SQLite.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config(connection=None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Apply every migration not yet applied (creates the tables on an empty database)."""
    from alembic import command
    from sqlalchemy.exc import OperationalError

    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
    except OperationalError as exc:
        raise UsageError(f"error: cannot open the database {_without_password(str(engine.url))}: "
                         f"{str(exc.orig).strip().splitlines()[0]}") from None


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
