"""A sample of the resource lists the property tests accept builds: go-api projects made from
a few drawn lists compile and pass `go vet`, generated code included."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, assume, given, seed, settings

from stackprint import blueprints
from stackprint.create import create, prepare_answers
from stackprint.resources.validate import resources_error
from tests.e2e.support import run
from tests.test_resources_property import well_formed_lists

pytestmark = pytest.mark.e2e


# The same three lists on every run; this seed draws a self-reference, enums and a
# reference between resources among them.
@seed(2)
@settings(
    max_examples=3,
    deadline=None,
    database=None,
    phases=[Phase.generate],  # a failing build is reported as it is, not shrunk for minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(resources=well_formed_lists())
def test_accepted_resource_lists_build_with_go_api(
    resources: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    assume(resources_error(resources) == "")
    blueprint = blueprints.load("go-api")
    answers = prepare_answers(
        blueprint, {"resources": resources}, dest=None, use_defaults=True, asker=None
    )
    project = tmp_path_factory.mktemp("sample") / "sample-api"
    create(project, blueprint, answers, git=False)
    run(["go", "build", "./..."], cwd=project)
    run(["go", "vet", "./..."], cwd=project)
