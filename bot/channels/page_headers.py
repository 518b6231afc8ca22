"""Security headers of the pages the assistant serves (the web chat, the desk console).

The pages carry their script and style inline (one file each, no asset from outside). The
Content-Security-Policy allows exactly those blocks, by their SHA-256, and nothing else: no other
script, no inline event handler, no connection but to this server, no framing (clickjacking).
"""
from __future__ import annotations

import base64
import hashlib
import re
from typing import Dict

_BLOCK = re.compile(r"<(script|style)>(.*?)</\1>", re.S)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def page_headers(html: str) -> Dict[str, str]:
    """The headers to send with `html`, its inline blocks allowed by hash."""
    hashes: Dict[str, list] = {"script": [], "style": []}
    for kind, body in _BLOCK.findall(html):
        hashes[kind].append(_sha256(body))
    policy = "; ".join([
        "default-src 'none'",
        "script-src " + (" ".join(hashes["script"]) or "'none'"),
        "style-src " + (" ".join(hashes["style"]) or "'none'"),
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ])
    return {"Content-Security-Policy": policy, "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}
