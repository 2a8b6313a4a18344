"""Resident ID numbers: GB 11643 check character, birth date and length."""

import pytest
from pydantic import BaseModel, ValidationError

from dixian_shared import idnumber
from dixian_shared.idnumber import ResidentId


class Person(BaseModel):
    id_number: ResidentId


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_valid_numbers_pass(number: str) -> None:
    assert Person(id_number=number).id_number == number


def test_lower_case_x_is_normalised() -> None:
    assert Person(id_number="11010519491231002x").id_number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("110105194912310021", "check character"),
        ("110105194902300020", "does not exist"),  # 30 February
        ("11010519491231002", "18"),
        ("11010519491231002X1", "18"),
        ("1101051949123100AX", "17 digits"),
    ],
)
def test_invalid_numbers_are_refused_with_the_reason(number: str, reason: str) -> None:
    with pytest.raises(ValidationError) as error:
        Person(id_number=number)
    assert reason in str(error.value)


def test_birth_date_and_sex_are_read_from_the_number() -> None:
    assert idnumber.birth_date("11010519491231002X").isoformat() == "1949-12-31"
    assert idnumber.sex("11010519491231002X") == "女"
    assert idnumber.sex("440524188001010014") == "男"


def test_make_computes_the_check_character() -> None:
    assert idnumber.make("11010519491231002") == "11010519491231002X"


def test_a_birth_date_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationError, match="not plausible"):
        Person(id_number=idnumber.make("36070221990101001"))
