"""Readers for PDF, DOCX and EML, with fixtures built at runtime (no binary fixtures committed)."""

from __future__ import annotations

import io
import os
from email.message import EmailMessage
from pathlib import Path

import pytest

from pipeline.case.documents import Document, InputError
from pipeline.case.loading import load_case
from pipeline.case.readers import NO_TEXT_LAYER, html_to_text, read_docx, read_eml, read_pdf, read_text
from pipeline.checks.evidence import SourceIndex
from tests.conftest import ROOT

fpdf = pytest.importorskip("fpdf")
docx = pytest.importorskip("docx")

PAGE_1 = "Lease of Warehouse B, Drammen.\nThe annual rent is NOK 2 400 000, payable quarterly in advance."
PAGE_2 = "Clause 9: The tenant may terminate on 6 months written notice after 31 March 2027."
DOCX_MIME = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


# --- fixture builders -----------------------------------------------------------------


def make_pdf(*pages: str | None) -> bytes:
    """One page per argument: text, or None for an image-only ("scanned") page."""
    from PIL import Image

    pdf = fpdf.FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        if text is None:
            pdf.image(Image.new("RGB", (40, 40), "gray"), x=20, y=20, w=60)
        elif text:
            pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def make_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Meeting note 3 June", level=1)
    document.add_paragraph("Present: Ingrid Solberg, Tom Aas.")
    document.add_paragraph("")  # empty paragraphs are not counted
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("Item", "Today", "Target"), ("Rent", "NOK 2.4m", "NOK 2.1m"), ("", "", "")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("Next step: send counter-proposal by 10 June.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BODY = (
    "Hei Ingrid,\n"
    "\n"
    "Vi kan ikke gå lavere enn 2,3 millioner kroner i årlig leie for lageret på Økern.\n"
    "Vedlagt er møtenotatet og vilkårene våre.\n"
    "\n"
    "Med vennlig hilsen\n"
    "Bjørn Kvalø\n"
    "Eiendomssjef, Fjordgården Eiendom AS\n"
    "Tlf. +47 400 00 000\n"
)


def make_eml(*, html_only: bool = False, attachments: bool = True) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Bjørn Kvalø <bjorn@fjordgarden.example>"
    msg["To"] = "Ingrid Solberg <ingrid@nordlast.example>"
    msg["Cc"] = "Tom Aas <tom@nordlast.example>"
    msg["Date"] = "Tue, 03 Jun 2025 09:15:00 +0200"
    msg["Subject"] = "Leie lager Økern – vårt svar"
    if html_only:
        msg.set_content(
            "<html><head><style>p {color: red}</style></head><body><p>Hei Ingrid,</p>"
            "<p>Leien blir <b>2,3 mill.</b> &amp; indeksregulert.</p>"
            "<table><tr><td>År</td><td>Leie</td></tr></table></body></html>",
            subtype="html", charset="utf-8", cte="quoted-printable",
        )
    else:
        msg.set_content(BODY, charset="utf-8", cte="quoted-printable")
    if attachments:
        msg.add_attachment(make_docx(), maintype=DOCX_MIME[0], subtype=DOCX_MIME[1], filename="møtenotat.docx")
        msg.add_attachment("Vilkår: 5 års leietid.\nIndeks: KPI.\n", subtype="plain", filename="vilkår.txt")
        msg.add_attachment(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png", filename="logo.png")
    return msg.as_bytes()


# --- PDF ------------------------------------------------------------------------------


def test_pdf_one_unit_per_page():
    doc = read_pdf("lease.pdf", make_pdf(PAGE_1, PAGE_2))
    assert doc.kind == "pdf"
    assert [u.locator for u in doc.units] == ["page 1", "page 2"]
    assert "NOK 2 400 000" in doc.units[0].text
    assert "6 months written notice" in doc.units[1].text
    assert doc.warnings == []
    assert doc.metadata["pages"] == "2"


def test_pdf_page_without_text_layer_is_warned_about():
    doc = read_pdf("mixed.pdf", make_pdf(PAGE_1, None))
    assert [u.locator for u in doc.units] == ["page 1"]
    assert len(doc.warnings) == 1
    assert "page 2" in doc.warnings[0] and NO_TEXT_LAYER in doc.warnings[0]


@pytest.mark.parametrize("pages", [(None,), ("",), (None, "")])
def test_pdf_without_any_text_raises(pages, tmp_path):
    with pytest.raises(InputError, match="no text layer .scanned PDF.*OCR it first"):
        read_pdf("scan.pdf", make_pdf(*pages))
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf(*pages))
    with pytest.raises(InputError) as info:
        load_case(path)
    assert str(info.value) == f"scan.pdf: {NO_TEXT_LAYER}"


@pytest.mark.parametrize("data", [os.urandom(3000), b"%PDF-1.7\nnot really a pdf", b"", b"%PDF-1.4\n" + b"\x00" * 500])
def test_corrupt_pdf_raises_one_line_error(data):
    with pytest.raises(InputError) as info:
        read_pdf("broken.pdf", data)
    message = str(info.value)
    assert message.startswith("broken.pdf: not a readable PDF") and "\n" not in message


def test_password_protected_pdf_raises():
    pdf = fpdf.FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica")
    pdf.cell(text="Confidential")
    with pytest.raises(InputError, match="locked.pdf: the PDF is password-protected"):
        read_pdf("locked.pdf", bytes(pdf.output()))


def test_pdf_with_owner_password_only_is_read():
    pdf = fpdf.FPDF()
    pdf.set_encryption(owner_password="owner")
    pdf.add_page()
    pdf.set_font("Helvetica")
    pdf.cell(text="Readable without a password")
    doc = read_pdf("restricted.pdf", bytes(pdf.output()))
    assert doc.units[0].text == "Readable without a password"


def test_repaired_pdf_is_read_without_noise_on_stderr(tmp_path):
    """pypdf logs its repairs; with no logging configured (the CLI) they must not reach stderr."""
    import re
    import subprocess
    import sys

    damaged = re.sub(rb"startxref\n\d+", b"startxref\n9", make_pdf(PAGE_1))
    path = tmp_path / "damaged.pdf"
    path.write_bytes(damaged)
    code = (
        "import sys; from pipeline.case.readers import read_pdf; "
        "doc = read_pdf('damaged.pdf', open(sys.argv[1], 'rb').read()); print(doc.units[0].locator)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "page 1"
    assert result.stderr == ""


# --- DOCX -----------------------------------------------------------------------------


def test_docx_paragraphs_and_table_rows_in_body_order():
    doc = read_docx("note.docx", make_docx())
    assert doc.kind == "docx"
    assert [(u.locator, u.text) for u in doc.units] == [
        ("paragraph 1", "Meeting note 3 June"),
        ("paragraph 2", "Present: Ingrid Solberg, Tom Aas."),
        ("table 1, row 1", "Item | Today | Target"),
        ("table 1, row 2", "Rent | NOK 2.4m | NOK 2.1m"),
        ("paragraph 3", "Next step: send counter-proposal by 10 June."),
    ]


def test_docx_merged_cells_count_once():
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Rent and service charge"
    table.cell(0, 2).text = "NOK 2.6m"
    buffer = io.BytesIO()
    document.save(buffer)
    doc = read_docx("merged.docx", buffer.getvalue())
    assert [u.text for u in doc.units] == ["Rent and service charge | NOK 2.6m"]


@pytest.mark.parametrize("data", [b"PK\x03\x04 not a zip", os.urandom(1000), b""])
def test_corrupt_docx_raises(data):
    with pytest.raises(InputError, match=r"^bad\.docx: not a readable Word \(\.docx\) document"):
        read_docx("bad.docx", data)


def test_zip_that_is_not_a_docx_raises():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a readable Word"):
        read_docx("fake.docx", buffer.getvalue())


# --- EML ------------------------------------------------------------------------------


def test_eml_headers_body_and_attachments():
    raw = make_eml()
    assert b"=C3=A5" in raw and "å".encode() not in raw.split(b"\n\n", 1)[1][:400]  # body really is QP
    docs = read_eml("svar.eml", raw)
    assert [d.name for d in docs] == ["svar.eml", "svar.eml/møtenotat.docx", "svar.eml/vilkår.txt"]
    mail, note, terms = docs
    assert mail.kind == "eml"
    assert mail.metadata["From"] == "Bjørn Kvalø <bjorn@fjordgarden.example>"
    assert mail.metadata["To"] == "Ingrid Solberg <ingrid@nordlast.example>"
    assert mail.metadata["Cc"] == "Tom Aas <tom@nordlast.example>"
    assert mail.metadata["Date"] == "Tue, 03 Jun 2025 09:15:00 +0200"
    assert mail.metadata["Subject"] == "Leie lager Økern – vårt svar"
    assert mail.metadata["Attachments"] == "møtenotat.docx, vilkår.txt, logo.png"

    headers = [u for u in mail.units if u.locator == "header"]
    assert [u.text.split(":")[0] for u in headers] == ["From", "To", "Cc", "Date", "Subject"]
    assert mail.units[: len(headers)] == headers  # headers come first
    lines = mail.units[len(headers):]
    assert [u.locator for u in lines] == [f"line {i}" for i in range(1, len(lines) + 1)]
    assert [u.text for u in lines] == BODY.rstrip("\n").split("\n")
    assert lines[2].text == "Vi kan ikke gå lavere enn 2,3 millioner kroner i årlig leie for lageret på Økern."
    assert lines[-3].text == "Bjørn Kvalø"  # the signature block is kept

    assert note.kind == "docx" and note.units[2].locator == "table 1, row 1"
    assert terms.kind == "txt" and [u.text for u in terms.units][:2] == ["Vilkår: 5 års leietid.", "Indeks: KPI."]
    assert mail.warnings == []


def test_eml_html_only_body_is_converted_to_text():
    (mail,) = read_eml("html.eml", make_eml(html_only=True, attachments=False))
    body = [u.text for u in mail.units if u.locator != "header"]
    assert "Hei Ingrid," in body
    assert "Leien blir 2,3 mill. & indeksregulert." in body
    assert "År | Leie" in body
    assert not any("color" in line or "<" in line for line in body)


def test_eml_latin1_body_and_base64():
    msg = EmailMessage()
    msg["From"] = "a@example.com"
    msg["Subject"] = "Tilbud"
    msg.set_content("Prisen er 950 000 kr, æøå.\n", charset="iso-8859-1", cte="base64")
    (mail,) = read_eml("latin.eml", msg.as_bytes())
    assert "Prisen er 950 000 kr, æøå." in mail.text


def test_eml_nested_message_and_failing_attachment():
    inner = EmailMessage()
    inner["From"] = "Counterpart <c@example.com>"
    inner["Subject"] = "Original offer"
    inner.set_content("We offer NOK 2.5m.\n")
    outer = EmailMessage()
    outer["From"] = "Colleague <k@example.com>"
    outer["Subject"] = "Fwd: Original offer"
    outer.set_content("See below.\n")
    outer.add_attachment(inner.as_bytes(), maintype="application", subtype="octet-stream", filename="offer.eml")
    outer.add_attachment(inner)  # message/rfc822 without a file name
    outer.add_attachment(make_pdf(None), maintype="application", subtype="pdf", filename="../../scan.pdf")
    docs = read_eml("fwd.eml", outer.as_bytes())
    assert [d.name for d in docs] == ["fwd.eml", "fwd.eml/offer.eml", "fwd.eml/attachment-2.eml"]
    assert docs[1].metadata["Subject"] == "Original offer"
    assert "We offer NOK 2.5m." in docs[2].text
    assert docs[0].warnings == [f"attachment left out: fwd.eml/scan.pdf: {NO_TEXT_LAYER}"]


def test_html_to_text_is_small_but_sane():
    assert html_to_text("<p>a&nbsp;b</p><script>x()</script><br>c<li>d</li>") == "a b\n\nc\nd"


# --- ingest ---------------------------------------------------------------------------


def test_read_text_is_unchanged():
    doc = read_text("a.txt", b"one\r\ntwo\n")
    assert isinstance(doc, Document)
    assert [(u.locator, u.text) for u in doc.units] == [("line 1", "one"), ("line 2", "two"), ("line 3", "")]


def test_empty_attachment_is_left_out_with_a_warning(tmp_path):
    msg = EmailMessage()
    msg["From"] = "a@example.com"
    msg.set_content("Body text.\n")
    msg.add_attachment(b"", maintype="text", subtype="plain", filename="empty.txt")
    (tmp_path / "m.eml").write_bytes(msg.as_bytes())
    case = load_case(tmp_path / "m.eml")
    assert [d.name for d in case.documents] == ["m.eml"]
    assert case.documents[0].warnings == ["m.eml/empty.txt: the file is empty (no text); left out"]


def test_empty_docx_alone_is_an_input_error(tmp_path):
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    (tmp_path / "empty.docx").write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match="empty.docx: the file is empty"):
        load_case(tmp_path / "empty.docx")


def test_corrupt_pdf_alone_is_an_input_error(tmp_path):
    (tmp_path / "junk.pdf").write_bytes(os.urandom(500))
    with pytest.raises(InputError, match="junk.pdf: not a readable PDF"):
        load_case(tmp_path / "junk.pdf")


def test_folder_with_pdf_docx_and_eml(tmp_path):
    (tmp_path / "01_lease.pdf").write_bytes(make_pdf(PAGE_1, PAGE_2))
    (tmp_path / "02_note.docx").write_bytes(make_docx())
    (tmp_path / "03_reply.eml").write_bytes(make_eml())
    (tmp_path / "04_scan.pdf").write_bytes(make_pdf(None))
    (tmp_path / "05_broken.pdf").write_bytes(b"%PDF-1.4 broken")
    case = load_case(tmp_path)
    assert [d.name for d in case.documents] == [
        "01_lease.pdf", "02_note.docx", "03_reply.eml", "03_reply.eml/møtenotat.docx", "03_reply.eml/vilkår.txt",
    ]
    assert case.skipped[0] == f"04_scan.pdf: {NO_TEXT_LAYER}"
    assert case.skipped[1].startswith("05_broken.pdf: not a readable PDF")
    pdf, note, mail = case.documents[:3]
    assert [u.locator for u in pdf.units] == ["page 1", "page 2"]
    assert note.units[-1].locator == "paragraph 3"
    assert mail.units[0].locator == "header" and mail.metadata["Subject"].startswith("Leie lager")

    index = SourceIndex(case)
    hit = index.find("may terminate on 6 months written notice")
    assert hit is not None
    doc, span, offset, score = hit
    assert doc.name == "01_lease.pdf" and score == 100.0
    assert doc.locator_at(offset) == "page 2"
    hit = index.find("Rent | NOK 2.4m")
    assert hit is not None and hit[0].name == "02_note.docx" and hit[0].locator_at(hit[2]) == "table 1, row 2"
    hit = index.find("gå lavere enn 2,3 millioner kroner")
    assert hit is not None and hit[0].name == "03_reply.eml" and hit[0].locator_at(hit[2]) == "line 3"


def test_sample_mixed_case_loads():
    root = ROOT / "cases" / "mixed-formats"
    if not root.is_dir():
        pytest.skip("sample case not generated")
    case = load_case(root)
    kinds = {d.kind for d in case.documents}
    assert {"pdf", "docx", "eml"} <= kinds
    assert case.skipped == []
    assert case.title and case.our_side and case.counterpart
    assert all(not d.warnings for d in case.documents)


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("scan.pdf", None, "no text layer (scanned PDF?); OCR it first"),
        ("junk.pdf", b"%PDF-1.4 junk", "not a readable PDF"),
        ("junk.docx", b"PK junk", "not a readable Word (.docx) document"),
    ],
)
def test_cli_reports_unreadable_pdf_or_docx_in_one_line(tmp_path, name, data, needle):
    """Fails in ingest, before any model is loaded."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    path = tmp_path / name
    path.write_bytes(make_pdf(None) if data is None else data)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["prepare", str(path), "--out", str(out)])
    assert result.exit_code == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("negoprep: ") and needle in lines[0], result.stderr
    assert not out.exists()
