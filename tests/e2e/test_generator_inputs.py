"""A generator step's declared inputs are everything it reads: run on a directory holding
only those files, it writes exactly the outputs it wrote in the generated project. This is
what makes `update`'s reuse of unchanged outputs safe (see stackprint.reuse)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stackprint import blueprints, generators
from stackprint.generators import GeneratorStep
from stackprint.reuse import files_on_disk
from tests.e2e.conftest import Generate
from tests.e2e.support import run

DECLARING = [
    (name, step)
    for name in blueprints.available()
    for step in blueprints.load(name).generators
    if step.inputs or step.outputs
]


def test_every_bundled_generator_step_declares_inputs_and_outputs() -> None:
    for name in blueprints.available():
        for step in blueprints.load(name).generators:
            assert step.inputs and step.outputs, f"{name}: step '{step.name}' declares neither"


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("blueprint", "step"), DECLARING, ids=[f"{b}:{s.name.split(' ')[0]}" for b, s in DECLARING]
)
def test_a_step_run_on_its_inputs_alone_writes_the_same_outputs(
    blueprint: str, step: GeneratorStep, generate: Generate, tmp_path: Path
) -> None:
    project = generate(blueprint)
    isolated = tmp_path / project.name
    for rel in step.inputs:
        source = project / rel
        assert source.exists(), f"declared input {rel} is not in the generated project"
        if source.is_dir():
            shutil.copytree(source, isolated / rel, symlinks=True)
        else:
            (isolated / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, isolated / rel)

    missing = generators.missing_tools(step, generators.toolchain_env())
    assert not missing, f"missing {missing}"
    run(list(step.run), isolated, env=generators.toolchain_env())

    expected = files_on_disk(project, step.outputs)
    assert expected, f"the generated project has none of {step.outputs}"
    assert files_on_disk(isolated, step.outputs) == expected
