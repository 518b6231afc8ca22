"""Files the upload tests send: a real (tiny) PDF and PNG, an executable renamed to .pdf, 11 MB."""
from __future__ import annotations

PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >>"
       b" endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 512  # a Windows .exe header
ELEVEN_MB = PDF + b"0" * (11 * 1024 * 1024)
