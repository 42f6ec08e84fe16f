"""Generate a small mixed-format sample case (PDF + DOCX + EML + case.yaml) into a folder.

    python tests/data/make_mixed_case.py cases/mixed-formats

The case is fictional: Kestrel Freight Ltd (tenant) renegotiates the lease of a
distribution warehouse with its landlord, Harbourside Estates plc. Output is
deterministic: fixed dates, zip timestamps, MIME boundaries and PDF metadata, so
re-running the script reproduces the committed files byte for byte.

Needs fpdf2 (the `test` extra) and python-docx.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime, timezone
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

FIXED = datetime(2026, 3, 20, 9, 0, 0, tzinfo=timezone.utc)
ZIP_TIME = (2026, 3, 20, 9, 0, 0)

CASE_YAML = """\
title: "Kestrel Freight: renewal of the Unit 4 warehouse lease at Orwell Distribution Park"
our_side: "Kestrel Freight Ltd"
counterpart: "Harbourside Estates plc"
language: en
"""

LEASE_PAGES = [
    [
        ("h", "LEASE OF UNIT 4, ORWELL DISTRIBUTION PARK, IPSWICH - EXCERPT"),
        ("p", "Dated 1 July 2016 between Harbourside Estates plc (the Landlord) and Kestrel Freight Ltd "
              "(the Tenant)."),
        ("h", "1. Premises"),
        ("p", "Unit 4 comprises a warehouse of 72,000 sq ft gross internal area with 14 dock levellers, "
              "a two-storey office block and a yard for 40 HGV trailers."),
        ("h", "2. Term"),
        ("p", "Ten years from and including 1 July 2016, expiring on 30 June 2026."),
        ("h", "3. Rent"),
        ("p", "GBP 612,000 per annum exclusive of VAT (GBP 8.50 per sq ft), payable quarterly in advance "
              "on the usual quarter days."),
        ("h", "4. Service charge"),
        ("p", "The Tenant pays a fair proportion of the estate service costs, capped at GBP 1.10 per sq ft "
              "per annum for the first term only."),
    ],
    [
        ("h", "11. Repair and yielding up"),
        ("p", "The Tenant keeps the Premises in good and substantial repair, save that it is not obliged to "
              "put them in a better state than shown in the Schedule of Condition dated 20 June 2016. "
              "The yard surface is excluded from the Tenant's repairing obligation."),
        ("h", "14. Renewal"),
        ("p", "Either party may propose terms for a new lease by written notice served not earlier than "
              "12 months and not later than 6 months before the end of the Term. Until a new lease is "
              "granted the Tenant holds over on the terms of this Lease at the passing rent."),
        ("h", "15. Dilapidations"),
        ("p", "If no new lease is granted, the Tenant shall at the end of the Term reinstate all alterations "
              "unless the Landlord waives this in writing. The 2019 mezzanine (1,800 sq m) is a Tenant's "
              "alteration."),
    ],
]

NOTE_TITLE = "Kestrel Freight - internal meeting note: Unit 4 lease renewal"
NOTE_BEFORE = [
    "Date: 12 March 2026, Ipswich office.",
    "Present: Daniel Okafor (Property Director), Priya Raman (Finance), Gareth Lewis (Operations).",
    "Harbourside's agent has asked for GBP 10.20 per sq ft on a new 15-year lease with no break. "
    "Operations needs Unit 4 until at least 2031 because of the Anglia Foods contract.",
    "Options compared:",
]
NOTE_TABLE = [
    ("Option", "Rent per sq ft", "Annual rent", "Term / break", "Comment"),
    ("Landlord's ask", "£10.20", "£734,400", "15 years, no break", "Above market per our agent"),
    ("Our target", "£9.00", "£648,000", "10 years, break at year 5", "In line with Felixstowe comparables"),
    ("Walk-away", "£9.60", "£691,200", "10 years, break at year 5", "Above this, move to Ipswich Gateway"),
    ("Ipswich Gateway (alternative)", "£9.25", "£666,000", "10 years", "Relocation cost about £1.1m, 4 months"),
]
NOTE_AFTER = [
    "Agreed: ask for 6 months rent-free in exchange for a longer term; keep the service-charge cap at £1.10.",
    "Risk: if we leave, dilapidations for the mezzanine could cost around £250,000.",
    "Action: Daniel to reply to Fiona Marsh by 25 March 2026; Priya to model the 15-year option.",
]

EMAIL_BODY = """\
Dear Daniel,

Thank you for your time on the phone on Monday.

Harbourside is keen to keep Kestrel at Unit 4. Our proposal for the new lease:

- Term: 15 years from 1 July 2026, no tenant break.
- Rent: £10.20 per sq ft (£734,400 a year), with open-market reviews every five years.
- Service charge: the £1.10 per sq ft cap falls away with the new lease.
- Incentive: 3 months rent-free.

If you can commit by 3 April 2026 we could go to £9.90 per sq ft on the same terms.
We have another occupier viewing the park in April, so we would like an answer soon.

Kind regards,

Fiona Marsh
Asset Manager – Industrial
Harbourside Estates plc
1 Wherry Quay, Ipswich IP4 1AS
Tel. +44 1473 000 000

This e-mail is confidential and subject to contract.
"""

HEADS_OF_TERMS = """\
HEADS OF TERMS (DRAFT, SUBJECT TO CONTRACT)
Premises: Unit 4, Orwell Distribution Park, 72,000 sq ft
Landlord: Harbourside Estates plc
Tenant: Kestrel Freight Ltd
Term: 15 years from 1 July 2026, no break
Rent: £10.20 per sq ft, reviews in 2031, 2036 and 2041
Rent-free: 3 months
Service charge: no cap
"""


def make_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED)
    pdf.set_producer("negoprep sample generator")
    pdf.set_title("Lease of Unit 4 - excerpt")
    pdf.set_margins(20, 20, 20)
    for page in LEASE_PAGES:
        pdf.add_page()
        for kind, text in page:
            if kind == "h":
                pdf.set_font("Helvetica", "B", 11)
                pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.set_font("Helvetica", "", 10)
                pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
    return bytes(pdf.output())


def make_docx() -> bytes:
    import docx

    document = docx.Document()
    props = document.core_properties
    props.author = props.last_modified_by = "Daniel Okafor"
    props.title = NOTE_TITLE
    props.created = props.modified = FIXED.replace(tzinfo=None)
    props.revision = 1
    document.add_heading(NOTE_TITLE, level=1)
    for text in NOTE_BEFORE:
        document.add_paragraph(text)
    table = document.add_table(rows=len(NOTE_TABLE), cols=len(NOTE_TABLE[0]))
    table.style = "Table Grid"
    for r, row in enumerate(NOTE_TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for text in NOTE_AFTER:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed member timestamps, so the bytes do not depend on the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def make_eml() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Fiona Marsh <fiona.marsh@harbourside-estates.example>"
    msg["To"] = "Daniel Okafor <daniel.okafor@kestrelfreight.example>"
    msg["Cc"] = "Tom Hughes <tom.hughes@harbourside-estates.example>"
    msg["Date"] = "Wed, 18 Mar 2026 16:42:00 +0000"
    msg["Subject"] = "Unit 4 – proposed terms for the new lease"
    msg["Message-ID"] = "<unit4-renewal-20260318@harbourside-estates.example>"
    msg.set_content(EMAIL_BODY, charset="utf-8", cte="quoted-printable")
    msg.add_attachment(HEADS_OF_TERMS, subtype="plain", charset="utf-8", cte="quoted-printable",
                       filename="heads-of-terms.txt")
    msg.set_boundary("==harbourside-unit4-0001==")
    return msg.as_bytes(policy=SMTP)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {Path(argv[0]).name} OUTPUT_FOLDER", file=sys.stderr)
        return 2
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "01_lease_excerpt.pdf": make_pdf(),
        "02_internal_meeting_note.docx": make_docx(),
        "03_landlord_email.eml": make_eml(),
        "case.yaml": CASE_YAML.encode("utf-8"),
    }
    for name, data in files.items():
        (out / name).write_bytes(data)
        print(f"{out / name} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
