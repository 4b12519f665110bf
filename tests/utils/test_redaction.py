"""utils/redaction.py: registered secrets and tokens in the standard variables never survive ``mask``."""

import pytest

from qportfolio.utils import redaction
from qportfolio.utils.redaction import MASK, TOKEN_ENVS, has_secrets, known_secrets, mask, remember_secret


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    monkeypatch.setattr(redaction, "_SECRETS", set())
    for name in TOKEN_ENVS:
        monkeypatch.delenv(name, raising=False)


def test_nothing_known_nothing_masked():
    assert not has_secrets() and known_secrets() == set()
    assert mask("token abc in text") == "token abc in text"


def test_remembered_secrets_are_masked_everywhere():
    remember_secret("s3cr3t-value")
    remember_secret(None)
    remember_secret("")
    assert has_secrets() and known_secrets() == {"s3cr3t-value"}
    assert mask("a s3cr3t-value and s3cr3t-value again") == f"a {MASK} and {MASK} again"


@pytest.mark.parametrize("env", TOKEN_ENVS)
def test_tokens_in_the_environment_are_masked_before_any_backend_registers(monkeypatch, env):
    monkeypatch.setenv(env, "env-token-123")
    assert not has_secrets()  # nothing registered, yet the variable's value is known
    assert mask("failed with env-token-123") == f"failed with {MASK}"


def test_an_empty_variable_masks_nothing(monkeypatch):
    monkeypatch.setenv(TOKEN_ENVS[0], "")
    assert mask("plain text") == "plain text"
