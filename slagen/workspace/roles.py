"""Who may do what. Every route names one permission; the server checks it on every request.

account managers draft and render and run reports; pre-sales checks and comments; legal reviews,
approves or returns, and may edit (clause overrides live in the contract); administrators manage
users and everyone's API tokens. Everyone signed in may read contracts and their diagnostics, and
manage their own password, sessions and API tokens.
"""

from __future__ import annotations

ROLES = ("account_manager", "presales", "legal", "admin")

ROLE_NAMES = {"account_manager": "account manager", "presales": "pre-sales", "legal": "legal",
              "admin": "administrator"}

PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset(ROLES),                                   # register, contract pages, versions, exports
    "diagnose": frozenset(ROLES),                               # validation and feasibility as you type
    "comment": frozenset({"account_manager", "presales", "legal"}),
    "create": frozenset({"account_manager"}),                   # new contracts, imports
    "edit": frozenset({"account_manager", "legal"}),            # save a new version of a draft
    "render": frozenset({"account_manager", "legal"}),          # documents and redlines
    "submit": frozenset({"account_manager"}),                   # send a draft to legal
    "approve": frozenset({"legal"}),                            # approve, return, mark signed
    "report": frozenset({"account_manager"}),                   # attainment reports
    "tokens": frozenset(ROLES),                                 # one's own API tokens
    "all_tokens": frozenset({"admin"}),                         # see and revoke everyone's API tokens
    "account": frozenset(ROLES),                                # one's password and sessions
    "users": frozenset({"admin"}),                              # people, roles, the audit log
}


def allowed(role: str, permission: str) -> bool:
    return role in PERMISSIONS[permission]
