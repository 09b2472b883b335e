"""Every way of naming the target or the profile wrongly is a one-line usage error (exit 4).

None of these runs starts a target, so they run in this process.
"""

from __future__ import annotations

import pytest
from plugin_testing import TRIVIAL_CHECK, assert_usage_error, run_inline

pytestmark = pytest.mark.usefixtures("project")


@pytest.fixture(autouse=True)
def _a_check(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_checks=TRIVIAL_CHECK)


def test_no_target_lists_the_three_forms(pytester: pytest.Pytester) -> None:
    result = run_inline(pytester)
    assert_usage_error(
        result,
        "no conformance target",
        "--target-app=module:app",
        "--target-url=http://host:port",
        "--target-serve=module:app",
        "CONFORMANCE_TARGET_APP",
        one_line=False,
    )


def test_no_target_and_no_checks_runs_plain_tests_normally(pytester: pytest.Pytester) -> None:
    """The plugin is installed in every project of the environment: it must stay out of the way."""
    (pytester.path / "test_checks.py").unlink()
    pytester.makepyfile(
        test_plain="""
        def test_plain():
            assert 1 + 1 == 2
        """
    )
    result = run_inline(pytester)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["conformance target: none named"])
    result.stdout.no_fnmatch_line("*conformance report*")


def test_two_targets_at_one_level(pytester: pytest.Pytester) -> None:
    result = run_inline(pytester, "--target-app=target_app:app", "--target-url=http://127.0.0.1:9")
    message = assert_usage_error(result, "two targets named", one_line=False)
    assert "--target-app=target_app:app (from command line)" in message.splitlines()[0]
    assert "--target-url=http://127.0.0.1:9 (from command line)" in message.splitlines()[0]


def test_two_targets_in_the_environment(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFORMANCE_TARGET_APP", "target_app:app")
    monkeypatch.setenv("CONFORMANCE_TARGET_SERVE", "target_app:app")
    result = run_inline(pytester)
    assert_usage_error(result, "two targets named", "CONFORMANCE_TARGET_SERVE", one_line=False)


@pytest.mark.parametrize(
    ("value", "fragments"),
    [
        ("target_app", ["--target-app=target_app", "not of the form 'module:attribute'"]),
        (
            "no_such_module:app",
            ["--target-app=no_such_module:app", "could not import module 'no_such_module'"],
        ),
        ("target_app:nope", ["module 'target_app' has no attribute 'nope'"]),
        ("target_app:HERE", ["is a PosixPath, not an ASGI app"]),
    ],
    ids=["bad-format", "missing-module", "missing-attribute", "not-an-app"],
)
def test_bad_target_app(pytester: pytest.Pytester, value: str, fragments: list[str]) -> None:
    result = run_inline(pytester, f"--target-app={value}")
    assert_usage_error(result, *fragments)


def test_bad_target_serve_is_reported_under_its_own_option(pytester: pytest.Pytester) -> None:
    result = run_inline(pytester, "--target-serve=target_app")
    assert_usage_error(result, "--target-serve=target_app", "not of the form")


@pytest.mark.parametrize(
    ("line", "raised"),
    [
        ("import a_dependency_that_is_not_installed", "ModuleNotFoundError"),
        ("raise ImportError('the database driver is missing')", "ImportError"),
    ],
    ids=["missing-dependency", "import-error"],
)
def test_an_import_error_inside_the_users_module_is_shown_as_theirs(
    pytester: pytest.Pytester, line: str, raised: str
) -> None:
    pytester.makepyfile(broken_app=f"x = 1\n{line}\n")
    result = run_inline(pytester, "--target-app=broken_app:app")
    message = assert_usage_error(
        result, "--target-app=broken_app:app", f"importing your module raised {raised}",
        one_line=False,
    )  # fmt: skip
    assert "broken_app.py" in message
    assert line in message  # the offending source line, as in a traceback's last frame
    assert "pytest_conformance" not in message
    assert "could not import module" not in message


def test_target_url_must_be_http(pytester: pytest.Pytester) -> None:
    result = run_inline(pytester, "--target-url=ftp://127.0.0.1:21")
    assert_usage_error(result, "--target-url=ftp://127.0.0.1:21", "not an http(s) URL")


def test_target_serve_in_must_be_thread_or_subprocess(pytester: pytest.Pytester) -> None:
    result = run_inline(pytester, "--target-serve=target_app:app", "--target-serve-in=bogus")
    assert_usage_error(result, "--target-serve-in=bogus", "'thread'", "'subprocess'")


@pytest.mark.parametrize(
    ("toml", "fragments"),
    [
        ("[timeouts]\nrequets = 1\n", ["unknown profile key 'timeouts.requets'"]),
        ("[timeouts]\nrequest = -1\n", ["profile key 'timeouts.request'", "greater than 0"]),
        ('envelope = "xml"\n', ["profile key 'envelope'", "'xml'"]),
        ("[timeouts\n", ["not valid TOML"]),
        (
            '[auth]\nlogin_body = \'{"user": {"email": "{username}"}}\'\n',
            ["profile key 'auth.login_body'", "no {password} placeholder"],
        ),
        ("[auth]\nlogin_body = '{\"user\": '\n", ["profile key 'auth.login_body'", "not a JSON"]),
        ('[auth]\ntoken_pointer = "user.token"\n', ["profile key 'auth.token_pointer'"]),
    ],
    ids=[
        "unknown-key",
        "bad-value",
        "bad-choice",
        "bad-toml",
        "login-without-password",
        "login-not-json",
        "pointer-not-a-pointer",
    ],
)
def test_bad_profile(pytester: pytest.Pytester, toml: str, fragments: list[str]) -> None:
    profile = pytester.path / "profile.toml"
    profile.write_text(toml, encoding="utf-8")
    result = run_inline(pytester, "--target-app=target_app:app", f"--profile={profile}")
    assert_usage_error(result, str(profile), *fragments)


def test_bad_profile_in_pyproject_names_the_key(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml("[tool.conformance.capabilities]\nwebsocket = false\n")
    result = run_inline(pytester, "--target-app=target_app:app")
    assert_usage_error(
        result, "pyproject.toml [tool.conformance]", "unknown profile key 'capabilities.websocket'"
    )


def test_missing_profile_file(pytester: pytest.Pytester) -> None:
    result = run_inline(pytester, "--target-app=target_app:app", "--profile=nowhere.toml")
    assert_usage_error(result, "--profile: no such file: nowhere.toml")
