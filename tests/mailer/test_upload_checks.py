"""mailer.files.check_file, the ways around it that it closes: names Windows shortens (a.exe.
is saved as a.exe), archives nested deeper than the check reads, archives and programs inside an
archive under another name, and archives it cannot open."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from console.signature import signed_headers
from mailer.files import MAX_ZIP_DEPTH, Unacceptable, check_file
from mailer.models import AttachmentFile

URL = "/api/v1/files"


def _zip(compression: int = zipfile.ZIP_DEFLATED, **entries: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _nested(levels: int, name: str, data: bytes) -> bytes:
    """`name` inside a zip inside a zip …, `levels` archives in all (the outermost included)."""
    archive = _zip(**{name: data})
    for level in range(levels - 1, 0, -1):
        archive = _zip(**{f"level{level + 1}.zip": archive})
    return archive


def _encrypted(data: bytes, *names: str) -> bytes:
    """The archive with `names` marked encrypted in its central directory, as a password-
    protected archive has them (zipfile cannot write one)."""
    data = bytearray(data)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_length].decode() in names:
            flags = struct.unpack_from("<H", data, at + 8)[0]
            struct.pack_into("<H", data, at + 8, flags | 0x1)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


def _refusal(name: str, data: bytes) -> str:
    with pytest.raises(Unacceptable) as refused:
        check_file(name, data)
    return str(refused.value)


# Names

@pytest.mark.parametrize("name", ["setup.exe.", "setup.exe ", "setup.exe. .", "notes.txt.",
                                  "report.pdf  ", " "])
def test_it_refuses_a_name_that_ends_in_a_dot_or_a_space(name):
    assert _refusal(name, b"hello") == f"{name}: a file name cannot end in a dot or a space"


def test_the_api_refuses_a_trailing_dot_and_keeps_nothing(api):
    upload = SimpleUploadedFile("setup.exe.", b"hello")
    headers = signed_headers("POST", URL, api.access_key, api.secret)
    response = api.client.post(URL, {"fileList": [upload]}, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "fileList: setup.exe.: a file name cannot end in a dot or a space")
    assert not AttachmentFile.objects.exists()


@pytest.mark.parametrize("inner", ["run.exe.", "run.exe ", "bin/run.EXE.."])
def test_it_refuses_a_refused_extension_inside_a_zip_behind_trailing_dots(inner):
    assert _refusal("tools.zip", _zip(**{inner: b"x"})) == (
        f"tools.zip contains {inner}, and .exe files cannot be attached")


def test_it_still_accepts_ordinary_names():
    assert check_file("견적서 v1.2.pdf", b"%PDF-1.4") == "application/pdf"
    assert check_file(".profile", b"x") == "application/octet-stream"


# Depth

def test_it_reads_archives_down_to_its_depth():
    assert MAX_ZIP_DEPTH == 3
    assert _refusal("outer.zip", _nested(3, "virus.scr", b"x")) == (
        "outer.zip/level2.zip/level3.zip contains virus.scr, and .scr files cannot be attached")
    assert check_file("outer.zip", _nested(3, "readme.txt", b"fine")) == "application/zip"


def test_it_refuses_an_archive_nested_deeper_than_it_reads():
    message = _refusal("outer.zip", _nested(4, "virus.exe", b"x"))
    assert message == ("outer.zip/level2.zip/level3.zip contains level4.zip, an archive nested "
                       "more than 3 deep: what it holds cannot be checked, so it cannot be "
                       "attached")
    # Refused whatever it holds: nothing in it is read.
    assert "nested more than 3 deep" in _refusal("outer.zip", _nested(4, "readme.txt", b"ok"))


# Content inside archives

def test_it_reads_an_archive_inside_an_archive_under_another_name():
    renamed = _zip(**{"photos.dat": _zip(**{"virus.exe": b"x"})})
    assert _refusal("holiday.zip", renamed) == (
        "holiday.zip/photos.dat contains virus.exe, and .exe files cannot be attached")


def test_it_refuses_a_program_inside_an_archive_under_another_name():
    assert _refusal("docs.zip", _zip(**{"invoice.pdf": b"MZ\x90\x00 a Windows program"})) == (
        "docs.zip contains invoice.pdf, which is a program and cannot be attached")


def test_it_refuses_an_archive_inside_too_large_to_check():
    inner = _zip(zipfile.ZIP_STORED, **{"zeros.bin": b"\x00" * (10 * 1024 * 1024)})
    outer = _zip(**{"big.zip": inner})  # deflated to a few kilobytes
    assert len(outer) < 100_000
    assert _refusal("outer.zip", outer) == (
        "outer.zip/big.zip is 10.0 MB; a file can be at most 10 MB")


def test_it_accepts_encrypted_files_but_not_an_encrypted_archive_inside():
    archive = _zip(**{"contract.pdf": b"scrambled", "more.zip": b"scrambled"})
    assert _refusal("secret.zip", _encrypted(archive, "contract.pdf", "more.zip")) == (
        "secret.zip contains more.zip, an encrypted archive: what it holds cannot be checked, "
        "so it cannot be attached")
    only_files = _encrypted(_zip(**{"contract.pdf": b"scrambled"}), "contract.pdf")
    assert check_file("secret.zip", only_files) == "application/zip"


def test_it_refuses_an_archive_whose_entries_cannot_be_read():
    archive = bytearray(_zip(**{"notes.txt": b"some text that deflates" * 20}))
    start = archive.find(b"notes.txt") + len("notes.txt")
    archive[start:start + 8] = b"\xff" * 8  # the compressed data, damaged
    assert "not a readable zip archive" in _refusal("notes.zip", bytes(archive))
