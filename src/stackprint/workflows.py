"""The CI workflows of a project that lives in a directory of a larger repository.

GitHub reads workflows only from the repository's top `.github/workflows/`, so those a
blueprint writes into the project's own `.github/workflows/` would never run there. For a
project at `services/billing`, each one moves to the top as
`.github/workflows/services-billing-<name>.yml`, rewritten to act on that directory:

- `push` and `pull_request` triggers get a `paths` filter (the project's directory, or
  its own filter rebased into it, and the workflow file itself), so a change elsewhere in
  the repository does not run them; scheduled and manual triggers are left alone;
- `run` steps run in the project's directory (`defaults.run.working-directory`), and the
  file inputs of the setup actions (`go-version-file`, `cache-dependency-path`, ...),
  the `path` of the artifact and cache actions, `hashFiles('...')` patterns and local
  actions (`uses: ./...`) name files under it;
- the name, the concurrency group and a workflow-level `BRANCH` variable (the branch the
  scheduled update commits to) carry the directory, so the projects' workflows and their
  branches stay apart; a `workflow_run` trigger follows its workflows by their new names.

The rewrite is a function of the rendered file alone, so a pristine render of the project
always holds the same workflows and `update` merges them like any other file. It edits
the text at the positions PyYAML's parser reports instead of dumping the file again, so
comments, key order and quoting survive (PyYAML is a dependency already; a round-trip
YAML library would be a larger one, with a C extension).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
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
# Actions whose `path:` names files of the checkout. (actions/checkout's `path:` is where
# the whole repository goes, so it stays as it is.)
PATH_INPUT_ACTIONS = frozenset(
    {
        "actions/upload-artifact",
        "actions/download-artifact",
        "actions/cache",
        "actions/cache/restore",
        "actions/cache/save",
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
    """The workflow `text` acting on the project at `subdir` (see the module docstring).

    The file is edited where it changes, not dumped again, so its comments, key order and
    quoting stay as the blueprint wrote them.
    """
    import yaml

    workflow = yaml.safe_load(text)
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(workflow, dict) or not isinstance(root, yaml.MappingNode):
        return text
    subdir = subdir.strip("/")
    edit = _Editor(text)

    name = _entry(root, "name")
    if name is None:
        edit.insert_first(root, "name", subdir)
    elif isinstance(workflow.get("name"), str):
        edit.scalar(name[1], _named(subdir, workflow["name"]))
    # YAML 1.1 reads the key `on` as true.
    _rewrite_triggers(edit, root, workflow.get(True, workflow.get("on")), subdir, own_path)

    jobs = _entry(root, "jobs")
    if _entry(root, "defaults") is None and jobs is not None:
        edit.insert_before(jobs[0], "defaults", {"run": {"working-directory": subdir}})
    else:
        _set(edit, root, workflow, ["defaults", "run", "working-directory"], subdir, insert=True)
    _prefix_group(edit, root, workflow, subdir)
    if isinstance(workflow.get("env"), dict) and isinstance(workflow["env"].get("BRANCH"), str):
        _set(edit, root, workflow, ["env", "BRANCH"], lambda branch: f"{branch}-{slug(subdir)}")
    if jobs is not None and isinstance(jobs[1], yaml.MappingNode):
        values = workflow.get("jobs") or {}
        for key, job in jobs[1].value:
            if isinstance(job, yaml.MappingNode) and isinstance(values.get(key.value), dict):
                _rewrite_job(edit, job, values[key.value], subdir)
    edit.each_scalar(root, lambda value: _rebase_hash_files(value, subdir))

    header = (
        f"# The workflow of the stackprint project in {subdir}/, kept here because the forge\n"
        f"# reads workflows only from the repository's top; it runs for changes in {subdir}/.\n"
    )
    return header + edit.result()


def _rewrite_triggers(edit: _Editor, root: Any, triggers: Any, subdir: str, own_path: str) -> None:
    import yaml

    entry = _entry(root, "on")
    if entry is None:
        return
    node = entry[1]
    if not _is_block_mapping(node) or not isinstance(triggers, dict):
        edit.replace_entry(entry, "on", _filtered(triggers, subdir, own_path))
        return
    for key, settings in node.value:
        if key.value == "workflow_run":
            names = _entry(settings, "workflows")
            if names is not None and isinstance(names[1], yaml.SequenceNode):
                for item in names[1].value:
                    if isinstance(item, yaml.ScalarNode):
                        edit.scalar(item, _named(subdir, item.value))
        if key.value not in _FILTERED_TRIGGERS:
            continue
        value = triggers.get(key.value)
        paths = _paths(value, subdir, own_path)
        if _is_block_mapping(settings):
            current = _entry(settings, "paths") or _entry(settings, "paths-ignore")
            if current is None:
                edit.insert_last(settings, "paths", paths)
                continue
            edit.replace_entry(current, "paths", paths)
            ignored = _entry(settings, "paths-ignore")
            if ignored is not None and current[0] is not ignored[0]:
                edit.replace_entry(ignored, None, None)  # GitHub takes one of the two
        elif isinstance(settings, yaml.ScalarNode) or isinstance(value, dict):
            edit.replace_entry((key, settings), key.value, _with_paths(value, paths))


def _filtered(triggers: Any, subdir: str, own_path: str) -> Any:
    if isinstance(triggers, str):
        triggers = {triggers: None}
    elif isinstance(triggers, list):
        triggers = {name: None for name in triggers}
    if not isinstance(triggers, dict):
        return triggers
    out = {}
    for name, settings in triggers.items():
        if name in _FILTERED_TRIGGERS:
            settings = _with_paths(settings, _paths(settings, subdir, own_path))
        elif name == "workflow_run" and isinstance(settings, dict):
            listed = settings.get("workflows")
            if isinstance(listed, list):
                settings = {**settings, "workflows": [_named(subdir, str(w)) for w in listed]}
        out[name] = settings
    return out


def _named(subdir: str, name: str) -> str:
    """The name of a project's workflow at the top: the project's directory says whose it
    is. A `workflow_run` trigger names the workflows it follows by these names too."""
    return f"{subdir}: {name}"


def _paths(settings: Any, subdir: str, own_path: str) -> list[str]:
    """The `paths` filter of a push or pull request trigger: the project's own filter (or
    everything in its directory but what it ignores), and the workflow file itself."""
    settings = settings if isinstance(settings, dict) else {}
    if isinstance(settings.get("paths"), list):
        kept = [_pattern(subdir, str(p)) for p in settings["paths"]]
    else:
        ignored = settings.get("paths-ignore")
        negated = [_pattern(subdir, f"!{p}") for p in ignored] if isinstance(ignored, list) else []
        kept = [f"{subdir}/**", *negated]
    return [*kept, own_path]


def _with_paths(settings: Any, paths: list[str]) -> Any:
    if settings is not None and not isinstance(settings, dict):
        return settings
    out = {k: v for k, v in (settings or {}).items() if k not in ("paths", "paths-ignore")}
    return {**out, "paths": paths}


def _pattern(subdir: str, pattern: str) -> str:
    """A path filter or `hashFiles` pattern of the project, from the repository's top."""
    if pattern.startswith("!"):
        return "!" + _under(subdir, pattern[1:])
    return _under(subdir, pattern)


def _prefix_group(edit: _Editor, node: Any, value: dict[str, Any], subdir: str) -> None:
    """The concurrency group (a string, or a mapping's `group`) carries the directory."""
    concurrency = value.get("concurrency")
    if isinstance(concurrency, str):
        _set(edit, node, value, ["concurrency"], lambda group: f"{subdir}-{group}")
    elif isinstance(concurrency, dict) and isinstance(concurrency.get("group"), str):
        _set(edit, node, value, ["concurrency", "group"], lambda group: f"{subdir}-{group}")


def _rewrite_job(edit: _Editor, node: Any, job: dict[str, Any], subdir: str) -> None:
    import yaml

    run_defaults = (
        (job.get("defaults") or {}).get("run") if isinstance(job.get("defaults"), dict) else None
    )
    if isinstance(run_defaults, dict) and "working-directory" in run_defaults:
        _set(edit, node, job, ["defaults", "run", "working-directory"], lambda p: _under(subdir, p))
    _prefix_group(edit, node, job, subdir)
    uses = job.get("uses")
    if isinstance(uses, str) and uses.startswith(f"./{WORKFLOWS}/"):
        # A reusable workflow of the project moved to the top with its new name.
        called = uses.removeprefix(f"./{WORKFLOWS}/")
        _set(edit, node, job, ["uses"], f"./{WORKFLOWS}/{file_name(subdir, called)}")
    steps = _entry(node, "steps")
    if steps is None or not isinstance(steps[1], yaml.SequenceNode):
        return
    for step_node, step in zip(steps[1].value, job.get("steps") or [], strict=False):
        if not isinstance(step, dict) or not isinstance(step_node, yaml.MappingNode):
            continue
        if "run" in step and isinstance(step.get("working-directory"), str):
            _set(edit, step_node, step, ["working-directory"], lambda p: _under(subdir, p))
        if isinstance(step.get("uses"), str) and step["uses"].startswith("./"):
            # A local action is a directory of the checkout, so of the project.
            _set(edit, step_node, step, ["uses"], lambda p: "./" + _under(subdir, p))
        inputs = step.get("with")
        if isinstance(inputs, dict):
            action = str(step.get("uses", "")).split("@", 1)[0]
            for key, value in inputs.items():
                names_files = key in PATH_INPUTS or (key == "path" and action in PATH_INPUT_ACTIONS)
                if names_files and isinstance(value, str):
                    _set(edit, step_node, step, ["with", key], _under_each_line(subdir))


def _under_each_line(subdir: str) -> Callable[[str], str]:
    """Rebase each line of a multi-line input; a leading `!` (an exclusion) stays first."""

    def line_under(line: str) -> str:
        if not line.strip():
            return line
        if line.strip().startswith("!"):
            return "!" + _under(subdir, line.strip()[1:])
        return _under(subdir, line)

    def rebase(value: str) -> str:
        return "\n".join(line_under(line) for line in value.split("\n"))

    return rebase


_HASH_FILES = re.compile(r"\bhashFiles\(([^()]*)\)", re.IGNORECASE)
_LITERAL = re.compile(r"'((?:[^']|'')*)'")


def _rebase_hash_files(value: str, subdir: str) -> str:
    """`hashFiles('**/go.sum')` -> `hashFiles('services/billing/**/go.sum')`: its patterns
    are the workspace's, the repository's top. Arguments that are not literals stay."""

    def literal(match: re.Match[str]) -> str:
        pattern = _pattern(subdir, match.group(1).replace("''", "'"))
        return "'" + pattern.replace("'", "''") + "'"

    def call(match: re.Match[str]) -> str:
        return match.group(0).replace(match.group(1), _LITERAL.sub(literal, match.group(1)), 1)

    return _HASH_FILES.sub(call, value) if "(" in value else value


def _under(subdir: str, path: str) -> str:
    """`path` (relative to the project, maybe an expression or absolute) from the top."""
    path = str(path).strip()
    if not path or path.startswith(("/", "$", "~")):
        return path
    if path in (".", "./"):
        return subdir
    return f"{subdir}/{path.removeprefix('./')}"


# ---- editing the YAML text in place ---------------------------------------------------------


def _entry(mapping: Any, key: str) -> tuple[Any, Any] | None:
    """(key node, value node) of `key` in a mapping node, or None."""
    import yaml

    if not isinstance(mapping, yaml.MappingNode):
        return None
    for name, value in mapping.value:
        if isinstance(name, yaml.ScalarNode) and name.value == key:
            return name, value
    return None


def _is_block_mapping(node: Any) -> bool:
    import yaml

    return isinstance(node, yaml.MappingNode) and not node.flow_style and bool(node.value)


def _set(
    edit: _Editor,
    node: Any,
    value: Any,
    keys: list[str],
    new: Any,
    *,
    insert: bool = False,
) -> None:
    """Set `value[keys[0]][keys[1]]...` in the text of the mapping `node` (whose loaded
    value is `value`): to `new`, or to `new(old)` when it is callable. A missing key is
    added only with `insert`. Scalars are replaced in place; a mapping written in flow
    style (or empty) is written again as a whole."""
    import yaml

    key, *rest = keys
    current = value.get(key) if isinstance(value, dict) else None
    found = _entry(node, key)
    if found is None:
        if insert:
            nested = _nested(None, rest, new)
            if _is_block_mapping(node):
                edit.insert_last(node, key, nested)
        return
    if not rest:
        result = new(current) if callable(new) else new
        if isinstance(found[1], yaml.ScalarNode) and isinstance(result, str):
            edit.scalar(found[1], result)
        else:
            edit.replace_entry(found, key, result)
    elif _is_block_mapping(found[1]):
        _set(edit, found[1], current, rest, new, insert=insert)
    elif insert or _has(current, rest):
        edit.replace_entry(found, key, _nested(current, rest, new))


def _has(value: Any, keys: list[str]) -> bool:
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return False
        value = value[key]
    return True


def _nested(value: Any, keys: list[str], new: Any) -> Any:
    """`value` with `value[keys...]` set as `_set` sets it (a copy)."""
    if not keys:
        return new(value) if callable(new) else new
    out = dict(value) if isinstance(value, dict) else {}
    out[keys[0]] = _nested(out.get(keys[0]), keys[1:], new)
    return out


_PROPERTIES = re.compile(r"(?:[&!]\S*\s+)+")


class _Editor:
    """Replacements and insertions at the positions the YAML parser reports, applied at once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.edits: list[tuple[int, int, str]] = []
        self.scalars: dict[int, tuple[Any, str]] = {}

    def result(self) -> str:
        edits = list(self.edits)
        for node, value in self.scalars.values():
            start, end = node.start_mark.index, self._end(node)
            # An empty value (`key:`) has no text of its own: the colon needs its space.
            # An anchor or tag before the value stays (an alias elsewhere may use it).
            properties = _PROPERTIES.match(self.text, start, end)
            kept = properties.group(0) if properties else ""
            space = " " if start == end else ""
            edits.append((start, end, space + kept + self._scalar_text(node, value)))
        # Back to front, so each position still means what the parser said; insertions at
        # one position keep the order they were made in.
        ordered = sorted(enumerate(edits), key=lambda item: (item[1][0], item[0]), reverse=True)
        text = self.text
        for _, (start, end, new) in ordered:
            text = text[:start] + new + text[end:]
        return text

    def scalar(self, node: Any, value: str) -> None:
        self.scalars[node.start_mark.index] = (node, value)

    def each_scalar(self, node: Any, change: Callable[[str], str]) -> None:
        """Apply `change` to every string value (not key) under `node`."""
        import yaml

        if isinstance(node, yaml.MappingNode):
            children = [value for _, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        for child in children:
            if isinstance(child, yaml.ScalarNode):
                if child.tag != "tag:yaml.org,2002:str" or self._covered(child):
                    continue
                current = self.scalars.get(child.start_mark.index, (child, child.value))[1]
                changed = change(current)
                if changed != current:
                    self.scalar(child, changed)
            else:
                self.each_scalar(child, change)

    def replace_entry(self, entry: tuple[Any, Any], key: str | None, value: Any) -> None:
        """Write the mapping entry `entry` again as `key: value` (with no key, remove it)."""
        name, node = entry
        start, end = name.start_mark.index, self._end(node)
        if key is None:
            line = self._line_start(start)
            start = line if not self.text[line:start].strip() else start
            newline = self.text.find("\n", end)
            end = len(self.text) if newline == -1 else newline + 1
            self.edits.append((start, end, ""))
            return
        self.edits.append((start, end, _emit(key, value, name.start_mark.column)))

    def insert_last(self, mapping: Any, key: str, value: Any) -> None:
        """Add `key: value` after the last entry of a block mapping (and its comment)."""
        end = self._end(mapping.value[-1][1])
        newline = self.text.find("\n", end)
        at = len(self.text) if newline == -1 else newline
        column = mapping.value[0][0].start_mark.column
        self.edits.append((at, at, "\n" + " " * column + _emit(key, value, column)))

    def insert_first(self, mapping: Any, key: str, value: Any) -> None:
        """Add `key: value` before the first entry of a block mapping."""
        first = mapping.value[0][0]
        line = self._line_start(first.start_mark.index)
        if self.text[line : first.start_mark.index].strip():
            self.insert_last(mapping, key, value)  # an entry of a sequence, `- key: ...`
            return
        column = first.start_mark.column
        self.edits.append((line, line, " " * column + _emit(key, value, column) + "\n"))

    def insert_before(self, name: Any, key: str, value: Any) -> None:
        """Add `key: value` before the entry named by the key node `name`, and before the
        comment lines right above it (they belong to it)."""
        at = self._line_start(name.start_mark.index)
        while at > 0:
            above = self._line_start(at - 1)
            if not self.text[above:at].lstrip().startswith("#"):
                break
            at = above
        column = name.start_mark.column
        # Set apart by a blank line, as the entry is from the one above.
        gap = "\n" if self.text[:at].endswith("\n\n") else ""
        self.edits.append((at, at, " " * column + _emit(key, value, column) + "\n" + gap))

    def _line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def _covered(self, node: Any) -> bool:
        start, end = node.start_mark.index, node.end_mark.index
        return any(s <= start and end <= e and s < e for s, e, _ in self.edits)

    def _end(self, node: Any) -> int:
        """Where the node's own text ends: before the comments and blank lines that follow
        a block collection or a block scalar."""
        import yaml

        if isinstance(node, yaml.ScalarNode):
            if node.style not in ("|", ">"):
                return int(node.end_mark.index)
            start = node.start_mark.index
            span = self.text[start : node.end_mark.index]
            newline = span.find("\n", len(span.rstrip()))
            return start + (len(span) if newline == -1 else newline)
        if node.flow_style or not node.value:
            return int(node.end_mark.index)
        last = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
        return self._end(last)

    def _scalar_text(self, node: Any, value: str) -> str:
        """`value` written as the scalar `node` was: in its quoting, or as a block."""
        import json

        if node.style in ("|", ">"):
            block = self._block(node, value)
            if block is not None:
                return block
        if node.style == '"' or "\n" in value:
            return json.dumps(value, ensure_ascii=False)  # JSON strings are YAML's too
        if node.style == "'":
            return "'" + value.replace("'", "''") + "'"
        return _emit("k", value, 0).removeprefix("k: ")

    def _block(self, node: Any, value: str) -> str | None:
        """A literal block scalar of `value` at the indentation of `node`'s lines, keeping
        the comment of its header line; None when a block cannot hold it as it is."""
        if value.endswith("\n\n") or value.startswith((" ", "\n")):
            return None
        start = node.start_mark.index
        span = self.text[start : self._end(node)]
        header, _, body = span.partition("\n")
        comment = header[header.index("#") :] if "#" in header else ""
        lines = [line for line in body.split("\n") if line.strip()]
        indent = len(lines[0]) - len(lines[0].lstrip(" ")) if lines else node.start_mark.column + 2
        indicator = "|" if value.endswith("\n") else "|-"
        text = "".join(
            "\n" + (" " * indent + line if line else "")
            for line in value.removesuffix("\n").split("\n")
        )
        return indicator + (f" {comment}" if comment else "") + text


def _emit(key: str, value: Any, column: int) -> str:
    """`key: value` in block style, its lines after the first indented by `column`."""
    import yaml

    dumped = yaml.dump(
        {key: value}, Dumper=_dumper(), sort_keys=False, width=10_000, allow_unicode=True
    )
    # The key `on` is quoted by a YAML 1.1 dumper (it could be read as true); GitHub's
    # own spelling is bare, and GitHub reads it as the string.
    if key == "on":
        dumped = dumped.replace("'on':", "on:", 1)
    lines = dumped.rstrip("\n").split("\n")
    return "\n".join([lines[0], *(" " * column + line if line else line for line in lines[1:])])


@functools.cache
def _dumper() -> type:
    import yaml

    class Dumper(yaml.SafeDumper):
        """Block style for scripts, sequences indented under their key, no anchors."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    def text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
        style = "|" if "\n" in data else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    Dumper.add_representer(str, text)
    return Dumper
