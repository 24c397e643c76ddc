"""A contract's ``clauses:`` changes checked against the outlines and the clause library.

``slagen validate`` runs this, so a change that cannot be applied is reported at its line before
anything is rendered: a clause omitted or replaced that the document does not have, an added
clause whose id the library already uses, two changes to the same clause (one would silently
win), an added clause placed after itself, after a clause the document's body lacks, or after a
clause added further down the list (the result would depend on the order of the list).

Only the outlines and the clause file names are read, never the clause texts: validating stays
as fast as before.
"""

from __future__ import annotations

from functools import lru_cache

from slagen.library.folder import default_library
from slagen.library.outlines import load_outline

Loc = tuple[str | int, ...]
_VERB = {"omit": "omitted", "replace": "replaced", "add": "added"}


@lru_cache(maxsize=1)
def _library_ids() -> frozenset[str]:
    # A clause's id is its file name (the library refuses any other), so the names are the ids.
    return frozenset(f.stem for f in default_library().clause_dir.glob("*.md") if f.name.lower() != "readme.md")


def override_problems(overrides) -> list[tuple[Loc, str]]:
    """Each problem at the value to change: ``clauses[i].id`` or ``clauses[i].after``."""
    problems: list[tuple[Loc, str]] = []
    first_change: dict[tuple[str, str], int] = {}
    added_at = {(o.document, o.id): i for i, o in enumerate(overrides) if o.action == "add"}
    for i, o in enumerate(overrides):
        outline = load_outline(o.document)
        where = f"the {'agreement' if o.document == 'agreement' else 'statement of work'}"
        key = (o.document, o.id)
        if key in first_change:
            earlier = overrides[first_change[key]]
            if earlier.action == o.action == "add":
                text = (f"a clause '{o.id}' is added twice (first at clauses[{first_change[key]}]); give each "
                        "added clause its own id")
            elif {earlier.action, o.action} == {"omit", "replace"}:
                text = (f"clause '{o.id}' is both {_VERB[earlier.action]} (clauses[{first_change[key]}]) and "
                        f"{_VERB[o.action]} here; keep one of the two changes")
            else:
                text = (f"clause '{o.id}' is changed twice in {where} (first at clauses[{first_change[key]}]), "
                        "and only one change could take effect; keep one")
            problems.append((("clauses", i, "id"), text))
            continue
        first_change[key] = i
        if o.action in ("omit", "replace") and o.id not in outline.clause_ids():
            problems.append((("clauses", i, "id"),
                             f"'{o.id}' is not a clause of {where}, so it cannot be {_VERB[o.action]} "
                             f"(its clauses: {', '.join(outline.clause_ids())})"))
        if o.action == "add" and (o.id in _library_ids() or o.id in outline.clause_ids()):
            problems.append((("clauses", i, "id"),
                             f"the clause library already has a clause '{o.id}'; give the new clause another id, "
                             "or use 'action: replace' to change that clause's text"))
        if o.action == "add" and o.after is not None:
            problems.extend(_placement_problems(overrides, i, outline, added_at, where))
    return problems


def _placement_problems(overrides, i: int, outline, added_at: dict, where: str) -> list[tuple[Loc, str]]:
    o = overrides[i]
    loc = ("clauses", i, "after")
    if o.after == o.id:
        return [(loc, f"clause '{o.id}' is placed after itself; name the clause it should follow")]
    later = added_at.get((o.document, o.after))
    if later is not None and later > i:
        return [(loc, f"'{o.after}' is added further down the list (clauses[{later}]); list it before "
                      f"'{o.id}', so that the order of the document does not depend on the order of the list")]
    body = [entry.clause for entry in outline.body]
    if later is None and o.after not in body:
        return [(loc, f"'{o.after}' is not a clause in the body of {where}, so nothing can follow it "
                      f"(its body: {', '.join(body)})")]
    return []

