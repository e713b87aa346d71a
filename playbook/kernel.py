"""The project's own Jupyter kernel, so notebooks and reports always run on this interpreter.

Many machines already have a ``python3`` kernelspec in ``~/.local/share/jupyter/kernels`` that points at
another Python, one that cannot import ``playbook``. Which ``python3`` Jupyter picks depends on where
Jupyter itself runs (a Jupyter inside a virtualenv prefers the environment's kernels, VS Code or a system
JupyterLab prefer the user's, ``JUPYTER_PREFER_ENV_PATH`` changes the order). So the course notebooks name
a kernel of their own, ``influencer-playbook``, installed into this environment's prefix by
``python -m playbook.kernel`` (``make setup`` runs it), and report runners start it with
:func:`project_kernel_manager`, which ignores every kernelspec on disk.

The same step installs the project's JupyterLab defaults (``resources/jupyterlab/overrides.json``) into this
environment's ``share/jupyter/lab/settings/overrides.d``: JupyterLab's news pop-up ("Would you like to
receive official Jupyter news?") and its update check are off, so no request leaves the machine and nothing
covers the notebook. A learner can still turn them on in Settings; the defaults apply to this .venv only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ipykernel.kernelspec import RESOURCES, get_kernel_dict, write_kernel_spec
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel
from jupyter_client.manager import KernelManager

__all__ = [
    "DISPLAY_NAME",
    "LAB_OVERRIDES",
    "PROJECT_KERNEL",
    "install_kernel",
    "install_lab_settings",
    "kernel_argv",
    "kernel_dict",
    "kernel_dir",
    "kernel_status",
    "lab_settings_file",
    "main",
    "project_kernel_manager",
    "same_interpreter",
]


PROJECT_KERNEL = "influencer-playbook"
LAB_OVERRIDES = Path(__file__).resolve().parent / "resources" / "jupyterlab" / "overrides.json"
DISPLAY_NAME = "Influencer Playbook (.venv)"
_BARE_PYTHONS = {"python", "python3", "python{}.{}".format(*sys.version_info[:2])}


def kernel_argv(python: str | None = None) -> list[str]:
    """The command Jupyter runs to start the project kernel on ``python`` (default: this interpreter)."""
    return [python or sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]


def kernel_dict() -> dict[str, Any]:
    """The content of the project's ``kernel.json``: ipykernel's defaults with our argv and name."""
    return {**get_kernel_dict(), "argv": kernel_argv(), "display_name": DISPLAY_NAME}


def kernel_dir(prefix: str | Path | None = None) -> Path:
    """Where :func:`install_kernel` puts the kernelspec for ``prefix`` (default ``sys.prefix``)."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "kernels" / PROJECT_KERNEL


def _read_argv(spec_dir: Path) -> list[str] | None:
    try:
        return list(json.loads((spec_dir / "kernel.json").read_text(encoding="utf-8"))["argv"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def same_interpreter(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are the same Python of the same environment.

    ``.venv/bin/python`` and ``.venv/bin/python3`` are the same; the base interpreter they link to is not
    (it does not see the venv's packages), so symlinks are resolved only after comparing directories.
    """
    try:
        same_dir = os.path.samefile(os.path.dirname(os.path.abspath(a)), os.path.dirname(os.path.abspath(b)))
        return same_dir and os.path.samefile(a, b)
    except OSError:
        return False


def install_kernel(prefix: str | Path | None = None) -> Path:
    """Install (or refresh) the ``influencer-playbook`` kernelspec into ``prefix`` (default ``sys.prefix``).

    Idempotent: an existing spec that already runs this interpreter is left untouched.
    Returns the kernelspec directory.
    """
    target = kernel_dir(prefix)
    argv = _read_argv(target)
    if argv and argv[1:] == kernel_argv()[1:] and same_interpreter(argv[0], sys.executable):
        return target
    with tempfile.TemporaryDirectory() as tmp:
        staged = write_kernel_spec(Path(tmp) / PROJECT_KERNEL, overrides=kernel_dict())
        dest = KernelSpecManager().install_kernel_spec(
            staged, kernel_name=PROJECT_KERNEL, prefix=str(Path(prefix or sys.prefix))
        )
    return Path(dest)


def _describe(ksm: KernelSpecManager, name: str) -> dict[str, Any] | None:
    try:
        spec = ksm.get_kernel_spec(name)
    except NoSuchKernel:
        return None
    argv = list(spec.argv)
    # jupyter_client replaces a bare "python" with the interpreter that launches the kernel.
    if argv and argv[0] in _BARE_PYTHONS:
        argv[0] = sys.executable
    return {"path": spec.resource_dir, "argv": argv, "display_name": spec.display_name, "env": dict(spec.env)}


def kernel_status(prefix: str | Path | None = None) -> dict[str, Any]:
    """Describe the project kernel and the kernelspecs Jupyter can see from this process.

    Keys: ``name``, ``path`` (where it belongs), ``installed``, ``argv``, ``points_here`` (its argv runs
    this interpreter), ``python`` (this interpreter), ``resolved`` (what Jupyter would start for
    ``influencer-playbook``: path and argv, or None), ``python3`` (what the name ``python3`` resolves to)
    and ``others`` (every other kernelspec name and its directory).
    """
    target = kernel_dir(prefix)
    argv = _read_argv(target)
    ksm = KernelSpecManager()
    specs = ksm.find_kernel_specs()
    return {
        "name": PROJECT_KERNEL,
        "path": str(target),
        "installed": argv is not None,
        "argv": argv,
        "points_here": bool(argv) and same_interpreter(argv[0], sys.executable),
        "python": sys.executable,
        "resolved": _describe(ksm, PROJECT_KERNEL),
        "python3": _describe(ksm, "python3"),
        "others": {name: path for name, path in sorted(specs.items()) if name != PROJECT_KERNEL},
    }


class _ThisInterpreterSpecs(KernelSpecManager):
    """Resolves ``influencer-playbook`` to this interpreter without looking at any kernelspec on disk."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name == PROJECT_KERNEL:
            return KernelSpec(resource_dir=RESOURCES, name=PROJECT_KERNEL, **kernel_dict())
        return super().get_kernel_spec(kernel_name)


def project_kernel_manager(**kwargs: Any) -> KernelManager:
    """A (not yet started) kernel manager for the project kernel on ``sys.executable``.

    Pass it to ``nbclient.NotebookClient(nb, km=km)`` or ``papermill.execute_notebook(..., km=km)``: the
    notebook then runs on this interpreter whatever kernelspecs the user has. The caller owns it and
    must call ``km.shutdown_kernel()`` when done.
    """
    return KernelManager(kernel_name=PROJECT_KERNEL, kernel_spec_manager=_ThisInterpreterSpecs(), **kwargs)


def lab_settings_file(prefix: str | Path | None = None) -> Path:
    """Where :func:`install_lab_settings` puts the project's JupyterLab defaults for ``prefix``."""
    base = Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.d"
    return base / f"{PROJECT_KERNEL}.json"


def install_lab_settings(prefix: str | Path | None = None) -> Path:
    """Copy ``resources/jupyterlab/overrides.json`` (news and update check off) into ``prefix``'s JupyterLab
    settings (``overrides.d``, read by jupyterlab_server beside any user ``overrides.json``)."""
    target = lab_settings_file(prefix)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = LAB_OVERRIDES.read_text(encoding="utf-8")
    json.loads(text)  # refuse to install a broken file
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m playbook.kernel``: install the project kernel, or print its status with ``--status``."""
    parser = argparse.ArgumentParser(prog="python -m playbook.kernel", description=main.__doc__)
    parser.add_argument("--status", action="store_true", help="print the status as JSON only")
    parser.add_argument("--prefix", default=None, help="install prefix (default: this environment)")
    args = parser.parse_args(argv)
    if args.status:
        print(json.dumps(kernel_status(args.prefix), indent=2))
        return 0
    path = install_kernel(args.prefix)
    print(f"kernel {PROJECT_KERNEL!r} ({DISPLAY_NAME}) -> {path} runs {sys.executable}")
    print(f"JupyterLab defaults (news pop-up off) -> {install_lab_settings(args.prefix)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
