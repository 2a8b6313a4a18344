"""Unique resident ID numbers in bounded memory: one small counter per (birthplace, birth date, sex).

A number is birthplace (6) · birth date (8) · sequence (3, odd for men, even for women) · check character.
The n-th person of a (birthplace, date, sex) gets the n-th slot of a fixed permutation of the 499 sequence codes,
so numbers look scattered but never repeat; a full day spills over to the day before.
"""

import array
from datetime import date, timedelta

from dixian_shared import idnumber

_EPOCH = date(1900, 1, 1)
_SLOTS = 499  # prime: multiplying by _STEP permutes the slots
_STEP = 137
_STEP_INVERSE = pow(_STEP, -1, _SLOTS)


class IdNumbers:
    def __init__(self, prefixes: tuple[str, ...], as_of: date) -> None:
        self.prefixes = prefixes
        self._index = {p: i for i, p in enumerate(prefixes)}
        self._days = (as_of - _EPOCH).days + 1
        self._used = array.array("H", bytes(2 * len(prefixes) * self._days * 2))

    def _key(self, prefix_index: int, day: int, male: bool) -> int:
        return (prefix_index * self._days + day) * 2 + int(male)

    @staticmethod
    def _offset(prefix_index: int, day: int) -> int:
        return (day * 31 + prefix_index * 7) % _SLOTS

    def allocate(self, prefix_index: int, birth: date, male: bool) -> tuple[str, date]:
        """A new number for a person born on `birth` (or a day earlier when that day is full), and the date used."""
        while True:
            day = (birth - _EPOCH).days
            key = self._key(prefix_index, day, male)
            count = self._used[key]
            if count < _SLOTS:
                self._used[key] = count + 1
                slot = (count * _STEP + self._offset(prefix_index, day)) % _SLOTS
                sequence = 2 * slot + (1 if male else 2)
                return idnumber.make(f"{self.prefixes[prefix_index]}{birth:%Y%m%d}{sequence:03d}"), birth
            birth -= timedelta(days=1)

    def mark_taken(self, number: str) -> None:
        """Count an existing number as used (for --append), so no new number repeats it."""
        prefix_index = self._index.get(number[:6])
        try:
            day = (idnumber.birth_date(number) - _EPOCH).days
            sequence = int(number[14:17])
        except ValueError:
            return
        if prefix_index is None or not 0 <= day < self._days:
            return
        male = sequence % 2 == 1
        slot = (sequence - 1) // 2 if male else (sequence - 2) // 2
        if not 0 <= slot < _SLOTS:
            return  # a code this allocator never hands out
        count = ((slot - self._offset(prefix_index, day)) * _STEP_INVERSE) % _SLOTS
        key = self._key(prefix_index, day, male)
        self._used[key] = max(self._used[key], count + 1)
