"""`make install`, `make uninstall` and `make dist` as a user runs them, into a temporary PREFIX.

The Makefile's default is a release build with a static Swift standard library (15 minutes from nothing on this
machine kind). The test installs the debug build the suite already made (CONFIGURATION=debug STATIC= SCRATCH=.build),
which exercises every install and packaging step with the same rules; the release build differs only in its flags."""
import hashlib
import os
import shutil
import subprocess
import tarfile

import pytest

from conftest import ROOT

REUSE = ["CONFIGURATION=debug", "STATIC=", "SCRATCH=.build"]
INSTALLED = ["bin/ghc-api", "share/man/man1/ghc-api.1", "share/bash-completion/completions/ghc-api",
             "share/zsh/site-functions/_ghc-api", "share/fish/vendor_completions.d/ghc-api.fish"]


def make(*args):
    result = subprocess.run(["make", "-s", *args, *REUSE], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(autouse=True)
def needs_make():
    if shutil.which("make") is None:
        pytest.skip("make is not installed (scripts/test installs it)")


def test_make_install_puts_the_binary_man_page_and_completions_under_prefix(tmp_path):
    prefix = tmp_path / "prefix"
    make("install", f"PREFIX={prefix}")
    for path in INSTALLED:
        assert (prefix / path).is_file(), path
    assert os.access(prefix / "bin/ghc-api", os.X_OK)
    assert (prefix / "share/man/man1/ghc-api.1").read_bytes() == (ROOT / "man/ghc-api.1").read_bytes()

    version = subprocess.run([str(prefix / "bin/ghc-api"), "--version", "--verbose"], capture_output=True, text=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    lines = version.stdout.splitlines()
    assert version.returncode == 0 and lines[0].startswith("ghc-api ")
    fields = dict(line.split(":", 1) for line in lines[1:5])
    assert fields["commit"].strip() == head and fields["built"].strip().endswith("Z")
    assert fields["swift"].strip()[0].isdigit() and fields["platform"].strip()
    assert any(line.split() == ["hummingbird", "2.28.1"] for line in lines)

    if shutil.which("man"):
        page = subprocess.run(["man", "-l", str(prefix / "share/man/man1/ghc-api.1")], capture_output=True, text=True,
                              env=dict(os.environ, MANPAGER="cat", PAGER="cat", MANWIDTH="100"))
        assert page.returncode == 0 and "ghc-api" in page.stdout and "service" in page.stdout and "keys" in page.stdout
    bash = subprocess.run(["bash", "-c", f"source {prefix}/share/bash-completion/completions/ghc-api && complete -p ghc-api"],
                          capture_output=True, text=True)
    assert bash.returncode == 0 and "ghc-api" in bash.stdout

    make("uninstall", f"PREFIX={prefix}")
    assert not any((prefix / path).exists() for path in INSTALLED)


def test_make_dist_builds_a_tarball_with_a_checksum(tmp_path):
    make("dist")
    tarballs = sorted((ROOT / "dist").glob("ghc-api-*.tar.gz"))
    assert len(tarballs) == 1
    tarball = tarballs[0]
    checksum = (ROOT / "dist" / (tarball.name + ".sha256")).read_text().split()
    assert checksum == [hashlib.sha256(tarball.read_bytes()).hexdigest(), tarball.name]
    verified = subprocess.run(["sha256sum", "-c", tarball.name + ".sha256"], cwd=ROOT / "dist", capture_output=True, text=True)
    assert verified.returncode == 0
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    top = tarball.name[: -len(".tar.gz")]
    for path in INSTALLED + ["README.md", "LICENSE"]:
        assert f"{top}/{path}" in names
    shutil.rmtree(ROOT / "dist")
