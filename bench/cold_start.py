"""Cold start: what a fresh Lambda container pays before the first request is answered.

Fresh Python processes, interleaved, median of several runs each:
- `import app` (functions/app.py and everything it imports: the API function) against
  `import boto3`;
- the click function's handler module, which Lambda imports by itself (the click path);
- each plus the DynamoDB client the first request creates, against boto3 plus a client;
- `import app` plus the `stripe` library, which only the Stripe webhook route imports (on a
  container's first Stripe event);
and the size of the Lambda deployment package that `chalice package` builds, with the time
it takes to unzip it (Lambda unpacks the package before a new container starts): the package
every function shares, the click function's included, and the API function's payments layer
(`stripe`, deploy/layers.py), side by side with the package as it would be with `stripe` in it.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bench import ROOT, setup_paths

setup_paths()

# The Lambda package does not carry boto3-stubs (a development dependency, which the store
# imports for its types only when it is there): the app is measured as the package runs it.
AS_PACKAGED = "import sys; sys.modules['mypy_boto3_dynamodb'] = None; "
SNIPPETS = {
    "python -c pass": "pass",
    "import boto3": "import boto3",
    "import app": AS_PACKAGED + "import app",
    "import boto3 + client": "import boto3; boto3.client('dynamodb', region_name='us-east-1')",
    "import app + client": AS_PACKAGED
    + "import app; from chalicelib.api import deps; deps.dynamodb_client()",
    "import click function": AS_PACKAGED + "import chalicelib.api.function_url",
    "import click function + client": AS_PACKAGED
    + "import chalicelib.api.function_url; from chalicelib.api import deps; deps.dynamodb_client()",
    "import app + stripe": AS_PACKAGED + "import app; import stripe",
}


@dataclass
class Archive:
    bytes: int
    files: int
    unzip_ms: float


@dataclass
class ColdStart:
    milliseconds: dict[str, float]
    package: Archive | None  # the code package every function unpacks
    layer: Archive | None  # the API function's payments layer
    with_stripe: Archive | None  # the code package with the layer's libraries in it


def measure(runs: int = 9) -> ColdStart:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "functions"),
        "AWS_DEFAULT_REGION": "us-east-1",
        "PYTHONDONTWRITEBYTECODE": "0",
    }
    times: dict[str, list[float]] = {name: [] for name in SNIPPETS}
    for code in SNIPPETS.values():  # compile .pyc files first: Lambda ships them warm too
        subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT / "functions")
    for _ in range(runs):
        for name, code in SNIPPETS.items():
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", code], env=env, check=True, cwd=ROOT / "functions"
            )
            times[name].append((time.perf_counter() - start) * 1e3)
    with tempfile.TemporaryDirectory() as work:
        package = package_size(Path(work) / "shared", runs)
        with_stripe = package_size(Path(work) / "with-stripe", runs, LAYER_REQUIREMENTS)
        layer = _layer(Path(work) / "layer", runs)
    return ColdStart(
        {name: statistics.median(values) for name, values in times.items()},
        package,
        layer,
        with_stripe,
    )


def _layer(work: Path, runs: int) -> Archive:
    from referbee.deploy.layers import PAYMENTS, build_layer, python_runtime

    return _unzipped(build_layer(PAYMENTS, work, python_runtime()), work, runs)


LAYER_REQUIREMENTS = ROOT / "functions" / "layers" / "payments" / "requirements.txt"


def package_size(work: Path, runs: int = 9, extra: Path | None = None) -> Archive | None:
    """Bytes and file count of the zip `chalice package` builds for the Lambda functions
    (with `extra` requirements added), and the median time to unzip it."""
    chalice = Path(sys.executable).with_name("chalice")
    # A copy of the project, so the placeholder IAM policy chalice wants to read (the
    # package's code does not depend on it) never lands in the checkout.
    project = work / "functions"
    shutil.copytree(
        ROOT / "functions",
        project,
        ignore=shutil.ignore_patterns("__pycache__", "programs.json"),
    )
    if extra is not None:
        requirements = project / "requirements.txt"
        requirements.write_text(requirements.read_text() + extra.read_text())
    policy = project / ".chalice" / "policy-dev.json"
    if not policy.exists():
        policy.write_text('{"Version": "2012-10-17", "Statement": []}')
    out = work / "out"
    result = subprocess.run(
        [str(chalice), "package", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "AWS_DEFAULT_REGION": "us-east-1"},
        check=False,
    )
    archive = out / "deployment.zip"
    if result.returncode != 0 or not archive.exists():
        print(f"chalice package failed: {result.stderr[-500:]}", file=sys.stderr)
        return None
    return _unzipped(archive, work, runs)


def _unzipped(archive: Path, work: Path, runs: int) -> Archive:
    unzip: list[float] = []
    for run in range(runs):
        start = time.perf_counter()
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(work / f"unzipped-{run}")
        unzip.append((time.perf_counter() - start) * 1e3)
    with zipfile.ZipFile(archive) as zipped:
        return Archive(archive.stat().st_size, len(zipped.namelist()), statistics.median(unzip))


def table(result: ColdStart) -> str:
    base = result.milliseconds["python -c pass"]
    net = {name: value - base for name, value in result.milliseconds.items()}
    lines = [
        "| fresh process | median ms | ms beyond interpreter start |",
        "|---|---:|---:|",
        *(f"| `{name}` | {result.milliseconds[name]:.0f} | {net[name]:.0f} |" for name in SNIPPETS),
        "",
        f"- `import app` / `import boto3`: **{net['import app'] / net['import boto3']:.2f}x** "
        "(the app imports botocore's exceptions but creates its boto3 client on first use)",
        f"- with the DynamoDB client the first request creates: "
        f"**{net['import app + client'] / net['import boto3 + client']:.2f}x** of boto3 + client",
        f"- the click function (Lambda imports `chalicelib.api.function_url` by itself, not the "
        f"app): **{net['import click function'] / net['import boto3']:.2f}x** `import boto3`; "
        f"with its DynamoDB client "
        f"**{net['import click function + client'] / net['import boto3 + client']:.2f}x** of "
        "boto3 + client",
    ]
    lines.append(
        f"- the Stripe webhook route's `import stripe`, on top of the app: "
        f"**{net['import app + stripe'] - net['import app']:.0f} ms**, once per container, "
        "on its first Stripe event (no other route imports it)"
    )
    package, layer, with_stripe = result.package, result.layer, result.with_stripe
    if package is not None:
        lines.append(
            f"- code package from `chalice package`, which every function unpacks (the click "
            f"function's included): **{package.bytes / 1e6:.2f} MB** zipped, {package.files} "
            f"files (boto3 is provided by the Lambda runtime); Python's zipfile unpacks it in "
            f"{package.unzip_ms:.0f} ms (median: a proxy for what Lambda does before a new "
            "container starts)"
        )
    if layer is not None:
        lines.append(
            f"- the API function's payments layer (`stripe` and `requests`), which no other "
            f"function unpacks: {layer.bytes / 1e6:.2f} MB, {layer.files} files, unpacked in "
            f"{layer.unzip_ms:.0f} ms"
        )
    if package is not None and with_stripe is not None:
        lines.append(
            f"- the same package with `stripe` in it, as one package for every function: "
            f"{with_stripe.bytes / 1e6:.2f} MB, {with_stripe.files} files, unpacked in "
            f"{with_stripe.unzip_ms:.0f} ms; the shared package is "
            f"**{package.bytes / with_stripe.bytes:.2f}x** its size"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(measure()))
