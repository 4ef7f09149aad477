"""Uploaded files: streamed to a private temporary folder with a size limit, each under a cleaned
name in its own numbered subfolder (the name the browser sends is never a path), then handed to
`Workspace.ingest` like files from disk — the same guards, the same report."""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.types import Message

MAX_UPLOAD_BYTES = 250 * 1024 * 1024  # one request; each file also meets the ingest guards' 20 MB
MAX_FILES = 1000
MAX_NAME = 120
FORBIDDEN = set('<>:"/\\|?*')


class TooLarge(Exception):
    """The request body is larger than the limit."""


class BadUpload(Exception):
    """The body is not a form upload we can read."""


@dataclass
class Upload:
    folder: Path  # delete when done (`discard`)
    files: list[Path]
    fields: dict[str, str]

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def clean_name(raw: str | None, number: int) -> str:
    """The last part of the name the browser sent, without separators, control characters or a
    leading dot; `fil<number>` when nothing is left."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if ch.isprintable() and ch not in FORBIDDEN).strip().lstrip(".").strip()
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else name[:MAX_NAME]
    return name or f"fil{number}"


async def receive_upload(request: Request, limit: int = MAX_UPLOAD_BYTES, field: str = "filer") -> Upload:
    """Read a multipart form: its files (field `field`) to disk, its other fields as text. Raises
    TooLarge before reading when the declared length is over `limit`, and as soon as the body read
    so far is; BadUpload for a body that is not multipart."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise TooLarge
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise BadUpload
    seen = 0
    receive = request.receive

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise TooLarge
        return message

    limited = Request(request.scope, counted)
    try:
        form = await limited.form(max_files=MAX_FILES, max_fields=50)
    except TooLarge:
        raise
    except Exception as exc:  # starlette's MultiPartException, a broken body
        raise BadUpload from exc
    folder = Path(tempfile.mkdtemp(prefix="skema-upload-"))
    files: list[Path] = []
    fields: dict[str, str] = {}
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if key != field or not (value.filename or "").strip():
                    continue
                n = len(files) + 1
                target = folder / f"{n:04d}" / clean_name(value.filename, n)
                target.parent.mkdir()
                await run_in_threadpool(_copy, value, target)
                files.append(target)
            else:
                fields[key] = value
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        await form.close()
    return Upload(folder, files, fields)


def _copy(upload: UploadFile, target: Path) -> None:
    upload.file.seek(0)
    with open(target, "xb") as out:
        shutil.copyfileobj(upload.file, out, 1024 * 1024)
