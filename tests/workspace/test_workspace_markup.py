"""The customer's mark-up in the workspace, in Chromium, on SQLite and PostgreSQL.

An account manager imports a contract, uploads the DOCX the customer sent back (a P1 response
tightened to 15 minutes with tracked changes, and a sentence changed without tracking), sees the
change beside its clause with the check's finding, accepts it against the default, creates the
next version from it and downloads the reply; legal reads the same list.
"""

from __future__ import annotations

import sys
from pathlib import Path

from workspace.conftest import ROOT
from workspace.test_workspace_browser import (browser, download_made_by_job, server,  # noqa: F401 (shared fixtures)
                                              sign_in)

sys.path.insert(0, str(ROOT / "tests"))

from negotiate_markup import MarkUp  # noqa: E402
from test_negotiate import CUSTOMER, UNTRACKED, _contract_text  # noqa: E402


def _marked_up(text: str, folder: Path) -> Path:
    from slagen.library.contracts import load_contract
    from slagen.negotiate.changes import expected_document, value_paths

    source = folder / "acme.yaml"
    source.write_text(text, encoding="utf-8")
    document, docx = expected_document(load_contract(source), "agreement")
    m = MarkUp(docx, author=CUSTOMER)
    m.track_value(value_paths(document).index("priorities[0].response"), "15 minutes")
    m.untracked(*UNTRACKED)
    path = folder / "acme-marked-up.docx"
    path.write_bytes(m.save())
    return path


def test_reading_deciding_and_answering_a_customers_markup_in_a_browser(server, browser, tmp_path):  # noqa: F811
    from slagen.negotiate.reader import read_marked_up

    text = _contract_text()
    contract_file = tmp_path / "acme-dental.yaml"
    contract_file.write_text(text, encoding="utf-8")
    theirs = _marked_up(text, tmp_path)

    page = sign_in(browser, server, "ann")
    page.set_input_files("input[name=files]", str(contract_file))
    page.click("form[action='/contracts/import'] button[type=submit]")
    page.wait_for_selector("text=imported as NW-ACME-2027-01")
    page.goto(f"{server}/")
    page.click("text=NW-ACME-2027-01")
    page.click("#open-markup")
    page.set_input_files("#markup-file", str(theirs))
    page.click("#read-markup")
    page.wait_for_selector("#markup-summary")
    summary = page.inner_text("#markup-summary")
    assert "1 tracked change," in summary and "1 untracked edit." in summary, page.inner_text("body")
    row = page.inner_text("#change-c1")
    assert "priorities[0].response: 15m" in row and "SLA702" in row  # the value, its path and its cost
    assert page.is_checked("input[name=decision-c1][value=reject]")  # the default: the check fails it
    assert "changed without tracking" in page.inner_text("#change-c2")

    # The reply is a render job: the button starts it, the page follows it, then offers its file.
    download = download_made_by_job(page, "#reply-docx", "#job-reply-docx")
    assert download.suggested_filename == "acme-marked-up-reply.docx"
    made = Path(download.path()).read_bytes()
    reply = read_marked_up(made, "reply.docx")
    assert any(c.author == "Northwind Managed Services Ltd" and "15m" in c.text for c in reply.comments)
    # Its own address now serves the reply made (a GET starts nothing), until the decisions change.
    reply_url = server + page.get_attribute("#reply-docx", "href")
    assert page.request.get(reply_url).body() == made

    page.check("input[name=decision-c1][value=accept]")  # the account manager decides otherwise
    page.click("#make-version")
    page.wait_for_url("**/contracts/*?version=2")
    assert page.request.get(reply_url).status == 409  # another decision: that reply is not this one
    contract_id = page.url.split("/contracts/")[1].split("?")[0]
    version = page.request.get(f"{server}/contracts/{contract_id}/versions/2.yaml").text()
    assert "    response: 15m\n" in version and "    response: 30m\n" not in version
    assert "# " in version.split("priorities:")[0]  # the file's comments kept

    legal = sign_in(browser, server, "lee")
    legal.goto(f"{server}/contracts/{contract_id}/markup")
    assert "Version 2 was made from its accepted changes" in legal.inner_text("#markup-summary")
    assert "accept" in legal.inner_text("#change-c1")
    assert legal.query_selector("#make-version") is None  # legal reads; the account manager decides


def test_migration_0005_adds_the_markups_table_and_takes_it_away_again(tmp_path):
    from alembic import command
    from sqlalchemy import inspect

    from slagen.workspace.database import alembic_config, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0005")
        assert {"id", "contract_id", "version", "file_name", "data", "reading", "decisions", "next_version"} <= {
            c["name"] for c in inspect(connection).get_columns("markups")}
        command.downgrade(alembic_config(connection), "0002")
        assert "markups" not in inspect(connection).get_table_names()
        command.upgrade(alembic_config(connection), "head")
    engine.dispose()
