"""What a public notice or a search result may show of a person: masked names and ID numbers, no health.

One definition for every export and list that shows people to more eyes than the village staff who keep the record.
"""

# Risk causes that reveal health or disability; DOMAIN.md: a public notice never shows health status.
HEALTH_RISK_CAUSES = frozenset({"因病", "因残"})


def mask_name(name: str) -> str:
    """李秀英 → 李*英, 李四 → 李*: neighbours recognise the household, a list copied elsewhere names nobody."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def public_risk_causes(causes: list[str]) -> list[str]:
    return [cause for cause in causes if cause not in HEALTH_RISK_CAUSES]
