"""Demo logins, one per role and region level, for `./dev up --demo` only: the passwords are public on purpose."""

from dataclasses import dataclass

import asyncpg

from dixian_shared.admin import create_user
from dixian_shared.auth.principal import Role

DISTRICT = "360702000000"  # 赣州蓉江新区
TOWN = "360702191000"  # 潭口镇
VILLAGE = "360702191200"  # 谢岗村


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role
    region_code: str
    name: str
    region_name: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("demo-district", "demo-district-2024", Role.district, DISTRICT, "区农办演示账号", "赣州蓉江新区"),
    DemoUser("demo-town", "demo-town-2024", Role.town, TOWN, "潭口镇演示账号", "潭口镇"),
    DemoUser("demo-village", "demo-village-2024", Role.village, VILLAGE, "谢岗村信息员演示账号", "谢岗村"),
    DemoUser("demo-cadre", "demo-cadre-2024", Role.cadre, VILLAGE, "结对帮扶干部演示账号", "谢岗村"),
    DemoUser("demo-department", "demo-department-2024", Role.department, DISTRICT, "行业部门演示账号", "赣州蓉江新区"),
)


def sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1) if url.startswith("postgresql://") else url


async def ensure_demo_users(conn: asyncpg.Connection, url: str) -> list[tuple[DemoUser, bool]]:
    """Create the missing demo users (existing usernames are left as they are); say which were created."""
    try:
        existing = {r["username"] for r in await conn.fetch("SELECT username FROM identity.user_account")}
    except asyncpg.UndefinedTableError:
        raise RuntimeError("identity.user_account is missing: run `dixian-admin migrate-identity` first") from None
    outcome = []
    for user in DEMO_USERS:
        created = user.username not in existing
        if created:
            await create_user(sqlalchemy_url(url), user.username, user.password, user.role, user.region_code, user.name)
        outcome.append((user, created))
    return outcome


def table(outcome: list[tuple[DemoUser, bool]]) -> str:
    lines = [
        "Demo logins (demo mode only; POST /auth/token on monitoring-api with username and password):",
        f"  {'username':16} {'password':22} {'role':11} {'region':13} {'':8}",
    ]
    for user, created in outcome:
        state = "created" if created else "existing"
        lines.append(
            f"  {user.username:16} {user.password:22} {user.role.value:11} {user.region_code:13} {state:8} "
            f"{user.region_name}"
        )
    return "\n".join(lines)
