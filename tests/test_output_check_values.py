"""The output check is about the documents, not about what customers call things.

A title may legitimately hold '{{' or '[tbc]' (a project name, a placeholder the customer wants
printed), and the SOW's cover prints the title in capitals; the check must still recognise it as
the contract's own value. A value longer than a page (a customer name pasted 3,000 times) is
refused by validation at its line, in one short message, never dumped whole to the terminal.
"""

from __future__ import annotations

import pytest

from conftest import REFERENCE
from slagen.errors import InvalidInput
from slagen.library.contracts import load_contract
from slagen.model.limits import LONGEST_LINE
from slagen.pipeline.render import output_problems, render_documents

ODD_TITLE = "Managed IT {{ Services [tbc] Agreement"


def contract_with(old: str, new: str):
    text = REFERENCE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    return load_contract(str(REFERENCE), text.replace(old, new).encode("utf-8"))


def test_a_value_printed_in_capitals_is_still_the_contracts_own_value():
    contract = contract_with("title: Managed IT Services Agreement", f'title: "{ODD_TITLE}"')
    cover = f"STATEMENT OF WORK {ODD_TITLE.upper()} between {contract.provider.name} and {contract.customer.name}"
    assert output_problems(cover, contract, []) == []
    # ... while the same marks outside any value are still found
    assert output_problems(cover + " fees [tbc]", contract, []) != []


def test_the_statement_of_work_pdf_renders_with_template_marks_in_its_title():
    contract = contract_with("title: Managed IT Services Agreement", f'title: "{ODD_TITLE}"')
    [(name, data)] = render_documents(contract, docs=("sow",), formats=("pdf",), source="acme.yaml")
    assert name.endswith("-sow.pdf") and data.startswith(b"%PDF")


def test_a_customer_name_longer_than_a_page_is_refused_at_its_line_in_a_few_words():
    pasted = " ".join(["Hill Country Veterinary"] * 1000)  # 3,000 words, 23,999 characters
    with pytest.raises(InvalidInput) as caught:
        contract_with("name: Acme Dental Group Ltd", f"name: {pasted}")
    [problem] = caught.value.problems
    message = str(problem)
    assert ":22:9: error: the text is 23,999 characters long; a name, title, reference or address can be at " \
           f"most {LONGEST_LINE}" in message
    assert message.endswith("(at customer.name)")
    assert len(message) < 400


def test_a_missing_value_is_quoted_shortened_in_the_message():
    contract = contract_with("title: Managed IT Services Agreement", "title: Managed IT Services Agreement")
    long_value = "Hill Country Veterinary " * 20
    [problem] = output_problems("some other text", contract, [("customer", long_value)])
    assert problem.startswith("the customer 'Hill Country Veterinary Hill Country")
    assert "...' does not appear in the document" in problem
    assert len(problem) < 140
