"""Reading a dataset file's bytes and text, with errors one can act on.

Every failure is a ``DatasetError`` that names the file, where in it (line or record number) and
what is wrong, so that no traceback ever has to reach the user. Hostile files are refused at
once: a FIFO, a device or a folder is never opened for reading (it could block for ever), a file
over ``MAX_FILE_BYTES`` is refused with its size, JSON nested deeper than Python can follow or
holding a number too long to convert gets a message, not a crash.

Encodings: UTF-8 (with or without BOM) and UTF-16 with a BOM are certain. Anything else is
detected with charset-normalizer among the encodings people's files really come in (GB18030,
which covers GBK and GB2312; Big5; Shift-JIS; EUC-JP; EUC-KR; Windows-1252), and the encoding
found is reported; the caller can also name the encoding (``--encoding``, the editor's
"Reopen with encoding").
"""

from __future__ import annotations

import codecs
import json
import os
import stat
from dataclasses import dataclass

from lora_studio.core import units
from lora_studio.core.messages import Text, say

MAX_FILE_BYTES = 2 * 1024**3  # larger datasets are split first (the editor has Split)
# What detection may choose from; GB2312 and GBK are read as GB18030, their superset.
DETECTABLE = ("gb18030", "big5", "shift_jis", "euc_jp", "euc_kr", "cp1252")
ENCODING_CHOICES = ("utf-8", "utf-8-sig", "utf-16", *DETECTABLE)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030", "cp936": "gb18030"}
# A single-byte guess needs some evidence: a couple of stray bytes are an error, not Latin-1.
MIN_SINGLE_BYTE_EVIDENCE = 3


class DatasetError(Exception):
    """A dataset file that cannot be used, with where and why. ``text`` is the whole message
    as a ``core.messages`` Text (the app shows it in its language); ``str()`` is English."""

    def __init__(self, path: str, problem: Text | str, location: Text | str = "") -> None:
        self.path = str(path)
        self.problem = str(problem)
        self.location = str(location)
        if location:
            self.text = say(
                "{path}, {location}: {problem}", path=self.path, location=location, problem=problem
            )
        else:
            self.text = say("{path}: {problem}", path=self.path, problem=problem)
        super().__init__(str(self.text))


@dataclass
class DecodedText:
    text: str
    encoding: str


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def check_regular_file(path: str, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Refuse, before anything opens it, what is not a regular file of a readable size."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DatasetError(path, say("the file does not exist")) from None
    except OSError as exc:
        raise DatasetError(path, _cannot_read(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise DatasetError(path, say("this is a folder, not a dataset file"))
    if not stat.S_ISREG(info.st_mode):
        if stat.S_ISFIFO(info.st_mode):
            raise DatasetError(path, say("this is a named pipe (FIFO), not a dataset file"))
        raise DatasetError(path, say("this is a device or socket, not a dataset file"))
    if info.st_size > max_bytes:
        raise DatasetError(
            path,
            say(
                "the file is {size}, more than the {limit} this app reads at once; split it "
                "into smaller files",
                size=units.size(info.st_size),
                limit=units.size(max_bytes),
            ),
        )


def _cannot_read(exc: OSError) -> Text:
    return say("cannot read the file ({reason})", reason=exc.strerror or str(exc))


def read_file_bytes(path: str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes; anything else (missing, a folder, a FIFO, a device, too large,
    unreadable) is a DatasetError, raised before a read could block."""
    check_regular_file(path, max_bytes)
    try:
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        raise DatasetError(path, _cannot_read(exc)) from None


def _not_utf8(data: bytes, path: str, exc: UnicodeDecodeError) -> DatasetError:
    line = data.count(b"\n", 0, exc.start) + 1
    return DatasetError(
        path,
        say(
            "the file is not UTF-8 text (undecodable byte 0x{byte:02x}) and its encoding could "
            "not be recognised; save it as UTF-8, or choose its encoding, and try again",
            byte=data[exc.start],
        ),
        say("line {line}", line=line),
    )


def decode_bytes(data: bytes, path: str = "", encoding: str = "") -> DecodedText:
    """Decode a text file's bytes: with ``encoding`` when given, else UTF-8 / BOM, else the
    encoding detected among ``DETECTABLE``. Raises DatasetError naming the line of the first
    byte that is not valid text."""
    if encoding:
        name = _ALIASES.get(encoding.lower(), encoding.lower())
        try:
            return DecodedText(data.decode(name), name)
        except LookupError:
            raise DatasetError(path, say("unknown encoding {name}", name=repr(encoding))) from None
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise DatasetError(
                path,
                say(
                    "the file is not valid {encoding} text ({reason})",
                    encoding=name,
                    reason=exc.reason,
                ),
                say("line {line}", line=line),
            ) from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(name), name)
            except UnicodeDecodeError as exc:
                raise DatasetError(
                    path,
                    say(
                        "the file is not valid {encoding} text ({reason} at byte {offset})",
                        encoding=name,
                        reason=exc.reason,
                        offset=exc.start,
                    ),
                ) from None
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = _not_utf8(data, path, exc)
    detected = detect_encoding(data)
    if not detected:
        raise utf8_error
    return DecodedText(data.decode(detected), detected)


def detect_encoding(data: bytes) -> str:
    """The likeliest of ``DETECTABLE`` for bytes that are not UTF-8; "" when none fits (binary
    data, or too little evidence)."""
    if b"\x00" in data:
        return ""
    from charset_normalizer import from_bytes

    # Ties (little text: GBK bytes are valid EUC-KR too) go to the earlier of DETECTABLE, which
    # lists the encodings in the order this app's users are likeliest to have them.
    ranked = []
    for match in from_bytes(data, cp_isolation=list(DETECTABLE)):
        name = _ALIASES.get(match.encoding, match.encoding)
        if name in DETECTABLE:
            ranked.append((round(match.chaos, 3), -match.coherence, DETECTABLE.index(name), name))
    if not ranked:
        return ""
    name = min(ranked)[3]
    if name == "cp1252":
        text = data.decode(name, errors="replace")
        letters = [ch for ch in text if ord(ch) > 127]
        if len(letters) < MIN_SINGLE_BYTE_EVIDENCE or sum(
            ch.isalpha() for ch in letters
        ) < 0.8 * len(letters):
            return ""
    try:
        data.decode(name)
    except UnicodeDecodeError:
        return ""
    return name


def read_text(path: str, encoding: str = "") -> DecodedText:
    return decode_bytes(read_file_bytes(path), path, encoding)


def parse_json(text: str, path: str = "", location: str = "") -> object:
    """``json.loads`` whose every failure is a DatasetError: invalid JSON (with its line),
    nesting too deep for Python, a number too long to convert."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = location or say("line {line}", line=exc.lineno)
        raise DatasetError(
            path,
            say("not valid JSON ({reason}, column {column})", reason=exc.msg, column=exc.colno),
            where,
        ) from None
    except RecursionError:
        raise DatasetError(
            path, say("the JSON is nested too deeply to be a dataset record"), location
        ) from None
    except ValueError as exc:  # int() refuses numbers of more than 4,300 digits
        raise DatasetError(
            path,
            say("the JSON holds a number that cannot be read ({reason})", reason=str(exc)),
            location,
        ) from None
