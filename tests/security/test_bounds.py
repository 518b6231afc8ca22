"""Items 6 and 9 of issue 18 against the guarded stack (default bounds): 300 event streams from one
address all stayed open, 400 history reads took 2.8 s, 29 of 33 one-MB uploads over three sender ids
were kept, and a 30 MB body was read whole before its 413."""
from __future__ import annotations

import json
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import List

import requests

from actions.claims import files
from actions.claims.db import get_database
from actions.claims.models import EvidenceFile, utc_now
from bot.channels.inbound import error_text
from bot.channels.rate_limit import DEFAULT_ADDRESS_RATE, DEFAULT_STREAMS, DEFAULT_UPLOADS_RATE, Rate
from tests.security.conftest import IDLE_SECONDS, client, new_address

NINE_MB_PDF = b"%PDF-1.4\n" + b"0" * (9 * 1024 * 1024)


def open_stream(page) -> requests.Response:
    return page.get(f"{page.base}events", stream=True, timeout=(10, 120), headers={"X-Chat-Language": "nl"})


def test_at_most_20_event_streams_per_address_and_they_close_when_idle(guarded):
    address = new_address()
    pages = [client(guarded, address) for _ in range(DEFAULT_STREAMS + 1)]
    streams: List[requests.Response] = []
    try:
        streams = [open_stream(page) for page in pages[:DEFAULT_STREAMS]]
        assert [s.status_code for s in streams] == [200] * DEFAULT_STREAMS
        refused = open_stream(pages[-1])
        assert refused.status_code == 429
        assert refused.json() == {"error": "too_many_streams", "message": error_text("too_many_streams", "nl")}
        other = open_stream(client(guarded))  # another address is not concerned
        assert other.status_code == 200
        other.close()
        streams.pop().close()  # a page closed: its place is free again
        deadline, again = time.monotonic() + 30, None
        while time.monotonic() < deadline:
            again = open_stream(pages[-1])
            if again.status_code == 200:
                break
            time.sleep(1)
        assert again.status_code == 200
        streams.append(again)
        # Nothing comes: every stream is closed by the server after its idle time (an hour by default).
        started = time.monotonic()
        assert b"".join(again.iter_content(None)).startswith(b": connected")
        assert IDLE_SECONDS - 1 <= time.monotonic() - started <= IDLE_SECONDS + 20
    finally:
        for stream in streams:
            stream.close()


def test_history_reads_count_against_the_address_rate(guarded):
    rate = Rate.parse(DEFAULT_ADDRESS_RATE, "")
    page = client(guarded, page_language="fr")  # its session opening counts as one
    url = f"{page.base}history"
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: page.get(url, headers={"X-Chat-Language": "fr"}, timeout=30).status_code,
                                 range(rate.messages + 10)))
    assert statuses.count(200) == rate.messages - 1 and statuses.count(429) == 11
    refused = page.get(url, headers={"X-Chat-Language": "fr"}, timeout=30)
    assert refused.json() == {"error": "rate_limited", "message": error_text("rate_limited", "fr")}
    assert 1 <= int(refused.headers["Retry-After"]) <= rate.seconds
    assert client(guarded).get(url, timeout=30).status_code == 200  # another address reads on


def test_more_than_50_mb_of_files_from_one_address_in_an_hour_is_429(guarded):
    budget_mb = Rate.parse(DEFAULT_UPLOADS_RATE, "").messages
    address = new_address()
    pages = [client(guarded, address, "en") for _ in range(3)]  # three conversations, one address
    kept, refused = 0, None
    for number in range(budget_mb // 9 + 2):
        reply = pages[number % 3].post(f"{pages[0].base}upload", data={"language": "en"},
                                       headers={"X-Chat-Language": "en"},
                                       files={"file": (f"scan-{number}.pdf", NINE_MB_PDF, "application/pdf")},
                                       timeout=120)
        if reply.status_code == 429:
            refused = reply
            break
        assert reply.status_code == 200, reply.text
        kept += 1
    assert kept == budget_mb // 9  # 45 MB kept, the next 9 MB would pass 50
    assert refused is not None and refused.json() == {"error": "too_many_uploads",
                                                       "message": error_text("too_many_uploads", "en")}
    db = get_database(guarded.settings.claims_db_url)
    assert sum(len(files.files_of(page.sender, db=db)) for page in pages) == kept
    small = client(guarded, page_language="en").post(
        f"{pages[0].base}upload", files={"file": ("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}, timeout=60)
    assert small.status_code == 200  # another address still uploads


def raw_request(stack, path: str, headers: dict) -> tuple:
    """Sends only the request line and headers (the body announced is never sent); (status, body, seconds)."""
    session = client(stack).http.cookies.get("cybercare_session")
    port = stack.settings.rasa_port
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Cookie: cybercare_session={session}",
             *[f"{k}: {v}" for k, v in headers.items()], "", ""]
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall("\r\n".join(lines).encode())
        answer = b""
        while True:  # the head, then as much body as it announces
            head, _, body = answer.partition(b"\r\n\r\n")
            length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            if _ and length and len(body) >= int(length[1]):
                break
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return int(head.split()[1]), body, time.monotonic() - started


def test_bodies_over_the_routes_limit_are_refused_before_being_read(guarded):
    status, body, seconds = raw_request(guarded, "/webhooks/webchat/upload", {
        "Content-Type": "multipart/form-data; boundary=x", "Content-Length": str(30 * 1024 * 1024),
        "X-Chat-Language": "fr"})
    assert (status, json.loads(body)) == (413, {"error": "file_too_big", "message": error_text("file_too_big", "fr")})
    assert seconds < 10  # and not one byte of the 30 MB was sent
    status, body, _ = raw_request(guarded, "/webhooks/webchat/webhook", {
        "Content-Type": "application/json", "Content-Length": str(100 * 1024), "X-Chat-Language": "en"})
    assert (status, json.loads(body)) == (413, {"error": "too_long", "message": error_text("too_long", "en")})
    status, _, _ = raw_request(guarded, "/model/parse?token=" + guarded.settings.api_token,
                               {"Content-Type": "application/json", "Content-Length": str(30 * 1024 * 1024)})
    assert status == 413  # Sanic's REQUEST_MAX_SIZE for every route, Rasa's own too


def test_a_file_no_dossier_holds_is_gone_a_day_later(guarded):
    page = client(guarded, page_language="nl")
    first = page.post(f"{page.base}upload", files={"file": ("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
                      timeout=60).json()["file"]
    db = get_database(guarded.settings.claims_db_url)
    with db.session() as session:  # as if sent 25 hours ago, and no declaration came of it
        session.get(EvidenceFile, first["id"]).created_at = utc_now() - timedelta(hours=25)
    stored = Path(guarded.settings.extra_env["CYBERCARE_UPLOADS_DIR"]) / files.get_file(
        first["id"], page.sender, db=db)["storage_name"]
    assert stored.exists()
    second = client(guarded).post(f"{page.base}upload", timeout=60,
                                  files={"file": ("b.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")})
    assert second.status_code == 200  # each upload deletes what no dossier held for a day
    assert files.get_file(first["id"], page.sender, db=db) is None and not stored.exists()
