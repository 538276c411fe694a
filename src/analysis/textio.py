"""Reading text files whose encoding is not declared.

Chinese government files arrive as UTF-8, UTF-8 with BOM (Excel "CSV UTF-8"),
or GBK/GB18030 (Excel's default "CSV" on a Chinese Windows). The encoding is
detected from the bytes; a file that fits none of them, mixes two, or is
binary gets an :class:`~analysis.errors.InputFileError` naming the file.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from .errors import InputFileError

__all__ = [
    "atomic_write",
    "detect_encoding",
    "read_text",
]

_SNIFF = 8192


def detect_encoding(data: bytes, path: str = "<bytes>") -> str:
    """Return the encoding of ``data``: ``utf-8-sig``, ``utf-8``, ``gbk`` or ``gb18030``.

    Parameters
    ----------
    data : bytes
        The whole file.
    path : str
        Used in error messages only.

    Returns
    -------
    str
        A codec name that decodes ``data`` without error.

    Raises
    ------
    InputFileError
        When the file is empty, binary, mixes UTF-8 with another encoding, or
        decodes in none of the accepted encodings.
    """
    if not data.strip():
        raise InputFileError(path, "file is empty")
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        _check_decodes(body, "utf-8", path)
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputFileError(path, "file is UTF-16; save it as UTF-8 or GBK (CSV)")
    if b"\x00" in data[:_SNIFF]:
        raise InputFileError(path, "file is binary, not text (NUL bytes found)")
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    _refuse_mixed(data, path)
    for enc in ("gbk", "gb18030"):
        try:
            data.decode(enc)
            return enc
        except UnicodeDecodeError:
            continue
    raise InputFileError(path, "cannot decode the file as UTF-8, GBK or GB18030; save it as UTF-8")


def _check_decodes(data: bytes, enc: str, path: str) -> None:
    try:
        data.decode(enc)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            path, f"file starts with a UTF-8 mark but line {line} is not valid UTF-8"
        ) from None


def _refuse_mixed(data: bytes, path: str) -> None:
    """Raise when some lines are multi-byte UTF-8 and others are not UTF-8 at all.

    Raises
    ------
    InputFileError
        When one line is multi-byte UTF-8 and another is not valid UTF-8.
    """
    utf8_line = other_line = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_line = utf8_line or number
        except UnicodeDecodeError:
            other_line = other_line or number
        if utf8_line and other_line:
            raise InputFileError(
                path,
                f"mixed encodings: line {utf8_line} is UTF-8 but line {other_line} is not; "
                "save the whole file in one encoding",
            )


def read_text(path: str | Path) -> tuple[str, str]:
    """Read a text file, detecting its encoding.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    (str, str)
        The text, with universal newlines, and the encoding used.

    Raises
    ------
    InputFileError
        When the file is missing, a directory, or not decodable (see
        :func:`detect_encoding`).
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputFileError(str(path), "file not found") from None
    except IsADirectoryError:
        raise InputFileError(str(path), "is a directory, not a file") from None
    except PermissionError:
        raise InputFileError(str(path), "permission denied") from None
    enc = detect_encoding(data, str(path))
    text = data.decode(enc)
    return text.replace("\r\n", "\n").replace("\r", "\n"), enc


def atomic_write(path: str | Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    The data goes to a temporary file beside ``path`` (same folder, so the same
    file system) that is then renamed over it.

    Parameters
    ----------
    path : str or Path
        The file to write.
    data : str or bytes
        Text (encoded with ``encoding``) or bytes.
    encoding : str
        For text, e.g. ``utf-8-sig`` for CSV files Excel opens.

    Returns
    -------
    Path
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
