"""Optimistic concurrency: a record's version is its ETag; an update must send it back as If-Match."""

from typing import Annotated

from fastapi import Header, Response

from dixian_shared.errors import InvalidField, PreconditionFailed, PreconditionRequired


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def parse_if_match(if_match: str | None) -> int:
    if if_match is None:
        raise PreconditionRequired()
    value = if_match.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    # isascii: a header is read as Latin-1, whose ² and ¹ are digits to isdigit() but not to int().
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise InvalidField("header.If-Match", "must be an ETag this API issued", "应为本系统返回的 ETag")
    return int(value)


def check_version(if_match: str | None, current: int) -> None:
    given = parse_if_match(if_match)
    # RFC 9110 §13.1.1: If-Match uses the strong comparison, so a weak tag never matches, not even of this version.
    weak = if_match is not None and if_match.strip().startswith("W/")
    if weak or given != current:
        raise PreconditionFailed(given=("W/" if weak else "") + etag(given), current=etag(current))


IfMatch = Annotated[str | None, Header(alias="If-Match", description="the ETag read before this update")]
