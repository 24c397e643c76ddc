"""The review of a version as a job: started by a POST, watched, its findings kept for the GETs.

Reviewing a contract composes its documents and applies the house policy: seconds of work in
the worker pool. Like documents and redlines (documents.py) it starts only on a POST (the review
page's "Run the review", which its script presses by itself, or POST /api/contracts/{id}/review-jobs);
the job sits on the render board with its result, the JSON of ``slagen review``, as its file.
The review page and GET /api/contracts/{id}/review show the newest review of the latest version's
text while the board keeps it, and start nothing; a later POST reviews again (after the house
policy changed, say). An approval never relies on a kept review: it reviews the version again
inside its own POST (pages.decide_on), so what blocks approval is always today's answer.
"""

from __future__ import annotations

import json
from datetime import datetime

from fastapi import Request
from sqlalchemy.orm import Session

from slagen.workspace import store
from slagen.workspace.access import Actor
from slagen.workspace.documents import board, readable_job, safe_name
from slagen.workspace.engine import job_review_file
from slagen.workspace.job_board import DONE, Job
from slagen.workspace.store import NotFound

JSON_TYPE = "application/json"


def _latest(db: Session, contract_id: int):
    contract = store.get_contract(db, contract_id)
    version = store.latest(db, contract)
    # The text is in the key: a version saved since is a different review.
    return contract, version, ("review", contract.id, version.number, version.text_sha256)


def start_review_job(request: Request, db: Session, user: Actor, contract_id: int) -> tuple[Job, bool]:
    """The job reviewing the latest version, and whether it was already running for someone else.
    Counted against the person's share of the worker pool like a render."""
    contract, version, key = _latest(db, contract_id)
    job = Job(kind="review", permission="view", contract_id=contract.id, content_type=JSON_TYPE,
              details={"contract": {"id": contract.id, "reference": contract.reference},
                       "version": version.number, "document": "review", "format": "json"})
    name = f"{safe_name(contract.reference)}-review-v{version.number}.json"
    return board(request).start(key, job, job_review_file, (version.text,), lambda _: name, owner=user.id)


class ReviewState:
    """What the review page and the API know about the latest version's review, without starting it:
    the findings (``review``), or the job still making them (``job``), or neither."""

    def __init__(self, contract, version, job: Job | None, review: dict | None):
        self.contract, self.version, self.job, self.review = contract, version, job, review

    @property
    def made_at(self) -> datetime | None:
        """When the shown review was made (aware, UTC)."""
        if self.review is None or not self.job.finished_at:
            return None
        return datetime.fromisoformat(self.job.finished_at)

    @property
    def under_way(self) -> bool:
        return self.job is not None and not self.job.over

    @property
    def error(self) -> str | None:
        return self.job.error if self.job is not None and self.job.over and self.job.state != DONE else None


def review_state(request: Request, db: Session, user: Actor, contract_id: int,
                 job_id: str | None = None) -> ReviewState:
    """The latest version's review as far as it is made. ``job_id`` (the page's address after a
    POST) names the job to follow, failed or not; a job of another contract, kind or version is
    ignored, and so is one the board no longer keeps: the newest kept review of the text is shown."""
    contract, version, key = _latest(db, contract_id)
    job = None
    if job_id:
        try:
            asked = readable_job(request, db, user, job_id)
        except NotFound:
            asked = None
        if (asked is not None and asked.kind == "review" and asked.contract_id == contract.id
                and asked.details.get("version") == version.number):
            job = asked
    if job is None:
        job = board(request).finished(key)
    review = None
    if job is not None and job.state == DONE:
        _, data = board(request).file(job)
        review = json.loads(data)
    return ReviewState(contract, version, job, review)
