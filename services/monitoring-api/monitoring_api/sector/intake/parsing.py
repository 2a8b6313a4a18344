"""Streaming decode of an uploaded part: gunzip, UTF-8 or GB18030, CSV or JSON lines — one chunk at a time.

Nothing here holds more than one network chunk plus one unfinished record, so a part of any size fits in memory.
"""

import codecs
import csv
import io
import json
import zlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import repeat
from typing import Any, Protocol

from monitoring_api.sector.errors import BadUpload, UnsupportedUpload
from monitoring_api.sector.intake import charset
from monitoring_api.sector.intake.fields import canonical_name

MAX_RECORD_CHARS = 1 << 20  # a CSV record (quotes included) longer than this is a broken quote, not data
STRETCH_CHARS = 1 << 18  # text parsed at a time: enough to spread its fixed costs (a COPY, a few sets), and
# small enough that the event loop is never held for long and PostgreSQL ingests one stretch while the next is read
INFLATE_STEP = 1 << 20  # inflate at most this much at a time, so a small gzip bomb cannot fill memory
GZIP_MAGIC = b"\x1f\x8b"
GZIP_WBITS = 16 + zlib.MAX_WBITS

CSV_TYPES = {"text/csv", "application/csv", "text/plain"}
JSONL_TYPES = {"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"}
CHARSETS = {"utf-8": "utf-8", "utf8": "utf-8", "gb18030": "gb18030", "gbk": "gb18030", "gb2312": "gb18030"}


class Format(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


@dataclass(frozen=True)
class UploadFormat:
    format: Format
    charset: str
    gzip: bool


class Digest(Protocol):
    def update(self, data: bytes, /) -> None: ...


@dataclass
class RecordBatch:
    """The records of one stretch of the input, in file order, with the line each starts on.

    Row-wise (`records`) in general; column-wise (`columns`, with the lines as `sent`) for a stretch of CSV plainly
    written — quotes nowhere, or around every field — whose every line has exactly the header's fields, the common
    case, read without a Python list per record.
    """

    lines: Sequence[int]
    records: list[Any]  # CSV: field lists in header order; JSON lines: dicts; empty when read column-wise
    header: list[str] | None  # CSV only
    clean: bool  # no NUL and no \u escape: every value is storable text as it stands
    unreadable: list[tuple[int, str]] = field(default_factory=list)
    columns: list[list[str]] | None = None  # the values by header position
    sent: list[str] | None = None  # each record's line as the department sent it, without its line break

    def record(self, index: int) -> dict[str, Any]:
        """One record as field name → value, for echoing it back in an error report."""
        if self.columns is not None:
            return {name: column[index] for name, column in zip(self.header or (), self.columns, strict=True)}
        found = self.records[index]
        return dict(zip(self.header, found, strict=False)) if self.header is not None else found


def negotiate(content_type: str | None, content_encoding: str | None, filename: str | None) -> UploadFormat:
    """Format from Content-Type (or the file name), charset from its parameter, gzip from Content-Encoding or .gz."""
    media, _, params = (content_type or "").partition(";")
    media = media.strip().lower()
    charset: str | None = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            wanted = value.strip().strip('"').lower()
            if wanted not in CHARSETS:
                raise UnsupportedUpload(reason=f"charset {wanted!r} is not supported")
            charset = CHARSETS[wanted]
    name = (filename or "").lower()
    gzip = (content_encoding or "").strip().lower() in {"gzip", "x-gzip"} or name.endswith(".gz")
    if content_encoding and not gzip and content_encoding.strip().lower() != "identity":
        raise UnsupportedUpload(reason=f"Content-Encoding {content_encoding!r} is not supported")
    name = name.removesuffix(".gz")
    if media in CSV_TYPES or (media not in JSONL_TYPES and name.endswith(".csv")):
        # No charset: sector/charset.py reads ahead and names it ("auto" until then).
        return UploadFormat(Format.csv, charset or "auto", gzip)
    if media in JSONL_TYPES or name.endswith((".jsonl", ".ndjson")):
        return UploadFormat(Format.jsonl, charset or "utf-8", gzip)  # JSON is UTF-8 (RFC 8259)
    raise UnsupportedUpload(reason=f"cannot tell the format of {media or 'a body without Content-Type'}")


def _inflate(inflater: Any, data: bytes) -> tuple[Any, list[bytes]]:
    """Inflate one chunk in bounded steps; a new gzip member (concatenated .gz files) starts a new inflater."""
    out = []
    while data:
        piece = inflater.decompress(data, INFLATE_STEP)
        if piece:
            out.append(piece)
        if inflater.unconsumed_tail:
            data = inflater.unconsumed_tail
        elif inflater.eof and inflater.unused_data:
            data = inflater.unused_data
            inflater = zlib.decompressobj(wbits=GZIP_WBITS)
        else:
            data = b""
    return inflater, out


async def _inflated(chunks: AsyncIterator[bytes], gzip: bool) -> AsyncIterator[bytes]:
    head = b""
    sniffed = False
    inflater: Any = None
    async for chunk in chunks:
        if not sniffed:
            head += chunk
            if len(head) < 2:
                continue
            sniffed = True
            # A .gz body sent without its header is still recognised by the gzip magic number.
            if gzip or head[:2] == GZIP_MAGIC:
                inflater = zlib.decompressobj(wbits=GZIP_WBITS)
            chunk, head = head, b""
        if inflater is None:
            yield chunk
            continue
        try:
            inflater, pieces = _inflate(inflater, chunk)
        except zlib.error as exc:
            raise BadUpload(reason=f"the gzip data is corrupt ({exc})") from None
        for piece in pieces:
            yield piece
    if head:
        if gzip:
            raise BadUpload(reason="the gzip data ends too early")
        yield head
    if inflater is not None and not inflater.eof:
        raise BadUpload(reason="the gzip data ends too early")


async def _texts(chunks: AsyncIterator[bytes], fmt: UploadFormat, digest: Digest) -> AsyncIterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8-sig" if fmt.charset == "utf-8" else fmt.charset)("strict")
    try:
        async for data in _inflated(chunks, fmt.gzip):
            digest.update(data)
            yield decoder.decode(data)
        yield decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise BadUpload(reason=f"the body is not valid {fmt.charset} ({exc.reason})") from None


async def _stretches(texts: AsyncIterator[str]) -> AsyncIterator[str]:
    """The decoded text regrouped into stretches of at least STRETCH_CHARS (bar the last): a network read is small."""
    waiting: list[str] = []
    size = 0
    async for text in texts:
        waiting.append(text)
        size += len(text)
        if size >= STRETCH_CHARS:
            yield "".join(waiting)
            waiting, size = [], 0
    if waiting:
        yield "".join(waiting)


class _CsvRecords:
    def __init__(self, required: list[str]) -> None:
        self.required = required
        self.header: list[str] | None = None
        self.line = 0  # physical lines consumed so far

    def parse(self, text: str) -> RecordBatch:
        if self.header is None:
            text = self._plain_header(text)
        if self.header is not None:
            columnar = self._columns(text)
            if columnar is not None:
                return columnar
        return self._rows(text)

    def _plain_header(self, text: str) -> str:
        """Take the header off when it is the stretch's first line, plainly written; the rest of the stretch."""
        head, newline, rest = text.partition("\n")
        head = head.removesuffix("\r")
        fields = _plain_fields(head)
        if not newline or "\r" in head or fields is None or _blank(fields):
            return text  # left to the general reader
        self._set_header(fields)
        self.line += 1
        return rest

    def _columns(self, text: str) -> RecordBatch | None:
        """Every value by column straight from str.split, for a stretch plainly written: no quote at all, or every
        field of every line quoted with no quote inside; None otherwise, or when some line is blank or has too few
        or too many fields (the general reader then says which)."""
        body = text.replace("\r\n", "\n")
        if "\r" in body:
            return None
        sent = body.split("\n")
        if sent[-1] == "":
            sent.pop()
        if not sent:
            return None
        separator, lines = ",", sent
        if '"' in body:
            # Quoted fields: a line break only between '"' and '"', then the quotes taken off the ends of lines.
            if not (body[0] == '"' and sent[-1].endswith('"') and body.count('"\n"') == len(sent) - 1):
                return None
            if min(map(len, sent)) < 2:  # a lone quote opens a field across the line break
                return None
            separator, lines = '","', "\n".join(sent)[1:-1].replace('"\n"', "\n").split("\n")
        width = len(self.header or ())
        if set(map(str.count, lines, repeat(separator))) != {width - 1}:
            return None
        if separator != "," and sum(map(str.count, lines, repeat('"'))) != 2 * (width - 1) * len(lines):
            return None  # a quote inside a value (an escaped one): the general reader unescapes it
        if width == 1 and not all(map(str.strip, lines)):
            return None
        values = separator.join(lines).split(separator)
        first = self.line + 1
        self.line += len(lines)
        return RecordBatch(
            lines=range(first, first + len(lines)),
            records=[],
            header=self.header,
            clean="\x00" not in text,
            columns=[values[position::width] for position in range(width)],
            sent=sent,
        )

    def _rows(self, text: str) -> RecordBatch:
        try:
            if '"' in text:
                rows, lines = self._quoted(text)
            else:  # no quotes: one record per physical line, read in C without a Python loop
                rows = list(csv.reader(io.StringIO(text, newline="")))
                lines = list(range(self.line + 1, self.line + 1 + len(rows)))
                self.line += len(rows)
        except csv.Error as exc:
            raise BadUpload(reason=f"the CSV cannot be read after line {self.line} ({exc})") from None
        if self.header is None:
            rows, lines = self._take_header(rows, lines)
        width = len(self.header or ())
        batch = RecordBatch(lines=lines, records=rows, header=self.header, clean="\x00" not in text)
        if rows and set(map(len, rows)) != {width}:
            self._sort_out(batch, width)
        return batch

    def _quoted(self, text: str) -> tuple[list[list[str]], list[int]]:
        reader = csv.reader(io.StringIO(text, newline=""))
        rows, lines = [], []
        consumed = 0  # lines of `text` read before the current record
        for fields in reader:
            rows.append(fields)
            lines.append(self.line + consumed + 1)
            consumed = reader.line_num
        self.line += reader.line_num
        return rows, lines

    def _take_header(self, rows: list[list[str]], lines: list[int]) -> tuple[list[list[str]], list[int]]:
        for index, fields in enumerate(rows):
            if _blank(fields):
                continue
            self._set_header(fields)
            return rows[index + 1 :], lines[index + 1 :]
        return [], []

    def _set_header(self, fields: list[str]) -> None:
        self.header = [canonical_name(f) for f in fields]
        missing = [name for name in self.required if name not in self.header]
        if missing:
            raise BadUpload(reason=f"the CSV header lacks the required column(s) {', '.join(missing)}")

    @staticmethod
    def _sort_out(batch: RecordBatch, width: int) -> None:
        """Blank lines are skipped; a row with more fields than the header cannot be read."""
        rows, lines = [], []
        for line, fields in zip(batch.lines, batch.records, strict=True):
            if _blank(fields):
                continue
            if len(fields) > width:
                batch.unreadable.append((line, f"has {len(fields)} fields, the header has {width}"))
                continue
            rows.append(fields + [""] * (width - len(fields)))
            lines.append(line)
        batch.records, batch.lines = rows, lines


def _plain_fields(line: str) -> list[str] | None:
    """The fields of a line without quotes, or of one with every field quoted and no quote inside; else None."""
    if '"' not in line:
        return line.split(",")
    fields = line[1:-1].split('","')
    if len(line) < 2 or line[0] != '"' or line[-1] != '"' or any('"' in field for field in fields):
        return None
    return fields


def _blank(fields: list[str]) -> bool:
    return not fields or (len(fields) == 1 and not fields[0].strip())


def _jsonl(text: str, first_line: int) -> RecordBatch:
    lines: list[int] = []
    batch = RecordBatch(lines=lines, records=[], header=None, clean="\\u" not in text and "\x00" not in text)
    for line, line_text in enumerate(text.split("\n"), start=first_line):
        if not line_text.strip():
            continue
        try:
            value = json.loads(line_text)
        except ValueError as exc:
            batch.unreadable.append((line, f"not valid JSON ({getattr(exc, 'msg', exc)})"))
            continue
        except RecursionError:
            batch.unreadable.append((line, "nested too deeply"))
            continue
        if not isinstance(value, dict):
            batch.unreadable.append((line, "not a JSON object"))
            continue
        batch.records.append({canonical_name(str(k)): v for k, v in value.items()})
        lines.append(line)
    return batch


def _records_end(text: str, *, quoted: bool) -> int:
    """Where the complete records of `text` end: after its last line break outside quotes (0: none yet)."""
    cut = text.rfind("\n") + 1
    if not quoted:
        return cut
    # An odd number of quotes before a line break puts it inside a quoted field: step back a line at a time.
    odd = text.count('"', 0, cut) % 2
    while odd and cut:
        previous = text.rfind("\n", 0, cut - 1) + 1
        odd ^= text.count('"', previous, cut) % 2
        cut = previous
    return cut


async def parse(
    chunks: AsyncIterator[bytes], fmt: UploadFormat, required: list[str], digest: Digest
) -> AsyncIterator[RecordBatch]:
    """Records in file order, a batch per stretch of text; the digest sees every decompressed byte."""
    fmt, chunks = await charset.detect(fmt, chunks)  # a no-op when the charset is known
    pending = ""
    csv_records = _CsvRecords(required)
    jsonl_line = 0
    async for text in _stretches(_texts(chunks, fmt, digest)):
        pending += text
        cut = _records_end(pending, quoted=fmt.format is Format.csv)
        if len(pending) - cut > MAX_RECORD_CHARS:
            raise BadUpload(reason=f"a record after line {csv_records.line} is too long (an unclosed quote?)")
        if not cut:
            continue
        complete, pending = pending[:cut], pending[cut:]
        if fmt.format is Format.csv:
            yield csv_records.parse(complete)
        else:
            yield _jsonl(complete[:-1], jsonl_line + 1)
            jsonl_line += complete.count("\n")
    if pending.strip():
        if fmt.format is Format.csv:
            if pending.count('"') % 2:
                raise BadUpload(reason=f"a quoted field after line {csv_records.line} is never closed")
            yield csv_records.parse(pending)
        else:
            yield _jsonl(pending, jsonl_line + 1)
    if fmt.format is Format.csv and csv_records.header is None:
        raise BadUpload(reason="the CSV part has no header row")
