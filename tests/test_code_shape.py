"""One shape per feature, so a stranger finds a screen, a form or a command in the same place in
every blueprint (STYLE.md): `routes.py` for a one-screen feature or a `views/` package for several,
`forms.py` for its forms, `cli.py` for its commands; and "registry" means the ULD registry only."""

from __future__ import annotations

import ast
from pathlib import Path

COMPLIANCE = Path(__file__).resolve().parents[1] / "compliance"
BLUEPRINTS = COMPLIANCE / "blueprints"


def _blueprints() -> list[Path]:
    return sorted(p for p in BLUEPRINTS.iterdir() if (p / "__init__.py").exists())


def _defines_views(path: Path) -> bool:
    """A module that decorates a function with `@bp.get/post/route`."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "bp"
                ):
                    return True
    return False


def test_views_live_in_routes_or_a_views_package() -> None:
    misplaced = [
        str(path.relative_to(BLUEPRINTS))
        for blueprint in _blueprints()
        for path in blueprint.rglob("*.py")
        if _defines_views(path) and path.name != "routes.py" and path.parent.name != "views"
    ]
    assert not misplaced, f"views outside routes.py or views/: {misplaced}"


def test_a_blueprint_has_either_routes_or_views_not_both() -> None:
    both = [b.name for b in _blueprints() if (b / "routes.py").exists() and (b / "views").exists()]
    assert not both


def test_forms_and_commands_have_one_name() -> None:
    odd = [
        str(path.relative_to(BLUEPRINTS))
        for path in BLUEPRINTS.rglob("*.py")
        if path.name.endswith(("_forms.py", "_views.py")) or path.name == "commands.py"
    ]
    assert not odd, f"use forms.py, views/ and cli.py: {odd}"


def test_registry_means_the_uld_registry() -> None:
    named = sorted(
        str(path.relative_to(COMPLIANCE))
        for path in COMPLIANCE.rglob("registry*")
        if "templates" not in path.parts
    )
    assert named == [
        "blueprints/api/schemas/registry.py",  # the API for the ULD registry's officers
        "blueprints/api/views/registry.py",
        "blueprints/registry",
        "integrations/registry_feed.py",  # the ULD's own registry, read over HTTP
        "models/registry.py",
        "services/registry",
    ]


#: Modules that reach another system over the network. Only `compliance/integrations/` imports
#: them, each edge with its local default beside mail; services stay free of network code.
NETWORK_MODULES = {"smtplib", "urllib.request", "http.client", "requests", "httpx"}
#: `stripe` is a network client too; the webhook service uses it only to verify a signature.
STRIPE_ALLOWED = {COMPLIANCE / "services" / "billing" / "webhooks.py"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_network_code_lives_in_integrations() -> None:
    outside = [
        f"{path.relative_to(COMPLIANCE)}: {sorted(found)}"
        for path in COMPLIANCE.rglob("*.py")
        if "integrations" not in path.parts
        and (
            found := (_imports(path) & NETWORK_MODULES)
            | ({"stripe"} & _imports(path) if path not in STRIPE_ALLOWED else set())
        )
    ]
    assert not outside, f"network calls outside compliance/integrations/: {outside}"
