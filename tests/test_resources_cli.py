"""Resources through `stackprint new`: `--resource`, `--data resources=`, answers files, and
`stackprint blueprints NAME`; against a small blueprint that asks for `resources`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stackprint.answers import command_line
from stackprint.cli import main
from stackprint.errors import ExitCode
from stackprint.resources.types import TYPES
from tests import resources_support
from tests.conftest import MakeBlueprint

CUSTOMER = "customer=name:string,email:string?,tier:enum(free|pro)"
INVOICE = "invoice=number:string,total:float,issued_on:date,customer:ref(customer)"


@pytest.fixture(autouse=True)
def _fixture_blueprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    resources_support.use_fixture_root(tmp_path / "root", monkeypatch)


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def new(dest: Path, *args: str) -> list[str]:
    return [
        "new",
        str(dest),
        "--blueprint",
        resources_support.NAME,
        "--defaults",
        "--no-git",
        "--no-generate",
        *args,
    ]


def recorded(project: Path) -> list[dict[str, object]]:
    data = yaml.safe_load((project / ".copier-answers.yml").read_text())
    resources = data["resources"]
    assert isinstance(resources, list)
    return resources


def test_resource_flags_become_the_resources_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "shop"
    code, _, err = run_cli(
        new(dest, "--resource", CUSTOMER, "-r", "line_item/lines=sku:string", "-r", INVOICE),
        capsys,
    )
    assert code == 0, err
    assert recorded(dest) == [
        {
            "name": "customer",
            "plural": "customers",
            "fields": ["name:string", "email:string?", "tier:enum(free|pro)"],
        },
        {"name": "line_item", "plural": "lines", "fields": ["sku:string"]},
        {
            "name": "invoice",
            "plural": "invoices",
            "fields": ["number:string", "total:float", "issued_on:date", "customer:ref(customer)"],
        },
    ]
    assert (
        dest / "routes.txt"
    ).read_text() == "/customers Customer\n/lines LineItem\n/invoices Invoice\n"
    assert sorted(p.name for p in (dest / "models").iterdir()) == [
        "customer.go",
        "invoice.go",
        "line_item.go",
    ]
    assert "\tCustomerID uuid.UUID\n" in (dest / "models" / "invoice.go").read_text()


def test_data_and_answers_file_give_resources_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text(
        "resources:\n  - {name: box, fields: [label:string, weight:float?]}\n", encoding="utf-8"
    )
    assert run_cli(new(tmp_path / "a", "--answers-file", str(answers)), capsys)[0] == 0
    assert recorded(tmp_path / "a") == [
        {"name": "box", "plural": "boxes", "fields": ["label:string", "weight:float?"]}
    ]
    # Flags win over the file, as --data does.
    args = ["--answers-file", str(answers), "--resource", "tag=label:string"]
    assert run_cli(new(tmp_path / "b", *args), capsys)[0] == 0
    assert [r["name"] for r in recorded(tmp_path / "b")] == ["tag"]
    # The shorthand is accepted inside the YAML list as well.
    data = '--data=resources=["note=body:text"]'
    assert run_cli(new(tmp_path / "c", data), capsys)[0] == 0
    assert recorded(tmp_path / "c")[0]["fields"] == ["body:text"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--resource", "invoice"], "--resource 'invoice': resource 'invoice' must be written"),
        (["--resource", "a=n:money"], "unknown type 'money'"),
        (["--resource", "a=n:enum"], "enum needs its argument"),
        (["--resource", "invoice=c:ref(client)"], "references 'client', which is not a resource"),
        (["-r", INVOICE, "-r", CUSTOMER], "which is listed after it; list 'customer' first"),
        (["-r", "box=x:string", "-r", "box=y:string"], "is already the resource 'box'"),
        (["-r", "select=x:string"], "reserved word"),
        (["-r", "box=customer_id:string,customer:ref(box)?"], "clashes with field 'customer_id'"),
        (
            ["-r", "egg=hen:ref(hen)", "-r", "hen=egg:ref(egg)"],
            "'egg' -> 'hen' -> 'egg' reference each other with required fields",
        ),
        (["-r", "a=x:string", "--data", "resources=[]"], "both give the resources; use one"),
        (["--data", "resources=[]"], "list at least one resource"),
        (["--data", "resources={a: 1}"], "resources must be a list"),
        (["--data", "resources=[oops"], "expected yaml"),
    ],
)
def test_bad_resources_are_one_line_exit_2_and_write_nothing(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "out" / "shop"
    code, _, err = run_cli(new(dest, *args), capsys)
    assert code == ExitCode.USAGE, err
    assert message in err
    assert len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "out").exists()


def test_resource_flag_needs_a_blueprint_that_asks_for_resources(
    make_blueprint: MakeBlueprint,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["new", str(tmp_path / "x"), "-b", str(make_blueprint()), "--defaults", "--no-git"]
    code, _, err = run_cli([*argv, "--resource", CUSTOMER], capsys)
    assert code == ExitCode.USAGE
    assert "--resource is not supported: this blueprint asks for no resources" in err


def test_the_equivalent_command_line_uses_resource_flags() -> None:
    answers = {
        "project_name": "shop",
        "resources": [
            {"name": "customer", "plural": "customers", "fields": ["name:string", "vip:bool?"]},
            {"name": "person", "plural": "persons", "fields": ["name:string"]},
        ],
    }
    assert command_line("b", "shop", answers) == (
        "stackprint new shop --blueprint b --data project_name=shop "
        "--resource 'customer=name:string,vip:bool?' --resource person/persons=name:string"
    )


def test_blueprints_name_shows_the_grammar_with_every_type(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_cli(["blueprints", resources_support.NAME], capsys)
    assert code == 0
    assert "--resource NAME[/PLURAL]=FIELD,FIELD,..." in out
    assert "default: --resource product=name:string,price:float" in out
    assert "name:type? when optional" in out
    types_line = next(line for line in out.splitlines() if "types:" in line)
    for name in TYPES:
        assert name in types_line
    assert f"--resource '{INVOICE}'" in out
    assert "--data resources=<yaml>" in out


def test_update_resource_adds_a_resource_or_replaces_one_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "shop"
    argv = ["new", str(dest), "-b", resources_support.NAME, "--defaults", "--no-generate"]
    assert run_cli([*argv, "-r", CUSTOMER], capsys)[0] == 0
    code, _, err = run_cli(
        ["update", str(dest), "-r", "customer=name:string,vip:bool", "-r", INVOICE], capsys
    )
    assert code == 0, err
    assert [(r["name"], r["fields"]) for r in recorded(dest)] == [
        ("customer", ["name:string", "vip:bool"]),
        ("invoice", ["number:string", "total:float", "issued_on:date", "customer:ref(customer)"]),
    ]
    assert (dest / "routes.txt").read_text() == "/customers Customer\n/invoices Invoice\n"
    assert "\tVip bool\n" in (dest / "models" / "customer.go").read_text()
    # A bad addition is refused like any answer, and nothing changes.
    code, _, err = run_cli(["update", str(dest), "-r", "tag=x:ref(nowhere)"], capsys)
    assert code == ExitCode.USAGE and "references 'nowhere'" in err
    assert [r["name"] for r in recorded(dest)] == ["customer", "invoice"]
