"""One reader per file type: bytes on disk to `Document`s of locatable units.

A reader returns one `Document`, or a list of them when a file holds others
(an e-mail with attachments: the message first, then one document per attachment).
"""

from __future__ import annotations

import email
import email.policy
import io
import logging
import re
from collections.abc import Callable
from email.message import EmailMessage, Message
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath, PureWindowsPath

from charset_normalizer import from_bytes

from pipeline.case.documents import Document, InputError, Unit

Reader = Callable[[str, bytes], Document | list[Document]]
_PREFERRED = ["cp1252", "latin_1", "iso8859_15", "cp1250"]
NO_TEXT_LAYER = "no text layer (scanned PDF?); OCR it first"
EMAIL_HEADERS = ("From", "To", "Cc", "Date", "Subject")
_MAX_NESTING = 3

# pypdf logs repairs of malformed files as warnings; without a handler Python prints them
# to stderr, which would break the one-line error contract. They still propagate to any
# handler the application configures.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


def decode_text(name: str, data: bytes) -> str:
    """UTF-8 (with or without BOM), else the encoding charset-normalizer detects."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    results = list(from_bytes(data))
    if not results:
        raise InputError(f"{name}: not UTF-8 and no text encoding could be detected")
    best = results[0]
    tied = [r for r in results if (r.chaos, r.coherence) == (best.chaos, best.coherence)]
    return str(min(tied, key=lambda r: _PREFERRED.index(r.encoding) if r.encoding in _PREFERRED else len(_PREFERRED)))


def read_text(name: str, data: bytes) -> Document:
    """Plain text and Markdown: one unit per line."""
    text = decode_text(name, data).replace("\r\n", "\n").replace("\r", "\n")
    units = [Unit(locator=f"line {i}", text=line) for i, line in enumerate(text.split("\n"), 1)]
    return Document(name=name, kind=Path(name).suffix.lstrip(".").lower() or "txt", units=units)


# --- PDF ------------------------------------------------------------------------------


def read_pdf(name: str, data: bytes) -> Document:
    """PDF with a text layer: one unit per page ("page N"); pages without text are warned about."""
    from pypdf import PasswordType, PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise InputError(f"{name}: the PDF is password-protected; remove the password first")
        pages = list(reader.pages)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on damaged input
        raise InputError(f"{name}: not a readable PDF ({_reason(exc)})") from None
    if not pages:
        raise InputError(f"{name}: the PDF has no pages")
    units: list[Unit] = []
    blank: list[int] = []
    for number, page in enumerate(pages, 1):
        try:
            text = page.extract_text() or ""
        except Exception:  # noqa: BLE001 - one broken page should not lose the others
            text = ""
        text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip("\n")
        if text.strip():
            units.append(Unit(locator=f"page {number}", text=text))
        else:
            blank.append(number)
    if not units:
        raise InputError(f"{name}: {NO_TEXT_LAYER}")
    warnings = []
    if blank:
        which = "page" if len(blank) == 1 else "pages"
        warnings.append(f"{which} {', '.join(map(str, blank))}: {NO_TEXT_LAYER}")
    return Document(name=name, kind="pdf", units=units, metadata={"pages": str(len(pages))}, warnings=warnings)


# --- DOCX -----------------------------------------------------------------------------


def read_docx(name: str, data: bytes) -> Document:
    """Word: non-empty paragraphs ("paragraph N") and table rows ("table T, row R"), in body order; runs a
    reader cannot see (hidden, white or tiny) are kept in `Document.hidden` too."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        units: list[Unit] = []
        hidden: list[Unit] = []
        paragraphs = tables = 0
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                tables += 1
                for r, row in enumerate(block.rows, 1):
                    cells = _row_cells(row)
                    if any(cells):
                        locator = f"table {tables}, row {r}"
                        units.append(Unit(locator=locator, text=" | ".join(cells)))
                        hidden += [Unit(locator=locator, text=text) for cell in row.cells
                                   for p in cell.paragraphs for text in _invisible_runs(p)]
            else:
                text = block.text.strip()
                if text:
                    paragraphs += 1
                    locator = f"paragraph {paragraphs}"
                    units.append(Unit(locator=locator, text=text))
                    hidden += [Unit(locator=locator, text=t) for t in _invisible_runs(block)]
    except Exception as exc:  # noqa: BLE001 - zip, XML and package errors alike
        raise InputError(f"{name}: not a readable Word (.docx) document ({_reason(exc)})") from None
    return Document(name=name, kind="docx", units=units, hidden=list({(u.locator, u.text): u for u in hidden}.values()))


TINY_PT = 4.0
"""Word text smaller than this (in points) is not meant to be read."""


def _is_invisible(run) -> bool:
    """Hidden, white (or nearly) or tiny text."""
    font = run.font
    if font.hidden:
        return True
    if font.size is not None and font.size.pt < TINY_PT:
        return True
    rgb = font.color.rgb if font.color is not None and font.color.type is not None else None
    return rgb is not None and min(rgb) >= 0xF0


def _invisible_runs(paragraph) -> list[str]:
    """The texts of a paragraph's stretches of consecutive invisible runs."""
    stretches, current = [], []
    for run in paragraph.runs:
        if _is_invisible(run):
            current.append(run.text)
        elif current:
            stretches.append("".join(current))
            current = []
    if current:
        stretches.append("".join(current))
    return [" ".join(s.split()) for s in stretches if s.strip()]


def _row_cells(row) -> list[str]:
    """Cell texts of a table row; a merged cell counts once."""
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(cell.text.split()))
    return cells


# --- E-mail ---------------------------------------------------------------------------


def read_eml(name: str, data: bytes) -> list[Document]:
    """E-mail: headers and body lines, then one document per supported attachment."""
    return _read_message(name, data, depth=0)


def _read_message(name: str, data: bytes, depth: int) -> list[Document]:
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"{name}: not a readable e-mail ({_reason(exc)})") from None
    metadata: dict[str, str] = {}
    for header in EMAIL_HEADERS:
        value = _header(msg, header)
        if value:
            metadata[header] = value
    units = [Unit(locator="header", text=f"{k}: {v}") for k, v in metadata.items()]
    warnings: list[str] = []
    body = _body_text(msg)
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    units += [Unit(locator=f"line {i}", text=line) for i, line in enumerate(lines, 1)]

    attached: list[Document] = []
    names: list[str] = []
    for index, part in enumerate(_attachments(msg), 1):
        filename = _safe_filename(part.get_filename() or "")
        is_message = part.get_content_type() == "message/rfc822"
        if not filename and is_message:
            filename = f"attachment-{index}.eml"
        if not filename:
            continue
        filename = _unique(filename, names)
        names.append(filename)
        suffix = PurePosixPath(filename).suffix.lower()
        if not is_message and suffix not in ATTACHMENT_READERS:
            continue
        child = f"{name}/{filename}"
        if is_message or suffix == ".eml":
            if depth >= _MAX_NESTING:
                warnings.append(f"attachment {filename}: e-mails nested more than {_MAX_NESTING} deep are left out")
                continue
        try:
            payload = _message_bytes(part) if is_message else _part_bytes(part)
            if is_message or suffix == ".eml":
                attached += _read_message(child, payload, depth + 1)
            else:
                result = ATTACHMENT_READERS[suffix](child, payload)
                attached += [result] if isinstance(result, Document) else result
        except InputError as exc:
            warnings.append(f"attachment left out: {exc}")
    if names:
        metadata["Attachments"] = ", ".join(names)
    comments = [Unit(locator=f"html comment {i}", text=c) for i, c in enumerate(_html_comments(msg), 1)]
    doc = Document(name=name, kind="eml", units=units, metadata=metadata, warnings=warnings, hidden=comments)
    return [doc, *attached]


def _header(msg: Message, header: str) -> str:
    try:
        values = msg.get_all(header) or []
        return " ".join(", ".join(str(v) for v in values).split())
    except Exception:  # noqa: BLE001 - a malformed header is left out, not fatal
        return ""


def _body_text(msg: EmailMessage) -> str:
    """The text/plain body, else the text/html body as text, else ''."""
    try:
        part = msg.get_body(preferencelist=("plain",))
        if part is not None:
            return _part_text(part)
        part = msg.get_body(preferencelist=("html",))
        if part is not None:
            return html_to_text(_part_text(part))
    except InputError:
        return ""
    return ""


def _html_comments(msg: EmailMessage) -> list[str]:
    """The comments of the HTML body (a mail client never shows them; Outlook's conditional ones left out)."""
    try:
        part = msg.get_body(preferencelist=("html",))
        html = _part_text(part) if part is not None else ""
    except InputError:
        return []
    parser = _HTMLComments()
    parser.feed(html)
    parser.close()
    return parser.comments


class _HTMLComments(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.comments: list[str] = []

    def handle_comment(self, data):
        text = " ".join(data.split())
        if text and not text.startswith(("[if", "[endif")):
            self.comments.append(text)


def _attachments(msg: EmailMessage) -> list[Message]:
    try:
        return list(msg.iter_attachments())
    except Exception:  # noqa: BLE001
        return []


def _part_bytes(part: Message) -> bytes:
    """An attachment's bytes; text parts re-encoded to UTF-8 from their declared charset."""
    raw = part.get_payload(decode=True)
    if raw is None:
        return b""
    if part.get_content_maintype() == "text":
        charset = part.get_content_charset()
        if charset:
            try:
                return raw.decode(charset).encode("utf-8")
            except (LookupError, UnicodeDecodeError):
                pass
    return raw


def _message_bytes(part: Message) -> bytes:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else payload
    if isinstance(inner, Message):
        return inner.as_bytes()
    return part.get_payload(decode=True) or b""


def _part_text(part: Message) -> str:
    """A text part decoded: its declared charset, else UTF-8 or the detected encoding."""
    raw = part.get_payload(decode=True) or b""
    charset = part.get_content_charset()
    if charset:
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text("body", raw) if raw else ""


def _safe_filename(filename: str) -> str:
    """The last path component of an attachment name, never a path."""
    filename = PureWindowsPath(PurePosixPath(filename.strip()).name).name
    return "".join(c for c in filename if c.isprintable()).strip(" .")


def _unique(filename: str, taken: list[str]) -> str:
    if filename not in taken:
        return filename
    stem, suffix = PurePosixPath(filename).stem, PurePosixPath(filename).suffix
    n = 2
    while f"{stem} ({n}){suffix}" in taken:
        n += 1
    return f"{stem} ({n}){suffix}"


class _HTMLText(HTMLParser):
    """Just enough HTML to text: block tags break lines, script/style are dropped."""

    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
             "blockquote", "pre", "hr", "section", "article", "header", "footer", "title"}
    SKIP = {"script", "style", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()).strip(" |") for line in "".join(parser.parts).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())[:120]
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__


READERS: dict[str, Reader] = {
    ".md": read_text, ".markdown": read_text, ".txt": read_text,
    ".pdf": read_pdf, ".docx": read_docx, ".eml": read_eml,
}
ATTACHMENT_READERS: dict[str, Reader] = {
    s: READERS[s] for s in (".pdf", ".docx", ".txt", ".md", ".markdown", ".eml")
}


def reader_for(path: Path) -> Reader | None:
    return READERS.get(path.suffix.lower())
