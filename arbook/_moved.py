"""Module paths that moved when arbook was regrouped into rooms by business area (issue 10).

``import arbook.report`` or ``from arbook.contacts import ContactLog`` keep working: each old
path below is served by the module now holding that code (the same module object, so
``arbook.report.run_review is arbook.workbook.report.run_review``). Nothing is imported until
an old path is asked for.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types

#: old module path -> where its code lives now
MOVED = {
    "arbook.errors": "arbook.core.errors",
    "arbook.money": "arbook.core.money",
    "arbook.schemas": "arbook.core.schemas",
    "arbook.config": "arbook.core.config",
    "arbook.parse": "arbook.core.parse",
    "arbook.load": "arbook.core.load",
    "arbook.presets": "arbook.core.presets",
    "arbook.validate": "arbook.core.validate",
    "arbook.ledger": "arbook.core.ledger",
    "arbook.aging": "arbook.measures.aging",
    "arbook.metrics": "arbook.measures.metrics",
    "arbook.behaviour": "arbook.measures.behaviour",
    "arbook.discounts": "arbook.credit.discounts",
    "arbook.penalties": "arbook.credit.penalties",
    "arbook.scoring": "arbook.credit.application",
    "arbook.ladder": "arbook.collections.ladder",
    "arbook.contacts": "arbook.collections.contacts",
    "arbook.activity": "arbook.collections.activity",
    "arbook.statements": "arbook.collections.documents",
    "arbook.review": "arbook.workbook.review",
    "arbook.report": "arbook.workbook.report",
    "arbook.serve": "arbook.workbook.serve",
    "arbook.paths": "arbook.workbook.paths",
    "arbook.sample": "arbook.workbook.sample",
    "arbook.cli_common": "arbook.cli.common",
    "arbook.cli_policy": "arbook.cli.policy",
    "arbook.views.widgets": "arbook.views.dashboard.app",
    "arbook.views.report_sections": "arbook.views.review.sections",
    "arbook.views.story": "arbook.views.walkthrough.story",
}


def new_name(old: str) -> str | None:
    """Where module ``old`` lives now (also for modules inside a moved package), or None."""
    if old in MOVED:
        return MOVED[old]
    package, _, _rest = old.rpartition(".")
    while package:
        if package in MOVED:
            return f"{MOVED[package]}.{old[len(package) + 1 :]}"
        package = package.rpartition(".")[0]
    return None


class _MovedFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds an old path of :data:`MOVED` and loads it as the module that now holds it."""

    def find_spec(self, fullname, path=None, target=None):
        if new_name(fullname) is None:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        module = importlib.import_module(new_name(spec.name))
        spec.loader_state = module.__spec__
        return module

    def exec_module(self, module) -> None:
        """Nothing to run: the module was loaded under its new name. Importing it under the old
        one made importlib stamp the old name's spec on it; its own spec is put back."""
        old = module.__spec__
        module.__spec__ = old.loader_state


class _Package(types.ModuleType):
    """The ``arbook`` package, guarding its public functions against their old module paths.

    Importing an old path for the first time makes the import system set the module as an
    attribute of its parent: ``import arbook.aging`` would replace the function ``arbook.aging``
    with the module. Before the move the function always won (the module was loaded first, by
    ``arbook/__init__``); it still does, whether the function was asked for yet or not (the
    package loads its public names on first use)."""

    def __setattr__(self, name: str, value: object) -> None:
        moved = isinstance(value, types.ModuleType) and value.__name__ == MOVED.get(
            f"{self.__name__}.{name}"
        )
        current = self.__dict__.get(name)
        if moved and callable(current) and not isinstance(current, types.ModuleType):
            return
        lazy = self.__dict__.get("_LAZY", {})
        if moved and name in lazy:  # a public name not loaded yet: it is loaded now, and wins
            value = getattr(importlib.import_module(lazy[name]), name)
        super().__setattr__(name, value)


def install(package: str = "arbook") -> None:
    """Put the finder on ``sys.meta_path`` once, and guard ``package``'s public functions."""
    module = sys.modules.get(package)
    if module is not None and type(module) is types.ModuleType:
        module.__class__ = _Package
    if not any(isinstance(f, _MovedFinder) for f in sys.meta_path):
        # first, so that a module inside a moved package is not found again through the
        # package's __path__ and loaded a second time under its old name
        sys.meta_path.insert(0, _MovedFinder())
