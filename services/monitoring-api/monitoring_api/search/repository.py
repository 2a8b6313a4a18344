"""The search query: what the text looks like decides the column, each served by its own index."""

import re
from typing import Any

from sqlalchemy import Select, or_, select

from dixian_shared.auth.principal import Principal, in_scope
from monitoring_api.households.models import Household, Member

ID_NUMBER = re.compile(r"^[0-9]{17}[0-9Xx]$")
PHONE = re.compile(r"^[0-9+\- ]{5,20}$")
INITIALS = re.compile(r"^[A-Za-z]{1,50}$")


def _prefix(text: str) -> str:
    """A LIKE pattern for "starts with", the text's own % and _ taken literally."""
    return re.sub(r"([\\%_])", r"\\\1", text) + "%"


def kind_of(text: str) -> str:
    if ID_NUMBER.match(text):
        return "id_number"
    if PHONE.match(text) and any(ch.isdigit() for ch in text):
        return "phone"
    if INITIALS.match(text):
        return "initials"
    return "name"


def search(principal: Principal, text: str) -> Select[*tuple[Any, ...]]:
    """Members (with their household) in the caller's region whose ID number or phone is the text, or whose name
    or pinyin initials start with it."""
    kind = kind_of(text)
    if kind == "id_number":
        match = Member.id_number == text.upper()
    elif kind == "phone":
        match = or_(Member.phone == text, Household.phone == text)
    elif kind == "initials":
        match = Member.name_initials.like(_prefix(text.lower()))
    else:
        match = Member.name.like(_prefix(text))
    return (
        select(Member, Household.head_name, Household.category, Household.household_number)
        .join(Household, Household.id == Member.household_id)
        .where(match, in_scope(Member.region_code, principal))
    )
