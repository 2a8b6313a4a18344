"""Alembic, one history per schema: each service's env.py calls `run_env`; CLIs call `upgrade`."""

import asyncio
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

VERSION_TABLE = "alembic_version"


def alembic_config(script_location: Path, url: str, schema: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(slug)s")
    config.attributes["schema"] = schema
    return config


def upgrade(script_location: Path, url: str, schema: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(script_location, url, schema), revision)


def context_options(schema: str) -> dict[str, Any]:
    """A schema's migration context: its own version table, and autogenerate comparing only its objects, types
    included (also used by the test that the migrations build what the models declare)."""
    return {
        "version_table": VERSION_TABLE,
        "version_table_schema": schema,
        "include_schemas": True,
        "include_name": lambda name, type_, _parent: type_ != "schema" or name == schema,
        "compare_type": True,
    }


def _run(connection: Connection, metadata: MetaData, schema: str) -> None:
    connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    context.configure(
        connection=connection,
        target_metadata=metadata,
        **context_options(schema),
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str, metadata: MetaData, schema: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(_run, metadata, schema)
    await engine.dispose()


def run_env(metadata: MetaData) -> None:
    """The body of every env.py: online migrations of one schema over asyncpg."""
    config = context.config
    schema = config.attributes.get("schema", metadata.schema)
    url = config.get_main_option("sqlalchemy.url")
    if url is None or schema is None:
        raise RuntimeError("a migration needs sqlalchemy.url and a schema (the metadata's or the config's)")
    asyncio.run(_run_async(url, metadata, schema))
