"""An open-loop load driver at a fixed rate (what wrk2 does): request i is due at start + i / rate whether or not
earlier answers have come back, and its latency counts from when it was due, so a server that falls behind is
charged for the queue it builds (no coordinated omission). Plain HTTP/1.1 over keep-alive loopback connections.
"""

import asyncio
import itertools
import time

from bench.registry.load import Stats, check_loopback

# Answers the servers under test send: a Content-Length body (uvicorn's Response) or chunks (a streamed one).
_HEADER_END = b"\r\n\r\n"


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def get(self, request: bytes) -> int:
        """Send one request and read its whole answer; the status code."""
        self.writer.write(request)
        head = await self.reader.readuntil(_HEADER_END)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        return status

    def close(self) -> None:
        self.writer.close()


async def drive_paced(
    base_url: str, token: str, paths: list[str], *, rate: float, seconds: float, connections: int = 64
) -> Stats:
    """`rate` requests a second for `seconds`, cycling through `paths`; at most `connections` in flight (a request
    due while all are busy waits for one, and that wait is part of its latency)."""
    check_loopback(base_url)
    host, _, port = base_url.removeprefix("http://").partition(":")
    idle: asyncio.Queue[_Connection] = asyncio.Queue()
    for _ in range(connections):
        idle.put_nowait(_Connection(*await asyncio.open_connection(host, int(port))))
    requests = [
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
        for path in paths
    ]
    latencies: list[float] = []
    failures = [0, 0]  # non-2xx, transport errors

    async def one(request: bytes, due: float) -> None:
        connection = await idle.get()
        try:
            status = await connection.get(request)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            failures[1] += 1
            connection.close()
            idle.put_nowait(_Connection(*await asyncio.open_connection(host, int(port))))
            return
        latencies.append(time.perf_counter() - due)
        idle.put_nowait(connection)
        if not 200 <= status < 300:
            failures[0] += 1

    total = int(rate * seconds)
    tasks = []
    started = time.perf_counter()
    for number, request in zip(range(total), itertools.cycle(requests), strict=False):
        due = started + number / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(request, due)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    while not idle.empty():
        idle.get_nowait().close()
    return Stats.of(latencies, failures[0], failures[1], elapsed)
