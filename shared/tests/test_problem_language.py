"""Problems speak Chinese by default and English on request, with a stable code and the parameters."""

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from dixian_shared.error_handlers import install_error_handlers
from dixian_shared.errors import RuleViolation, preferred_language, register_field_labels


class TooEarly(RuleViolation):
    slug = "too-early"
    template = "not before {date}"
    title_zh = "时间未到"
    template_zh = "{date} 之前不能办理"


class Body(BaseModel):
    id_number: str


def make_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/rule")
    async def rule() -> None:
        raise TooEarly(rule="elimination-after-six-months", date="2026-12-01")

    @app.post("/body")
    async def body(payload: Body) -> None:
        return None

    return app


async def call(path: str, **kwargs: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=make_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(path, **kwargs)  # type: ignore[arg-type]


def test_language_negotiation() -> None:
    assert preferred_language(None) == "zh"
    assert preferred_language("en") == "en"
    assert preferred_language("en-GB,en;q=0.9") == "en"
    assert preferred_language("zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert preferred_language("en;q=0.5,zh;q=0.6") == "zh"
    assert preferred_language("fr") == "zh"
    assert preferred_language("en;q=abc") == "zh"


async def test_rule_violation_in_chinese_by_default_with_code_and_params() -> None:
    problem = (await call("/rule")).json()
    assert problem["title"] == "时间未到"
    assert problem["detail"] == "2026-12-01 之前不能办理"
    assert problem["code"] == "too-early"
    assert problem["params"] == {"rule": "elimination-after-six-months", "date": "2026-12-01"}
    assert problem["rule"] == "elimination-after-six-months"


async def test_rule_violation_in_english_on_request() -> None:
    problem = (await call("/rule", headers={"Accept-Language": "en"})).json()
    assert problem["title"] == "Business rule violated"
    assert problem["detail"] == "not before 2026-12-01"
    assert problem["code"] == "too-early"


async def test_validation_error_keeps_the_path_and_adds_the_chinese_label() -> None:
    register_field_labels({"id_number": "身份证号"})
    problem = (await call("/body", json={})).json()
    assert problem["status"] == 422
    assert problem["title"] == "输入有误"
    assert problem["errors"] == [{"field": "body.id_number", "message": "必填", "type": "missing", "label": "身份证号"}]
    english = (await call("/body", json={}, headers={"Accept-Language": "en"})).json()
    assert english["title"] == "Invalid input"
    assert english["errors"][0]["message"] == "Field required"
