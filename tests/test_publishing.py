"""The GitHub Actions workflows are valid and publish as the README says; the
upload targets refuse to run without a destination."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.support import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def check_workflow(path):
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def load(name):
    return YAML(typ="safe").load((ROOT / ".github" / "workflows" / name).read_text())


def steps_using(job, action):
    return [s for s in job["steps"] if s.get("uses", "").startswith(action + "@")]


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    runs-on: 1\n    steps: nope\n")
    assert check_workflow(broken).returncode != 0


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_valid_for_github_actions(path):
    result = check_workflow(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_requests_run_the_ci_script():
    workflow = load("test.yml")
    assert "pull_request" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert any(s.get("run", "").strip() == "bash .ci/run" for s in job["steps"])


def test_main_and_a_daily_schedule_deploy_to_pages_with_least_privilege():
    workflow = load("publish.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    (schedule,) = workflow["on"]["schedule"]
    minute, hour, *every = schedule["cron"].split()
    assert every == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()
    # The README tells authors when scheduled essays go live: it must say this.
    assert f'cron: "{schedule["cron"]}"' in (ROOT / "README.md").read_text(encoding="utf-8")
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "permissions" not in build
    publish = next(s for s in build["steps"] if s.get("run") == "make publish")
    pages_step = steps_using(build, "actions/configure-pages")[0]
    siteurl = "${{ steps." + pages_step["id"] + ".outputs.base_url }}"
    assert publish["env"]["SITEURL"] == siteurl
    assert steps_using(build, "actions/upload-pages-artifact")[0]["with"]["path"] == "output"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert steps_using(deploy, "actions/deploy-pages")


@pytest.mark.parametrize(
    ("target", "variable"), [("rsync_upload", "SSH_HOST"), ("s3_upload", "S3_BUCKET")]
)
def test_upload_target_without_a_destination_fails_naming_the_variable(target, variable):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SSH_", "S3_"))}
    result = subprocess.run(
        ["make", "--no-print-directory", target],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"{variable} is not set" in result.stderr
    assert "pelican" not in result.stdout  # failed before building anything
