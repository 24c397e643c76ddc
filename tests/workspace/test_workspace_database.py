"""The database: migrations that match the models, and the commands that manage it."""

from __future__ import annotations

import os
import subprocess
import sys

from workspace.conftest import ROOT


def test_the_migrations_build_exactly_the_tables_the_models_describe(database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from slagen.workspace.database import make_engine, upgrade
    from slagen.workspace.models import Base

    engine = make_engine(database_url)
    upgrade(engine)
    upgrade(engine)  # a second start changes nothing
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def slagen(*args, stdin: str = "", env: dict | None = None):
    return subprocess.run([sys.executable, "-m", "slagen", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=120, env={**os.environ, **(env or {})})


def test_users_add_db_upgrade_and_import_from_the_command_line(tmp_path):
    db = str(tmp_path / "w.db")
    assert slagen("db", "upgrade", "--db", db).returncode == 0
    added = slagen("users", "add", "ann", "--role", "admin", "--password-stdin", "--db", db, stdin="long enough\n")
    assert added.returncode == 0 and "added ann as admin" in added.stdout
    again = slagen("users", "add", "ann", "--role", "legal", "--password-stdin", "--db", db, stdin="long enough\n")
    assert again.returncode == 2 and again.stderr.startswith("error: there is already a user called 'ann'")
    short = slagen("users", "add", "bo", "--role", "legal", "--password-stdin", "--db", db, stdin="short\n")
    assert short.returncode == 2 and "too short" in short.stderr and "Traceback" not in short.stderr
    bad_role = slagen("users", "add", "cy", "--role", "boss", "--password-stdin", "--db", db, stdin="long enough\n")
    assert bad_role.returncode == 2 and "'boss' is not a role" in bad_role.stderr
    imported = slagen("workspace", "import", "examples", "--db", db)
    examples = sorted((ROOT / "examples").glob("*.yaml"))  # every example is a contract
    assert imported.returncode == 0 and imported.stdout.count("imported as") == len(examples) >= 3
    twice = slagen("workspace", "import", "examples", "--db", db)
    assert twice.returncode == 2 and "already exists" in twice.stderr


def test_a_database_that_cannot_be_opened_is_one_line_not_a_traceback(tmp_path):
    result = slagen("db", "upgrade", env={"SLAGEN_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/x"})
    assert result.returncode == 2 and result.stderr.startswith("error: cannot open the database")
    assert "Traceback" not in result.stderr
    nonsense = slagen("db", "upgrade", env={"SLAGEN_DATABASE_URL": "nonsense"})
    assert nonsense.returncode == 2 and nonsense.stderr.startswith("error:") and "Traceback" not in nonsense.stderr
    missing = slagen("workspace", "import", str(tmp_path / "nowhere"), "--db", str(tmp_path / "w.db"))
    assert missing.returncode == 2 and "no such folder" in missing.stderr


def test_users_add_without_a_terminal_or_stdin_flag_says_how():
    result = slagen("users", "add", "dee", "--role", "legal", "--db", "/nonexistent/never-created.db")
    assert result.returncode == 2 and "--password-stdin" in result.stderr


def test_light_commands_do_not_load_the_web_stack():
    code = ("import sys; from slagen.cli import app\n"
            "try:\n    app(['validate', 'examples/acme-dental.yaml'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('sqlalchemy', 'fastapi', 'starlette', 'uvicorn', 'alembic', 'argon2') if m in sys.modules]\n"
            "print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_serve_explains_how_to_create_the_first_administrator(tmp_path):
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "slagen", "serve", "--db", str(tmp_path / "w.db"),
                               "--port", str(port)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        lines = []
        while time.time() < deadline:
            line = server.stderr.readline()
            lines.append(line)
            if "http://127.0.0.1:" in line:
                break
        text = "".join(lines)
        assert "slagen users add NAME --role admin" in text and f"http://127.0.0.1:{port}/" in text
        import urllib.error
        import urllib.request

        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never a proxy
        while True:
            try:
                with opener.open(f"http://127.0.0.1:{port}/login", timeout=30) as response:
                    assert response.status == 200
                    break
            except urllib.error.URLError:
                assert time.time() < deadline, "the server did not answer within a minute"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_database_made_at_0001_upgrades_and_its_tokens_keep_working(tmp_path):
    """A workspace created before tokens could expire and sessions lived on the server: the app
    starts on it, migrates it to 0002, and its users and API tokens carry on."""
    import hashlib

    from alembic import command
    from fastapi.testclient import TestClient
    from sqlalchemy import inspect, text

    from slagen.workspace.app import Settings, create_app
    from slagen.workspace.auth import hash_password
    from slagen.workspace.database import alembic_config, make_engine
    from workspace.conftest import csrf_from

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        assert "sessions" not in inspect(connection).get_table_names()
        connection.execute(text("INSERT INTO users (id, name, role, password_hash, active, created_at) "
                                "VALUES (1, 'ann', 'legal', :hash, 1, '2026-01-05 09:00:00.000000')"),
                           {"hash": hash_password("an old password")})
        connection.execute(text("INSERT INTO api_tokens (user_id, name, token_sha256, created_at) "
                                "VALUES (1, 'old CRM', :digest, '2026-02-01 10:00:00.000000')"),
                           {"digest": hashlib.sha256(b"slg_made-before-0002").hexdigest()})
    engine.dispose()

    app = create_app(Settings(database_url=url))
    app.state.jobs.close()
    try:
        with TestClient(app, base_url="http://127.0.0.1") as client:
            listed = client.get("/api/tokens", headers={"Authorization": "Bearer slg_made-before-0002"})
            assert listed.status_code == 200
            [token] = listed.json()
            assert token["last_used_at"] is not None  # this very call
            assert {**token, "last_used_at": None} == {
                "id": 1, "name": "old CRM", "user": "ann", "created_at": "2026-02-01T10:00:00+00:00",
                "last_used_at": None, "expires_at": None, "expired": False}
            form = csrf_from(client.get("/login").text)
            signed_in = client.post("/login", data={"name": "ann", "password": "an old password", "next": "/",
                                                    "csrf_token": form}, follow_redirects=False)
            assert signed_in.status_code == 303 and client.get("/", follow_redirects=False).status_code == 200
        with app.state.engine.connect() as connection:
            from alembic.script import ScriptDirectory

            from slagen.workspace.database import alembic_config

            head = ScriptDirectory.from_config(alembic_config()).get_current_head()  # the newest migration
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
            assert connection.execute(text("SELECT count(*) FROM sessions")).scalar() == 1
    finally:
        app.state.engine.dispose()


def test_migration_0002_goes_down_to_0001_and_up_again(tmp_path):
    from alembic import command
    from sqlalchemy import inspect

    from slagen.workspace.database import alembic_config, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
        command.downgrade(alembic_config(connection), "0001")
        tables = inspect(connection)
        assert "sessions" not in tables.get_table_names()
        assert "revoked_at" not in {c["name"] for c in tables.get_columns("api_tokens")}
        command.upgrade(alembic_config(connection), "head")
    engine.dispose()
