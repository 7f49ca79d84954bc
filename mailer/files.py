"""Attachments: checking uploads (size, extension, content, inside zip archives), keeping them
under FILES_DIR, and finding them again by fileId for a send request."""

from __future__ import annotations

import io
import lzma
import mimetypes
import secrets
import zipfile
import zlib
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from console.models import Project
from mailer.models import OPEN_STATUSES, AttachmentFile, SendRequest

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_MAIL_BYTES = 20 * 1024 * 1024
REFUSED_EXTENSIONS = frozenset({
    "bat", "cmd", "com", "cpl", "exe", "scr", "js", "vbs", "ocx", "pif", "msi", "efi", "fon",
    "drv", "dll", "sys", "app", "dmg", "ipa", "apk", "jar", "wsh", "reg", "hlp", "lnk", "wsf",
    "scf", "swf", "cab",
})
# What executables start with, whatever they are called.
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf",
                    b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
ZIP_MAGIC = b"PK\x03\x04"
HEAD_BYTES = max(len(magic) for magic in (*EXECUTABLE_MAGIC, ZIP_MAGIC))
# Archives within the attachment that are read (the attachment itself is the first); one nested
# deeper is refused, since what it holds would go unchecked.
MAX_ZIP_DEPTH = 3
# What reading a damaged or unusual archive raises.
_UNREADABLE = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, NotImplementedError, RuntimeError,
               ValueError, EOFError, OSError)


class Unacceptable(ValueError):
    """The file cannot be attached; the message says why (in the active language)."""


def _extension(name: str) -> str:
    """The extension as Windows sees it: it drops trailing dots and spaces (a.exe. is a.exe)."""
    suffix = PurePosixPath(name.replace("\\", "/").rstrip(". ")).suffix
    return suffix[1:].lower()


def _unreadable(name: str, error: Exception) -> Unacceptable:
    return Unacceptable(_("%(name)s: not a readable zip archive (%(error)s)")
                        % {"name": name, "error": error})


def _head(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str) -> bytes:
    """The first bytes of an entry, enough for its magic number; none for an encrypted one."""
    if entry.flag_bits & 0x1:
        return b""
    try:
        with archive.open(entry) as opened:
            return opened.read(HEAD_BYTES)
    except _UNREADABLE as error:
        raise _unreadable(name, error) from None


def _check_zip(data: bytes, name: str, depth: int) -> None:
    """Every entry by its name and its first bytes; archives inside, by either, read in turn
    down to MAX_ZIP_DEPTH."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except _UNREADABLE as error:
        raise _unreadable(name, error) from None
    for entry in entries:
        if entry.is_dir():
            continue
        inner = entry.filename
        extension = _extension(inner)
        if extension in REFUSED_EXTENSIONS:
            raise Unacceptable(_("%(name)s contains %(inner)s, and .%(extension)s files "
                                 "cannot be attached")
                               % {"name": name, "inner": inner, "extension": extension})
        head = _head(archive, entry, name)
        if head.startswith(EXECUTABLE_MAGIC):
            raise Unacceptable(_("%(name)s contains %(inner)s, which is a program and cannot "
                                 "be attached") % {"name": name, "inner": inner})
        if extension == "zip" or head.startswith(ZIP_MAGIC):
            _check_inner_zip(archive, entry, f"{name}/{inner}", depth)


def _check_inner_zip(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, name: str,
                     depth: int) -> None:
    """An archive inside the one at `depth`: read and checked, or refused when it cannot be."""
    outer, _slash, inner = name.rpartition("/")
    if depth >= MAX_ZIP_DEPTH:
        raise Unacceptable(_("%(name)s contains %(inner)s, an archive nested more than "
                             "%(max)d deep: what it holds cannot be checked, so it cannot be "
                             "attached") % {"name": outer, "inner": inner, "max": MAX_ZIP_DEPTH})
    if entry.flag_bits & 0x1:
        raise Unacceptable(_("%(name)s contains %(inner)s, an encrypted archive: what it holds "
                             "cannot be checked, so it cannot be attached")
                           % {"name": outer, "inner": inner})
    if entry.file_size > MAX_FILE_BYTES:
        raise _too_large(name, entry.file_size)
    try:
        data = archive.read(entry)
    except _UNREADABLE as error:
        raise _unreadable(name, error) from None
    _check_zip(data, name, depth + 1)


def _too_large(name: str, size: int) -> Unacceptable:
    return Unacceptable(_("%(name)s is %(size).1f MB; a file can be at most %(max)d MB")
                        % {"name": name, "size": size / 1024 / 1024,
                           "max": MAX_FILE_BYTES // (1024 * 1024)})


def check_file(name: str, data: bytes) -> str:
    """The content type to send the file with; Unacceptable if it must not be attached."""
    if not name or name in (".", ".."):
        raise Unacceptable(_("a file needs a name"))
    if name != name.rstrip(". "):
        # Windows drops them: a.exe. would be saved as a.exe.
        raise Unacceptable(_("%(name)s: a file name cannot end in a dot or a space")
                           % {"name": name})
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(name, len(data))
    extension = _extension(name)
    if extension in REFUSED_EXTENSIONS:
        raise Unacceptable(_(".%(extension)s files cannot be attached (%(name)s)")
                           % {"extension": extension, "name": name})
    if data.startswith(EXECUTABLE_MAGIC):
        raise Unacceptable(_("%(name)s is a program, which cannot be attached") % {"name": name})
    if extension == "zip" or data.startswith(ZIP_MAGIC):
        _check_zip(data, name, 1)
    guessed, _encoding = mimetypes.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


def _storage(project: Project) -> Path:
    folder = Path(settings.FILES_DIR) / str(project.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(project: Project, uploads: list[UploadedFile]) -> tuple[str, list[AttachmentFile]]:
    """Check every upload first (all or nothing), then keep them under one tempRequestId."""
    checked = []
    for upload in uploads:
        name = Path((upload.name or "").replace("\\", "/")).name
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise _too_large(name, upload.size)
        data = upload.read()
        checked.append((name, check_file(name, data), data))
    temp_request_id = secrets.token_hex(10)
    folder = _storage(project)
    stored = []
    for name, content_type, data in checked:
        file_id = secrets.token_hex(12)
        path = folder / file_id
        path.write_bytes(data)
        stored.append(AttachmentFile.objects.create(
            project=project, temp_request_id=temp_request_id, file_id=file_id, file_name=name,
            content_type=content_type, size=len(data), path=str(path)))
    return temp_request_id, stored


def delete_group(project: Project, temp_request_id: str) -> list[AttachmentFile]:
    files = list(AttachmentFile.objects.filter(project=project,
                                               temp_request_id=temp_request_id))
    for attachment in files:
        Path(attachment.path).unlink(missing_ok=True)
    AttachmentFile.objects.filter(pk__in=[f.pk for f in files]).delete()
    return files


def attachments_for(project: Project, file_ids: list[str]) -> list[AttachmentFile]:
    """The project's files with these IDs, in that order; ValueError (its message translated)
    if one is unknown or together they pass 20 MB."""
    wanted = list(dict.fromkeys(file_ids))
    if not wanted:  # most mails: no query to build (2.5 ms of a one-recipient POST /mails)
        return []
    found = {f.file_id: f for f in AttachmentFile.objects.filter(project=project,
                                                                  file_id__in=wanted)
             .exclude(path="")}
    unknown = [file_id for file_id in wanted if file_id not in found]
    if unknown:
        raise ValueError(_("unknown file ID %(id)s") % {"id": repr(unknown[0])})
    files = [found[file_id] for file_id in wanted]
    total = sum(f.size for f in files)
    if total > MAX_MAIL_BYTES:
        raise ValueError(_("the files add up to %(size).1f MB; a mail can carry at most "
                           "%(max)d MB") % {"size": total / 1024 / 1024,
                                            "max": MAX_MAIL_BYTES // (1024 * 1024)})
    return files


def read(attachment: AttachmentFile) -> bytes:
    return Path(attachment.path).read_bytes()


UNUSED_FILES_KEPT = timedelta(days=7)


def forget_unused(now: datetime) -> int:
    """Chore: delete uploads older than a week that no request waiting or sending still needs.
    The row stays, without its path, so the Mailing list still names the mail's attachments."""
    needed = set()
    for ids in SendRequest.objects.filter(status__in=OPEN_STATUSES).exclude(
            attach_file_ids=[]).values_list("attach_file_ids", flat=True):
        needed.update(ids)
    old = AttachmentFile.objects.filter(created__lt=now - UNUSED_FILES_KEPT).exclude(
        file_id__in=needed).exclude(path="")
    rows = list(old)
    for attachment in rows:
        Path(attachment.path).unlink(missing_ok=True)
    AttachmentFile.objects.filter(pk__in=[a.pk for a in rows]).update(path="")
    return len(rows)


def is_kept(attachment: AttachmentFile) -> bool:
    """Whether the file's content is still stored (forget_unused drops it after a week)."""
    return bool(attachment.path)
