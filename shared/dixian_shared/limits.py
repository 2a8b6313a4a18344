"""Request-rate limits per person and per API key, and the slow-down and lock of repeated failed sign-ins, counted in
Redis so that they hold across API replicas. Redis being down lets requests through (logged), never blocks them."""

import logging
import time

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from dixian_shared.errors import ProblemError
from dixian_shared.settings import LimitSettings

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60


class TooManyRequests(ProblemError):
    status, slug, title = 429, "too-many-requests", "Too many requests"
    template = "more than {limit} requests a minute from {who}; try again in {retry_after} s"
    title_zh = "请求过于频繁"
    template_zh = "{who} 每分钟请求超过 {limit} 次，请 {retry_after} 秒后再试"

    @property
    def retry_after(self) -> int:
        return int(self.kwargs.get("retry_after", 1))


class SignInLocked(ProblemError):
    status, slug, title = 429, "sign-in-locked", "Too many failed sign-ins"
    template = "too many failed sign-ins for this username; try again in {retry_after} s"
    title_zh = "登录失败次数过多"
    template_zh = "该用户名登录失败次数过多，请 {retry_after} 秒后再试"

    @property
    def retry_after(self) -> int:
        return int(self.kwargs.get("retry_after", 1))


async def count_request(redis: aioredis.Redis, settings: LimitSettings, who: str) -> None:
    """One request by `who` (a person's or a key's subject) in the current minute; refused past the limit."""
    if settings.requests_per_minute <= 0:
        return
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"dixian:rate:{who}:{window}"
    try:
        async with redis.pipeline(transaction=False) as pipe:
            pipe.incr(key)
            pipe.expire(key, WINDOW_SECONDS * 2)
            count, _ = await pipe.execute()
    except (RedisError, OSError) as exc:
        log.warning("rate limit not counted, Redis unavailable: %s", exc)
        return
    if int(count) > settings.requests_per_minute:
        retry_after = max(1, int((window + 1) * WINDOW_SECONDS - now))
        raise TooManyRequests(limit=settings.requests_per_minute, who=who, retry_after=retry_after)


def _login_key(username: str) -> str:
    return f"dixian:login:{username.strip().lower()}"


async def check_sign_in(redis: aioredis.Redis, settings: LimitSettings, username: str) -> None:
    """Before any password is hashed: refuse a username that is locked, or tried again too soon after failures."""
    try:
        state = await redis.hgetall(_login_key(username))
    except (RedisError, OSError) as exc:
        log.warning("sign-in throttle not read, Redis unavailable: %s", exc)
        return
    if not state:
        return
    failures = int(state.get(b"failures", 0))
    not_before = float(state.get(b"not_before", 0))
    wait = not_before - time.time()
    if wait > 0:
        raise SignInLocked(retry_after=int(wait) + 1, failures=failures)


async def sign_in_failed(redis: aioredis.Redis, settings: LimitSettings, username: str) -> None:
    """Count a failure: past `login_slow_after` each try waits twice as long as the one before (up to the maximum
    delay); at `login_lock_after` the username is locked for `login_lock_seconds`."""
    key = _login_key(username)
    try:
        failures = int(await redis.hincrby(key, "failures", 1))
        if failures >= settings.login_lock_after:
            delay = float(settings.login_lock_seconds)
        elif failures > settings.login_slow_after:
            delay = float(min(2 ** (failures - settings.login_slow_after - 1), settings.login_max_delay_seconds))
        else:
            delay = 0.0
        await redis.hset(key, "not_before", str(time.time() + delay))
        await redis.expire(key, settings.login_lock_seconds + settings.login_max_delay_seconds)
    except (RedisError, OSError) as exc:
        log.warning("failed sign-in not counted, Redis unavailable: %s", exc)


async def sign_in_succeeded(redis: aioredis.Redis, username: str) -> None:
    try:
        await redis.delete(_login_key(username))
    except (RedisError, OSError) as exc:
        log.warning("sign-in throttle not cleared, Redis unavailable: %s", exc)
