"""A contract's life: versions, conflicts, review, approval, frozen versions, final documents,
and the audit log that records each step."""

from __future__ import annotations

import re

from workspace.conftest import PASSWORD, draft_with_findings, example, reviewed

ACME = example()


def api(client, method, url, **kw):
    return client.request(method, url, headers={"X-CSRF-Token": client.csrf}, **kw)


def save(client, cid, text, base, message="edit"):
    return api(client, "POST", f"/api/contracts/{cid}/versions", json={"text": text, "base_version": base,
                                                                         "message": message})


def test_saving_makes_a_new_immutable_version_with_author_and_message(clients, contract_id):
    am = clients["account_manager"]
    edited = ACME.replace("notice_days: 90", "notice_days: 60")
    assert edited != ACME
    response = save(am, contract_id, edited, 1, "shorter notice")
    assert response.status_code == 201 and response.json()["number"] == 2
    one = am.get(f"/api/contracts/{contract_id}/versions/1").json()
    two = am.get(f"/api/contracts/{contract_id}/versions/2").json()
    assert one["text"] == ACME and two["text"] == edited
    assert (two["author"], two["message"]) == ("account_manager", "shorter notice")
    import hashlib

    assert two["sha256"] == hashlib.sha256(edited.encode()).hexdigest()


def test_saving_over_a_version_someone_else_saved_since_is_refused_with_both_texts(clients, contract_id):
    am, legal = clients["account_manager"], clients["legal"]
    theirs = ACME.replace("notice_days: 90", "notice_days: 60")
    mine = ACME.replace("notice_days: 90", "notice_days: 30")
    assert save(legal, contract_id, theirs, 1).status_code == 201
    refused = save(am, contract_id, mine, 1)  # still editing version 1
    assert refused.status_code == 409
    body = refused.json()
    assert body["latest"]["number"] == 2 and body["latest"]["author"] == "legal"
    assert body["latest"]["text"] == theirs and body["yours"] == mine
    assert am.get(f"/api/contracts/{contract_id}").json()["latest_version"] == 2  # nothing was overwritten
    # The page shows both texts too.
    page = am.post(f"/contracts/{contract_id}/save", data={"text": mine, "base_version": "1", "message": "x",
                                                          "csrf_token": am.csrf})
    assert page.status_code == 409
    assert "notice_days: 60" in page.text and "notice_days: 30" in page.text


def test_an_invalid_draft_can_be_saved_but_not_submitted(clients, contract_id):
    am = clients["account_manager"]
    broken = ACME.replace("notice_days: 90", "notice_days: ninety")
    assert save(am, contract_id, broken, 1).status_code == 201
    row = am.get(f"/api/contracts/{contract_id}").json()
    assert row["feasibility_errors"] is None  # the register shows it as invalid
    refused = api(am, "POST", f"/api/contracts/{contract_id}/submit", json={"version": 2})
    assert refused.status_code == 422 and "line" in refused.json()["error"]


# The reference contract's review finds blocking feasibility items; legal approves over them.
OVER_REVIEW = "the customer accepted the feasibility findings in writing"


def _approve(clients, cid, version):
    am, legal = clients["account_manager"], clients["legal"]
    assert api(am, "POST", f"/api/contracts/{cid}/submit", json={"version": version}).status_code == 200
    response = api(legal, "POST", f"/api/contracts/{cid}/decision",
                   json={"decision": "approved", "version": version, "override_reason": OVER_REVIEW})
    assert response.status_code == 200, response.text
    return response.json()


def test_review_approval_and_the_register_shows_who_approved_what(clients, contract_id):
    row = _approve(clients, contract_id, 1)
    assert row["status"] == "approved" and row["approved_version"] == 1 and row["approved_by"] == "legal"
    register = clients["presales"].get("/").text
    assert "version 1 by legal" in register


def test_the_account_manager_cannot_approve(clients, contract_id):
    am = clients["account_manager"]
    assert api(am, "POST", f"/api/contracts/{contract_id}/submit", json={"version": 1}).status_code == 200
    assert api(am, "POST", f"/api/contracts/{contract_id}/decision", json={"decision": "approved", "version": 1}
               ).status_code == 403
    assert am.post(f"/contracts/{contract_id}/decide", data={"decision": "approved", "csrf_token": am.csrf},
                   follow_redirects=False).status_code == 403
    assert am.get(f"/api/contracts/{contract_id}").json()["status"] == "in_review"


def test_returning_needs_a_reason_and_sends_the_draft_back(clients, contract_id):
    am, legal = clients["account_manager"], clients["legal"]
    api(am, "POST", f"/api/contracts/{contract_id}/submit", json={"version": 1})
    assert api(legal, "POST", f"/api/contracts/{contract_id}/decision",
               json={"decision": "returned", "version": 1}).status_code == 400
    response = api(legal, "POST", f"/api/contracts/{contract_id}/decision",
                   json={"decision": "returned", "version": 1, "comment": "the notice period is too long"})
    assert response.json()["status"] == "draft"
    assert "the notice period is too long" in am.get(f"/contracts/{contract_id}").text


def test_a_version_in_review_or_approved_is_frozen(clients, contract_id):
    am = clients["account_manager"]
    api(am, "POST", f"/api/contracts/{contract_id}/submit", json={"version": 1})
    in_review = save(am, contract_id, ACME + "\n", 1)
    assert in_review.status_code == 409 and "in review" in in_review.json()["error"]
    api(clients["legal"], "POST", f"/api/contracts/{contract_id}/decision",
        json={"decision": "approved", "version": 1, "override_reason": OVER_REVIEW})
    frozen = save(am, contract_id, ACME + "\n", 1)
    assert frozen.status_code == 409 and "frozen" in frozen.json()["error"]
    assert am.get(f"/api/contracts/{contract_id}/versions/1").json()["text"] == ACME
    # A new draft can be started; the approved version stays approved and unchanged.
    assert am.post(f"/contracts/{contract_id}/reopen", data={"csrf_token": am.csrf},
                   follow_redirects=False).status_code == 303
    assert save(am, contract_id, ACME + "\n", 1).status_code == 201
    row = am.get(f"/api/contracts/{contract_id}").json()
    assert (row["status"], row["approved_version"], row["latest_version"]) == ("draft", 1, 2)


def _docx_text(data: bytes) -> str:
    from slagen.pipeline.render import docx_text

    return docx_text(data)


def render(client, url):
    """The page's "Make it now" button (and, without scripts, the download): a POST that renders."""
    return client.post(url, data={"csrf_token": client.csrf})


def test_only_the_approved_version_renders_as_final(clients, contract_id):
    am = clients["account_manager"]
    draft = render(am, f"/contracts/{contract_id}/versions/1/agreement.docx")
    assert draft.status_code == 200
    assert draft.headers["content-type"] == \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert 'filename="NW-ACME-2027-01-agreement-v1-draft.docx"' in draft.headers["content-disposition"]
    assert "DRAFT" in _docx_text(draft.content)
    _approve(clients, contract_id, 1)
    final = render(am, f"/contracts/{contract_id}/versions/1/agreement.docx")
    assert 'filename="NW-ACME-2027-01-agreement-v1.docx"' in final.headers["content-disposition"]
    assert "DRAFT" not in _docx_text(final.content)


def test_a_draft_that_says_final_still_renders_as_draft(clients, contract_id):
    am = clients["account_manager"]
    claims_final = ACME.replace("  locale: en_GB\n", "  locale: en_GB\n  status: final\n")
    assert claims_final != ACME
    save(am, contract_id, claims_final, 1)
    response = render(am, f"/contracts/{contract_id}/versions/2/agreement.docx")
    assert "DRAFT" in _docx_text(response.content)


def test_pdf_download_has_its_name_and_type(clients, contract_id):
    legal = clients["legal"]
    url = f"/contracts/{contract_id}/versions/1/agreement.pdf"
    not_yet = legal.get(url)  # opening the address starts nothing: it offers the button that does
    assert not_yet.status_code == 409 and 'id="render-now"' in not_yet.text and f'action="{url}"' in not_yet.text
    response = render(legal, url)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    again = legal.get(url)  # made in the last 15 minutes: served as it is
    assert again.status_code == 200 and again.content == response.content


def test_redline_between_two_versions_in_the_page_and_as_downloads(clients, contract_id):
    am = clients["account_manager"]
    save(am, contract_id, ACME.replace("notice_days: 90", "notice_days: 60"), 1)
    html = render(am, f"/contracts/{contract_id}/redline?old=1&new=2&format=html")
    assert html.status_code == 200 and "default-src 'none'" in html.headers["content-security-policy"]
    text = re.sub(r"<[^>]+>", " ", html.text)
    assert "90" in text and "60" in text and "Termination notice" in text
    docx = render(am, f"/contracts/{contract_id}/redline?old=1&new=2&format=docx")
    assert docx.status_code == 200 and b"w:ins" in __import__("zipfile").ZipFile(
        __import__("io").BytesIO(docx.content)).read("word/document.xml")
    pdf = render(am, f"/contracts/{contract_id}/redline?old=1&new=2&format=pdf")
    assert pdf.content.startswith(b"%PDF-")
    assert 'filename="NW-ACME-2027-01-agreement-redline-v1-v2.pdf"' in pdf.headers["content-disposition"]


def test_legal_sees_the_review_findings_and_the_redline_against_the_last_approved(clients, draft_with_findings_id):
    am, legal = clients["account_manager"], clients["legal"]
    contract_id = draft_with_findings_id
    _approve(clients, contract_id, 1)
    am.post(f"/contracts/{contract_id}/reopen", data={"csrf_token": am.csrf})
    save(am, contract_id, draft_with_findings().replace("notice_days: 90", "notice_days: 60"), 1)
    api(am, "POST", f"/api/contracts/{contract_id}/submit", json={"version": 2})
    review = reviewed(legal, contract_id)
    page = legal.get(f"/contracts/{contract_id}/review")
    assert page.status_code == 200
    assert "the last approved version: version 1 -&gt; version 2" in page.text
    assert f"/contracts/{contract_id}/redline?old=1&amp;new=2" in page.text
    assert "feasibility" in page.text and 'id="approve"' in page.text  # the findings, and the decision on them
    assert review["blocked"] is True  # the first draft has feasibility errors
    assert any(item["kind"] == "feasibility" for item in review["items"])


def test_the_audit_log_records_who_did_what_to_which_version(clients, contract_id):
    am = clients["account_manager"]
    save(am, contract_id, ACME.replace("notice_days: 90", "notice_days: 60"), 1, "shorter notice")
    am.get(f"/contracts/{contract_id}/versions/2.yaml")
    _approve(clients, contract_id, 2)
    log = clients["admin"].get("/api/audit").json()
    actions = [(e["actor"], e["action"], e["contract_id"], e["version"]) for e in reversed(log)]
    expected = [("account_manager", "create", contract_id, 1), ("account_manager", "save", contract_id, 2),
                ("account_manager", "export", contract_id, 2), ("account_manager", "submit", contract_id, 2),
                ("legal", "approve", contract_id, 2)]
    assert [a for a in actions if a[1] in {"create", "save", "export", "submit", "approve"}] == expected
    assert any(a[1] == "login" and a[0] == "legal" for a in actions)
    # Refusals are recorded too: who tried what they may not do.
    am.post(f"/api/contracts/{contract_id}/decision", json={"decision": "approved", "version": 1},
            headers={"X-CSRF-Token": am.csrf})
    denied = [e for e in clients["admin"].get("/api/audit").json() if e["action"] == "denied"]
    assert denied[0]["actor"] == "account_manager" and "needs 'approve'" in denied[0]["detail"]
    assert clients["admin"].get("/admin/audit").status_code == 200


def test_export_gives_the_version_text_byte_for_byte(clients, contract_id):
    response = clients["presales"].get(f"/contracts/{contract_id}/versions/1.yaml")
    assert response.status_code == 200 and response.text == ACME
    assert response.headers["content-type"].startswith("application/yaml")
    assert 'filename="NW-ACME-2027-01-v1.yaml"' in response.headers["content-disposition"]


def test_comments_are_kept_with_their_version(clients, contract_id):
    presales = clients["presales"]
    presales.post(f"/contracts/{contract_id}/comments", data={"version": "1", "text": "P1 needs on-call cover",
                                                              "csrf_token": presales.csrf})
    assert "P1 needs on-call cover" in clients["legal"].get(f"/contracts/{contract_id}").text


def test_rendering_runs_off_the_event_loop_and_never_blocks_other_requests(app, clients, contract_id):
    """While a PDF renders in the worker pool, the register still answers at once."""
    import asyncio

    import httpx

    am = clients["account_manager"]
    token = re.search(r'id="new-token">([^<]+)<', am.post("/tokens", data={"name": "t", "password": PASSWORD, "csrf_token": am.csrf}).text)
    headers = {"Authorization": f"Bearer {token.group(1)}"}

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", headers=headers,
                                     timeout=300) as client:
            render = asyncio.create_task(client.post(f"/contracts/{contract_id}/versions/1/agreement.pdf"))
            await asyncio.sleep(0.05)  # the render is under way
            answered = []
            for _ in range(3):
                response = await client.get("/api/contracts")
                answered.append((response.status_code, render.done()))
            pdf = await render
            return answered, pdf

    answered, pdf = asyncio.run(scenario())
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert answered == [(200, False)] * 3  # every register request finished before the PDF did


def test_a_preview_of_the_agreement_in_the_page(clients, contract_id):
    response = render(clients["legal"], f"/contracts/{contract_id}/versions/1/agreement.html")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "NW-ACME-2027-01" in response.text and "Acme Dental Group Ltd" in response.text
