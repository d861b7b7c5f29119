"""Load a graph into any SPARQL 1.1 Graph Store HTTP Protocol endpoint.

Works with Oxigraph server (``http://host:7878/store``), Fuseki (``.../DATASET/data``), GraphDB
(``.../repositories/REPO/rdf-graphs/service``) and Virtuoso (``.../sparql-graph-crud-auth``).
Triples go in N-Triples batches, POSTed (merged) to ``?graph=IRI`` or ``?default``; transient
failures (5xx, 408, 429, connection errors) are retried with exponential backoff, which is
safe because adding a triple twice leaves a graph unchanged. Credentials never appear in
messages, and are only sent over plain ``http://`` to this machine unless ``insecure``.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

#: Statuses worth retrying: the server or a proxy may recover.
TRANSIENT = {408, 425, 429, 500, 502, 503, 504}
CONTENT_TYPE = "application/n-triples"


class PushError(Exception):
    """A push that failed for good (one line, no credentials)."""


@dataclass
class PushReport:
    """Triples sent per target graph (``"default"`` or the graph IRI) and HTTP requests made."""

    triples: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    retries: int = 0


@dataclass
class _Target:
    url: str  # with userinfo removed
    secrets: list[str]
    headers: dict[str, str]


def push(quads: Iterable[ox.Quad], endpoint: str, *, graph: str | None = None,
         user: str | None = None, password: str | None = None, token: str | None = None,
         batch_size: int = 20_000, replace: bool = False, insecure: bool = False,
         attempts: int = 5, backoff: float = 0.5, timeout: float = 120,
         log: Callable[[str], None] | None = None) -> PushReport:
    """Send ``quads`` to the Graph Store endpoint ``endpoint``.

    Without ``graph`` each quad keeps its graph (default graph -> ``?default``); with
    ``graph`` every triple goes to that graph. ``replace`` PUTs the first batch of each
    graph, replacing what the server held in it. Basic auth with ``user``/``password``
    (also taken from ``https://user:pass@host/...``) or a bearer ``token``.
    """
    target = _target(endpoint, user, password, token, insecure)
    batches: dict[str, list[ox.Triple]] = {}
    for q in quads:
        name = graph or ("" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value)
        batches.setdefault(name, []).append(q.triple)
    report = PushReport()
    for name in sorted(batches):
        triples = sorted(set(batches[name]), key=str)
        url = _with_param(target.url, ("graph", name) if name else ("default", ""))
        label = name or "default"
        for start in range(0, len(triples), max(1, batch_size)):
            chunk = triples[start:start + batch_size]
            body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES)
            method = "PUT" if replace and start == 0 else "POST"
            report.retries += _send(method, url, body, target, attempts, backoff, timeout, log)
            report.requests += 1
            report.triples[label] = report.triples.get(label, 0) + len(chunk)
        if log:
            log(f"pushed {len(triples)} triples to {label}")
    return report


def _target(endpoint: str, user: str | None, password: str | None, token: str | None,
            insecure: bool) -> _Target:
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"endpoint must be an http:// or https:// URL, got {_strip_userinfo(endpoint)!r}")
    if parts.username and user is None:
        user = urllib.parse.unquote(parts.username)
        password = urllib.parse.unquote(parts.password or "")
    url = _strip_userinfo(endpoint)
    headers = {"Content-Type": CONTENT_TYPE}
    secrets = [s for s in (password, token) if s]
    if token:
        headers["Authorization"] = f"Bearer {token}"
    elif user is not None:
        basic = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        headers["Authorization"] = f"Basic {basic}"
        secrets.append(basic)
    if secrets and parts.scheme == "http" and not insecure and not is_local(parts.hostname):
        raise PushError(f"refusing to send credentials over plain http:// to {parts.hostname}: "
                        "use https:// (or --insecure if you accept the risk)")
    return _Target(url, secrets, headers)


def is_local(host: str) -> bool:
    """True for loopback hosts: localhost, 127.0.0.0/8, ::1."""
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _strip_userinfo(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _with_param(url: str, param: tuple[str, str]) -> str:
    key, value = param
    query = f"{key}={urllib.parse.quote(value, safe='')}" if value else key
    return f"{url}{'&' if urllib.parse.urlsplit(url).query else '?'}{query}"


def _redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def _send(method: str, url: str, body: bytes, target: _Target, attempts: int, backoff: float,
          timeout: float, log: Callable[[str], None] | None) -> int:
    """Send one request, retrying transient failures; return the number of retries."""
    for attempt in range(attempts):
        request = urllib.request.Request(url, data=body, method=method, headers=target.headers)
        delay = backoff * 2 ** attempt
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
            return attempt
        except urllib.error.HTTPError as exc:
            detail = _redact(_first_line(exc.read()), target.secrets)
            problem = f"HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
            if exc.code not in TRANSIENT:
                raise PushError(f"{method} {url}: {_redact(problem, target.secrets)}") from None
            retry_after = exc.headers.get("Retry-After", "")
            if retry_after.isdigit():
                delay = min(float(retry_after), 30.0)
        except (urllib.error.URLError, http.client.HTTPException, ConnectionError, socket.timeout,
                TimeoutError) as exc:
            reason = getattr(exc, "reason", None) or exc
            problem = _redact(f"{type(exc).__name__}: {reason}", target.secrets)
        if attempt + 1 < attempts:
            if log:
                log(f"{method} {url}: {problem}; retrying in {delay:.1f}s")
            time.sleep(delay)
    raise PushError(f"{method} {url}: {problem} (gave up after {attempts} attempts)")


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    line = text.splitlines()[0] if text else ""
    return line[:200] + ("..." if len(line) > 200 else "")
