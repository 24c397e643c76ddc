"""End to end, in a real Chromium (Debian's /usr/bin/chromium through Playwright; Playwright never
downloads a browser here), once on SQLite and once on PostgreSQL: an account manager drafts a
contract with the form, sees errors and findings appear at their lines as they type, renders the
PDF (watching its progress) and submits for review; legal reads the redline and approves; the
account manager cannot approve.

The server is `slagen serve` in its own process on a free loopback port, stopped at the end.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workspace.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "a sturdy passphrase"
# The README's picture of the contract page; refreshed only on request, so a test run leaves the
# tracked file alone: SLAGEN_UPDATE_SCREENSHOT=1 pytest tests/workspace/test_workspace_browser.py
README_SCREENSHOT = ROOT / "docs" / "images" / "workspace-contract.png"


def _chromium_or_skip() -> None:
    if os.path.exists(CHROMIUM) and shutil.which("chromium"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is missing, and under CI the browser tests must run")
    pytest.skip("Debian's chromium is not installed")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    """`slagen serve` on a fresh database: a SQLite file, or the test PostgreSQL cluster (emptied
    first), named to the commands as a person would, with --db or SLAGEN_DATABASE_URL."""
    _chromium_or_skip()
    folder = tmp_path_factory.mktemp("browser")
    env = dict(os.environ)
    if request.param == "sqlite":
        where = ["--db", str(folder / "workspace.db")]
    else:
        env["SLAGEN_DATABASE_URL"] = _empty_postgres(request.getfixturevalue("postgres_url"))
        where = []
    for name, role in (("ann", "account_manager"), ("lee", "legal")):
        subprocess.run([sys.executable, "-m", "slagen", "users", "add", name, "--role", role, "--password-stdin",
                        *where], input=PASSWORD + "\n", text=True, check=True, cwd=ROOT, timeout=120,
                       capture_output=True, env=env)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "slagen", "serve", *where, "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.time() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("slagen serve did not start")
            time.sleep(0.2)
    yield url
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def _empty_postgres(url: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def browser():
    _chromium_or_skip()
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


def sign_in(browser, url, name):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{url}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    return page


def download_made_by_job(page, button: str, job: str):
    """Click ``button``, which starts a render job the page follows in ``job``; once it is done,
    download its file through the job's link. The download, for its name and path."""
    from playwright.sync_api import expect

    page.click(button)
    follow = page.locator(job)
    expect(follow).to_have_attribute("data-state", "done", timeout=120_000)
    with page.expect_download(timeout=60_000) as download:
        follow.locator("a.job-file").click()
    return download.value


def replace_in_editor(page, old: str, new: str) -> None:
    """Find ``old`` with the editor's own search (Ctrl+F), then type ``new`` over it, as a person would."""
    page.click(".cm-content")
    page.keyboard.press("Control+f")
    field = page.locator(".cm-search input[name=search]")
    field.press("Control+a")
    field.type(old)  # typed, not filled: the search panel reads its field on key events
    field.press("Enter")
    field.press("Escape")
    page.keyboard.type(new)


def test_draft_check_render_submit_and_approve_in_a_browser(server, browser, tmp_path):
    from playwright.sync_api import expect

    page = sign_in(browser, server, "ann")
    page.click("text=New contract")
    page.fill("input[name=provider_name]", "Northwind Managed Services Ltd")
    page.fill("input[name=provider_address]", "1 Harbour Road, Bristol BS1 4AA")
    page.fill("input[name=provider_contact]", "Sam Carter")
    page.fill("input[name=reference]", "NW-BROWSER-2027-04")
    page.fill("input[name=customer_name]", "Browser Dental Ltd")
    page.fill("input[name=customer_address]", "3 Quay Street, Bristol BS1 4DJ")
    page.fill("input[name=contact_name]", "Bea Brown")
    page.fill("input[name=effective_date]", "2027-04-01")
    page.fill("input[name=notice_days]", "60")
    page.fill("input[name=monthly_fee]", "950.00")
    page.select_option("select[name=priority_0_clock]", "24x7")
    page.click("#create")
    page.wait_for_url(f"{server}/contracts/*")
    contract_url = page.url.split("?")[0]
    expect(page.locator(".cm-editor")).to_be_visible()

    # Keys complete from the format's schema, with their meaning.
    replace_in_editor(page, "initial_term_months: 12", "initial_term_months: 12\ngov")  # Enter indents
    expect(page.locator(".cm-tooltip-autocomplete")).to_contain_text("governing_law", timeout=30_000)
    page.keyboard.press("Escape")
    for _ in range(3):  # back to the text the form wrote (the editor's history starts at the page load)
        page.keyboard.press("Control+z")
    expect(page.locator(".cm-line", has_text=re.compile(r"^\s*gov$"))).to_have_count(0)
    expect(page.locator(".cm-line", has_text="initial_term_months: 12")).to_have_count(1)

    # A bad edit: an error appears at the line that holds it, in the editor and in the panel.
    replace_in_editor(page, "notice_days: 60", "notice_days: sixty")
    bad_line = page.locator(".cm-line", has_text="notice_days: sixty")
    expect(bad_line.locator(".cm-lintRange-error")).to_be_visible(timeout=30_000)
    expect(page.locator("#diagnostics li.error").first).to_contain_text("notice_days")
    # Fixing it clears the error; the feasibility findings (a 24x7 P1 with nobody on call) show instead.
    replace_in_editor(page, "notice_days: sixty", "notice_days: 45")
    expect(page.locator(".cm-lintRange-error", has_text="sixty")).to_have_count(0, timeout=30_000)
    expect(page.locator("#diagnostics")).to_contain_text("SLA201", timeout=30_000)
    expect(page.locator("#diagnostics-summary")).to_contain_text("feasibility error")
    page.fill("input[name=message]", "notice period agreed at 45 days")
    page.click("#save")
    expect(page.locator(".contract-head")).to_contain_text("showing version 2 of 2")
    page.locator("#diagnostics li.diag").first.click()  # the editor scrolls to the finding's line
    expect(page.locator(".cm-line", has_text="clock: 24x7").locator(".cm-lintRange-error")).to_be_visible()
    page.locator("#diagnostics li.diag details").first.evaluate("d => d.open = true")
    shot = README_SCREENSHOT if os.environ.get("SLAGEN_UPDATE_SCREENSHOT") == "1" else tmp_path / "contract.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")

    # Render the agreement as PDF: the button starts a job, the page shows its steps on a progress
    # bar while it runs (every text the step line shows is recorded), then offers the download.
    page.evaluate("""() => {
        window.stepsShown = [];
        new MutationObserver(() => {
            const step = document.querySelector('#job-agreement-pdf .job-step');
            if (step && !step.querySelector('a')) window.stepsShown.push(step.textContent);
        }).observe(document.getElementById('render-jobs'), {subtree: true, childList: true, characterData: true});
    }""")
    page.click("#agreement-pdf")
    job = page.locator("#job-agreement-pdf")
    expect(job.locator("progress")).to_be_visible()
    expect(job).to_have_attribute("data-state", "done", timeout=180_000)
    steps = page.evaluate("window.stepsShown")
    assert steps, "the page never showed a step"
    allowed = {"Starting", "Waiting for a free worker", "Reading the contract (step 1 of 3)",
               "Composing the clauses of the agreement (step 2 of 3)", "Laying out the PDF (step 3 of 3)"}
    assert set(steps) <= allowed, steps
    assert "Laying out the PDF (step 3 of 3)" in steps, steps  # the long step: polled several times
    expect(job.locator("progress")).to_have_attribute("value", "100")
    with page.expect_download(timeout=60_000) as download_info:
        job.locator("a.job-file").click()
    download = download_info.value
    assert download.suggested_filename == "NW-BROWSER-2027-04-agreement-v2-draft.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    page.click("#submit-review")
    expect(page.locator(".contract-head .status")).to_have_text("in review")

    # The account manager cannot approve: no button, and the server refuses a forged request.
    page.goto(contract_url.replace("/contracts/", "/contracts/") + "/review")
    expect(page.locator("#defaults")).to_be_visible(timeout=120_000)  # the review the page started, done
    assert "/review?job=" in page.url  # the page it followed
    expect(page.locator("#approve")).to_have_count(0)
    status = page.evaluate("""async (url) => {
        const csrf = document.querySelector('meta[name="csrf-token"]').content;
        const r = await fetch(url + '/decide', {method: 'POST', headers: {'Content-Type':
            'application/x-www-form-urlencoded'}, body: 'decision=approved&csrf_token=' + encodeURIComponent(csrf)});
        return r.status; }""", contract_url)
    assert status == 403

    # Legal opens the review: the findings the account manager's page had made (its script
    # started the review job, a POST, and followed it) are read as they are, without another job;
    # the redline against the previous version beside them.
    legal = sign_in(browser, server, "lee")
    legal.goto(contract_url)
    legal.click("#open-review")
    expect(legal.locator("#defaults")).to_be_visible()
    assert legal.url == contract_url + "/review"
    redline = legal.frame_locator("iframe.redline")
    expect(redline.locator("body")).to_contain_text("45", timeout=120_000)
    expect(redline.locator("body")).to_contain_text("60")
    legal.fill("textarea[name=comment]", "Approved with the shorter notice period.")
    # Items block approval: without a reason the approval is refused, and nothing changes.
    expect(legal.locator("main")).to_contain_text(re.compile(r"blocks? approval"))
    legal.click("#approve")
    expect(legal.locator("main")).to_contain_text("give the reason you approve over them")
    legal.go_back()
    legal.fill("#override-reason", "The customer signed off the feasibility findings on 3 March.")
    legal.click("#approve")
    expect(legal.locator(".contract-head .status")).to_have_text("approved")
    expect(legal.locator(".override-reason")).to_contain_text("The customer signed off the feasibility findings")
    expect(legal.locator(".contract-head")).to_contain_text("version 2 approved by lee")

    # Legal downloads the redline as DOCX from the compare page, through its render job.
    legal.goto(contract_url + "/compare?old=1&new=2")
    redline = download_made_by_job(legal, "#redline-docx", "#job-redline-docx")
    assert redline.suggested_filename == "NW-BROWSER-2027-04-agreement-redline-v1-v2.docx"

def test_choosing_a_package_and_a_law_refills_the_form_in_the_browser(server, browser):
    """static/new_contract.js: a package refills the hours and the matrix; a law refills the
    currency, time zone and holidays the user left at the previous law's values."""
    from playwright.sync_api import expect

    page = sign_in(browser, server, "ann")
    page.goto(f"{server}/contracts/new")
    expect(page.locator("#refill")).to_be_hidden()  # the selects do its work
    page.select_option("select[name=package]", "extended-hours")
    expect(page.locator("input[name=saturday]")).to_have_value("09:00-13:00")
    expect(page.locator("input[name=priority_2_id]")).to_have_value("P3")
    expect(page.locator("input[name=priority_0_response]")).to_have_value("30m")
    expect(page.locator("#package-description")).to_contain_text("Saturday mornings")
    page.fill("input[name=timezone]", "America/Denver")  # the user's own choice: kept
    page.select_option("select[name=jurisdiction]", "US-TX")
    expect(page.locator("input[name=currency]")).to_have_value("USD")
    expect(page.locator("input[name=holiday_country]")).to_have_value("US")
    expect(page.locator("input[name=holiday_subdivision]")).to_have_value("")
    expect(page.locator("input[name=timezone]")).to_have_value("America/Denver")
    page.select_option("select[name=package]", "critical-24x7")
    expect(page.locator("input[name=saturday]")).to_have_value("")
    expect(page.locator("select[name=priority_0_clock]")).to_have_value("24x7")


def test_a_report_mapped_in_the_browser_and_the_redlines_next_change(server, browser):
    """The report form maps a Texas export's own columns and ConnectWise priority labels, keeping
    the file through each mistake; the compare page's buttons walk the redline change by change."""
    from playwright.sync_api import expect

    from workspace.conftest import example
    from workspace.test_workspace_report_options import COLUMNS, LABELS, TEXAS, US_TIME

    page = sign_in(browser, server, "ann")
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    reference = f"NW-MAP-{server.rsplit(':', 1)[1]}"
    text = example().replace("reference: NW-ACME-2027-01", f"reference: {reference}")
    made = page.request.post(f"{server}/api/contracts", data={"text": text}, headers={"X-CSRF-Token": csrf})
    assert made.status == 201, made.text()
    cid = made.json()["id"]
    changed = text.replace("notice_days: 90", "notice_days: 60").replace("response: 30m", "response: 20m")
    saved = page.request.post(f"{server}/api/contracts/{cid}/versions", headers={"X-CSRF-Token": csrf},
                              data={"text": changed, "base_version": 1})
    assert saved.status == 201, saved.text()

    page.goto(f"{server}/contracts/{cid}/report")
    page.set_input_files("input[name=tickets]", {"name": "texas-march.csv", "mimeType": "text/csv", "buffer": TEXAS})
    page.fill("input[name=period]", "2027-03")
    page.click("#make-report")
    expect(page.locator("#report-error")).to_contain_text("column")
    expect(page.locator("#kept-tickets")).to_contain_text("texas-march.csv")
    for field, header in COLUMNS.items():
        page.select_option(f"select[name=column_{field}]", label=header)
    for row in page.locator("#priority-map tbody tr").all():
        label = row.locator("td").first.inner_text().strip()
        row.locator("select").select_option(LABELS[label])
    page.fill("input[name=time_format]", US_TIME)
    page.click("#make-report")  # no file chosen again: the kept one is read
    expect(page.locator("h2", has_text="targets met")).to_contain_text("7 of 8 targets met")
    expect(page.locator("#attainment")).to_contain_text("P3 Normal")

    page.goto(f"{server}/contracts/{cid}/compare?old=1&new=2")
    expect(page.locator("#redline-label")).to_have_text("version 1 -> version 2")
    expect(page.locator("#change-count")).to_contain_text("changes", timeout=120_000)
    total = int(page.locator("#change-count").inner_text().split()[0])
    assert total >= 2
    frame = page.frame_locator("#redline-frame")
    page.click("#next-change")
    expect(page.locator("#change-count")).to_have_text(f"change 1 of {total}")
    expect(frame.locator("[data-current=yes]")).to_have_count(1)
    first = frame.locator("[data-current=yes]").inner_text()
    page.click("#next-change")
    expect(page.locator("#change-count")).to_have_text(f"change 2 of {total}")
    expect(frame.locator("[data-current=yes]")).to_be_in_viewport()
    assert frame.locator("[data-current=yes]").inner_text() != first
    page.click("#previous-change")
    expect(page.locator("#change-count")).to_have_text(f"change 1 of {total}")
    expect(page.locator("#previous-change")).to_be_disabled()
