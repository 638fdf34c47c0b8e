"""Settings, read once from the environment into a frozen dataclass.

Every variable is documented in `.env.example`. `Config.from_env()` validates at start-up so a
misconfigured deployment fails before serving a request, not in the middle of one.
`Config.for_tests()` is the typed test variant.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE_PATH = PROJECT_ROOT / "instance"


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc


def _stripe_prices(env: Mapping[str, str]) -> dict[str, str]:
    """STRIPE_PRICE_<PLAN>_<MONTH|YEAR> variables, keyed "plan:interval"."""
    prefix = "STRIPE_PRICE_"
    prices = {}
    for name, value in env.items():
        if name.startswith(prefix) and value.strip():
            plan, _, interval = name[len(prefix) :].lower().rpartition("_")
            prices[f"{plan}:{interval}"] = value.strip()
    return prices


def _normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever scheme the platform hands us."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass(frozen=True)
class Config:
    """Everything the application reads from its environment."""

    secret_key: str
    database_url: str
    instance_path: Path = DEFAULT_INSTANCE_PATH
    base_url: str = "http://127.0.0.1:5000"
    #: Host names requests may claim (Host, X-Forwarded-Host); any other is refused with 400.
    #: Empty: the host of `base_url`, plus localhost and 127.0.0.1 (`allowed_hosts`).
    trusted_hosts: tuple[str, ...] = ()
    #: Data keys (Fernet format: 32 url-safe base64 bytes), newest first; the first encrypts,
    #: all decrypt (rotation).
    data_keys: tuple[str, ...] = ()
    cookie_secure: bool = False
    mail_backend: str = "outbox"  # "outbox" (files under instance/outbox) or "smtp"
    mail_sender: str = "Kuota Inklusi <no-reply@kuota-inklusi.local>"
    mail_server: str = "localhost"
    mail_port: int = 25
    mail_username: str = ""
    mail_password: str = ""
    mail_use_tls: bool = False
    login_max_failures: int = 5
    login_window_seconds: int = 900
    login_max_failures_per_ip: int = 30
    #: Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
    proxy_count: int = 0
    reset_token_max_age: int = 3600
    invitation_max_age_days: int = 7
    #: argon2 cost; lowered only by the test configuration.
    argon2_time_cost: int = 3
    argon2_memory_cost: int = 65536
    log_format: str = "text"  # "text" or "json"
    log_level: str = "INFO"
    #: Largest upload the bulk import accepts (below MAX_CONTENT_LENGTH, so the user gets a
    #: clear message instead of a bare 413).
    import_max_bytes: int = 50 * 1024 * 1024
    #: Files with more data rows than this are validated and written in the background.
    import_inline_rows: int = 2000
    #: Worker threads for background work in the web process (DESIGN.md §5 default).
    background_workers: int = 2
    #: Where background tasks run: "in-process" (the default: this process, no extra service)
    #: or "procrastinate" (PostgreSQL only: `flask worker` processes on any machine).
    task_queue: str = "in-process"
    #: Inspection deadlines (LAW.md: practice reported in Bali, configurable defaults, not law).
    inspection_nota1_working_days: int = 30
    inspection_nota2_days: int = 14
    #: Days before a nota's deadline when the HR managers get a reminder.
    inspection_reminder_days: int = 5
    #: Largest attachment to a case response.
    case_attachment_max_bytes: int = 10 * 1024 * 1024
    #: Ed25519 private key (base64 of the 32 raw bytes) that signs evidence packs and audit
    #: checkpoints; empty in development: one is generated into the instance folder.
    evidence_signing_key: str = ""
    #: Audit-chain HMAC keys (any text of 32 characters or more), newest first: the first hashes
    #: new events, all verify (rotation). Each event records the id of its key (`key_id`).
    audit_keys: tuple[str, ...] = ()
    #: ULD registry: days after which an unanswered referral request is flagged.
    registry_unanswered_days: int = 14
    #: ULD registry: days a withdrawn candidate is kept (hidden) before the purge deletes them.
    registry_purge_days: int = 30
    #: External candidate registry (JSON API); empty: only the built-in registry.
    registry_external_url: str = ""
    registry_external_token: str = ""
    #: Shown to companies whose region has no ULD (for example the Kemnaker contact centre).
    registry_labour_office_contact: str = ""
    #: Billing (off when `stripe_secret_key` is empty). `stripe_api_base` points the client at
    #: a local fake server in tests; `stripe_prices` maps "plan:interval" to a Stripe price id.
    stripe_secret_key: str = ""
    stripe_webhook_secret: str = ""
    stripe_api_base: str = ""
    stripe_prices: Mapping[str, str] = field(default_factory=dict)
    billing_grace_days: int = 14
    #: `/metrics` in Prometheus format (`compliance/metrics.py`); off by default. With a token,
    #: a scrape must send `Authorization: Bearer <token>`.
    metrics_enabled: bool = False
    metrics_token: str = ""
    #: Error tracking (Sentry) when set; personal data is scrubbed (`integrations.error_tracking`).
    sentry_dsn: str = ""
    sentry_environment: str = "production"
    testing: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        env = os.environ if env is None else env
        instance_path = Path(env.get("INSTANCE_PATH") or DEFAULT_INSTANCE_PATH)
        secret_key = env.get("SECRET_KEY", "")
        if not secret_key:
            secret_key = _development_secret(instance_path)
        database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'kuota.sqlite3'}"
        base_url = env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        data_keys = tuple(k.strip() for k in env.get("DATA_KEYS", "").split(",") if k.strip())
        config = cls(
            secret_key=secret_key,
            database_url=_normalise_database_url(database_url),
            instance_path=instance_path,
            base_url=base_url,
            trusted_hosts=tuple(
                h.strip() for h in env.get("TRUSTED_HOSTS", "").split(",") if h.strip()
            ),
            data_keys=data_keys or (_development_data_key(instance_path),),
            cookie_secure=_flag(env, "COOKIE_SECURE", base_url.startswith("https://")),
            mail_backend=env.get("MAIL_BACKEND", "outbox"),
            mail_sender=env.get("MAIL_SENDER", cls.mail_sender),
            mail_server=env.get("MAIL_SERVER", "localhost"),
            mail_port=_int(env, "MAIL_PORT", 25),
            mail_username=env.get("MAIL_USERNAME", ""),
            mail_password=env.get("MAIL_PASSWORD", ""),
            mail_use_tls=_flag(env, "MAIL_USE_TLS", False),
            login_max_failures=_int(env, "LOGIN_MAX_FAILURES", 5),
            login_window_seconds=_int(env, "LOGIN_WINDOW_SECONDS", 900),
            login_max_failures_per_ip=_int(env, "LOGIN_MAX_FAILURES_PER_IP", 30),
            proxy_count=_int(env, "PROXY_COUNT", 0),
            log_format=env.get("LOG_FORMAT", "text"),
            log_level=env.get("LOG_LEVEL", "INFO"),
            import_max_bytes=_int(env, "IMPORT_MAX_BYTES", cls.import_max_bytes),
            import_inline_rows=_int(env, "IMPORT_INLINE_ROWS", cls.import_inline_rows),
            background_workers=_int(env, "BACKGROUND_WORKERS", cls.background_workers),
            task_queue=env.get("TASK_QUEUE", cls.task_queue),
            inspection_nota1_working_days=_int(
                env, "INSPECTION_NOTA1_WORKING_DAYS", cls.inspection_nota1_working_days
            ),
            inspection_nota2_days=_int(env, "INSPECTION_NOTA2_DAYS", cls.inspection_nota2_days),
            inspection_reminder_days=_int(
                env, "INSPECTION_REMINDER_DAYS", cls.inspection_reminder_days
            ),
            case_attachment_max_bytes=_int(
                env, "CASE_ATTACHMENT_MAX_BYTES", cls.case_attachment_max_bytes
            ),
            evidence_signing_key=env.get("EVIDENCE_SIGNING_KEY", "")
            or _development_signing_key(instance_path),
            audit_keys=tuple(k.strip() for k in env.get("AUDIT_KEYS", "").split(",") if k.strip())
            or (_development_audit_key(instance_path),),
            registry_unanswered_days=_int(env, "REGISTRY_UNANSWERED_DAYS", 14),
            registry_purge_days=_int(env, "REGISTRY_PURGE_DAYS", 30),
            registry_external_url=env.get("REGISTRY_EXTERNAL_URL", ""),
            registry_external_token=env.get("REGISTRY_EXTERNAL_TOKEN", ""),
            registry_labour_office_contact=env.get("REGISTRY_LABOUR_OFFICE_CONTACT", ""),
            stripe_secret_key=env.get("STRIPE_SECRET_KEY", ""),
            stripe_webhook_secret=env.get("STRIPE_WEBHOOK_SECRET", ""),
            stripe_api_base=env.get("STRIPE_API_BASE", "").rstrip("/"),
            stripe_prices=_stripe_prices(env),
            billing_grace_days=_int(env, "BILLING_GRACE_DAYS", cls.billing_grace_days),
            metrics_enabled=_flag(env, "METRICS_ENABLED", False),
            metrics_token=env.get("METRICS_TOKEN", ""),
            sentry_dsn=env.get("SENTRY_DSN", ""),
            sentry_environment=env.get("SENTRY_ENVIRONMENT", cls.sentry_environment),
        )
        config.validate()
        return config

    @classmethod
    def for_tests(cls, database_url: str, instance_path: Path, **overrides: Any) -> Config:
        """A fast, isolated configuration: cheap argon2, a fixed data key, files under tmp."""
        base = cls(
            secret_key="test-secret-key-not-for-production",  # noqa: S106
            database_url=_normalise_database_url(database_url),
            instance_path=instance_path,
            data_keys=("qDbF6n2y2Yp0t8tO0VwWw1m9GxR6gI1m2kz8m1oV1xA=",),
            argon2_time_cost=1,
            argon2_memory_cost=64,
            testing=True,
            # A fixed Ed25519 test key (base64 of 32 bytes); never use it outside tests.
            evidence_signing_key="dGVzdC1ldmlkZW5jZS1zaWduaW5nLWtleS0zMmJ5dGU=",
            audit_keys=("test-audit-key-not-for-production-0001",),
        )
        return replace(base, **overrides)

    def validate(self) -> None:
        if self.mail_backend not in {"outbox", "smtp"}:
            raise ConfigError(f"MAIL_BACKEND must be 'outbox' or 'smtp', not {self.mail_backend!r}")
        if self.log_format not in {"text", "json"}:
            raise ConfigError(f"LOG_FORMAT must be 'text' or 'json', not {self.log_format!r}")
        if not self.database_url.startswith(("sqlite:", "postgresql+psycopg:")):
            raise ConfigError("DATABASE_URL must be a sqlite: or postgresql: URL")
        if len(self.secret_key) < 16:
            raise ConfigError("SECRET_KEY must be at least 16 characters")
        if not self.audit_keys or any(len(key) < 32 for key in self.audit_keys):
            raise ConfigError("AUDIT_KEYS must hold one or more keys of at least 32 characters")
        if not 0 < self.import_max_bytes < 64 * 1024 * 1024:
            raise ConfigError("IMPORT_MAX_BYTES must be between 1 and 67108863")
        if self.background_workers < 1:
            raise ConfigError("BACKGROUND_WORKERS must be at least 1")
        if self.task_queue not in {"in-process", "procrastinate"}:
            raise ConfigError(
                f"TASK_QUEUE must be 'in-process' or 'procrastinate', not {self.task_queue!r}"
            )
        if self.task_queue == "procrastinate" and self.is_sqlite:
            raise ConfigError(
                "TASK_QUEUE=procrastinate needs PostgreSQL (its jobs live in the database); "
                "with SQLite, tasks run in-process"
            )
        if self.stripe_secret_key and not self.stripe_webhook_secret:
            raise ConfigError("STRIPE_WEBHOOK_SECRET is needed when STRIPE_SECRET_KEY is set")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @property
    def allowed_hosts(self) -> list[str]:
        """Flask's TRUSTED_HOSTS: links never follow the Host a request claims (they are built
        from `base_url`), and a request for an unknown host is refused outright."""
        if self.trusted_hosts:
            return list(self.trusted_hosts)
        own = urlsplit(self.base_url).hostname or "127.0.0.1"
        return sorted({own, "localhost", "127.0.0.1"})

    def flask_settings(self) -> dict[str, Any]:
        """The subset Flask and its extensions read from `app.config`."""
        engine_options: dict[str, Any] = {"pool_pre_ping": True}
        if not self.is_sqlite:
            engine_options.update(pool_size=5, max_overflow=10, pool_recycle=1800)
        return {
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
            "SESSION_COOKIE_SECURE": self.cookie_secure,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SECURE": self.cookie_secure,
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "TRUSTED_HOSTS": self.allowed_hosts,
            "PREFERRED_URL_SCHEME": "https" if self.base_url.startswith("https://") else "http",
            "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
            "BABEL_DEFAULT_LOCALE": "id",
            "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
            "TESTING": self.testing,
            "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
            **self.extra,
        }


def _persisted_secret(instance_path: Path, name: str, make: Any) -> str:
    """A development-only secret kept in the instance folder so restarts keep sessions."""
    instance_path.mkdir(parents=True, exist_ok=True)
    path = instance_path / name
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _development_secret(instance_path: Path) -> str:
    return _persisted_secret(instance_path, "secret_key", lambda: secrets.token_urlsafe(48))


def _development_signing_key(instance_path: Path) -> str:
    """An Ed25519 key for evidence packs, kept so packs stay verifiable across restarts."""
    import base64

    return _persisted_secret(
        instance_path,
        "evidence_signing_key",
        lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
    )


def _development_audit_key(instance_path: Path) -> str:
    """An audit-chain key, kept so the chain stays verifiable across restarts."""
    return _persisted_secret(instance_path, "audit_key", lambda: secrets.token_urlsafe(32))


def _development_data_key(instance_path: Path) -> str:
    from cryptography.fernet import Fernet

    return _persisted_secret(instance_path, "data_key", lambda: Fernet.generate_key().decode())
