"""Build hook: `SITROOM_MYPYC=1 pip install .` compiles the extractors with mypyc.

Without the variable sitroom builds as pure Python: the default, and what an editable install
wants (a compiled module would shadow later edits to its .py). mypy and black ship the same way:
compiled wheels for speed, the pure package everywhere else. The compiled build is the same
code, type-checked by mypy --strict, turned into C; see the README's section on speed.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup

#: The hot modules: everything under extract/ but its __init__ (a @runtime_checkable Protocol,
#: which mypyc cannot compile: mypyc/mypyc#909; the Pipeline itself is not hot). model.py stays
#: pure because its dataclasses build their own faster __init__ at import (model._slot_init).
_EXTRACT = Path("src/sitroom/extract")


def compiled_modules() -> list[str]:
    """The source files mypyc compiles, in a stable order."""
    return sorted(str(path) for path in _EXTRACT.glob("*.py") if path.name != "__init__.py")


def ext_modules() -> list[object]:
    """mypyc's extension modules when SITROOM_MYPYC=1, else none (a pure build)."""
    if os.environ.get("SITROOM_MYPYC", "") != "1":
        return []
    from mypyc.build import mypycify

    # The build runs in an isolated environment without sitroom's dependencies, so imports
    # of them type as Any instead of failing the build; `mypy --strict` in CI checks them.
    options = ["--ignore-missing-imports", "--follow-imports=silent"]
    return mypycify(
        [*options, *compiled_modules()], opt_level="3", debug_level="0", group_name="sitroom"
    )


setup(ext_modules=ext_modules())
