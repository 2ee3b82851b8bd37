from __future__ import annotations

from servtrade.errors import (
    DataFileError,
    ErrorDetail,
    NotFoundError,
    ServtradeError,
    UnknownCodeError,
)


def test_every_error_has_the_one_shape() -> None:
    exc = DataFileError(
        "cannot read data.csv",
        errors=[ErrorDetail("not a number", file="data.csv", line=7, field="Value", value="x1")],
        hint="fix the row or remove it",
    )
    assert exc.to_dict() == {
        "ok": False,
        "error": "cannot read data.csv (fix the row or remove it)",
        "errors": [
            {
                "message": "not a number",
                "file": "data.csv",
                "line": 7,
                "field": "Value",
                "value": "x1",
            }
        ],
        "status": 422,
        "code": "data_file_error",
    }


def test_render_names_file_line_field_and_value() -> None:
    exc = DataFileError(
        "cannot read",
        errors=[
            ErrorDetail("not a number", file="d.csv", line=3, field="Value", value="x"),
            ErrorDetail("unknown code", value="ZZ", hint="see servtrade vocab economies"),
        ],
    )
    assert exc.render() == (
        "cannot read\n"
        "  - d.csv:3: field 'Value' value 'x': not a number\n"
        "  - value 'ZZ': unknown code (see servtrade vocab economies)"
    )


def test_statuses_follow_the_tree() -> None:
    assert [c.status for c in (ServtradeError, NotFoundError, UnknownCodeError, DataFileError)] == [
        500,
        404,
        404,
        422,
    ]
    assert issubclass(UnknownCodeError, ServtradeError)
