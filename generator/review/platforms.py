"""GitHub and GitLab: what a login may look like, which profile field holds it, who approved a merge request.

A login read from a profile is data from a pull request: it reaches CODEOWNERS and messages only
when it is a login the platform itself could have issued, so a line break or a ``*`` in it can
never become a rule of its own.
"""

from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from generator.directory.values import GITHUB_RE, GITLAB_RE
from generator.problems import Message, Problem, TrombiError, counted


@dataclass(frozen=True, slots=True)
class Platform:
    """Where a directory's pull requests live: the name people see and the profile field with their login."""

    name: str
    contact: str
    rules: Message
    """What a login is made of, to quote when one is refused."""

    def valid(self, login: str) -> bool:
        """Whether the platform could have issued ``login``: the model's own grammar (generator.directory.values), one truth for both."""
        return (GITHUB_RE if self.contact == "github" else GITLAB_RE).fullmatch(login) is not None


GITHUB = Platform("GitHub", "github", Message("1 to 39 letters, digits and single hyphens, no hyphen at either end"))
GITLAB = Platform(
    "GitLab", "gitlab", Message("2 to 255 letters, digits, '_', '.' and '-', not starting with '-' or '.', not ending in '.', .git or .atom")
)
PLATFORMS = {"github": GITHUB, "gitlab": GITLAB}


@dataclass(frozen=True, slots=True)
class MergeRequest:
    """A merge request as GitLab's API tells it: who opened it and who approved it."""

    author: str
    approved_by: tuple[str, ...]


def gitlab_merge_request(environ: Mapping[str, str] = os.environ, timeout: float = 30) -> MergeRequest:
    """Read the current merge request's author and approvals from GitLab's API, as a GitLab CI job sees it.

    The job's own variables say where (``CI_API_V4_URL``, ``CI_PROJECT_ID``, ``CI_MERGE_REQUEST_IID``);
    ``TROMBI_GITLAB_TOKEN`` is a token with ``read_api``, since ``CI_JOB_TOKEN`` cannot read approvals.
    """
    names = ("CI_API_V4_URL", "CI_PROJECT_ID", "CI_MERGE_REQUEST_IID", "TROMBI_GITLAB_TOKEN")
    missing = [name for name in names if not environ.get(name)]
    if missing:
        message = counted(
            "cannot read the merge request from GitLab: {variables} not set (run in a merge request pipeline; see SECURITY.md for the token)",
            "cannot read the merge request from GitLab: {variables} not set (run in a merge request pipeline; see SECURITY.md for the token)",
            len(missing),
            variables=", ".join(missing),
        )
        raise TrombiError([Problem(".", 1, 1, message, "gitlab")])
    api, token = environ["CI_API_V4_URL"].rstrip("/"), environ["TROMBI_GITLAB_TOKEN"]
    if urllib.parse.urlsplit(api).scheme not in ("https", "http"):
        raise TrombiError([Problem(".", 1, 1, Message("CI_API_V4_URL '{address}' is not an http(s) address", address=api), "gitlab")])
    project, iid = (urllib.parse.quote(environ[name], safe="") for name in ("CI_PROJECT_ID", "CI_MERGE_REQUEST_IID"))
    base = f"{api}/projects/{project}/merge_requests/{iid}"
    merge_request = _get(f"{base}", token, timeout)
    approvals = _get(f"{base}/approvals", token, timeout)
    author = (merge_request.get("author") or {}).get("username") if isinstance(merge_request, dict) else None
    if not isinstance(author, str) or not author:
        raise TrombiError([Problem(".", 1, 1, Message("GitLab's answer names no author for the merge request"), "gitlab")])
    approved: list[str] = []
    for entry in approvals.get("approved_by") or () if isinstance(approvals, dict) else ():
        username = (entry.get("user") or {}).get("username") if isinstance(entry, dict) else None
        if isinstance(username, str) and username:
            approved.append(username)
    return MergeRequest(author, tuple(approved))


def _get(url: str, token: str, timeout: float) -> object:
    request = urllib.request.Request(url, headers={"PRIVATE-TOKEN": token, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as error:
        # The token never goes into the message: only where the request went and why it failed.
        message = Message("cannot read {address} from GitLab: {error}", address=url, error=str(error))
        raise TrombiError([Problem(".", 1, 1, message, "gitlab")]) from None
