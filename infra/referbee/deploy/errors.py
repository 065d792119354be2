"""Errors of deploy, destroy and package: each one is a message a person can act on."""

from __future__ import annotations

from chalicelib.model.errors import ReferbeeError


class DeployError(ReferbeeError):
    """Deploying, destroying or packaging stopped; the message says why and what to do."""


class BucketTakenError(DeployError):
    """The site bucket's name belongs to another AWS account."""
