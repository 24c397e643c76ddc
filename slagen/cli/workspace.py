"""`slagen serve`, `slagen db upgrade`, `slagen users add`, `slagen workspace import`: the workspace's
command line. The web stack (FastAPI, SQLAlchemy, uvicorn) is imported inside each command, so
`slagen validate` and the other light commands never load it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

def _plain():
    from slagen.cli.help import PlainHelpCommand

    return PlainHelpCommand


db_app = typer.Typer(help="The workspace's database.", no_args_is_help=True)
users_app = typer.Typer(help="People who can sign in to the workspace.", no_args_is_help=True)
workspace_app = typer.Typer(help="Bulk work on the workspace's contracts.", no_args_is_help=True)

DbOption = Annotated[Optional[Path], typer.Option(
    "--db", help="SQLite file (default: slagen-workspace.db here, or SLAGEN_DATABASE_URL).", show_default=False)]


def _fail(message: str) -> None:
    located = message.startswith("error:") or ": error:" in message.split("\n", 1)[0]  # FILE:LINE:COL: error:
    typer.echo(message if located else f"error: {message}", err=True)
    raise typer.Exit(2)


def _sessions(db: Optional[Path]):
    """A session factory on an up-to-date database."""
    from slagen.errors import SlagenError
    from slagen.workspace.database import database_url, make_engine, session_factory, upgrade

    try:
        engine = make_engine(database_url(str(db) if db else None))
        upgrade(engine)
    except SlagenError as exc:
        _fail(str(exc))
    return session_factory(engine)


def serve_library(library: Optional[Path]):
    """The library the server uses, loaded once so that a broken one stops it at its line.

    ``--library DIR`` reaches the render workers (started later) through the environment they
    inherit; the library is still said to come from the option, as the user chose it."""
    import dataclasses
    import os

    from slagen.compose.library import load_house_library
    from slagen.library.folder import open_library
    from slagen.workspace.engine import workspace_library

    if library is not None:
        chosen = open_library(library, f"--library {library}")
        os.environ["SLAGEN_LIBRARY"] = str(chosen.clause_dir.parent)
        house = dataclasses.replace(workspace_library(), origin=chosen.origin)
    else:
        house = workspace_library()
    load_house_library(house)
    return house


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; keep 127.0.0.1 unless a proxy "
                                                     "with HTTPS stands in front.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[bool, typer.Option("--secure-cookies", help="Send the session cookie over HTTPS "
                                                                          "only.")] = False,
    library: Annotated[Optional[Path], typer.Option(
        "--library", metavar="DIR", show_default=False,
        help="The provider's library every contract is composed, reviewed and branded with, and whose starter "
             "packages the new-contract form offers (default: $SLAGEN_LIBRARY, else the packaged default).")] = None,
    queue_workers: Annotated[int, typer.Option(
        "--queue-workers", metavar="N", help="On PostgreSQL: `slagen worker` processes to start on this machine "
                                             "for the job queue (0 when they run elsewhere).")] = 1,
    forwarded_allow_ips: Annotated[Optional[str], typer.Option(
        "--forwarded-allow-ips", metavar="ADDRESSES", show_default=False,
        help="Comma-separated addresses of the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are "
             "believed (as uvicorn names it; '*' trusts anyone, only behind a proxy that strips them). Without "
             "it those headers are ignored, so nobody can forge the address sign-in limits and the audit log see.")] = None,
) -> None:
    """Run the workspace: the register, the contract editor, review and approval, in a browser."""
    from slagen.errors import SlagenError
    from slagen.workspace.app import Settings, create_app
    from slagen.workspace.database import database_url

    try:  # a library that cannot be used is said now, not at the first render
        house = serve_library(library)
    except SlagenError as exc:
        _fail(str(exc))

    url = database_url(str(db) if db else None)
    sessions = _sessions(db)
    from slagen.workspace.database import readable_by_others

    exposed = readable_by_others(url)
    if exposed:
        typer.echo("warning: the workspace's database holds contracts, password hashes and the key that signs "
                   "sessions, and others on this computer may read it: " + ", ".join(exposed) +
                   "; make it private with chmod 600", err=True)
    with sessions() as session:
        from sqlalchemy import func, select

        from slagen.workspace.models import User

        if not session.scalar(select(func.count()).select_from(User)):
            where = f" --db {db}" if db else ""
            typer.echo("No one can sign in yet. Create the first administrator in another terminal:\n"
                       f"  slagen users add NAME --role admin{where}\n"
                       "then add colleagues on the People page or with the same command.", err=True)
    try:
        from slagen.workspace.queue import is_postgres

        app = create_app(Settings(database_url=url, secure_cookies=secure_cookies, durable_jobs=is_postgres(url),
                                editor_worker=True),
                         upgrade=False)
    except SlagenError as exc:
        _fail(str(exc))
    import uvicorn

    from slagen.source.gc_tuning import freeze_what_is_loaded
    from slagen.workspace.engine import warm_up

    warm_up()
    freeze_what_is_loaded()
    typer.echo(f"slagen workspace on http://{host}:{port}/ with {house.name} {house.version} ({house.origin}); "
               "stop with Ctrl+C", err=True)
    workers = _start_queue_workers(url, queue_workers) if is_postgres(url) else []
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", **proxy_options(forwarded_allow_ips))
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            process.wait(timeout=60)


def proxy_options(forwarded_allow_ips: str | None) -> dict:
    """uvicorn's proxy settings: forwarded headers believed only from the proxies named. uvicorn's
    own default believes them from 127.0.0.1, which lets any local client forge its address."""
    if not forwarded_allow_ips or not forwarded_allow_ips.strip():
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": forwarded_allow_ips.strip()}


def _start_queue_workers(url: str, count: int) -> list:
    """`slagen worker` processes beside the server (more can run on other machines: README)."""
    import os
    import subprocess

    if count <= 0:
        typer.echo("render jobs wait in the queue for `slagen worker` processes started elsewhere", err=True)
        return []
    env = {**os.environ, "SLAGEN_DATABASE_URL": url}
    return [subprocess.Popen([sys.executable, "-m", "slagen", "worker"], env=env) for _ in range(count)]


def _examples(*lines: str) -> str:
    from slagen.cli.help import examples

    return examples(*lines)


@db_app.command("upgrade", cls=_plain(), epilog=_examples(
    "slagen db upgrade", "slagen db upgrade --db /srv/slagen/team.db"))
def db_upgrade(db: DbOption = None) -> None:
    """Create the tables, or bring them up to date (the server also does this on start)."""
    _sessions(db)
    typer.echo("the database is up to date")


def ask_new_password() -> str:
    """The password, typed twice; one too short is refused after the first typing."""
    from slagen.workspace.store import WorkspaceError, check_password_length

    password = typer.prompt("Password", hide_input=True)
    try:
        check_password_length(password)
    except WorkspaceError as exc:
        _fail(f"{exc.message}; nobody was added")
    if typer.prompt("Repeat for confirmation", hide_input=True) != password:
        _fail("the two passwords differ; type the same one twice; nobody was added")
    return password


@users_app.command("add", cls=_plain(), epilog=_examples(
    "slagen users add ann --role admin                  (asks for the password twice)",
    "slagen users add bob --role legal --password-stdin < bob-password.txt"))
def users_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The name they sign in with.", show_default=False)],
    role: Annotated[str, typer.Option("--role", help="account_manager, presales, legal or admin.",
                                      show_default=False)],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard "
                                                                          "input instead of asking.")] = False,
    db: DbOption = None,
) -> None:
    """Add a person who can sign in to the workspace."""
    from slagen.workspace.store import WorkspaceError, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = ask_new_password()
    else:
        _fail("no terminal to ask for the password on: pipe it in with --password-stdin")
    sessions = _sessions(db)
    with sessions() as session:
        try:
            add_user(session, name, role, password)
        except WorkspaceError as exc:
            _fail(exc.message)
    typer.echo(f"added {name} as {role}")


@workspace_app.command("import", cls=_plain(), epilog=_examples(
    "slagen workspace import examples", "slagen workspace import contracts/ --author \"Sam Carter\" --db team.db"))
def workspace_import(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="A folder of YAML contracts.", show_default=False)],
    author: Annotated[str, typer.Option("--author", help="The name recorded as each version's author.")] = "import",
    db: DbOption = None,
) -> None:
    """Import every .yaml/.yml contract in a folder; each becomes a contract with one version."""
    from types import SimpleNamespace

    from slagen.workspace.store import WorkspaceError, create_contract

    if not folder.is_dir():
        _fail(f"{folder}: error: no such folder")
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not files:
        _fail(f"{folder}: error: no .yaml or .yml files in this folder")
    sessions = _sessions(db)
    failed = 0
    with sessions() as session:
        for path in files:
            try:
                text = path.read_bytes().decode("utf-8-sig")
                contract = create_contract(session, SimpleNamespace(name=author), text, f"imported from {path.name}",
                                           "import")
                typer.echo(f"{path}: imported as {contract.reference}")
            except UnicodeDecodeError:
                failed += 1
                typer.echo(f"{path}: error: not a UTF-8 text file", err=True)
            except WorkspaceError as exc:
                session.rollback()
                failed += 1
                typer.echo(f"{path}: error: {exc.message}", err=True)
    raise typer.Exit(2 if failed else 0)


def mount(app: typer.Typer) -> None:
    from slagen.cli.help import PlainHelpCommand, examples

    epilog = examples("slagen users add ann --role admin", "slagen serve", "slagen serve --db /srv/slagen/team.db --port 8080")
    app.command(cls=PlainHelpCommand, epilog=epilog)(serve)
    app.add_typer(db_app, name="db")
    app.add_typer(users_app, name="users")
    app.add_typer(workspace_app, name="workspace")
