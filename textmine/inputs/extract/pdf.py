"""PDF files -> Documents: the text layer laid out as paragraphs, OCR where a page has no usable text.

1. Every page's text layer is judged (``quality``): usable, empty, unmapped
   fonts, garbage; usable layers are read as lines with geometry
   (``textlayer``), vertical writing is turned into lines.
2. Pages without usable text that show something (an image, or glyphs
   without Unicode) are rendered and read by Tesseract (``ocr``), in the
   language of the document. So are invisible OCR layers of scans that read
   badly, when Tesseract does better.
3. ``layout`` removes running headers and footers and writes each page as
   paragraphs.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from textmine.core.errors import ExtractionError
from textmine.core.progress import page_done
from textmine.inputs.extract import ocr
from textmine.inputs.extract.pdfstreams import check_streams
from textmine.inputs.extract.pdftables import put_rows, take_tables
from textmine.inputs.extract.layout import LaidOutPage, PageLines, lay_out, make_horizontal, page_text
from textmine.inputs.extract.quality import GOOD_WORDS, assess, decode_gbk_mojibake, word_score
from textmine.inputs.extract.textlayer import page_text as raw_page_text
from textmine.inputs.extract.textlayer import read_lines, text_turn
from textmine.core.types import Document, Page

_IMAGE, _TEXT, _FORM = 3, 1, 5  # FPDF_PAGEOBJ_IMAGE, FPDF_PAGEOBJ_TEXT, FPDF_PAGEOBJ_FORM
_INVISIBLE = 3  # FPDF_TEXTRENDERMODE_INVISIBLE


@dataclass
class _PageState:
    lines: PageLines
    problem: str = ""  # why the page needs OCR: scan, unmapped, garbage, weak ("" when it does not)
    note: str = ""  # what was wrong with the text layer, for the warning
    tables: list = field(default_factory=list)  # pdftables.Table: found in the text layer, placeholders in lines
    unloadable: bool = False  # PDFium cannot load the page: skipped, the other pages are kept


def read_pdf(path: Path, data: bytes, doc_id: str, settings) -> Document:
    import pypdfium2 as pdfium

    check_streams(data)
    pdf = _open(pdfium, data, settings.password)
    try:
        states = [_read_page(pdfium, pdf, i + 1) for i in range(len(pdf))]
        if states and all(state.unloadable for state in states):
            raise ExtractionError(f"corrupt PDF: none of its {len(states)} pages can be loaded", "open")
        metadata = {key.lower(): value for key, value in pdf.get_metadata_dict(skip_empty=True).items()}
        if any(state.problem for state in states):
            _ocr(pdf, states, settings, metadata)
    finally:
        pdf.close()
    laid = lay_out([state.lines for state in states])
    pages = tuple(_page(state, laid_page) for state, laid_page in zip(states, laid))
    metadata["page_count"] = len(pages)
    metadata["furniture"] = [laid_page.furniture for laid_page in laid]
    if not any(page.text.strip() for page in pages):
        _no_text(states)
    return Document(doc_id, str(path), pages, metadata=metadata)


def _open(pdfium, data: bytes, password: str | None):
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as error:
        if password and "password" in str(error).lower():
            try:  # one --password for a whole corpus: files with only an owner password open without it
                return pdfium.PdfDocument(data)
            except pdfium.PdfiumError:
                pass
        raise ExtractionError(_reason(str(error), password), "open") from error


def _read_page(pdfium, pdf, number: int) -> _PageState:
    """The page's text layer; a page PDFium cannot load or read is skipped with a warning, the others kept."""
    try:
        return _read_text_layer(pdf[number - 1], number)
    except pdfium.PdfiumError as error:
        state = _PageState(PageLines(number, 0.0, 0.0, []), unloadable=True)
        state.lines.warnings.append(f"page {number}: PDFium cannot load this page ({error}); skipped")
        return state


def _read_text_layer(page, number: int) -> _PageState:
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        raw = raw_page_text(textpage)
        verdict = assess(raw)
        state = _PageState(PageLines(number, width, height, []), note=verdict.warning)
        turn = 0
        if verdict.status == "ok":
            turn = text_turn(textpage, page.get_rotation())
            left, bottom, right, top = page.get_mediabox()
            state.lines.lines = read_lines(textpage, raw, turn, right - left, top - bottom)
            if verdict.text != raw:  # GBK read as Latin-1: decode every line again
                for line in state.lines.lines:
                    line.text = decode_gbk_mojibake(line.text)
            if verdict.words < GOOD_WORDS and _ocr_layer_over_image(page):
                state.problem = "weak"
        elif verdict.status == "empty":
            state.problem = "scan" if _shows_image(page) else ""
        else:
            state.problem = verdict.status
        vertical = make_horizontal(state.lines)
        if state.lines.lines and not vertical and not state.problem:
            _take_tables(page, state, turn)
    finally:
        textpage.close()
        page.close()
    if vertical:
        state.lines.warnings.append(f"page {number}: vertical writing, read top to bottom and right to left")
    return state


def _take_tables(page, state: _PageState, turn: int) -> None:
    """Tables become placeholder lines (rows written in after layout); a failure leaves the page's lines as they were."""
    lines = list(state.lines.lines)
    try:
        state.tables = take_tables(page, lines, state.lines.number, turn)
    except Exception as error:  # noqa: BLE001 - whatever goes wrong, the page's text must not be lost
        state.lines.warnings.append(f"page {state.lines.number}: table extraction failed ({type(error).__name__}: {error}); "
                                    "the page is read as text lines")
        return
    state.lines.lines = lines


def _shows_image(page) -> bool:
    return any(kind == _IMAGE for kind, _ in _objects(page))


def _ocr_layer_over_image(page) -> bool:
    """An invisible text layer on a page-sized image: the OCR layer of a scan."""
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    objects = list(_objects(page))
    return (any(kind == _IMAGE and _area(obj) >= 0.5 * width * height for kind, obj in objects)
            and any(kind == _TEXT and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == _INVISIBLE for kind, obj in objects))


def _objects(page, max_depth: int = 3) -> Iterator[tuple[int, ctypes.c_void_p]]:
    """(type, raw object) of what ``page.get_objects(max_depth=max_depth)`` yields, without making a Python object of
    each (a page has thousands)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    def walk(parent, count, get, level: int):
        number = count(parent)
        if number < 0:
            raise pdfium.PdfiumError("Failed to get number of pageobjects.")
        for index in range(number):
            obj = get(parent, index)
            if not obj:
                raise pdfium.PdfiumError("Failed to get pageobject.")
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            yield kind, obj
            if kind == _FORM and level < max_depth - 1:
                yield from walk(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, level + 1)

    return walk(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0)


def _area(obj) -> float:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        raise pdfium.PdfiumError("Failed to locate pageobject.")
    return (right.value - left.value) * (top.value - bottom.value)


def _ocr(pdf, states: list[_PageState], settings, metadata: dict) -> None:
    """Read the pages that need it with Tesseract; otherwise say why they are empty."""
    todo = [state for state in states if state.problem]
    program = ocr.tesseract() if settings.ocr else None
    if program is None:
        why = "OCR is turned off (--no-ocr)" if not settings.ocr else f"Tesseract is not installed ({ocr.INSTALL_HINT})"
        for state in todo:
            if state.problem != "weak":
                state.lines.warnings.append(f"page {state.lines.number}: {_problem_text(state)}; OCR is needed but {why}")
        return
    sample = "\n".join(line.text for state in states if not state.problem for line in state.lines.lines)[:5000]
    lang = settings.ocr_lang or ocr.language_for(sample, _catalog_lang(pdf))
    for number, state in enumerate(todo, start=1):
        page_done(number - 1, len(todo))
        page = pdf[state.lines.number - 1]
        try:
            image, scale = ocr.render(page)
        finally:
            page.close()
        lang = lang or ocr.detect_script(program, image) or "chi_sim+eng"
        try:
            lines = ocr.read_page(program, image, scale, lang, state.lines.height, settings.ocr_timeout or 600)
        except ExtractionError as error:
            state.lines.warnings.append(f"page {state.lines.number}: {_problem_text(state)}; OCR failed: {error}")
            continue
        _use_ocr(state, lines, lang)
    page_done(len(todo), len(todo))
    metadata["ocr_language"] = lang


def _use_ocr(state: _PageState, lines, lang: str) -> None:
    number = state.lines.number
    if state.problem == "weak":
        old = word_score("\n".join(l.text for l in state.lines.lines))[0]
        new = word_score("\n".join(l.text for l in lines))[0]
        if new <= old:
            return
        state.lines.warnings.append(f"page {number}: the OCR layer of this scan reads badly; read again by OCR ({lang})")
    else:
        state.lines.warnings.append(f"page {number}: {_problem_text(state)}; read by OCR ({lang})")
    state.lines.lines = lines
    state.lines.method = "ocr"
    state.note = ""


def _problem_text(state: _PageState) -> str:
    if state.problem == "scan":
        return "no text layer (a scan?)"
    return state.note or "the text layer reads badly"


def _page(state: _PageState, laid: LaidOutPage) -> Page:
    warnings = list(state.lines.warnings)
    if state.note and not state.problem:
        warnings.insert(0, f"page {state.lines.number}: {state.note}")
    rows: tuple = ()
    if state.tables:
        paragraphs, blocks = put_rows(laid.paragraphs, state.tables, state.lines.number)
        ends_in_table = bool(blocks) and paragraphs[-1][-1] == blocks[-1].text
        laid = replace(laid, paragraphs=paragraphs, continues=laid.continues and not ends_in_table)
        rows = tuple(blocks)
    return Page(state.lines.number, page_text(laid), state.lines.method, tuple(warnings), rows, tuple(laid.headings))


def _no_text(states: list[_PageState]) -> None:
    blocked = [state for state in states if state.problem and state.lines.method != "ocr"]
    if blocked:
        pages: dict[str, list[str]] = {}  # reason -> page numbers
        for state in blocked:
            for warning in state.lines.warnings:
                number, _, reason = warning.partition(": ")
                pages.setdefault(reason, []).append(number.removeprefix("page "))
        reasons = [f"page{'s' if len(n) > 1 else ''} {_ranges(n)}: {reason}" for reason, n in pages.items()]
        raise ExtractionError(f"no readable text: {'; '.join(reasons) or 'OCR is needed'}", "ocr")
    raise ExtractionError("no text found in the document", "extract")


def _ranges(numbers: list[str]) -> str:
    """"1, 2, 3, 5" -> "1-3, 5"."""
    values, out = sorted(int(n) for n in numbers), []
    for value in values:
        if out and out[-1][1] == value - 1:
            out[-1][1] = value
        else:
            out.append([value, value])
    return ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in out)


def _catalog_lang(pdf) -> str:
    import pypdfium2.raw as pdfium_c

    size = pdfium_c.FPDFCatalog_GetLanguage(pdf.raw, None, 0)
    if size <= 2:
        return ""
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_c.FPDFCatalog_GetLanguage(pdf.raw, buffer, size)
    return bytes(memoryview(buffer)).decode("utf-16-le", "ignore").rstrip("\x00")


def _reason(message: str, password: str | None) -> str:
    lowered = message.lower()
    if "password" in lowered:
        if password:
            return "encrypted PDF: the password given does not open it"
        return "encrypted PDF: a password is needed to open it (use --password)"
    if "format" in lowered or "file" in lowered:
        detail = message.split("(")[-1].rstrip(").")
        return f"corrupt or truncated PDF ({detail})"
    return f"cannot open PDF: {message}"
