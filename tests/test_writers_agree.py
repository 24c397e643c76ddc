"""Both writers print everything in the tree: a text in the DOCX but not the PDF is a bug.

For the agreement and the SOW of every example, every paragraph, list item, table cell and
heading of the document tree must appear, word for word, in the DOCX and in the HTML that
becomes the PDF.
"""

import html
import re
from io import BytesIO

import docx
import pytest
from docx.oxml.ns import qn

from conftest import EXAMPLES
from slagen.compose.assemble import assemble
from slagen.document import ListBlock, Paragraph, Section, Table, plain_text, walk
from slagen.library.contracts import load_contract
from slagen.writers.docx import write_docx
from slagen.writers.html import write_html


def tree_texts(document) -> list[str]:
    texts = []
    for block in walk(document.blocks):
        if isinstance(block, Section):
            texts.append(block.title)
        elif isinstance(block, Paragraph):
            texts.append(plain_text(block.inlines))
        elif isinstance(block, Table):
            texts += [plain_text(cell) for row in (block.header, *block.rows) for cell in row]
    return [normal(t) for t in texts if normal(t)]


def normal(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _text(paragraph) -> str:
    # every w:t, including those of a value's content control, which python-docx's .text skips
    return "".join(t.text or "" for t in paragraph._p.iter(qn("w:t")))


def docx_text(data: bytes) -> str:
    word = docx.Document(BytesIO(data))
    parts = [_text(p) for p in word.paragraphs]

    def cells(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(_text(p) for p in cell.paragraphs)
                    cells(cell.tables)

    cells(word.tables)
    return normal(" \n ".join(parts))


def html_text(page: str) -> str:
    body = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    body = re.sub(r"</?(strong|em|b|i|span|a)\b[^>]*>", "", body)  # inline tags join their text
    body = re.sub(r"<br\s*/?>", "\n", body)
    return normal(html.unescape(re.sub(r"<[^>]+>", " ", body)))


# Every example's agreement, and its SOW where it has one (the minimal example has none).
CASES = [(example, kind) for example in sorted(EXAMPLES.glob("*.yaml")) for kind in ("agreement", "sow")
         if kind == "agreement" or load_contract(example).sow is not None]


@pytest.mark.parametrize("example, kind", CASES, ids=[f"{e.stem}-{k}" for e, k in CASES])
def test_every_text_of_the_tree_is_in_both_outputs(example, kind):
    document = assemble(load_contract(example), kind)
    in_docx, in_html = docx_text(write_docx(document)), html_text(write_html(document))
    texts = tree_texts(document)
    assert len(texts) > 20
    missing_docx = [t for t in texts if t not in in_docx]
    missing_html = [t for t in texts if t not in in_html]
    assert missing_docx == [] and missing_html == []
