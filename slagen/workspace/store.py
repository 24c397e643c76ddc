"""Contracts and their versions: saving, conflicts, review and approval, and the audit log.

A version is never changed once written. Saving names the version the editor started from; if
someone has saved since, the save is refused (``Conflict``) and nothing is lost: the caller
shows both texts. The check and the new version are one conditional UPDATE and one INSERT in a
single transaction, so two people saving at the same moment cannot both win.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from slagen.workspace.engine import diagnose, register_facts, text_hash
from slagen.workspace.models import Approval, AuditEntry, Comment, Contract, User, Version, utcnow
from slagen.source.words import count

STATUSES = ("draft", "in_review", "approved", "signed")
STATUS_NAMES = {"draft": "draft", "in_review": "in review", "approved": "approved", "signed": "signed"}


class WorkspaceError(Exception):
    """A request the workspace refuses, with the HTTP status and a sentence for the user."""

    status = 400

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class NotFound(WorkspaceError):
    status = 404


class Conflict(WorkspaceError):
    """Someone saved a newer version than the one the editor started from."""

    status = 409

    def __init__(self, message: str, latest: Version | None = None, mine: str = ""):
        super().__init__(message)
        self.latest, self.mine = latest, mine


def audit(db: Session, actor: User | str, action: str, contract: Contract | None = None,
          version: int | None = None, detail: str = "") -> None:
    db.add(AuditEntry(actor=actor if isinstance(actor, str) else actor.name, action=action,
                      contract_id=contract.id if contract else None, version=version, detail=detail[:1000]))


def get_contract(db: Session, contract_id: int) -> Contract:
    contract = db.get(Contract, contract_id)
    if contract is None:
        raise NotFound(f"there is no contract number {contract_id}")
    return contract


def get_version(db: Session, contract: Contract, number: int) -> Version:
    version = db.scalar(select(Version).where(Version.contract_id == contract.id, Version.number == number))
    if version is None:
        raise NotFound(f"contract {contract.reference} has no version {number}")
    return version


def latest(db: Session, contract: Contract) -> Version:
    return get_version(db, contract, contract.latest_version)


def _apply_facts(contract: Contract, text: str, facts=None) -> None:
    facts = facts or register_facts(text)
    contract.feasibility_errors = facts.feasibility_errors
    if facts.reference is not None:  # an invalid draft keeps the last valid version's figures
        contract.customer = facts.customer[:300]
        contract.effective_date = facts.effective_date
        contract.initial_term_months = facts.initial_term_months
        contract.renewal_term_months = facts.renewal_term_months
        contract.notice_days = facts.notice_days


def _first_error(text: str) -> str | None:
    result = diagnose(text)
    if result["valid"]:
        return None
    e = result["errors"][0]
    more = len(result["errors"]) - 1
    return f"line {e['line']}, column {e['column']}: {e['message']}" + (f" (and {more} more)" if more else "")


def create_contract(db: Session, actor: User, text: str, message: str, action: str = "create") -> Contract:
    """A new contract from a valid text; its reference must not be taken."""
    problem = _first_error(text)
    if problem:
        raise WorkspaceError(f"this is not a valid contract: {problem}", 422)
    facts = register_facts(text)
    if db.scalar(select(Contract.id).where(Contract.reference == facts.reference)) is not None:
        raise WorkspaceError(f"a contract with the reference '{facts.reference}' already exists: open it and "
                             "save a new version instead", 409)
    contract = Contract(reference=facts.reference[:200], status="draft", latest_version=1)
    _apply_facts(contract, text, facts)
    db.add(contract)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        raise WorkspaceError(f"a contract with the reference '{facts.reference}' already exists", 409) from None
    db.add(Version(contract_id=contract.id, number=1, author=actor.name, message=message[:500] or "created",
                   text=text, text_sha256=text_hash(text)))
    audit(db, actor, action, contract, 1, message)
    db.commit()
    return contract


def save_version(db: Session, actor: User, contract: Contract, text: str, base_version: int,
                 message: str) -> Version:
    """A new version on top of ``base_version``; refused if it is not the latest any more."""
    if contract.status != "draft":
        raise WorkspaceError(_frozen_message(contract), 409)
    # Read before the write below (diagnostics are cached per text): the database's write lock
    # is then held for the insert only, not for parsing a large text.
    facts = register_facts(text)
    renamed = _new_reference(db, contract, facts.reference)
    number = base_version + 1
    claimed = db.execute(update(Contract).where(Contract.id == contract.id, Contract.latest_version == base_version,
                                                Contract.status == "draft")
                         .values(latest_version=number).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.rollback()
        db.refresh(contract)
        if contract.status != "draft":
            raise WorkspaceError(_frozen_message(contract), 409)
        current = latest(db, contract)
        raise Conflict(f"{current.author} saved version {current.number} at {current.created_at:%H:%M} UTC after "
                       f"you opened version {base_version}; your text was not saved. Compare the two below, "
                       "then save again on top of the newest.", current, text)
    version = Version(contract_id=contract.id, number=number, author=actor.name, message=message[:500],
                      text=text, text_sha256=text_hash(text))
    db.add(version)
    db.refresh(contract)
    _apply_facts(contract, text, facts)
    if renamed:
        contract.reference = renamed
    audit(db, actor, "save", contract, number, message)
    try:
        db.commit()
    except IntegrityError:  # another writer took the same number on a database without row locks
        db.rollback()
        raise Conflict("someone else saved at the same moment; your text was not saved", None, text) from None
    return version


def _new_reference(db: Session, contract: Contract, reference: str | None) -> str | None:
    """The contract's new reference when a version changes it and may, else None; refused when the
    reference is another contract's (the register would name one contract and the documents
    another), or once a version was approved (its documents carry the old one)."""
    if reference is None or reference[:200] == contract.reference:
        return None
    reference = reference[:200]
    other = db.scalar(select(Contract.id).where(Contract.reference == reference, Contract.id != contract.id))
    if other is not None:
        raise WorkspaceError(f"'{reference}' is the reference of another contract in the register; this contract is "
                             f"'{contract.reference}'. Put back agreement.reference: {contract.reference}; nothing "
                             "was saved", 422)
    if contract.approved_version is not None:
        raise WorkspaceError(f"this contract's reference is '{contract.reference}', and its approved version's "
                             f"documents carry it; a new version cannot change it to '{reference}'. Put it back, or "
                             "create a new contract; nothing was saved", 422)
    return reference


def _frozen_message(contract: Contract) -> str:
    if contract.status == "in_review":
        return (f"version {contract.latest_version} is in review with legal and cannot change; wait for legal's "
                "decision, or ask them to return it")
    return (f"version {contract.approved_version} is {STATUS_NAMES[contract.status]} and frozen; start a new "
            "draft from it to make changes")


def submit(db: Session, actor: User, contract: Contract, version: int) -> None:
    if contract.status != "draft":
        raise WorkspaceError(f"only a draft can be submitted for review; this contract is "
                             f"{STATUS_NAMES[contract.status]}", 409)
    if version != contract.latest_version:
        raise WorkspaceError(f"version {version} is not the latest (version {contract.latest_version} is); "
                             "submit the latest", 409)
    problem = _first_error(latest(db, contract).text)
    if problem:
        raise WorkspaceError(f"version {version} is not a valid contract, so legal could not review it: {problem}",
                             422)
    contract.status = "in_review"
    audit(db, actor, "submit", contract, version)
    db.commit()


MAX_OVERRIDE_REASON = 1000


def decide(db: Session, actor, contract: Contract, decision: str, comment: str, version: int | None = None,
           override_reason: str = "", review: dict | None = None) -> None:
    """Legal approves the version in review, or returns it to draft with the reason.

    The decision names the version it is about, and is refused when another is in review now (the
    page was stale). An approval also needs ``review`` (the version's ``slagen review`` JSON, with
    the policy's ``override_review_roles``): when items block, only a role the policy names may
    approve, with a reason, which the audit log and the approval keep. Nobody approves a version
    whose text they wrote since the last approval (four eyes).
    """
    check_decision(db, actor, contract, decision, comment, version)
    blocking, reason = None, None
    if decision == "approved":
        blocking, reason = _over_review(actor, version, override_reason, review)
    now = utcnow()
    db.add(Approval(contract_id=contract.id, version=version, decision=decision, decided_by=actor.name,
                    decided_at=now, blocking_items=blocking or None, override_reason=reason))
    if comment.strip():
        db.add(Comment(contract_id=contract.id, version=version, author=actor.name, text=comment.strip()[:5000]))
    if decision == "approved":
        contract.status = "approved"
        contract.approved_version, contract.approved_by, contract.approved_at = version, actor.name, now
    else:
        contract.status = "draft"
    detail = comment.strip()
    if reason:
        detail = f"over {blocking} blocking review item{'s' if blocking != 1 else ''}; reason: {reason}" + (
            f"; comment: {detail}" if detail else "")
    audit(db, actor, "approve" if decision == "approved" else "return", contract, version, detail)
    db.commit()


def check_decision(db: Session, actor, contract: Contract, decision: str, comment: str, version: int | None) -> None:
    """Everything about a decision that needs no review: refused before a review is made."""
    if contract.status != "in_review":
        raise WorkspaceError(f"only a contract in review can be approved or returned; this one is "
                             f"{STATUS_NAMES[contract.status]}", 409)
    if decision not in ("approved", "returned"):
        raise WorkspaceError("the decision must be 'approved' or 'returned'")
    if decision == "returned" and not comment.strip():
        raise WorkspaceError("say why the version is returned: the account manager needs to know what to change")
    if version is None:
        raise WorkspaceError("say which version the decision is about (the version you read); nothing was decided",
                             422)
    if version != contract.latest_version:
        raise WorkspaceError(f"you decided on version {version}, but version {contract.latest_version} is the one "
                             f"in review now; nothing was decided. Read version {contract.latest_version}, then "
                             "decide again", 409)
    if decision == "approved":
        _four_eyes(db, actor, contract, version)


def _four_eyes(db: Session, actor, contract: Contract, version: int) -> None:
    """Refuse an approver who wrote any version since the last approved one."""
    since = contract.approved_version or 0
    mine = db.scalars(select(Version.number).where(Version.contract_id == contract.id, Version.number > since,
                                                   Version.number <= version, Version.author == actor.name)
                      .order_by(Version.number)).all()
    if mine:
        which = ", ".join(str(n) for n in mine)
        raise WorkspaceError(f"you wrote version{'s' if len(mine) > 1 else ''} {which} of this text, so someone else "
                             "in legal must approve it (four eyes); nothing was decided", 403)


def _over_review(actor, version: int, override_reason: str, review: dict | None) -> tuple[int, str | None]:
    """(blocking items, the cleaned reason or None) for an approval; refused when items block
    and the actor may not, or did not say why."""
    from slagen.workspace.roles import ROLE_NAMES

    if review is None:
        raise WorkspaceError("the version's review could not be made, so it cannot be approved now; try again", 503)
    blocking = int(review.get("summary", {}).get("blocking", 0))
    if not blocking:
        return 0, None
    items = f"{blocking} review item{'s' if blocking != 1 else ''}"
    roles = review.get("override_review_roles", [])
    if actor.role not in roles:
        who = ", ".join(ROLE_NAMES.get(r, r) for r in roles) or "nobody"
        raise WorkspaceError(f"{items} block approval of version {version}, and the house policy lets only {who} "
                             "approve over them; resolve them, or return the version", 403)
    reason = " ".join(override_reason.split())
    if not reason:
        raise WorkspaceError(f"{items} block approval of version {version}: resolve them and return the version, "
                             "or give the reason you approve over them (it is kept in the audit log and the "
                             "internal review sheet)", 422)
    if len(reason) > MAX_OVERRIDE_REASON:
        raise WorkspaceError(f"the reason is {len(reason)} characters; keep it under {MAX_OVERRIDE_REASON}", 422)
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in reason):
        raise WorkspaceError("the reason contains control characters; write plain text", 422)
    return blocking, reason


def mark_signed(db: Session, actor: User, contract: Contract) -> None:
    if contract.status != "approved":
        raise WorkspaceError("only an approved contract can be marked signed", 409)
    contract.status = "signed"
    audit(db, actor, "sign", contract, contract.approved_version)
    db.commit()


def new_draft(db: Session, actor: User, contract: Contract) -> None:
    """An approved contract opened for changes; the approved version itself stays as it was."""
    if contract.status != "approved":
        raise WorkspaceError("only an approved contract can be reopened as a draft", 409)
    contract.status = "draft"
    audit(db, actor, "reopen", contract, contract.latest_version)
    db.commit()


def add_comment(db: Session, actor: User, contract: Contract, version: int, text: str) -> None:
    if not text.strip():
        raise WorkspaceError("the comment is empty")
    get_version(db, contract, version)
    db.add(Comment(contract_id=contract.id, version=version, author=actor.name, text=text.strip()[:5000]))
    audit(db, actor, "comment", contract, version)
    db.commit()


def last_approved(db: Session, contract: Contract) -> Version | None:
    return get_version(db, contract, contract.approved_version) if contract.approved_version else None


def is_approved_version(contract: Contract, number: int) -> bool:
    """Only the approved version renders as final (and stays final once signed)."""
    return contract.approved_version is not None and contract.approved_version == number


def add_user(db: Session, name: str, role: str, password: str, actor: str = "command line") -> User:
    from slagen.workspace.auth import hash_password, password_problem
    from slagen.workspace.roles import ROLES

    if role not in ROLES:
        raise WorkspaceError(f"'{role}' is not a role; use one of {', '.join(ROLES)}")
    if not name.strip() or len(name) > 100 or any(c.isspace() or not c.isprintable() for c in name):
        raise WorkspaceError("a user name is 1 to 100 printable characters without spaces")
    problem = password_problem(password, name)
    if problem:
        raise WorkspaceError(problem)
    if db.scalar(select(User.id).where(User.name == name)) is not None:
        raise WorkspaceError(f"there is already a user called '{name}'", 409)
    user = User(name=name, role=role, password_hash=hash_password(password), active=True)
    db.add(user)
    audit(db, actor, "add_user", None, None, f"{name} as {role}")
    db.commit()
    return user


def _person(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise NotFound(f"there is no user number {user_id}")
    return user


def set_active(db: Session, actor, user_id: int, active: bool) -> User:
    """Let someone sign in again, or stop them: deactivating ends their sessions and revokes their
    API tokens at once, so reactivating them later does not bring old credentials back to life."""
    from slagen.workspace import api_tokens, web_sessions

    user = _person(db, user_id)
    if user.id == actor.id and not active:
        raise WorkspaceError("you cannot deactivate yourself; ask another administrator")
    user.active = active
    detail = user.name
    if not active:
        sessions = web_sessions.end_all_of(db, user.id)
        tokens = api_tokens.revoke_all_of(db, user.id)
        detail += f" ({count(sessions, 'session')} ended, {count(tokens, 'API token')} revoked)"
    audit(db, actor, "activate_user" if active else "deactivate_user", detail=detail)
    db.commit()
    return user


def set_role(db: Session, actor, user_id: int, role: str) -> User:
    """Give someone another role; their sessions end, so they sign in again under the new one."""
    from slagen.workspace import web_sessions
    from slagen.workspace.roles import ROLE_NAMES, ROLES

    if role not in ROLES:
        raise WorkspaceError(f"'{role}' is not a role; use one of {', '.join(ROLES)}")
    user = _person(db, user_id)
    if user.id == actor.id:
        raise WorkspaceError("you cannot change your own role; ask another administrator")
    if user.role == role:
        return user
    previous, user.role = user.role, role
    ended = web_sessions.end_all_of(db, user.id)
    audit(db, actor, "change_role", detail=f"{user.name}: {ROLE_NAMES[previous]} -> {ROLE_NAMES[role]} "
                                           f"({count(ended, 'session')} ended)")
    db.commit()
    return user


def change_password(db: Session, actor, current: str, new: str, again: str, keep_session: int | None) -> int:
    """Change one's own password; every other session of theirs ends. The number ended."""
    from slagen.workspace import web_sessions
    from slagen.workspace.auth import hash_password, password_matches

    user = _person(db, actor.id)
    if not password_matches(user.password_hash, current):
        raise WorkspaceError("the current password is wrong; nothing was changed", 422)
    _long_enough(new, user.name)
    if new != again:
        raise WorkspaceError("the two new passwords differ; type the same one twice", 422)
    user.password_hash = hash_password(new)
    ended = web_sessions.end_all_of(db, user.id, keep=keep_session)
    audit(db, actor, "change_password", detail=f"{count(ended, 'other session')} ended")
    db.commit()
    return ended


def check_password_length(password: str, name: str = "") -> None:
    """WorkspaceError for a password that cannot be set (too short, or a common one): the command
    line asks it before the second typing, so nobody types a password twice to learn it was refused."""
    _long_enough(password, name)


def password_of_actor_matches(db: Session, actor, password: str) -> bool:
    """Whether the signed-in person typed their own password again (before making a token)."""
    from slagen.workspace.auth import password_matches

    return bool(password) and password_matches(_person(db, actor.id).password_hash, password)


def _long_enough(new: str, name: str = "") -> None:
    """A new password that is long enough and not a common one (auth.password_problem)."""
    from slagen.workspace.auth import password_problem

    problem = password_problem(new, name)
    if problem:
        raise WorkspaceError(problem.replace("the password", "the new password", 1), 422)


def set_password_of(db: Session, actor, user_id: int, new: str) -> int:
    """An administrator gives someone who has forgotten theirs a new password (to pass on, for
    them to change on their Account page); their sessions end. The number ended."""
    from slagen.workspace import web_sessions
    from slagen.workspace.auth import hash_password

    user = _person(db, user_id)
    if user.id == actor.id:
        raise WorkspaceError("change your own password on the Account page, where it asks for the current one", 422)
    _long_enough(new, user.name)
    user.password_hash = hash_password(new)
    ended = web_sessions.end_all_of(db, user.id)
    audit(db, actor, "set_password", detail=f"{user.name} ({count(ended, 'session')} ended)")
    db.commit()
    return ended


def end_sessions_of(db: Session, actor, user_id: int) -> int:
    """Sign someone out everywhere (a lost laptop, a shared computer); their API tokens stay."""
    from slagen.workspace import web_sessions

    user = _person(db, user_id)
    if user.id == actor.id:
        raise WorkspaceError("to sign yourself out elsewhere, use the Account page", 422)
    ended = web_sessions.end_all_of(db, user.id)
    audit(db, actor, "end_sessions", detail=f"{user.name} ({count(ended, 'session')} ended)")
    db.commit()
    return ended


def sign_out_elsewhere(db: Session, actor, keep_session: int | None) -> int:
    from slagen.workspace import web_sessions

    ended = web_sessions.end_all_of(db, actor.id, keep=keep_session)
    audit(db, actor, "sign_out_elsewhere", detail=f"{count(ended, 'other session')} ended")
    db.commit()
    return ended


def create_api_token(db: Session, actor, name: str, expiry: str) -> str:
    """A new API token for the actor, valid until the chosen expiry; its clear text, shown once."""
    from slagen.workspace import api_tokens

    now = utcnow()
    try:
        expires_at = api_tokens.expiry_for(expiry, now)
    except ValueError as exc:
        raise WorkspaceError(str(exc)) from None
    row, secret = api_tokens.issue(db, _person(db, actor.id), name.strip() or "integration", expires_at, now)
    until = f"until {expires_at:%Y-%m-%d}" if expires_at else "no expiry"
    audit(db, actor, "new_token", detail=f"'{row.name}' (number {row.id}, {until})")
    db.commit()
    return secret


def revoke_api_token(db: Session, actor, token_id: int, may_revoke_any: bool) -> None:
    """Revoke one of the actor's tokens, or anyone's when ``may_revoke_any`` (administrators)."""
    from slagen.workspace import api_tokens

    row = api_tokens.find_revocable(db, token_id, actor.id, may_revoke_any)
    if row is None:
        raise NotFound(f"there is no API token number {token_id} that you can revoke")
    row.revoked_at = utcnow()
    owner = db.get(User, row.user_id)
    audit(db, actor, "revoke_token", detail=f"'{row.name}' (number {row.id}) of {owner.name}")
    db.commit()
