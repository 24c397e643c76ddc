"""`slagen negotiate`: the customer's marked-up DOCX read back, costed and answered."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from slagen.cli.help import examples
from slagen.cli.library import LIBRARY_OPTION
from slagen.source.terminal import visible_lines

EPILOG = examples(
    "slagen negotiate acme.yaml acme-marked-up.docx",
    "slagen negotiate acme.yaml theirs.docx --decisions-template decisions.yaml",
    "slagen negotiate acme.yaml theirs.docx --decisions decisions.yaml --reply answer.docx --proposal acme-v2.yaml",
)


class NegotiateFormat(str, Enum):
    text = "text"
    json = "json"


def negotiate(
    contract: Annotated[Path, typer.Argument(metavar="CONTRACT", help="The contract the DOCX was rendered from.",
                                             show_default=False)],
    theirs: Annotated[Path, typer.Argument(metavar="THEIRS.docx", help="The customer's marked-up DOCX.",
                                           show_default=False)],
    format: Annotated[NegotiateFormat, typer.Option("--format", help="text or json.")] = NegotiateFormat.text,
    proposal: Annotated[Optional[Path], typer.Option(
        "--proposal", help="Write the customer's proposal as a contract file: every tracked change applied, or with "
                           "--decisions only the accepted ones (the next version).", show_default=False)] = None,
    decisions: Annotated[Optional[Path], typer.Option(
        "--decisions", help="The decisions file (accept or reject per change); default: accept value changes the "
                            "check and review pass, reject what they fail or policy forbids.",
        show_default=False)] = None,
    decisions_template: Annotated[Optional[Path], typer.Option(
        "--decisions-template", help="Write a decisions file to edit, with the default decisions filled in.",
        show_default=False)] = None,
    reply: Annotated[Optional[Path], typer.Option(
        "--reply", help="Write the answer: the customer's DOCX with each change accepted or rejected, with "
                        "comments from the provider.", show_default=False)] = None,
    sent: Annotated[Optional[Path], typer.Option(
        "--sent", help="The DOCX that was sent, to find untracked edits against it rather than against a new "
                       "rendering.", show_default=False)] = None,
    reply_date: Annotated[Optional[str], typer.Option(
        "--date", help="Date of the reply's changes and comments (ISO 8601; default: the customer's latest).",
        show_default=False)] = None,
    library: Annotated[Optional[Path], LIBRARY_OPTION] = None,
) -> None:
    """Read a customer's marked-up DOCX: each change by clause and contract value, with what it costs."""
    from slagen.errors import SlagenError
    from slagen.negotiate.run import negotiate_file, negotiation_json, negotiation_text, proposal_with, reply_docx
    from slagen.source.output import write_all

    for path in (contract, theirs) + ((decisions,) if decisions else ()) + ((sent,) if sent else ()):
        if not path.is_file():
            typer.echo(visible_lines(f"{path}: error: no such file"), err=True)
            raise typer.Exit(2)
    if reply_date is not None:
        from datetime import datetime

        try:
            datetime.fromisoformat(reply_date.replace("Z", "+00:00"))
        except ValueError:
            typer.echo(visible_lines(f"error: --date {reply_date!r} is not a date (write 2027-01-15 or "
                                     "2027-01-15T09:00:00Z)"), err=True)
            raise typer.Exit(2)
        if len(reply_date) == 10:
            reply_date += "T00:00:00Z"
    try:
        result = negotiate_file(contract, theirs, library_dir=library, decisions_path=decisions, sent_path=sent)
        outputs: list[tuple[Path, bytes]] = []
        if proposal is not None:
            chosen = None if decisions is not None else result.reading.changes
            outputs.append((proposal, proposal_with(result, chosen).encode("utf-8")))
        if decisions_template is not None:
            from slagen.negotiate.decisions import template_text

            outputs.append((decisions_template, template_text(result.reading, result.proposal).encode("utf-8")))
        if reply is not None:
            outputs.append((reply, reply_docx(result, reply_date)))
        written = write_all(outputs) if outputs else []
    except SlagenError as exc:
        typer.echo(visible_lines(str(exc)), err=True)
        raise typer.Exit(2)
    if format is NegotiateFormat.json:
        sys.stdout.write(negotiation_json(result))
    else:
        sys.stdout.write(visible_lines(negotiation_text(result)))
    for w in written:
        if w.message():
            typer.echo(w.message(), err=format is NegotiateFormat.json)
