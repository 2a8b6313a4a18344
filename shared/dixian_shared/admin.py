"""dixian-admin: create users and API keys, load the region tree, migrate the identity schema, make signing keys."""

import argparse
import asyncio
import os
from pathlib import Path

from sqlalchemy import MetaData

from dixian_shared import regioncode
from dixian_shared.auth.api_keys import new_key
from dixian_shared.auth.passwords import hash_password
from dixian_shared.auth.principal import Role
from dixian_shared.auth.tokens import generate_key_pair, write_public_key
from dixian_shared.db import create_engine, create_sessionmaker, unit_of_work
from dixian_shared.identity.models import ApiKey, User
from dixian_shared.migrations import upgrade
from dixian_shared.regions import load_regions, read_region_file
from dixian_shared.settings import DEFAULT_DATABASE_URL, PostgresSettings
from dixian_shared.tables import declare_common_tables

IDENTITY_MIGRATIONS = Path(__file__).parent / "identity" / "migrations"
DATABASE_URL_ENV = "DIXIAN_DATABASE_URL"


def ensure_key_pair(private: Path, public: Path) -> str:
    """Make the signing key pair once. An existing private key is kept (a new one would invalidate every token
    issued); a missing public key is derived from it again."""
    if not private.exists():
        generate_key_pair(private, public)
        return f"new signing key pair written to {private} and {public}"
    if not public.exists():
        write_public_key(private, public)
        return f"kept {private}; wrote its public key to {public}"
    return f"kept the existing signing key pair {private} and {public}"


async def create_user(url: str, username: str, password: str, role: Role, region: str, name: str) -> int:
    engine = create_engine(PostgresSettings(url=url))
    async with unit_of_work(create_sessionmaker(engine)) as session:
        user = User(username=username, password_hash=hash_password(password), name=name, role=role, region_code=region)
        session.add(user)
        await session.flush()
        user_id = user.id
    await engine.dispose()
    return user_id


async def create_api_key(url: str, name: str, role: Role, region: str, scopes: list[str]) -> str:
    engine = create_engine(PostgresSettings(url=url))
    key, prefix, secret_hash = new_key()
    async with unit_of_work(create_sessionmaker(engine)) as session:
        session.add(
            ApiKey(prefix=prefix, secret_hash=secret_hash, name=name, role=role, region_code=region, scopes=scopes)
        )
    await engine.dispose()
    return key


async def load_region_tree(url: str, schemas: list[str], path: Path) -> int:
    regions = read_region_file(path)
    engine = create_engine(PostgresSettings(url=url))
    async with unit_of_work(create_sessionmaker(engine)) as session:
        for schema in schemas:
            await load_regions(session, declare_common_tables(MetaData(schema=schema)).region, regions)
    await engine.dispose()
    return len(regions)


def _region(value: str) -> str:
    try:
        return regioncode.validate(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="dixian-admin", description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(DATABASE_URL_ENV, DEFAULT_DATABASE_URL),
        help=f"default: ${DATABASE_URL_ENV}, else {DEFAULT_DATABASE_URL}",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    user = commands.add_parser("create-user", help="a person who signs in")
    user.add_argument("--username", required=True)
    user.add_argument("--password", required=True)
    user.add_argument("--role", type=Role, choices=list(Role), required=True)
    user.add_argument("--region", type=_region, required=True)
    user.add_argument("--name", default="")

    key = commands.add_parser("create-api-key", help="a department or provincial system; prints the key once")
    key.add_argument("--name", required=True)
    key.add_argument(
        "--role", type=Role, choices=[Role.department, Role.province, Role.service], default=Role.department
    )
    key.add_argument("--region", type=_region, required=True)
    key.add_argument("--scopes", required=True, help="comma-separated data types, e.g. medical_enrolment")

    regions = commands.add_parser("load-regions", help="upsert the region tree into each named schema")
    regions.add_argument("--file", type=Path, required=True)
    regions.add_argument("--schemas", default="monitoring,funds,employment,worker")

    commands.add_parser("migrate-identity", help="create or upgrade the identity schema")

    keys = commands.add_parser("generate-signing-keys", help="an RSA key pair for the built-in token issuer")
    keys.add_argument("--private", type=Path, required=True)
    keys.add_argument("--public", type=Path, required=True)

    args = parser.parse_args(argv)
    url = args.database_url
    if args.command == "create-user":
        user_id = asyncio.run(create_user(url, args.username, args.password, args.role, args.region, args.name))
        print(f"user {args.username} created with id {user_id}")
    elif args.command == "create-api-key":
        scopes = [s.strip() for s in args.scopes.split(",") if s.strip()]
        print(asyncio.run(create_api_key(url, args.name, args.role, args.region, scopes)))
    elif args.command == "load-regions":
        count = asyncio.run(load_region_tree(url, args.schemas.split(","), args.file))
        print(f"{count} regions loaded into {args.schemas}")
    elif args.command == "migrate-identity":
        upgrade(IDENTITY_MIGRATIONS, url, "identity")
    elif args.command == "generate-signing-keys":
        print(ensure_key_pair(args.private, args.public))


if __name__ == "__main__":
    main()
