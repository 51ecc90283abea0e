"""Bytes to text: UTF-8 (BOM or not), UTF-16, Windows-1256, ISO-8859-6."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

# The detector only chooses among encodings Arabic news actually comes in; left
# free, it reads short ISO-8859-6 text as Thai (cp874).
CANDIDATE_ENCODINGS = ["utf_8", "utf_16", "utf_16_le", "utf_16_be", "cp1256", "iso8859_6"]


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str] | None:
    """Return ``(text, encoding)`` with LF line ends, or ``None`` when no
    candidate encoding fits. ``declared`` (an HTML meta charset) is tried first."""
    text, encoding = _decode(data, declared)
    if text is None:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _decode(data: bytes, declared: str | None) -> tuple[str | None, str]:
    for bom, name in ((codecs.BOM_UTF8, "utf_8_sig"), (codecs.BOM_UTF16_LE, "utf_16"), (codecs.BOM_UTF16_BE, "utf_16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                break
    if not data:
        return "", "utf_8"
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf_8"
        except UnicodeDecodeError:
            pass
    if declared:
        try:
            return data.decode(declared), codecs.lookup(declared).name
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        return None, ""
    return str(best), best.encoding
