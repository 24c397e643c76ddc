"""Contract file -> agreement and statement of work, as DOCX and PDF, checked before they land.

Every document is built in memory, then checked (:func:`output_problems`): the text that was
actually laid out in the PDF, or written into the DOCX, must hold every key value (parties,
reference, targets, fees), and no template syntax or drafting placeholder may remain outside
the contract's own values. Only when every output of a contract passes are the files written,
each atomically. An invalid contract raises ``InvalidInput`` before anything is built.
"""

from __future__ import annotations

import re
import sys
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Callable, Iterable

from slagen.errors import SlagenError, UsageError

DOCS = ("agreement", "sow")
FORMATS = ("docx", "pdf")
_MARKERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\[(?:●|•|…|\.\.\.|insert|tbc|tbd|todo|xx+)", re.IGNORECASE)


def output_name(reference: str, kind: str, fmt: str) -> str:
    """'NW-ACME-2027-01-agreement.pdf': named after the agreement reference."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", reference).strip("._") or "contract"
    return f"{safe}-{kind}.{fmt}"


def _squash(value: str) -> str:
    return re.sub(r"\s+", "", value)


def _strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def output_problems(text: str, contract, expected: list[tuple[str, str]]) -> list[str]:
    """What is wrong with a document's text: key values missing, template syntax left over."""
    flat = _squash(text)
    problems = [f"the {label} '{_shortened(value)}' does not appear in the document"
                for label, value in expected if _squash(value) not in flat]
    # The contract's own values may legitimately contain '{{' or '[...]': take them out first, in
    # any case, since a cover or heading may print a value in capitals (CSS text-transform).
    for value in sorted({_squash(s) for s in _strings(contract.model_dump())}, key=len, reverse=True):
        if len(value) > 1:
            flat = re.sub(re.escape(value), "", flat, flags=re.IGNORECASE).replace(value.upper(), "")
    for match in _MARKERS.finditer(flat):
        context = flat[max(0, match.start() - 30): match.end() + 30]
        problems.append(f"'{match.group(0)}' survived rendering (near '{context}')")
    return problems


def _shortened(value: str, most: int = 80) -> str:
    """A value as a message quotes it: a name pasted a thousand times over is not repeated whole."""
    return value if len(value) <= most else f"{value[:most - 3]}..."


def docx_text(data: bytes) -> str:
    """The text of a DOCX's body, headers and footers, paragraph by paragraph."""
    out = []
    with zipfile.ZipFile(BytesIO(data)) as z:
        for name in sorted(z.namelist()):
            if name == "word/document.xml" or re.match(r"word/(header|footer)\d*\.xml$", name):
                xml = z.read(name).decode("utf-8")
                for para in re.findall(r"<w:p[ >].*?</w:p>", xml, re.DOTALL):
                    runs = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para)
                    out.append("".join(runs))
    import html

    return html.unescape("\n".join(out))


def _write_docx(document, brand=None, pages: dict[str, int] | None = None) -> tuple[bytes, str]:
    try:
        from slagen.writers.docx import write_docx
    except ModuleNotFoundError as exc:
        if exc.name != "slagen.writers.docx":
            raise
        raise UsageError("error: this build of slagen has no DOCX writer; use --format pdf") from None
    data = write_docx(document, brand=brand, page_numbers=pages)
    return data, docx_text(data)


# progress(step, k, n): step k of n is starting; a long render says what it is doing through it.
Progress = Callable[[str, int, int], None]

_DOC_NAMES = {"agreement": "agreement", "sow": "statement of work"}


def render_steps(docs, formats) -> list[str]:
    """What :func:`render_documents` does, in order, one sentence a step (its progress reports)."""
    steps = []
    for kind in docs:
        steps.append(f"Composing the clauses of the {_DOC_NAMES.get(kind, kind)}")
        if "pdf" in formats:
            steps.append("Laying out the PDF")
        if "docx" in formats:
            if "pdf" not in formats:  # the contents' page numbers come from a layout
                steps.append("Laying out the pages for the table of contents")
            steps.append("Writing the DOCX")
    return steps


def render_documents(contract, docs=DOCS, formats=FORMATS, *, pdf_variant: str | None = None,
                     source: str = "", library=None, positions=None,
                     release_note: str | None = None, progress: Progress | None = None) -> list[tuple[str, bytes]]:
    """(file name, bytes) for each document and format, every one checked; nothing is written.

    ``library`` is a resolved :class:`slagen.library.folder.Library` (clauses, outlines, brand and
    print styles), a bare clause library (outlines and style then from the packaged default), or
    None for the packaged default. ``positions`` (the contract's YamlSource) lets a layout error
    point at the value's line. ``release_note`` (from :func:`slagen.review.approval.release_note`) is
    the record of a final contract released over its review: it goes into the internal review sheet,
    returned as one more output (``<reference>-review.docx``), and never into the documents; the gate
    itself is applied by the callers that read a contract file (``render_contract``, ``slagen render``).
    ``progress`` is told each step as it starts (see :func:`render_steps`).
    """
    from slagen.compose.assemble import OutputCheckError, assemble, key_values, load_outline
    from slagen.compose.library import load_house_library
    from slagen.library.folder import Library, default_library

    if library is None or isinstance(library, Library):
        house = library or default_library()
        clauses = load_house_library(house)
    else:  # a bare clause library: outlines, brand and print styles from the packaged default
        house, clauses = default_library(), library
    brand, css = house.brand(), house.css()

    kinds = list(docs)
    if "sow" in kinds and contract.sow is None:
        if len(kinds) == 1:
            raise UsageError(f"{source}: error: the contract has no 'sow' section, so there is no statement of "
                             "work to render")
        kinds.remove("sow")
    steps = iter(enumerate(render_steps(kinds, formats), 1))
    total = len(render_steps(kinds, formats))

    def step() -> None:
        if progress is not None:
            k, text = next(steps)
            progress(text, k, total)

    outputs = []
    for kind in kinds:
        step()
        outline = load_outline(kind, house.template_dir)
        document = assemble(contract, kind, library=clauses, outline=outline)
        _no_draft_clauses_in_final(contract, document, source)
        expected = key_values(contract, kind)
        made: dict[str, tuple[str, bytes]] = {}
        pages: dict[str, int] | None = None  # where each clause starts in the PDF: the DOCX contents use it
        # The PDF first when both are wanted: its layout gives the DOCX contents their page numbers.
        for fmt in sorted(formats, key=lambda f: f != "pdf"):
            if fmt == "pdf":
                from slagen.writers.pdf import LayoutError, render_pdf

                pages = {}
                step()
                try:
                    data, text = render_pdf(document, variant=pdf_variant, brand=brand, css=css, pages=pages)
                except LayoutError as exc:
                    name = output_name(contract.agreement.reference, kind, fmt)
                    raise OutputCheckError(_layout_message(exc, name, source, positions)) from None
            elif fmt == "docx":
                if pages is None:  # no PDF wanted: lay the document out for the contents' pages only
                    from slagen.writers.pdf import page_numbers

                    step()
                    pages = page_numbers(document, brand=brand, css=css)
                step()
                data, text = _write_docx(document, brand, pages)
            else:
                raise UsageError(f"error: '{fmt}' is not a format; use docx or pdf")
            name = output_name(contract.agreement.reference, kind, fmt)
            problems = output_problems(text, contract, expected)
            if problems:
                raise OutputCheckError("\n".join(f"{source}: error: {name}: {p}; nothing was written"
                                                 for p in problems))
            made[fmt] = (name, data)
        outputs.extend(made[fmt] for fmt in formats)
    if release_note:
        from slagen.review.approval import release_sheet

        outputs.append((output_name(contract.agreement.reference, "review", "docx"),
                        release_sheet(contract, positions, release_note, source=source, house=house)))
    return outputs


def _layout_message(exc, name: str, source: str, positions) -> str:
    """'FILE:LINE:COL: error: the text ... runs past the edge' at the contract value that holds the
    overflowing text, when one does (else at the file: the text came from a clause)."""
    detail = f"{str(exc).removeprefix('error: ')} (in {name}); nothing was written"
    from slagen.writers.pdf import CoverLayoutError

    if isinstance(exc, CoverLayoutError) and positions is not None:  # the title is what a user shortens
        return str(positions.problem(("agreement", "title"), detail))
    longest = max(exc.text.split() or [""], key=len)
    if positions is not None and longest:
        for loc, value in _string_values(positions.data, ()):
            if longest in value:
                return str(positions.problem(loc, detail))
    return f"{source}: error: {detail}"


def _string_values(value, loc: tuple):
    """(YAML path, text) for every string in plain contract data, in file order."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _string_values(child, (*loc, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _string_values(child, (*loc, index))


def _no_draft_clauses_in_final(contract, document, source: str) -> None:
    """A document marked final carries no DRAFT mark, so it must not carry draft clauses either."""
    if contract.agreement.status != "final":
        return
    drafts = [f"{entry.id} {entry.version}" for entry in document.metadata.get("register", ())
              if entry.status == "draft"]
    if drafts:
        from slagen.compose.assemble import OutputCheckError

        raise OutputCheckError(
            f"{source}: error: the agreement is marked final, but its {document.kind} uses clauses still in "
            f"draft ({', '.join(drafts)}): approve them in the clause library, or set agreement.status to "
            "draft; nothing was written"
        )


def reference_collisions(loaded: list[tuple[Path, object, object]]) -> list:
    """Problems for contracts whose files would land on another's: (file, contract, YamlSource)
    in command-line order. Each later contract is pointed at its reference, naming the first file."""
    from slagen.errors import Problem

    first_with: dict[str, Path] = {}
    problems: list[Problem] = []
    for file, contract, doc in loaded:
        reference = contract.agreement.reference
        stem = output_name(reference, "agreement", "pdf").removesuffix("-agreement.pdf")
        if stem not in first_with:
            first_with[stem] = file
            continue
        if Path(file).resolve() == Path(first_with[stem]).resolve():
            problems.append(doc.problem((), "this file is given twice; give it once"))
            continue
        problems.append(doc.problem(("agreement", "reference"), (
            f"{file} and {first_with[stem]} both have the agreement reference '{reference}', so their "
            f"documents would overwrite each other ({stem}-agreement.pdf, ...); give each contract its own "
            "reference; nothing was rendered")))
    return problems


def same_version_changed(targets) -> list[str]:
    """Warnings for DOCX files about to be replaced by different content under the same reference and
    version: two copies that both say "version 1.0" but differ are the confusion a version number
    exists to prevent, so the person rendering is told to give the new terms a version of their own."""
    warnings = []
    for target, data in targets:
        target = Path(target)
        if target.suffix != ".docx" or not target.is_file():
            continue
        try:
            old = target.read_bytes()
            if old == data:
                continue
            with zipfile.ZipFile(BytesIO(old)) as before, zipfile.ZipFile(BytesIO(data)) as after:
                stamps = [re.search(rb"<dc:identifier>(.*?)</dc:identifier>.*?<cp:version>(.*?)</cp:version>|"
                                    rb"<cp:version>(.*?)</cp:version>.*?<dc:identifier>(.*?)</dc:identifier>",
                                    z.read("docProps/core.xml"), re.DOTALL) for z in (before, after)]
        except (OSError, KeyError, zipfile.BadZipFile):
            continue  # not a DOCX slagen wrote: nothing to compare
        if None in stamps:
            continue
        (old_ref, old_version), (ref, version) = [(m.group(1) or m.group(4), m.group(2) or m.group(3)) for m in stamps]
        if (old_ref, old_version) == (ref, version) and version:
            warnings.append(f"{target}: warning: this file already holds version {version.decode()} of "
                            f"{ref.decode()} with different content; the new render replaces it under the same "
                            "version: change agreement.version so the two cannot be mistaken for each other")
    return warnings


def render_contract(path: str | Path, docs=DOCS, formats=FORMATS, out_dir: str | Path = "out", *,
                    pdf_variant: str | None = None, library_dir: str | Path | None = None,
                    override_review: str | None = None) -> list[Path]:
    """Render one contract file; returns the paths written. Raises before writing on any problem,
    and writes its files all together or not at all. The library is ``library_dir`` when given,
    else found as :func:`slagen.library.folder.resolve_library` says. A contract marked final
    renders only when its legal review blocks nothing, or with ``override_review`` (a reason),
    which the documents then record."""
    from slagen.library.folder import resolve_library
    from slagen.library.contracts import load_with_positions
    from slagen.source.output import write_all
    from slagen.review.approval import check_override_reason, release_note

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: error: no such file")
    reason = check_override_reason(override_review)
    contract, positions = load_with_positions(path)  # InvalidInput: nothing is built, nothing written
    library = resolve_library(path, library_dir)
    note = release_note(contract, positions, source=str(path), override_reason=reason, house=library)
    outputs = render_documents(contract, docs, formats, pdf_variant=pdf_variant, source=str(path),
                               positions=positions, library=library, release_note=note)
    targets = [(Path(out_dir) / name, data) for name, data in outputs]
    for warning in same_version_changed(targets):
        print(warning, file=sys.stderr)  # the caller is told before anything is replaced
    write_all(targets)
    return [target for target, _ in targets]


__all__ = ["render_contract", "render_documents", "output_problems", "output_name", "SlagenError"]
