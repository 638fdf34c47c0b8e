"""Configuration: read once from the environment, validated, and documented in .env.example."""

from __future__ import annotations

import inspect
import re

import pytest

from compliance.config import PROJECT_ROOT, Config, ConfigError


def test_every_variable_read_is_documented_in_env_example():
    source = inspect.getsource(Config.from_env)
    read = set(re.findall(r'env(?:\.get)?\(\s*"([A-Z][A-Z0-9_]+)"', source))
    read |= set(re.findall(r'_(?:flag|int)\(env, "([A-Z][A-Z0-9_]+)"', source))
    assert len(read) >= 15, read  # the pattern still finds what from_env reads
    documented = set(
        re.findall(
            r"^([A-Z][A-Z0-9_]+)=", (PROJECT_ROOT / ".env.example").read_text(), re.MULTILINE
        )
    )
    assert read - documented == set()


def test_defaults_give_sqlite_under_instance(tmp_path):
    config = Config.from_env({"INSTANCE_PATH": str(tmp_path)})
    assert config.database_url == f"sqlite:///{tmp_path / 'kuota.sqlite3'}"
    assert config.cookie_secure is False
    # Development secrets are generated once and kept, so restarts keep sessions.
    assert Config.from_env({"INSTANCE_PATH": str(tmp_path)}).secret_key == config.secret_key


def test_postgres_urls_use_psycopg_3(tmp_path):
    config = Config.from_env(
        {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "postgres://u:p@db/kuota"}
    )
    assert config.database_url == "postgresql+psycopg://u:p@db/kuota"


def test_https_base_url_turns_on_secure_cookies(tmp_path):
    config = Config.from_env({"INSTANCE_PATH": str(tmp_path), "BASE_URL": "https://kuota.id"})
    assert config.cookie_secure is True
    assert config.flask_settings()["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MAIL_BACKEND": "pigeon"}, "MAIL_BACKEND"),
        ({"LOGIN_MAX_FAILURES": "many"}, "LOGIN_MAX_FAILURES"),
        ({"COOKIE_SECURE": "perhaps"}, "COOKIE_SECURE"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
    ],
)
def test_bad_settings_fail_at_start_naming_the_variable(tmp_path, env, message):
    with pytest.raises(ConfigError, match=message):
        Config.from_env({"INSTANCE_PATH": str(tmp_path), **env})


def test_config_is_frozen(tmp_path):
    config = Config.from_env({"INSTANCE_PATH": str(tmp_path)})
    with pytest.raises(AttributeError):
        config.secret_key = "changed"  # type: ignore[misc]
