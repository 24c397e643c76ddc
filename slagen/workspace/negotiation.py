"""The engine's negotiation jobs as the workspace runs them: in a worker process, plain values back.

Like :mod:`slagen.workspace.engine`, each returns (True, result) or (False, the message a user
reads); the work itself is :mod:`slagen.negotiate`, exactly as ``slagen negotiate`` does it.
"""

from __future__ import annotations

import json

from slagen.workspace.engine import SOURCE_NAME, _guarded, _no_progress, workspace_library


def job_read_markup(text: str, data: bytes, file_name: str) -> tuple[bool, object]:
    """(True, the JSON of ``slagen negotiate --format json``) for the customer's file against ``text``."""
    def work():
        from slagen.negotiate.run import negotiate, negotiation_json

        return json.loads(negotiation_json(negotiate(SOURCE_NAME, text, data, file_name, house=workspace_library())))
    return _guarded(work)


def _reading(text: str, data: bytes, file_name: str):
    from slagen.library.contracts import load_contract
    from slagen.negotiate.changes import read_changes

    contract = load_contract(SOURCE_NAME, text)
    return contract, read_changes(contract, data, file_name, house=workspace_library())


def job_markup_proposal(text: str, data: bytes, file_name: str, accepted: list[str]) -> tuple[bool, object]:
    """(True, the contract text with the accepted changes applied): the next version."""
    def work():
        from slagen.negotiate.proposal import TRACKED, proposal_text

        _, reading = _reading(text, data, file_name)
        chosen = [c for c in reading.changes if c.id in accepted and c.kind in TRACKED]
        return proposal_text(text, reading, chosen, file_name)
    return _guarded(work)


def job_markup_reply(text: str, data: bytes, file_name: str, decisions: dict, date: str,
                     progress=_no_progress) -> tuple[bool, object]:
    """(True, ("reply.docx", the reply DOCX)): the customer's file with each decision and its
    reason, as a job one can watch (markup.py names the download after the customer's file)."""
    def work():
        from slagen.negotiate.reply import write_reply

        progress("Reading the customer's file", 1, 2)
        contract, reading = _reading(text, data, file_name)
        chosen = {cid: (str(d[0]), str(d[1])) for cid, d in decisions.items()}
        progress("Writing the decisions and reasons on it", 2, 2)
        return "reply.docx", write_reply(data, reading, chosen, author=contract.provider.name, date=date,
                                         where=file_name)
    return _guarded(work)
