"""The workspace works in the provider's own library: the one `slagen serve --library DIR` or
SLAGEN_LIBRARY names composes every preview, document, redline, review and report, in its
brand, and a library that cannot be used stops the server before it starts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workspace.conftest import PASSWORD, ROOT, example, sign_in

ACME = example()
DEFAULT_WORDS = "When this Agreement ends, for whatever reason, the Customer shall pay"
HOUSE_WORDS = "On the end of this Agreement, however it comes about, the Customer shall pay"
HOUSE_COLOUR = "#7A1F5F"


@pytest.fixture
def house(tmp_path):
    """A copy of the default library with its own termination wording and primary colour."""
    from slagen.library.initialise import init_library

    folder = tmp_path / "house"
    init_library(folder, "Northwind house library", "3.1.0")
    clause = folder / "clauses" / "termination.md"
    text = clause.read_text(encoding="utf-8")
    assert DEFAULT_WORDS in text
    clause.write_text(text.replace(DEFAULT_WORDS, HOUSE_WORDS), encoding="utf-8")
    brand = folder / "contract_templates" / "brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8").replace('"#1F3A5F"', f'"{HOUSE_COLOUR}"'), encoding="utf-8")
    return folder


def test_previews_redlines_and_reviews_are_made_in_the_library_slagen_library_names(monkeypatch, house):
    from slagen.workspace.engine import job_redline, job_render, job_review

    ok, default_review = job_review(ACME)
    assert ok
    monkeypatch.setenv("SLAGEN_LIBRARY", str(house))
    ok, (name, page) = job_render(ACME, "agreement", "html", False)
    assert ok and name == "NW-ACME-2027-01-agreement.html"
    page = page.decode("utf-8")
    assert HOUSE_WORDS in page and DEFAULT_WORDS not in page
    assert HOUSE_COLOUR in page  # the house brand's colour in the page's styles

    ok, (_, redline) = job_redline(ACME, ACME.replace("notice_days: 90", "notice_days: 60"), "agreement", "html")
    assert ok and HOUSE_WORDS in redline.decode("utf-8")

    ok, review = job_review(ACME)
    assert ok
    default = {entry["id"]: entry["sha256"] for entry in default_review["register"]}
    ours = {entry["id"]: entry["sha256"] for entry in review["register"]}
    assert ours["termination"] != default["termination"]  # the house wording is what legal reviews
    assert {k: v for k, v in ours.items() if k != "termination"} == {k: v for k, v in default.items()
                                                                      if k != "termination"}


def test_render_workers_started_under_the_library_render_in_it(monkeypatch, house, tmp_path):
    """Through HTTP and a real worker process, which inherits the server's environment."""
    from slagen.workspace.app import Settings, create_app
    from slagen.workspace.jobs import JobPool
    from slagen.workspace.store import add_user

    monkeypatch.setenv("SLAGEN_LIBRARY", str(house))
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'workspace.db'}", render_workers=1))
    with app.state.sessions() as db:
        add_user(db, "ann", "account_manager", PASSWORD)
    am = sign_in(app, "ann")
    try:
        created = am.post("/api/contracts", json={"text": ACME, "message": "first draft"},
                          headers={"X-CSRF-Token": am.csrf})
        assert created.status_code == 201, created.text
        preview = am.post(f"/contracts/{created.json()['id']}/versions/1/agreement.html",
                          data={"csrf_token": am.csrf})
        assert preview.status_code == 200, preview.text[:500]
        assert HOUSE_WORDS in preview.text and DEFAULT_WORDS not in preview.text
    finally:
        am.__exit__(None, None, None)
        app.state.jobs.close()
        app.state.engine.dispose()
    assert isinstance(app.state.jobs, JobPool)


def _serve(*args: str, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "slagen", "serve", "--db", str(tmp_path / "w.db"), "--port", "1",
                           *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_serve_refuses_a_library_that_is_not_a_folder(tmp_path):
    done = _serve("--library", str(tmp_path / "nowhere"), tmp_path=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: --library {tmp_path / 'nowhere'}: '{tmp_path / 'nowhere'}' is not a folder"


def test_serve_names_a_broken_clause_of_its_library_at_its_line(house, tmp_path):
    broken = house / "clauses" / "termination.md"
    broken.write_text("Termination without front matter.\n", encoding="utf-8")
    done = _serve("--library", str(house), tmp_path=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"{broken}: error: ")
    assert "Traceback" not in done.stderr
