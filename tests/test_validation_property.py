"""Property-based test of the edge validator: any payload gets a typed result or BadRequest."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from server.errors import ErrorCode
from server.models import Mode, Submission
from server.web.validation import (
    COLOR,
    MAX_CID_LENGTH,
    BadRequest,
    client_id_from_auth,
    last_id_from_auth,
    parse_danmaku,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
payloads = json_values | st.fixed_dictionaries(
    {"text": json_values},
    optional={
        "color": st.sampled_from(["#ffffff", "#A0b1C2", "red", "#fff", 3]) | json_values,
        "mode": st.sampled_from(["scroll", "top", "bottom", "left"]) | json_values,
        "nick": st.text(max_size=30) | json_values,
        "cid": st.text(max_size=80) | json_values,
    },
)


@settings(max_examples=400, deadline=None)
@given(payloads)
def test_any_payload_is_either_valid_or_a_bad_request(payload: object) -> None:
    try:
        parsed = parse_danmaku(payload, sender="client:p", address="127.0.0.1")
    except BadRequest as exc:
        assert str(exc)  # always a message for the sender
        assert exc.code in (ErrorCode.BAD_REQUEST, ErrorCode.TOO_LONG)
        return
    assert isinstance(parsed, Submission)
    assert (parsed.sender, parsed.address) == ("client:p", "127.0.0.1")
    assert isinstance(payload, dict) and parsed.text == payload["text"]
    assert COLOR.fullmatch(parsed.color) and parsed.color == parsed.color.lower()
    assert isinstance(parsed.mode, Mode)
    assert parsed.cid is None or (isinstance(parsed.cid, str) and len(parsed.cid) <= MAX_CID_LENGTH)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_auth_readers_never_raise(auth: object) -> None:
    client_id = client_id_from_auth(auth)
    assert client_id is None or (isinstance(client_id, str) and 0 < len(client_id) <= 64)
    last_id = last_id_from_auth(auth)
    assert last_id is None or (type(last_id) is int and last_id >= 0)


def test_deeply_nested_payload_is_a_bad_request() -> None:
    nested: object = "x"
    for _ in range(1000):
        nested = [nested]
    try:
        parse_danmaku({"text": nested}, sender="client:p", address=None)
    except BadRequest as exc:
        assert "'text' must be a string" in str(exc)
    else:
        raise AssertionError("accepted a nested list as text")


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["text", "nick"]),
    st.integers(min_value=2_001, max_value=20_000),
)
def test_any_text_field_far_over_its_limit_is_too_long(field: str, length: int) -> None:
    payload = {"text": "ok", field: "长" * length}
    try:
        parse_danmaku(payload, sender="client:p", address=None)
    except BadRequest as exc:
        assert exc.code is ErrorCode.TOO_LONG and field in str(exc)
    else:
        raise AssertionError(f"accepted a {field} of {length} characters")
