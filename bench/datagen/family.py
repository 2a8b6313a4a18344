"""Who lives in a household: the head, a spouse, parents, children, a daughter-in-law and grandchildren, with ages."""

import random
from dataclasses import dataclass

from monitoring_api.households.enums import Relation


@dataclass(slots=True)
class Kin:
    relation: Relation
    male: bool
    age: int


def _head_age(rng: random.Random, size: int) -> int:
    # Single and two-person households are mostly old people; large ones span three generations.
    if size == 1:
        return int(rng.triangular(24, 92, 68))
    if size == 2:
        return int(rng.triangular(24, 90, 62))
    if size <= 4:
        return int(rng.triangular(25, 76, 40))
    return int(rng.triangular(34, 82, 56))


def _child(rng: random.Random, parent_age: int, son: Relation, daughter: Relation) -> Kin:
    male = rng.random() < 0.53
    age = parent_age - rng.randint(21, 36)
    if age < 0:  # a young parent: the child is somewhere between newborn and the parent's age less 21
        age = rng.randint(0, max(0, parent_age - 21))
    return Kin(son if male else daughter, male, age)


def compose(rng: random.Random, size: int) -> list[Kin]:
    """Exactly one head (户主) and `size - 1` relatives with plausible relations and ages."""
    head_age = _head_age(rng, size)
    head_male = rng.random() < (0.88 if size > 1 else 0.70)
    people = [Kin(Relation.head, head_male, head_age)]
    if size > 1 and rng.random() < (0.88 if size > 2 else 0.72):
        spouse_age = max(20, head_age + (rng.randint(-6, 2) if head_male else rng.randint(-2, 6)))
        people.append(Kin(Relation.spouse, not head_male, spouse_age))
    if len(people) < size and head_age < 52 and rng.random() < 0.35:
        mother = rng.random() < 0.65  # mothers outlive fathers
        people.append(
            Kin(Relation.mother if mother else Relation.father, not mother, min(96, head_age + rng.randint(22, 34)))
        )
    if head_age >= 48 and size - len(people) >= 3 and rng.random() < 0.8:
        # Three generations: a married son with his wife and children lives with his parents.
        people.append(Kin(Relation.son, True, max(22, head_age - rng.randint(22, 30))))
        if size - len(people) >= 3 and rng.random() < 0.3:
            people.append(_child(rng, head_age, Relation.son, Relation.daughter))
    else:
        while len(people) < size and len(people) < 6 and head_age >= 21:
            people.append(_child(rng, head_age, Relation.son, Relation.daughter))
    grown_sons = [p for p in people if p.relation == Relation.son and p.age >= 22]
    if len(people) < size and grown_sons:
        son = max(grown_sons, key=lambda p: p.age)
        people.append(Kin(Relation.daughter_in_law, False, max(20, son.age + rng.randint(-4, 2))))
        while len(people) < size:
            people.append(_child(rng, son.age, Relation.grandson, Relation.granddaughter))
    while len(people) < size:
        # Someone else registered in the household: a brother or sister of the head, rarely another relative.
        if rng.random() < 0.8:
            people.append(Kin(Relation.sibling, rng.random() < 0.6, max(16, head_age + rng.randint(-12, 12))))
        else:
            people.append(Kin(Relation.other, rng.random() < 0.5, rng.randint(1, 80)))
    return people
