"""The CI workflows of a project that lives in a directory of a larger repository.

GitHub reads workflows only from the repository's top `.github/workflows/`, so those a
blueprint writes into the project's own `.github/workflows/` would never run there. For a
project at `services/billing`, each one moves to the top as
`.github/workflows/services-billing-<name>.yml`, rewritten to act on that directory:

- `push` and `pull_request` triggers get a `paths` filter (the project's directory and
  the workflow file itself), so a change elsewhere in the repository does not run them;
  scheduled and manual triggers are left alone;
- `run` steps run in the project's directory (`defaults.run.working-directory`), and the
  file inputs of the setup actions (`go-version-file`, `cache-dependency-path`, ...) name
  files under it;
- the name, the concurrency group and a workflow-level `BRANCH` variable (the branch the
  scheduled update commits to) carry the directory, so the projects' workflows and their
  branches stay apart.

The rewrite is a function of the rendered file alone, so a pristine render of the project
always holds the same workflows and `update` merges them like any other file.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

WORKFLOWS = ".github/workflows"
# The `with:` inputs of common actions that name a file or directory of the checkout.
PATH_INPUTS = frozenset(
    {
        "go-version-file",
        "node-version-file",
        "python-version-file",
        "cache-dependency-path",
        "working-directory",
        "context",
        "file",
        "config",
    }
)
_FILTERED_TRIGGERS = ("push", "pull_request", "pull_request_target")


def file_name(subdir: str, name: str) -> str:
    """`services/billing`, `ci.yml` -> `services-billing-ci.yml`."""
    return f"{slug(subdir)}-{name}"


def slug(subdir: str) -> str:
    """`services/billing` -> `services-billing`."""
    return subdir.strip("/").replace("/", "-")


def relocate(project: Path, dest: Path, subdir: str) -> list[str]:
    """Move the workflows of the rendered `project` (at `subdir` in its repository) into the
    directory `dest` (the repository's `.github/workflows/`, or a stand-in), rewritten;
    returns the new file names. The project keeps no `.github/workflows/`."""
    source = project / WORKFLOWS
    if not source.is_dir():
        return []
    moved = []
    for path in sorted(source.iterdir()):
        if path.suffix not in (".yml", ".yaml") or not path.is_file():
            continue
        name = file_name(subdir, path.name)
        text = rewrite(path.read_text(encoding="utf-8"), subdir, f"{WORKFLOWS}/{name}")
        dest.mkdir(parents=True, exist_ok=True)
        (dest / name).write_text(text, encoding="utf-8")
        moved.append(name)
        path.unlink()
    if not any(source.iterdir()):
        source.rmdir()
        if not any(source.parent.iterdir()):
            source.parent.rmdir()
    return moved


def rewrite(text: str, subdir: str, own_path: str) -> str:
    """The workflow `text` acting on the project at `subdir` (see the module docstring)."""
    import yaml

    workflow = yaml.safe_load(text)
    if not isinstance(workflow, dict):
        return text
    # YAML 1.1 reads the key `on` as true.
    triggers = workflow.pop(True, workflow.pop("on", None))
    subdir = subdir.strip("/")
    name = workflow.pop("name", None)
    out: dict[str, Any] = {"name": f"{subdir}: {name}" if name else subdir}
    out["on"] = _filtered(triggers, subdir, own_path)
    out.update(workflow)
    defaults = dict(out.get("defaults") or {})
    run = dict(defaults.get("run") or {})
    run["working-directory"] = _under(subdir, run.get("working-directory", "."))
    defaults["run"] = run
    out = _insert_before(out, "jobs", "defaults", defaults)
    if isinstance(out.get("concurrency"), dict) and "group" in out["concurrency"]:
        group = out["concurrency"]["group"]
        out["concurrency"] = {**out["concurrency"], "group": f"{subdir}-{group}"}
    elif isinstance(out.get("concurrency"), str):
        out["concurrency"] = f"{subdir}-{out['concurrency']}"
    if isinstance(out.get("env"), dict) and isinstance(out["env"].get("BRANCH"), str):
        out["env"] = {**out["env"], "BRANCH": f"{out['env']['BRANCH']}-{slug(subdir)}"}
    for job in (out.get("jobs") or {}).values():
        if isinstance(job, dict):
            _rewrite_job(job, subdir)
    header = (
        f"# The workflow of the stackprint project in {subdir}/, kept here because the forge\n"
        f"# reads workflows only from the repository's top; it runs for changes in {subdir}/.\n"
    )
    body = yaml.dump(out, Dumper=_dumper(), sort_keys=False, width=10_000, allow_unicode=True)
    # The key `on` is quoted by a YAML 1.1 dumper (it could be read as true); GitHub's
    # own spelling is bare, and GitHub reads it as the string.
    return header + body.replace("\n'on':", "\non:", 1)


def _filtered(triggers: Any, subdir: str, own_path: str) -> Any:
    paths = [f"{subdir}/**", own_path]
    if isinstance(triggers, str):
        triggers = {triggers: None}
    elif isinstance(triggers, list):
        triggers = {name: None for name in triggers}
    if not isinstance(triggers, dict):
        return triggers
    filtered: dict[str, Any] = {}
    for name, settings in triggers.items():
        if name in _FILTERED_TRIGGERS:
            settings = dict(settings or {})
            settings.pop("paths-ignore", None)
            settings["paths"] = paths
        filtered[name] = settings
    return filtered


def _rewrite_job(job: dict[str, Any], subdir: str) -> None:
    defaults = job.get("defaults")
    if isinstance(defaults, dict) and isinstance(defaults.get("run"), dict):
        run = defaults["run"]
        if "working-directory" in run:
            run["working-directory"] = _under(subdir, run["working-directory"])
    if isinstance(job.get("concurrency"), dict) and "group" in job["concurrency"]:
        job["concurrency"]["group"] = f"{subdir}-{job['concurrency']['group']}"
    for step in job.get("steps") or []:
        if not isinstance(step, dict):
            continue
        if "run" in step and "working-directory" in step:
            step["working-directory"] = _under(subdir, step["working-directory"])
        inputs = step.get("with")
        if isinstance(inputs, dict):
            for key, value in inputs.items():
                if key in PATH_INPUTS and isinstance(value, str):
                    inputs[key] = "\n".join(_under(subdir, line) for line in value.split("\n"))


def _under(subdir: str, path: str) -> str:
    """`path` (relative to the project, maybe an expression or absolute) from the top."""
    path = str(path).strip()
    if not path or path.startswith(("/", "$", "~")):
        return path
    if path in (".", "./"):
        return subdir
    return f"{subdir}/{path.removeprefix('./')}"


def _insert_before(mapping: dict[str, Any], before: str, key: str, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, item in mapping.items():
        if name == before and key not in out:
            out[key] = value
        if name != key:
            out[name] = item
    if key not in out:
        out[key] = value
    return out


@functools.cache
def _dumper() -> type:
    import yaml

    class Dumper(yaml.SafeDumper):
        """Block style for scripts; no anchors for repeated values."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

    def text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
        style = "|" if "\n" in data else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    Dumper.add_representer(str, text)
    return Dumper
