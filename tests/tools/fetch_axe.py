"""axe-core for the accessibility tests, fetched from the npm registry without npm.

    python -m tests.tools.fetch_axe      # downloads once, prints the path

The registry's metadata for the pinned version gives the tarball's address and its integrity
(`sha512-<base64>`); the tarball is checked against it before `package/axe.min.js` is extracted
to `<repo>/.cache/axe-core-<version>/axe.min.js`. Later calls find the file there and do nothing.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import sys
import tarfile
import tempfile
from pathlib import Path

import requests

VERSION = "4.10.2"
REGISTRY = "https://registry.npmjs.org"
ROOT = Path(__file__).resolve().parent.parent.parent  # the repository: parent of tests/
TARGET = ROOT / ".cache" / f"axe-core-{VERSION}" / "axe.min.js"
MEMBER = "package/axe.min.js"
TIMEOUT = 60


class IntegrityError(RuntimeError):
    """The downloaded tarball is not the one the registry describes."""


def check_integrity(data: bytes, integrity: str) -> None:
    """Raises IntegrityError unless `data` matches an SRI string such as 'sha512-<base64>'."""
    checked = False
    for entry in integrity.split():
        algorithm, _, expected = entry.partition("-")
        if algorithm not in ("sha512", "sha384", "sha256"):
            continue
        actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
        if actual == expected:
            return
        checked = True
    if checked:
        raise IntegrityError(f"axe-core {VERSION}: the tarball does not match {integrity!r}")
    raise IntegrityError(f"axe-core {VERSION}: no usable integrity in {integrity!r}")


def download(target: Path = TARGET, version: str = VERSION) -> Path:
    """Downloads, verifies and extracts axe.min.js to `target` (replacing it atomically)."""
    session = requests.Session()
    meta = session.get(f"{REGISTRY}/axe-core/{version}", timeout=TIMEOUT,
                       headers={"Accept": "application/json"})
    meta.raise_for_status()
    dist = meta.json()["dist"]
    tarball, integrity = dist["tarball"], dist.get("integrity")
    if not integrity:
        raise IntegrityError(f"axe-core {version}: the registry gives no integrity")
    reply = session.get(tarball, timeout=TIMEOUT)
    reply.raise_for_status()
    check_integrity(reply.content, integrity)
    with tarfile.open(fileobj=io.BytesIO(reply.content), mode="r:gz") as archive:
        member = archive.getmember(MEMBER)
        if not member.isfile():
            raise IntegrityError(f"axe-core {version}: {MEMBER} is not a regular file")
        script = archive.extractfile(member).read()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".axe-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(script)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def axe_path() -> Path:
    """Path of axe.min.js, downloaded first when it is not there yet."""
    if not (TARGET.is_file() and TARGET.stat().st_size > 0):
        download()
    return TARGET


def axe_script() -> str:
    """The text of axe.min.js, to inject into a page with `driver.execute_script`."""
    return axe_path().read_text(encoding="utf-8")


if __name__ == "__main__":
    print(axe_path())
    sys.exit(0)
