"""The webhook signature: HMAC-SHA256 over "<timestamp>.<body>", so a gateway can check sender, body and age."""

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Dixian-Timestamp"
SIGNATURE_HEADER = "X-Dixian-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def headers_for(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = int(now if now is not None else time.time())
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(secret, timestamp, body)}


def verify(secret: str, timestamp: str, signature: str, body: bytes, *, tolerance_seconds: int = 300) -> bool:
    """What a gateway does: the signature matches and the timestamp is recent (a replayed old request fails)."""
    try:
        stamp = int(timestamp)
    except ValueError:
        return False
    if abs(time.time() - stamp) > tolerance_seconds:
        return False
    return hmac.compare_digest(sign(secret, stamp, body), signature)
