"""The charset of a part sent without one: departments' systems often send GB18030 CSV with a bare text/csv."""

import codecs
import zlib
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any, TypeVar

from charset_normalizer import from_bytes

F = TypeVar("F", bound=Any)  # parsing.UploadFormat (not imported: parsing imports this module)
SNIFF_BYTES = 64 * 1024
# The encodings a Chinese department's export comes in; GB18030 covers GBK and GB2312.
CANDIDATES = ("gb18030", "big5")


def guess(head: bytes) -> str:
    """UTF-8 when the head decodes as UTF-8 (a BOM or plain ASCII included), else charset-normalizer's pick among
    the Chinese encodings, else GB18030 (what Chinese Excel and most departments' systems write)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(head, cp_isolation=list(CANDIDATES)).best()
    return "big5" if best is not None and best.encoding == "big5" else "gb18030"


async def detect(fmt: F, chunks: AsyncIterator[bytes]) -> tuple[F, AsyncIterator[bytes]]:
    """Read ahead up to SNIFF_BYTES, name the charset, and hand back the same bytes followed by the rest."""
    if fmt.charset != "auto":
        return fmt, chunks
    head: list[bytes] = []
    size = 0
    async for chunk in chunks:
        head.append(chunk)
        size += len(chunk)
        if size >= SNIFF_BYTES:
            break
    raw = b"".join(head)
    sample = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(raw, SNIFF_BYTES) if fmt.gzip else raw
    detected = replace(fmt, charset=guess(sample))

    async def replay() -> AsyncIterator[bytes]:
        if raw:
            yield raw
        async for chunk in chunks:
            yield chunk

    return detected, replay()
