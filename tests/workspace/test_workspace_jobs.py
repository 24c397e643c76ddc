"""Render jobs: starting a document answers at once with a job to watch; the job reports its steps
from the worker process, ends done (with the file) or failed (with the engine's message), is seen
only by those allowed to, is shared by identical requests while it runs, and is forgotten later.

The HTTP tests run against real worker processes, on SQLite and PostgreSQL (see conftest.py);
the board's bookkeeping (caps, expiry, a crashed worker) is tested with a pool that runs inline.
"""

from __future__ import annotations

import io
import time
import zipfile
from concurrent.futures import Future

import pytest

from workspace.conftest import example

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACME = example()

# The steps each kind of render goes through, written out by hand from what the engine does.
AGREEMENT_PDF_STEPS = ["Reading the contract", "Composing the clauses of the agreement", "Laying out the PDF"]
AGREEMENT_DOCX_STEPS = ["Reading the contract", "Composing the clauses of the agreement",
                        "Laying out the pages for the table of contents", "Writing the DOCX"]
SOW_PDF_STEPS = ["Reading the contract", "Composing the clauses of the statement of work", "Laying out the PDF"]


def start(client, contract_id, version=1, document="agreement", format="pdf"):
    return client.post(f"/api/contracts/{contract_id}/render-jobs",
                       json={"version": version, "document": document, "format": format},
                       headers={"X-CSRF-Token": client.csrf})


def watch(client, url, every=0.02):
    """Every answer GET url gives until the job is over, in order (a generous limit stops a hung job)."""
    seen = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        response = client.get(url)
        assert response.status_code == 200, response.text
        seen.append(response.json())
        if seen[-1]["state"] in ("done", "failed"):
            return seen
        time.sleep(every)
    pytest.fail(f"the job at {url} did not finish in 5 minutes: {seen[-1]}")


def in_order(items):
    """The items with repeats in a row collapsed: ['queued', 'queued', 'running'] -> ['queued', 'running']."""
    return [x for i, x in enumerate(items) if i == 0 or items[i - 1] != x]


def is_subsequence(part, whole):
    rest = iter(whole)
    return all(any(x == y for y in rest) for x in part)


def save(client, contract_id, text, base):
    response = client.post(f"/api/contracts/{contract_id}/versions", json={"text": text, "base_version": base},
                           headers={"X-CSRF-Token": client.csrf})
    assert response.status_code == 201, response.text


# -------------------------------------------------------------------------------------------
# The life of a job


def test_a_job_waits_in_the_queue_then_runs_its_steps_in_order_then_offers_the_file(clients, contract_id):
    am = clients["account_manager"]
    # The test pool has two workers: two PDFs keep them busy, so the third job must wait its turn.
    busy = [start(am, contract_id, document=d) for d in ("agreement", "sow")]
    response = start(am, contract_id, format="docx")
    assert response.status_code == 202 and all(b.status_code == 202 for b in busy)
    first = response.json()
    assert response.headers["location"] == first["url"] == f"/api/jobs/{first['id']}"
    assert (first["kind"], first["contract"]["id"], first["version"], first["document"], first["format"]) == \
        ("document", contract_id, 1, "agreement", "docx")
    assert (first["state"], first["percent"], first["shared"]) == ("queued", 0, False)

    seen = [first] + watch(am, first["url"])
    assert in_order([s["state"] for s in seen]) == ["queued", "running", "done"]
    live_steps = in_order([s["step"] for s in seen if s["state"] == "running"])
    assert live_steps and is_subsequence(live_steps, AGREEMENT_DOCX_STEPS)
    for s in seen:  # step k of n never goes backwards, and n is the number of steps
        if s["state"] == "running" and s["step_number"]:
            assert s["steps_total"] == 4 and s["step"] == AGREEMENT_DOCX_STEPS[s["step_number"] - 1]
    assert [s["step_number"] for s in seen] == sorted(s["step_number"] for s in seen)
    done = seen[-1]
    assert done["steps"] == AGREEMENT_DOCX_STEPS
    assert (done["step_number"], done["steps_total"], done["percent"], done["error"]) == (4, 4, 100, None)
    assert done["started_at"] and done["finished_at"] and done["created_at"] <= done["started_at"] <= done["finished_at"]
    assert done["file"] == {"name": "NW-ACME-2027-01-agreement-v1-draft.docx", "content_type": DOCX_TYPE,
                            "size": done["file"]["size"], "url": f"/api/jobs/{done['id']}/file"}

    file = am.get(done["file"]["url"])
    assert file.status_code == 200 and file.headers["content-type"] == DOCX_TYPE
    assert 'filename="NW-ACME-2027-01-agreement-v1-draft.docx"' in file.headers["content-disposition"]
    assert len(file.content) == done["file"]["size"]
    from slagen.pipeline.render import docx_text

    text = docx_text(file.content)
    assert "Acme Dental Group Ltd" in text and "DRAFT" in text
    assert zipfile.ZipFile(io.BytesIO(file.content)).testzip() is None

    for job in busy:  # the PDFs the workers were busy with
        final = watch(am, job.json()["url"])[-1]
        expected = AGREEMENT_PDF_STEPS if final["document"] == "agreement" else SOW_PDF_STEPS
        assert final["state"] == "done" and final["steps"] == expected
        pdf = am.get(final["file"]["url"])
        assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
        assert f'filename="NW-ACME-2027-01-{final["document"]}-v1-draft.pdf"' in pdf.headers["content-disposition"]


def test_the_register_answers_while_a_render_runs(clients, contract_id):
    am, legal = clients["account_manager"], clients["legal"]
    job = start(am, contract_id).json()
    register = legal.get("/")
    assert register.status_code == 200 and "NW-ACME-2027-01" in register.text
    assert am.get(job["url"]).json()["state"] in ("queued", "running")  # the register came back first
    assert watch(am, job["url"])[-1]["state"] == "done"


def test_an_approved_version_renders_as_final_with_the_final_name(clients, contract_id):
    am = clients["account_manager"]
    am.post(f"/api/contracts/{contract_id}/submit", json={"version": 1}, headers={"X-CSRF-Token": am.csrf})
    legal = clients["legal"]
    approved = legal.post(f"/api/contracts/{contract_id}/decision",
                          json={"decision": "approved", "version": 1, "override_reason": "accepted by the customer"},
                          headers={"X-CSRF-Token": legal.csrf})
    assert approved.status_code == 200, approved.text
    done = watch(am, start(am, contract_id, format="docx").json()["url"])[-1]
    assert done["final"] is True and done["file"]["name"] == "NW-ACME-2027-01-agreement-v1.docx"
    from slagen.pipeline.render import docx_text

    assert "DRAFT" not in docx_text(am.get(done["file"]["url"]).content)


def test_a_preview_job_gives_the_page_under_the_preview_policy(clients, contract_id):
    legal = clients["legal"]
    done = watch(legal, start(legal, contract_id, format="html").json()["url"])[-1]
    assert done["steps"] == ["Reading the contract", "Composing the clauses of the agreement", "Writing the preview"]
    page = legal.get(done["file"]["url"])
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "content-disposition" not in page.headers and "Acme Dental Group Ltd" in page.text


def test_a_redline_job_compares_two_versions(clients, contract_id):
    am = clients["account_manager"]
    save(am, contract_id, ACME.replace("notice_days: 90", "notice_days: 60"), 1)
    response = am.post(f"/api/contracts/{contract_id}/redline-jobs",
                       json={"old": 1, "new": 2, "document": "agreement", "format": "docx"},
                       headers={"X-CSRF-Token": am.csrf})
    assert response.status_code == 202
    done = watch(am, response.json()["url"])[-1]
    assert (done["kind"], done["version"], done["compared_with"]) == ("redline", 2, 1)
    assert done["steps"] == ["Reading both versions", "Comparing the clauses of the agreement",
                             "Writing the DOCX with tracked changes"]
    assert done["file"]["name"] == "NW-ACME-2027-01-agreement-redline-v1-v2.docx"
    body = zipfile.ZipFile(io.BytesIO(am.get(done["file"]["url"]).content)).read("word/document.xml")
    assert b"w:ins" in body and b"w:del" in body


# -------------------------------------------------------------------------------------------
# Failure


def test_a_version_that_cannot_render_fails_with_the_engines_message(clients, contract_id):
    am = clients["account_manager"]
    broken = ACME.replace("notice_days: 90", "notice_days: sixty")
    line = broken.splitlines().index("  notice_days: sixty") + 1
    column = len("  notice_days: ") + 1
    save(am, contract_id, broken, 1)
    failed = watch(am, start(am, contract_id, version=2).json()["url"])[-1]
    assert failed["state"] == "failed" and "file" not in failed
    assert failed["error"] == (f"contract.yaml:{line}:{column}: error: expected a whole number, got 'sixty' "
                               "(at termination.notice_days)")
    assert failed["steps"] == ["Reading the contract"]  # it stopped where the problem is
    no_file = am.get(f"{failed['url']}/file")
    assert no_file.status_code == 409 and failed["error"] in no_file.json()["error"]
    assert "Traceback" not in no_file.text
    # The direct download (a POST, for a browser without scripts) says the same.
    direct = am.post(f"/contracts/{contract_id}/versions/2/agreement.pdf", data={"csrf_token": am.csrf},
                     headers={"Accept": "application/json"})
    assert direct.status_code == 422 and direct.json() == {"error": failed["error"]}
    # A GET of the API's address starts nothing; it says how to.
    not_made = am.get(f"/api/contracts/{contract_id}/versions/2/documents/agreement.pdf")
    assert not_made.status_code == 409 and f"POST /api/contracts/{contract_id}/render-jobs" in not_made.json()["error"]


def test_a_bad_request_is_refused_before_any_job_starts(clients, contract_id):
    am = clients["account_manager"]
    assert start(am, contract_id, version=9).status_code == 404
    assert "has no version 9" in start(am, contract_id, version=9).json()["error"]
    assert start(am, contract_id, format="odt").status_code == 422
    assert start(am, 9999).status_code == 404
    assert am.get("/api/jobs/not-a-job").status_code == 404
    assert "Start it again" in am.get("/api/jobs/not-a-job/file").json()["error"]


# -------------------------------------------------------------------------------------------
# Who may see what


def test_only_those_who_may_render_start_or_read_render_jobs(clients, contract_id, anonymous):
    am, presales, legal, admin = (clients[r] for r in ("account_manager", "presales", "legal", "admin"))
    assert start(presales, contract_id).status_code == 403
    assert start(admin, contract_id).status_code == 403
    job = start(am, contract_id, format="docx").json()
    for outsider in (presales, admin):
        assert outsider.get(job["url"]).status_code == 403
        assert outsider.get(f"{job['url']}/file").status_code == 403
    assert anonymous.get(job["url"]).status_code == 401
    # Legal may render this contract too, so legal may watch and download the same job.
    done = watch(legal, job["url"])[-1]
    assert legal.get(done["file"]["url"]).status_code == 200
    assert presales.get(done["file"]["url"]).status_code == 403


# -------------------------------------------------------------------------------------------
# Sharing and forgetting


def test_identical_requests_share_the_running_job(clients, contract_id):
    am, legal = clients["account_manager"], clients["legal"]
    first = start(am, contract_id).json()
    again, by_legal = start(am, contract_id).json(), start(legal, contract_id).json()
    other_format = start(am, contract_id, format="docx").json()
    assert again["id"] == by_legal["id"] == first["id"] and again["shared"] and by_legal["shared"]
    assert other_format["id"] != first["id"]
    done = watch(am, first["url"])[-1]
    watch(am, other_format["url"])
    # Once it is over, asking again renders again (the file might have been wanted fresh).
    later = start(am, contract_id).json()
    assert later["id"] != done["id"] and later["shared"] is False
    watch(am, later["url"])


def test_a_finished_job_is_forgotten_after_fifteen_minutes(app, clients, contract_id):
    am = clients["account_manager"]
    now = [1000.0]
    app.state.render_jobs.clock = lambda: now[0]
    done = watch(am, start(am, contract_id, format="html").json()["url"])[-1]
    now[0] += 15 * 60 - 1
    assert am.get(done["url"]).status_code == 200
    now[0] += 2
    gone = am.get(done["url"])
    assert gone.status_code == 404 and "more than 15 minutes ago" in gone.json()["error"]
    assert am.get(f"{done['url']}/file").status_code == 404


# -------------------------------------------------------------------------------------------
# The board on its own: a pool that runs the work inline, in the caller's thread


class InlinePool:
    """Runs submitted work at once, like a worker would, reporting steps to the listener."""

    def __init__(self):
        self.held: list[Future] = []

    def submit(self, job_id, function, args, listener, owner=None):
        future = Future()
        steps = []

        def progress(step, k, n):
            steps.append((step, k, n))
            listener(step, k, n)

        listener(None, 0, 0)
        try:
            ok, value = function(*args, progress=progress)
        except Exception as exc:  # as a ProcessPoolExecutor hands back a worker's exception
            future.set_exception(exc)
        else:
            future.set_result((ok, value, steps))
        return future


class HoldingPool:
    """Accepts work and never finishes it: jobs stay queued."""

    def submit(self, job_id, function, args, listener, owner=None):
        return Future()


def make_job(n: int = 0):
    from slagen.workspace.job_board import Job

    return Job(kind="document", permission="render", contract_id=1, content_type="application/pdf",
               details={"version": n})


def makes(size: int):
    def work(progress):
        progress("Making it", 1, 1)
        return True, ("file.pdf", b"x" * size)
    return work


def test_the_board_keeps_at_most_the_newest_finished_jobs_and_bytes():
    from slagen.workspace.job_board import JobBoard
    from slagen.workspace.store import NotFound

    board = JobBoard(InlinePool(), keep_finished=2, keep_bytes=250)
    jobs = [board.start(n, make_job(n), makes(100), ())[0] for n in range(3)]
    with pytest.raises(NotFound):
        board.get(jobs[0].id)  # three finished, two kept: the oldest went
    assert [board.get(j.id).state for j in jobs[1:]] == ["done", "done"]
    big = board.start("big", make_job(), makes(200), ())[0]
    # 100 + 100 + 200 bytes is over 250: the oldest go until the rest fit.
    for job in jobs[1:]:
        with pytest.raises(NotFound):
            board.get(job.id)
    assert board.file(board.get(big.id)) == ("file.pdf", b"x" * 200)


def test_a_worker_that_crashes_fails_the_job_with_a_plain_message():
    from slagen.workspace.job_board import UNEXPECTED, JobBoard

    def crashes(progress):
        progress("Making it", 1, 2)
        raise RuntimeError("segfault in a font library")

    board = JobBoard(InlinePool())
    job = board.start("k", make_job(), crashes, ())[0]
    snapshot = board.snapshot(job)
    assert snapshot["state"] == "failed" and snapshot["error"] == UNEXPECTED
    assert "segfault" not in str(snapshot) and job.finished.done()


def test_a_pool_that_refuses_work_fails_the_job_instead_of_losing_it():
    from slagen.workspace.job_board import UNEXPECTED, JobBoard

    class ShutDownPool:
        def submit(self, *args, **kwargs):
            raise RuntimeError("cannot schedule new futures after shutdown")

    board = JobBoard(ShutDownPool())
    job, shared = board.start("k", make_job(), makes(1), ())
    assert (shared, board.snapshot(job)["state"], board.snapshot(job)["error"]) == (False, "failed", UNEXPECTED)
    again, shared = board.start("k", make_job(), makes(1), ())
    assert again is not job and shared is False  # a failed job is not shared: the next request tries afresh


def test_the_board_refuses_new_work_when_too_much_is_waiting():
    from slagen.workspace.job_board import JobBoard
    from slagen.workspace.store import WorkspaceError

    board = JobBoard(HoldingPool(), max_waiting=2)
    waiting = [board.start(n, make_job(n), makes(1), ())[0] for n in range(2)]
    assert [board.snapshot(j)["state"] for j in waiting] == ["queued", "queued"]
    assert board.start(0, make_job(0), makes(1), ()) == (waiting[0], True)  # sharing still works
    with pytest.raises(WorkspaceError) as refused:
        board.start(2, make_job(2), makes(1), ())
    assert refused.value.status == 503 and "busy" in refused.value.message


# -------------------------------------------------------------------------------------------
# The pages' buttons


def _button_job(page: str, button_id: str) -> dict:
    import html
    import json
    import re

    tag = re.search(rf'<a [^>]*id="{button_id}"[^>]*>', page, re.DOTALL).group(0)
    return json.loads(html.unescape(re.search(r"data-job='([^']*)'", tag).group(1)))


def test_the_contract_page_buttons_start_render_jobs_of_the_version_shown(clients, contract_id):
    am = clients["account_manager"]
    save(am, contract_id, ACME.replace("notice_days: 90", "notice_days: 60"), 1)
    page = am.get(f"/contracts/{contract_id}?version=1").text
    assert f'data-start-url="/api/contracts/{contract_id}/render-jobs"' in page
    assert '<script src="/static/render-jobs.js" defer>' in page
    assert _button_job(page, "agreement-pdf") == {"version": 1, "document": "agreement", "format": "pdf"}
    assert _button_job(page, "sow-docx") == {"version": 1, "document": "sow", "format": "docx"}
    # Without scripts the button is still the direct download.
    assert f'href="/contracts/{contract_id}/versions/1/agreement.pdf"' in page
    assert am.get("/static/render-jobs.js").status_code == 200
    presales_page = clients["presales"].get(f"/contracts/{contract_id}").text  # pre-sales may not render
    assert 'id="render-jobs"' not in presales_page and 'class="render-job"' not in presales_page


def test_the_compare_page_buttons_start_redline_jobs(clients, contract_id):
    am = clients["account_manager"]
    save(am, contract_id, ACME.replace("notice_days: 90", "notice_days: 60"), 1)
    page = am.get(f"/contracts/{contract_id}/compare?old=1&new=2&doc=sow").text
    assert f'data-start-url="/api/contracts/{contract_id}/redline-jobs"' in page
    assert _button_job(page, "redline-pdf") == {"old": 1, "new": 2, "document": "sow", "format": "pdf"}


# -------------------------------------------------------------------------------------------
# Attainment reports as jobs


def _exports():
    from workspace.conftest import ROOT

    tickets = (ROOT / "examples" / "acme-dental-tickets-2027-03.csv").read_bytes()
    outages = (ROOT / "examples" / "acme-dental-outages-2027-03.csv").read_bytes()
    return {"tickets": ("march.csv", tickets, "text/csv"), "outages": ("outages.csv", outages, "text/csv")}


def start_report(client, contract_id, **fields):
    return client.post(f"/api/contracts/{contract_id}/report-jobs", data={"period": "2027-03", **fields},
                       files=_exports(), headers={"X-CSRF-Token": client.csrf})


def test_a_report_job_makes_the_pdf_and_removes_the_uploads(clients, contract_id, monkeypatch):
    import os
    import tempfile

    folders = []
    real_mkdtemp = tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda **kw: folders.append(real_mkdtemp(**kw)) or folders[-1])
    am = clients["account_manager"]
    response = start_report(am, contract_id, format="pdf")
    assert response.status_code == 202, response.text
    done = watch(am, response.json()["url"])[-1]
    assert (done["kind"], done["period"], done["format"], done["state"]) == ("report", "2027-03", "pdf", "done")
    assert done["steps"] == ["Reading the contract", "Timing every ticket against its targets", "Drawing the charts",
                             "Laying out the PDF"]
    pdf = am.get(done["file"]["url"])
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert 'filename="NW-ACME-2027-01-report-2027-03.pdf"' in pdf.headers["content-disposition"]
    assert len(folders) == 1 and not os.path.exists(folders[0])  # the worker cleared the uploads away
    # Legal may render documents but not run reports: the report job is not theirs to read.
    assert clients["legal"].get(done["url"]).status_code == 403
    assert start_report(clients["legal"], contract_id, format="pdf").status_code == 403


def test_a_report_job_that_fails_names_the_upload_not_the_servers_folder(clients, contract_id):
    am = clients["account_manager"]
    failed = watch(am, start_report(am, contract_id, format="docx", period="March").json()["url"])[-1]
    assert failed["state"] == "failed" and "March" in failed["error"]
    assert "slagen-report-" not in failed["error"] and "Traceback" not in failed["error"]
    json_asked = start_report(am, contract_id, format="json")
    assert json_asked.status_code == 422 and "PDF or a DOCX" in json_asked.json()["error"]


def test_the_report_page_form_starts_a_job_for_a_file(clients, contract_id):
    page = clients["account_manager"].get(f"/contracts/{contract_id}/report").text
    assert f'data-job-url="/api/contracts/{contract_id}/report-jobs"' in page
    assert '<script src="/static/render-jobs.js" defer>' in page and 'id="render-jobs"' in page
