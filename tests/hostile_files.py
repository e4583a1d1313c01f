"""Small hostile and broken input files for the hardening tests (issue 10), generated on the fly.

Bombs here only *declare* huge sizes (a zip entry whose header claims gigabytes) or expand
from a few kilobytes: no test writes or reads gigabytes. ``real_*`` variants really expand,
for measuring memory in benchmarks and reproductions, with the size given by the caller.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

SENTENCE = "Article 1. The region supports research cooperation between universities and firms."


def pdf(objects: list[bytes]) -> bytes:
    """A PDF file of ``objects`` (object 1 is the catalog), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _text_content(text: str) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_with_broken_page() -> bytes:
    """Two pages, /Kids [3 0 R 4 0 R]: page 1 reads, page 2 is not a page dictionary PDFium can load."""
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Resources << /Font << /F1 6 0 R >> >> >>",
        b"42",
        _stream(_text_content(SENTENCE)),
        _FONT,
    ])


def pdf_with_content(content: bytes, filters: bytes = b"") -> bytes:
    """One page whose content stream is ``content`` (already encoded by ``filters``)."""
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content, filters),
        _FONT,
    ])


def flate_of_spaces(size: int, prefix: bytes = b"") -> bytes:
    """zlib data that expands to ``prefix`` plus ``size`` spaces, made in bounded memory (about 1 MB per GiB)."""
    packer = zlib.compressobj(9)
    parts = [packer.compress(prefix)]
    chunk = b" " * (1 << 20)
    for _ in range(size >> 20):
        parts.append(packer.compress(chunk))
    parts.append(packer.compress(b" " * (size & ((1 << 20) - 1))))
    parts.append(packer.flush())
    return b"".join(parts)


def pdf_content_bomb(size: int) -> bytes:
    """A page with real text whose Flate content stream expands to ``size`` bytes."""
    return pdf_with_content(flate_of_spaces(size, _text_content(SENTENCE) + b"\n"), b"/Filter /FlateDecode")


def minimal_docx(text: str = SENTENCE) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_declaring(part: str, declared: int, text: str = SENTENCE) -> bytes:
    """A .docx whose ``part`` (added, or replacing word/document.xml) has a zip header claiming ``declared`` bytes.

    The entry's real data is small: only the sizes in the headers lie, as in a zip bomb."""
    source = zipfile.ZipFile(io.BytesIO(minimal_docx(text)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info, source.read(info))
        target.writestr(part, source.read(part) if part in source.namelist() else b"\0" * 4096)
    data = bytearray(buffer.getvalue())
    name = part.encode()
    for signature, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            name_at = at + (46 if signature == b"PK\x01\x02" else 30)
            if data[name_at : name_at + len(name)] == name:
                data[at + size_at : at + size_at + 4] = struct.pack("<I", min(declared, 0xFFFFFFFE))
            at += 4
    return bytes(data)


def real_docx_bomb(part: str, size: int) -> bytes:
    """A .docx referencing an image part that really expands to ``size`` zero bytes (a few MB per GiB)."""
    source = zipfile.ZipFile(io.BytesIO(minimal_docx()))
    buffer = io.BytesIO()
    rels = "word/_rels/document.xml.rels"
    link = (f'<Relationship Id="rIdBomb" Target="{part.removeprefix("word/")}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/></Relationships>')
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == rels:
                data = data.replace(b"</Relationships>", link.encode())
            target.writestr(info, data)
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as handle:
            chunk = b"\0" * (1 << 20)
            for _ in range(size >> 20):
                handle.write(chunk)
    return buffer.getvalue()


def docx_entity_bomb(levels: int = 9) -> bytes:
    """A .docx whose document.xml declares nested entities ("billion laughs": 10**levels times "lol")."""
    source = zipfile.ZipFile(io.BytesIO(minimal_docx()))
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, levels + 1))
    head, rest = source.read("word/document.xml").decode().split("?>", 1)
    xml = f"{head}?><!DOCTYPE w:document [{entities}]>{rest.replace(SENTENCE, SENTENCE + f' &a{levels};')}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, xml.encode() if info.filename == "word/document.xml" else source.read(info))
    return buffer.getvalue()


def deep_jsonl_line(depth: int) -> str:
    return '{"text": "' + SENTENCE + '", "m": ' + "[" * depth + "]" * depth + "}"


def alias_bomb(levels: int = 9) -> str:
    """A quanteda-style lexicon of ~650 bytes whose aliases stand for 9**levels term lists."""
    keys = "qwertyuio"
    lines = ["a: &a {" + ", ".join(f"{k}: [lol]" for k in keys) + "}"]
    for previous, name in zip("abcdefghijk", "bcdefghijkl"[: levels - 1]):
        lines.append(f"{name}: &{name} {{" + ", ".join(f"{k}: *{previous}" for k in keys) + "}")
    return "\n".join(lines) + "\n"
