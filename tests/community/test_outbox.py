"""The email outbox: failures, retries, dead workers, security emails, keeping bodies, site links."""

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

# Links and the site's name


@pytest.mark.parametrize(
    "environment, site_url",
    [({}, "http://127.0.0.1:8101"), ({"SITE_URL": "https://x.example"}, "https://x.example")],
)
def test_make_run_points_links_in_emails_at_the_port_it_serves(tmp_path, environment, site_url):
    # A stand-in virtualenv whose python prints what it was asked to run and with which SITE_URL.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"
    python.write_text('#!/bin/sh\necho "$* SITE_URL=$SITE_URL"\n')
    python.chmod(0o755)
    (tmp_path / ".installed").touch()
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    result = subprocess.run(
        ["make", "--no-print-directory", "run", "PORT=8101", f"VENV={tmp_path}"],
        cwd=Path(settings.BASE_DIR),
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert f"runserver 127.0.0.1:8101 SITE_URL={site_url}" in result.stdout
    assert f"seed_demo SITE_URL={site_url}" in result.stdout
