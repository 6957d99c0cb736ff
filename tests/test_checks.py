"""Settings that would disable a defence are refused at startup."""

from django.core.checks import run_checks
from django.test import override_settings


def test_a_wildcard_allowed_host_is_an_error():
    with override_settings(ALLOWED_HOSTS=["*"]):
        assert "cocon.E001" in [message.id for message in run_checks()]
    assert "cocon.E001" not in [message.id for message in run_checks()]
