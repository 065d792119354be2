"""Domain errors. The api layer maps each class to one HTTP status."""

from __future__ import annotations


class ReferbeeError(Exception):
    """Base class of every error referbee raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInputError(ReferbeeError):
    """The caller sent something we cannot use (HTTP 400)."""


class UnauthorizedError(ReferbeeError):
    """A signature or key is missing or wrong (HTTP 401)."""


class ForbiddenError(ReferbeeError):
    """The key is valid but may not do this (HTTP 403)."""


class NotFoundError(ReferbeeError):
    """The program, code, token or order does not exist (HTTP 404)."""


class GoneError(ReferbeeError):
    """What the request names is gone for good: a spent or expired sign-in link (HTTP 410)."""


class PayloadTooLargeError(ReferbeeError):
    """The request body is over the limit (HTTP 413)."""


class ConflictError(ReferbeeError):
    """The write conflicts with what is stored (HTTP 409)."""


class UnavailableError(ReferbeeError):
    """The database is failing or throttling; the caller should retry (HTTP 503)."""

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ThrottledError(UnavailableError):
    """DynamoDB refused the write for throughput (a hot item or partition)."""


class RateLimitedError(ReferbeeError):
    """Too many requests from one visitor or key in the current window (HTTP 429)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ConfigError(ReferbeeError):
    """referbee.yaml is invalid. `problems` lists every problem found, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class ProblemsError(ReferbeeError):
    """Several problems found at once (a command's checks before it starts), so a person can
    fix them all in one go: `message` is the headline, `problems` one line each."""

    def __init__(self, message: str, problems: list[str], exit_code: int = 1) -> None:
        super().__init__(f"{message}: " + "; ".join(problems))
        self.message = message
        self.problems = problems
        self.exit_code = exit_code


class ReferrerExistsError(ConflictError):
    """A referrer with this email already exists in the program."""


class CodeTakenError(ConflictError):
    """The randomly drawn code is already used; draw another."""


class UnknownCodeError(InvalidInputError):
    """The referral code does not exist in this program."""


class DeliveryError(ReferbeeError):
    """A webhook or email could not be handed over (network, refused); it will be retried."""
