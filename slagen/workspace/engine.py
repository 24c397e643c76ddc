"""Every contract question the workspace asks, answered by the engine exactly as the CLI does.

``diagnose`` is ``slagen validate`` plus ``slagen check`` on a text, cached per text hash.
The heavy work (documents, redlines, reviews, reports) is done by the ``job_*`` functions,
which run in worker processes (see jobs.py) and return plain, picklable values: (True, result)
or (False, the user's error message), because exceptions with fields do not always pickle.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from slagen.errors import InvalidInput, SlagenError

SOURCE_NAME = "contract.yaml"  # the name diagnostics and errors give the text being edited


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_text(text: str, name: str = SOURCE_NAME):
    """(contract, source positions); raises InvalidInput like ``slagen validate``."""
    from slagen.library.contracts import load_with_positions

    return load_with_positions(name, text)


class _Cache:
    """A small thread-safe LRU map: diagnostics of the same text are computed once."""

    def __init__(self, size: int = 256):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


log = logging.getLogger("slagen.workspace")
_DIAGNOSTICS = _Cache()


def diagnose(text: str) -> dict:
    """Validation errors, or else feasibility findings, each with its line and column."""
    key = text_hash(text)
    cached = _DIAGNOSTICS.get(key)
    if cached is not None:
        return cached
    from slagen.check import check_contract, summary

    try:
        contract, doc = load_text(text)
    except InvalidInput as exc:
        result = {"valid": False, "errors": [p.as_json() for p in exc.problems], "findings": [],
                  "summary": {"errors": 0, "warnings": 0, "infos": 0}}
    else:
        findings = check_contract(contract, doc, clause_dir=workspace_library().clause_dir)
        result = {"valid": True, "errors": [], "findings": [f.as_json() for f in findings],
                  "summary": summary(findings)}
    result["sha256"] = key
    _DIAGNOSTICS.put(key, result)
    return result


def warm_up() -> None:
    """Import and exercise what diagnostics need, once, before the first person types: the
    starter contract (``slagen init``'s) is loaded and checked."""
    from slagen.library.starters import starter_text

    diagnose(starter_text())


def job_diagnose(text: str) -> tuple[bool, dict]:
    """:func:`diagnose`, in the editor's worker process."""
    return True, diagnose(text)


def job_warm_up() -> tuple[bool, None]:
    """The editor's worker, made ready before anyone types: the engine imported and exercised,
    its collector set as the server's is, and what it loaded frozen out of later collections."""
    from slagen.source.gc_tuning import collect_less_often, freeze_what_is_loaded

    collect_less_often()
    warm_up()
    freeze_what_is_loaded()
    return True, None


class EditorLane:
    """Where the editor's diagnostics are worked out: a worker process of their own, at the
    server's priority, when it is ready and free; this server's threads otherwise.

    A check is 30 to 50 ms of Python. In the server it holds the interpreter's lock, which every
    other request of the process also needs: with a hundred people clicking through the
    register, a check that took 50 ms alone took a second, waiting its turn every few
    milliseconds. In a process of its own it has a processor to itself. The worker starts (and
    imports the engine, which takes seconds) when the server does, so nobody waits for that; a
    text sent before it is ready, or while it is busy with someone else's, is checked here as
    before, so a second person typing never queues behind the first."""

    def __init__(self, pool):
        self.pool = pool
        self.ready = False

    async def start(self) -> None:
        try:
            await self.pool.run(job_warm_up)
        except Exception:  # the lane stays closed and the server's threads do the work
            log.warning("the editor's worker did not start; diagnostics run in the server", exc_info=True)
            return
        self.ready = True

    async def diagnose(self, text: str) -> dict:
        from starlette.concurrency import run_in_threadpool

        cached = _DIAGNOSTICS.get(text_hash(text))
        if cached is not None:
            return cached
        if not (self.ready and self.pool.idle()):
            return await run_in_threadpool(diagnose, text)
        result = await self.pool.run(job_diagnose, text)
        _DIAGNOSTICS.put(result["sha256"], result)  # for the save that follows, as if read here
        return result


@dataclass(frozen=True)
class RegisterFacts:
    """What the register shows about a version, read from its text once, when it is saved."""

    reference: str | None
    customer: str
    feasibility_errors: int | None
    effective_date: str | None
    initial_term_months: int | None
    renewal_term_months: int | None  # None: no automatic renewal
    notice_days: int | None


_FACTS = _Cache()


def register_facts(text: str) -> RegisterFacts:
    key = text_hash(text)
    cached = _FACTS.get(key)
    if cached is not None:
        return cached
    result = diagnose(text)
    if not result["valid"]:
        facts = RegisterFacts(None, "", None, None, None, None, None)
    else:
        contract, _ = load_text(text)
        a = contract.agreement
        renews = a.renewal.term_months if a.renewal and a.renewal.automatic else None
        facts = RegisterFacts(a.reference, contract.customer.name, result["summary"]["errors"],
                              a.effective_date.isoformat(), a.initial_term_months, renews,
                              contract.termination.notice_days)
    _FACTS.put(key, facts)
    return facts


# Characters beyond which a text being saved or imported is read in a worker process. Reading is
# pure Python and holds the interpreter's lock: a 1 MB contract takes seconds, during which every
# other request of this server would wait. A contract of ordinary size (tens of kilobytes) takes
# milliseconds, less than handing it to a worker would.
LARGE_TEXT = 100_000


def job_read_contract(text: str) -> tuple[bool, object]:
    """(True, (diagnostics, register facts)) of a text, in a worker process."""
    return True, (diagnose(text), register_facts(text))


async def read_large_text(pool, text: str, owner=None) -> None:
    """Have a large text read in the worker pool, its diagnostics and register facts kept here
    (by text hash) for the store's save to find, so validation never runs on this process's
    threads. Busy (503/429) when the pool's queue is full."""
    if len(text) < LARGE_TEXT or _DIAGNOSTICS.get(text_hash(text)) is not None:
        return
    diagnostics, facts = await pool.run(job_read_contract, text, owner=owner)
    key = text_hash(text)
    _DIAGNOSTICS.put(key, diagnostics)
    _FACTS.put(key, facts)


def _as_status(contract, final: bool):
    """The contract as it will print: final only when the workspace says its version is approved."""
    status = "final" if final else "draft"
    return contract.model_copy(update={"agreement": contract.agreement.model_copy(update={"status": status})})


def _guarded(work):
    try:
        return True, work()
    except InvalidInput as exc:
        return False, without_server_paths(str(exc))
    except SlagenError as exc:
        return False, without_server_paths(str(exc))


# The folders of an absolute path (a library, a temporary copy): a message names the file only.
_FOLDERS = re.compile(r"(?<![\w.~-])/(?:[^\s/:'\"()]+/)+")


def without_server_paths(message: str) -> str:
    """The engine's message without the server's folders: users see file names, not where the
    server keeps its library or temporary copies."""
    return _FOLDERS.sub("", message)


def workspace_library():
    """The library the workspace composes, reviews, brands and offers starter packages from: the
    folder ``SLAGEN_LIBRARY`` names (``slagen serve --library DIR`` sets it), else the packaged
    default. The render workers inherit the server's environment, so they resolve the same one."""
    from slagen.library.folder import resolve_library

    return resolve_library()


def _no_progress(step: str, k: int, n: int) -> None:
    pass


def job_render(text: str, doc: str, fmt: str, final: bool, progress=_no_progress) -> tuple[bool, object]:
    """(True, (file name, bytes)) for the agreement or SOW of one version: pdf, docx, or html (the
    page the PDF is printed from, for a preview in the browser). ``progress(step, k, n)`` is told
    each step as it starts: reading the contract, then the engine's own steps."""
    def work():
        from slagen.pipeline.render import output_name, render_documents, render_steps

        if fmt == "html":
            steps = ["Reading the contract", f"Composing the clauses of the {DOCUMENT_NAMES[doc]}",
                     "Writing the preview"]
        else:
            steps = ["Reading the contract", *render_steps((doc,), (fmt,))]
        progress(steps[0], 1, len(steps))
        contract, _ = load_text(text)
        contract = _as_status(contract, final)
        house = workspace_library()
        if fmt == "html":
            from slagen.compose.assemble import assemble
            from slagen.compose.library import load_house_library
            from slagen.library.outlines import load_outline
            from slagen.writers.html import write_html

            if doc == "sow" and contract.sow is None:
                raise SlagenError("error: the contract has no 'sow' section, so there is no statement of work")
            progress(steps[1], 2, len(steps))
            document = assemble(contract, doc, library=load_house_library(house),
                                outline=load_outline(doc, house.template_dir))
            progress(steps[2], 3, len(steps))
            html = write_html(document, css=house.css(), brand=house.brand()).encode("utf-8")
            return output_name(contract.agreement.reference, doc, "html"), html
        [(name, data)] = render_documents(contract, (doc,), (fmt,), source=SOURCE_NAME, library=house,
                                          progress=lambda step, k, n: progress(step, k + 1, n + 1))
        return name, data
    return _guarded(work)


DOCUMENT_NAMES = {"agreement": "agreement", "sow": "statement of work"}
_WRITING = {"html": "Writing the redline page", "docx": "Writing the DOCX with tracked changes",
            "pdf": "Laying out the PDF"}


def job_redline(old_text: str, new_text: str, doc: str, fmt: str, labels: tuple[str, str] | None = None,
                progress=_no_progress) -> tuple[bool, object]:
    """(True, (file name, bytes)) of a redline: html (for the page), docx or pdf. ``labels`` name
    the two sides ("ACME-1 version 1", as the workspace numbers its versions)."""
    def work():
        from slagen.pipeline.render import output_name
        from slagen.review import redline as rl

        progress("Reading both versions", 1, 3)
        old, _ = load_text(old_text, "old.yaml")
        new, _ = load_text(new_text, "new.yaml")
        if doc == "sow" and (old.sow is None or new.sow is None):
            raise SlagenError("error: one of the versions has no 'sow' section, so there is no statement of "
                              "work to compare")
        progress(f"Comparing the clauses of the {DOCUMENT_NAMES[doc]}", 2, 3)
        from slagen.compose.library import load_house_library
        from slagen.library.outlines import load_outline

        house = workspace_library()
        old_label, new_label = labels or (None, None)
        result = rl.build_redline(old, new, doc, library=load_house_library(house),
                                  outline=load_outline(doc, house.template_dir), old_label=old_label,
                                  new_label=new_label)
        progress(_WRITING[fmt], 3, 3)
        if fmt == "html":
            data = rl.redline_html(result, brand=house.brand(), css=house.css()).encode("utf-8")
        elif fmt == "docx":
            data = rl.redline_docx(result, brand=house.brand())
        else:
            data = rl.redline_pdf(result, brand=house.brand(), css=house.css())
        return output_name(result.document.reference, f"{doc}-redline", fmt), data
    return _guarded(work)


def job_review_file(text: str, progress=_no_progress) -> tuple[bool, object]:
    """(True, ("review.json", the JSON of ``slagen review`` as bytes)) for one version: the review
    as a job one can watch (reviews.py), its result a file the board keeps like a document's."""
    import json

    progress("Reviewing the latest version", 1, 1)
    ok, value = job_review(text)
    if not ok:
        return False, value
    return True, ("review.json", json.dumps(value, sort_keys=True).encode("utf-8"))


def job_review(text: str) -> tuple[bool, object]:
    """(True, the JSON of ``slagen review``) for one version."""
    def work():
        from slagen.review.review import review_in_library

        contract, doc = load_text(text)
        house = workspace_library()
        result = review_in_library(contract, doc, file=SOURCE_NAME, house=house).as_json()
        # Who may approve over blocking items comes from the same policy the review applied.
        result["override_review_roles"] = sorted(_house_policy(house).override_review_roles)
        return result
    return _guarded(work)


def job_review_sheet(text: str, approvals: tuple[str, ...], fmt: str, progress=_no_progress) -> tuple[bool, object]:
    """(True, (file name, bytes)) of the internal review sheet of one version as PDF or DOCX, with
    the approvals given over its blocking items and their reasons."""
    def work():
        from slagen.pipeline.render import output_name
        from slagen.review.review import review_in_library
        from slagen.review.sheet import review_document

        progress("Reading the contract", 1, 3)
        contract, doc = load_text(text)
        house = workspace_library()
        progress("Reviewing the contract", 2, 3)
        document = review_document(review_in_library(contract, doc, file=SOURCE_NAME, house=house), contract,
                                   approvals)
        progress("Writing the review sheet", 3, 3)
        if fmt == "docx":
            from slagen.writers.docx import write_docx

            data = write_docx(document, brand=house.brand())
        else:
            from slagen.writers.pdf import write_pdf

            data = write_pdf(document, brand=house.brand(), css=house.css())
        return output_name(contract.agreement.reference, "review", fmt), data
    return _guarded(work)


def _house_policy(house):
    from slagen.review.policy import Policy, load_policy

    return load_policy(house.policy_file) if house.policy_file.is_file() else Policy()


def job_report(text: str, tickets: str, outages: str | None, period: str, options, fmt: str,
               progress=_no_progress) -> tuple[bool, object]:
    """(True, (file name or None, bytes or the JSON dict, row warnings)) for an attainment report.
    ``options``: the report's options (report_options.ReportOptions), or a preset's name."""
    def work():
        from slagen.pipeline.render import output_name
        from slagen.report import build_report, report_dict
        from slagen.workspace.report_options import ReportOptions

        n = 2 if fmt == "json" else 4
        progress("Reading the contract", 1, n)
        contract, _ = load_text(text)
        progress("Timing every ticket against its targets", 2, n)
        chosen = ReportOptions.of(options)
        result = build_report(contract, tickets, period=period, outages=outages,
                              columns=chosen.column_map(tickets), max_rejected=chosen.max_rejected_fraction())
        warnings = [f"line {p.line}: {p.message}" for p in result.problems]
        if fmt == "json":
            folders = {os.path.dirname(f) + os.sep for f in (tickets, outages) if f}
            return None, _without_folders(report_dict(result), folders), warnings
        from slagen.report.document import report_document

        progress("Drawing the charts", 3, n)
        document = report_document(result, charts=True)
        progress("Laying out the PDF" if fmt == "pdf" else "Writing the DOCX", 4, n)
        house = workspace_library()  # its brand and print styles dress the report, as `slagen report`'s do
        if fmt == "pdf":
            from slagen.writers.pdf import write_pdf

            data = write_pdf(document, brand=house.brand(), css=house.css())
        else:
            from slagen.writers.docx import write_docx

            data = write_docx(document, brand=house.brand())
        return output_name(contract.agreement.reference, f"report-{result.period.label}", fmt), data, warnings
    return _guarded(work)


def _without_folders(value, folders: set[str]):
    """The report's JSON naming each export as the user named it, not by the server's copy."""
    if isinstance(value, dict):
        return {k: _without_folders(v, folders) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_folders(v, folders) for v in value]
    if isinstance(value, str):
        for folder in folders:
            value = value.replace(folder, "")
    return value


def job_report_upload(folder: str, text: str, tickets: str, outages: str | None, period: str, options,
                      fmt: str, progress=_no_progress) -> tuple[bool, object]:
    """``job_report`` on exports uploaded into ``folder``, which is removed when the report is made (a
    render job outlives the request that uploaded them). Messages name the upload, not its
    temporary copy."""
    import os
    import shutil

    try:
        ok, value = job_report(text, tickets, outages, period, options, fmt, progress=progress)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    prefix = folder + os.sep
    if not ok:
        return False, value.replace(prefix, "")
    name, data, warnings = value
    return True, (name, data, [w.replace(prefix, "") for w in warnings])


def job_report_preview(text: str, tickets: str, options) -> tuple[bool, object]:
    """(True, the export's preview as JSON): its header, the preset in use or recognised, and its
    priority labels with the contract priority each would be read as (report.export_preview)."""
    def work():
        from slagen.report.export_preview import preview_export
        from slagen.workspace.report_options import DETECT, ReportOptions

        contract, _ = load_text(text)
        chosen = ReportOptions.of(options)
        preview = preview_export(tickets, contract, chosen.column_map(), detect=chosen.preset == DETECT)
        return {**preview.as_json(), "contract_priorities": [{"id": p.id, "name": p.name}
                                                             for p in contract.priorities]}
    return _guarded(work)
