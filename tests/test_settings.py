"""Production settings refuse to start half-configured and pass the deploy checks."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "pr0duction-5ecret-" + "k3y-with-enough-entropy-" * 3,
    "ALLOWED_HOSTS": "onramp.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://onramp.example.com",
    "SITE_URL": "https://onramp.example.com",
    "DATABASE_URL": "postgres://onramp@db.internal:5432/onramp",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/1",
    "REDIS_URL": "redis://redis.internal:6379/2",
    "INTEGRATIONS_ENCRYPTION_KEY": "cHJvZHVjdGlvbi1lbmNyeXB0aW9uLWtleS0wMTIzNDU=",
    "OPEN_BADGES_SIGNING_KEY": "cHIwZHVjdGlvbi1vcGVuLWJhZGdlcy1rZXktMzJieXQ",
}


def _manage(
    *args: str, env: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    clean = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "lms.settings",
        "VAR_DIR": str(tmp_path),
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _start_web_server(
    env: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    """Load the WSGI application, as gunicorn does in production."""
    clean = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-c", "import lms.wsgi"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    web = _start_web_server(env, tmp_path)
    assert web.returncode != 0
    assert "SECRET_KEY must be set" in web.stderr
    command = _manage("check", env={**env, "DEBUG": "false"}, tmp_path=tmp_path)
    assert command.returncode != 0
    assert "SECRET_KEY must be set" in command.stderr


def test_it_refuses_to_start_without_an_open_badges_signing_key(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "OPEN_BADGES_SIGNING_KEY"}
    web = _start_web_server(env, tmp_path)
    assert web.returncode != 0
    assert "OPEN_BADGES_SIGNING_KEY must be set" in web.stderr
    short = _start_web_server({**env, "OPEN_BADGES_SIGNING_KEY": "c2hvcnQ"}, tmp_path)
    assert short.returncode != 0
    assert "OPEN_BADGES_SIGNING_KEY must be 32 random bytes" in short.stderr


def test_it_starts_the_web_server_with_a_production_environment(tmp_path):
    web = _start_web_server(PRODUCTION, tmp_path)
    assert web.returncode == 0, web.stderr


def test_it_runs_management_commands_in_development_mode_in_a_bare_shell(tmp_path):
    result = _manage(
        "makemigrations", "--check", "--dry-run", env={}, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_it_refuses_to_start_without_allowed_hosts(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}
    result = _manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_it_refuses_a_malformed_boolean(tmp_path):
    result = _manage("check", env={**PRODUCTION, "DEBUG": "maybe"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_it_passes_the_deploy_checks_in_production(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=PRODUCTION,
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_it_warns_when_production_runs_on_the_embedded_defaults(tmp_path):
    embedded = {
        k: v
        for k, v in PRODUCTION.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"}
    }
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env=embedded, tmp_path=tmp_path
    )
    assert result.returncode != 0
    for warning in ("lms.W001", "lms.W002", "lms.W003"):
        assert warning in result.stderr + result.stdout


def test_it_refuses_an_empty_list_of_hosts_and_unknown_choices(tmp_path):
    no_hosts = _manage(
        "check", env={**PRODUCTION, "ALLOWED_HOSTS": ","}, tmp_path=tmp_path
    )
    assert "ALLOWED_HOSTS must be set" in no_hosts.stderr
    typo = _manage(
        "check",
        env={**PRODUCTION, "ACCOUNT_EMAIL_VERIFICATION": "Mandatory"},
        tmp_path=tmp_path,
    )
    assert "ACCOUNT_EMAIL_VERIFICATION must be one of" in typo.stderr


def test_it_starts_for_development_with_debug_alone_and_keeps_the_keys_it_makes(
    tmp_path,
):
    """With DEBUG alone, the keys production must be given are made once, in var/,
    readable by their owner only: the Open Badges signing key and the key that
    seals CRM credentials."""
    first = _manage("check", env={"DEBUG": "true"}, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    signing = tmp_path / "open-badges-signing-key"
    sealing = tmp_path / "integrations-encryption.key"
    keys = signing.read_bytes(), sealing.read_bytes()
    assert signing.stat().st_mode & 0o077 == 0
    assert sealing.stat().st_mode & 0o777 == 0o600
    assert len(base64.urlsafe_b64decode(keys[1].strip() + b"=")) == 32

    again = _manage("check", env={"DEBUG": "true"}, tmp_path=tmp_path)

    assert again.returncode == 0, again.stderr
    assert (signing.read_bytes(), sealing.read_bytes()) == keys


def test_it_reads_typed_values_from_the_environment(monkeypatch):
    from lms.env import env_bool, env_int, env_list

    monkeypatch.setenv("ONRAMP_T_LIST", " a, b ,,c ")
    monkeypatch.setenv("ONRAMP_T_INT", "42")
    monkeypatch.setenv("ONRAMP_T_BOOL", "Yes")
    assert env_list("ONRAMP_T_LIST") == ["a", "b", "c"]
    assert env_int("ONRAMP_T_INT", 1) == 42
    assert env_bool("ONRAMP_T_BOOL") is True
    assert env_int("ONRAMP_T_MISSING", 7) == 7
