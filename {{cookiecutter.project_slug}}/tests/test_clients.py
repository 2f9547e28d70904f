"""The client's address and user agent, as rate limits, sessions and logs see them."""

from django.test import RequestFactory

from api.clients import USER_AGENT_LENGTH, client_address, user_agent


def test_the_address_is_the_connections_without_a_configured_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert client_address(request) == "192.0.2.1"


def test_behind_a_configured_proxy_the_address_is_the_one_it_forwards(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9"
    )

    assert client_address(request) == "203.0.113.9"


def test_a_long_user_agent_is_cut():
    request = RequestFactory().get("/", HTTP_USER_AGENT="x" * 1000)

    assert user_agent(request) == "x" * USER_AGENT_LENGTH


def test_no_user_agent_is_empty():
    assert user_agent(RequestFactory().get("/")) == ""
