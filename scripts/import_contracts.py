"""The project's own import-linter contract type, named in ``[tool.importlinter]`` of pyproject.toml.

``private_names``: a name that starts with an underscore is imported only from a private module (one
whose own name starts with an underscore, such as ``views/organizer/_shared.py``). A private module is
its package's shared room and the built-in ``private_modules`` contract keeps it inside its package,
so together the two say: one room never reaches into another's private names. ``_`` (gettext) is a
name like any public one.
"""

from __future__ import annotations

import ast
import importlib.util
from typing import Any

from importlinter import Contract, ContractCheck, fields, output


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name != "_"


class PrivateNamesContract(Contract):
    type_name = "private_names"

    containers = fields.ListField(subfield=fields.ModuleField())

    def check(self, graph: Any, verbose: bool) -> ContractCheck:  # graph: grimp.ImportGraph
        found = []
        for container in self.containers:  # type: ignore[attr-defined]
            for importer in sorted({container.name} | graph.find_descendants(container.name)):
                spec = importlib.util.find_spec(importer)
                if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
                    continue
                with open(spec.origin, encoding="utf-8") as source:
                    tree = ast.parse(source.read(), spec.origin)
                for node in ast.walk(tree):
                    if not isinstance(node, ast.ImportFrom) or node.module is None or node.level:
                        continue
                    names = [alias.name for alias in node.names if _private(alias.name)]
                    if names and not node.module.rsplit(".", 1)[-1].startswith("_"):
                        found.append({"importer": importer, "line": node.lineno, "module": node.module,
                                      "names": names})
        return ContractCheck(kept=not found, metadata={"found": found})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in check.metadata["found"]:
            output.print_error(f"{item['importer']} (l.{item['line']}) imports {', '.join(item['names'])} "
                               f"from {item['module']}, which is not a private module", bold=False)
            output.new_line()
