"""A threaded HTTP server on 127.0.0.1 that answers like the Graph API for one world."""

from __future__ import annotations

import base64
import datetime
import itertools
import json
import logging
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from aelp.world.graph_api.catalog import (
    ENTITY_EDGES,
    HIDDEN_BY_DEFAULT,
    AccountCatalog,
    Catalog,
    GraphObject,
)
from aelp.world.graph_api.faults import REDUCE_DATA_SUBCODE, Faults

log = logging.getLogger(__name__)

DEFAULT_TOKEN = "stand-in-token"
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 5000
MEDIA_PREFIX = "/_media/"
_ALWAYS = ("date_start", "date_stop")


class GraphError(Exception):
    """An error the stand-in answers with Meta's error body."""

    def __init__(
        self,
        status: int,
        message: str,
        code: int,
        subcode: int | None = None,
        kind: str = "OAuthException",
        transient: bool = False,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body: GraphObject = {
            "error": {
                "message": message,
                "type": kind,
                "code": code,
                "is_transient": transient,
                "fbtrace_id": "AstandIn",
            }
        }
        if subcode is not None:
            self.body["error"]["error_subcode"] = subcode
        self.headers = headers or {}


@dataclass
class ReportRun:
    """An async insights job: its query, how far it got and whether it fails."""

    run_id: str
    account_id: str
    params: dict[str, Any]
    fails: bool
    polls: int = 0


def _listish(value: str | None) -> list[Any] | None:
    """A list parameter sent JSON-encoded (``["a","b"]``) or comma-joined (``a,b``)."""
    if value is None or value == "":
        return None
    if value.startswith("["):
        parsed: list[Any] = json.loads(value)
        return parsed
    return value.split(",")


def _select(
    obj: GraphObject, fields: list[str] | None, always: tuple[str, ...] = ()
) -> GraphObject:
    if fields is None:
        return {"id": obj["id"]} if "id" in obj else dict(obj)
    keep = set(fields) | set(always) | {"id"}
    return {k: v for k, v in obj.items() if k in keep}


def _day_range(time_range: dict[str, str]) -> list[str]:
    since = datetime.date.fromisoformat(time_range["since"])
    until = datetime.date.fromisoformat(time_range["until"])
    if until < since:
        raise GraphError(400, "Invalid time_range: until is before since", 100)
    return [
        (since + datetime.timedelta(days=k)).isoformat() for k in range((until - since).days + 1)
    ]


def _campaign_filter(filtering: list[dict[str, Any]] | None) -> set[str] | None:
    for rule in filtering or []:
        if rule.get("field") == "campaign.id" and rule.get("operator") == "IN":
            return {str(v) for v in rule["value"]}
    return None


class GraphApiState:
    """What the handler threads share: the catalog, faults, report runs and counters."""

    def __init__(self, catalog: Catalog, token: str, faults: Faults) -> None:
        self.catalog = catalog
        self.token = token
        self.faults = faults
        self.runs: dict[str, ReportRun] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []
        """(method, path) of every API call, for tests."""
        self.insights_queries: list[dict[str, Any]] = []
        """Parameters of every insights query (sync read, report run submission)."""

    def new_run(self, account_id: str, params: dict[str, Any]) -> ReportRun:
        with self._lock:
            run = ReportRun(
                run_id=f"9{next(self._ids):017d}",
                account_id=account_id,
                params=params,
                fails=self.faults.take_async_failure(),
            )
            self.runs[run.run_id] = run
            return run

    def account(self, node: str) -> AccountCatalog:
        found = self.catalog.accounts.get(node)
        if found is None:
            raise GraphError(
                400,
                f"Unsupported get request. Object with ID '{node}' does not exist, cannot be "
                "loaded due to missing permissions, or does not support this operation.",
                100,
                subcode=33,
                kind="GraphMethodException",
            )
        return found

    def insights_rows(self, acc: AccountCatalog, params: dict[str, Any]) -> list[GraphObject]:
        """The rows an insights query selects, after the size check."""
        self.insights_queries.append(params)
        level = params.get("level", "ad")
        if level != "ad" or str(params.get("time_increment", "1")) != "1":
            raise GraphError(400, "The stand-in serves level=ad, time_increment=1 only", 100)
        time_range = params.get("time_range")
        if isinstance(time_range, str):
            time_range = json.loads(time_range)
        if not time_range:
            raise GraphError(400, "time_range is required", 100)
        campaigns = _campaign_filter(params.get("filtering"))
        rows = [
            row
            for day in _day_range(time_range)
            for row in acc.insights_by_day.get(day, [])
            if campaigns is None or row["campaign_id"] in campaigns
        ]
        limit = self.faults.reduce_data_above_rows
        if limit is not None and len(rows) > limit:
            raise GraphError(
                500,
                "Please reduce the amount of data you're asking for, then retry your request",
                1,
                subcode=REDUCE_DATA_SUBCODE,
                kind="OAuthException",
            )
        fields = params.get("fields")
        windows = params.get("action_attribution_windows")
        return [_insight_view(row, fields, windows) for row in rows]


def _insight_view(
    row: GraphObject, fields: list[str] | None, windows: list[str] | None
) -> GraphObject:
    out = _select(row, fields, _ALWAYS)
    out.pop("id", None)
    for key in ("actions", "action_values"):
        if key in out:
            keep = {"action_type", "value", *(windows or [])}
            out[key] = [{k: v for k, v in a.items() if k in keep} for a in out[key]]
    return out


def _decode_params(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key, value in pairs:
        if key in ("fields", "effective_status", "action_attribution_windows", "hashes"):
            params[key] = _listish(value)
        elif key in ("filtering", "time_range"):
            params[key] = json.loads(value)
        else:
            params[key] = value
    return params


class GraphApiHandler(BaseHTTPRequestHandler):
    """One request: auth, faults, routing, JSON out."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = 1 << 16
    server: GraphApiHttpServer

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("stand-in: %s", format % args)

    # ------------------------------------------------------------------ plumbing
    def _params(self) -> dict[str, Any]:
        pairs = parse_qsl(urlsplit(self.path).query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            body = self.rfile.read(length).decode()
            pairs += parse_qsl(body, keep_blank_values=True)
        return _decode_params(pairs)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _usage_headers(self, account: str | None, regain_minutes: int = 0) -> dict[str, str]:
        state = self.server.state
        pct = state.faults.insights_throttle_pct
        headers = {
            "x-app-usage": json.dumps({"call_count": 1, "total_time": 1, "total_cputime": 1}),
            "x-fb-ads-insights-throttle": json.dumps(
                {"app_id_util_pct": pct, "acc_id_util_pct": pct, "ads_api_access_tier": "standard"}
            ),
        }
        if account:
            business = {
                account.removeprefix("act_"): [
                    {
                        "type": "ads_insights",
                        "call_count": 100 if regain_minutes else 1,
                        "total_cputime": 1,
                        "total_time": 1,
                        "estimated_time_to_regain_access": regain_minutes,
                    }
                ]
            }
            headers["x-business-use-case-usage"] = json.dumps(business)
            headers["x-ad-account-usage"] = json.dumps(
                {"acc_id_util_pct": pct, "reset_time_duration": regain_minutes * 60}
            )
        return headers

    def _json(self, status: int, body: GraphObject, headers: dict[str, str]) -> None:
        self._send(status, json.dumps(body).encode(), "application/json", headers)

    def _handle(self, method: str) -> None:
        path = urlsplit(self.path).path
        if path.startswith(MEDIA_PREFIX):
            self._media(path.removeprefix(MEDIA_PREFIX))
            return
        state = self.server.state
        parts = [p for p in path.split("/") if p]
        account = next((p for p in parts if p.startswith("act_")), None)
        try:
            params = self._params()
            if not parts or not parts[0].startswith("v") or "." not in parts[0]:
                raise GraphError(400, "Unknown path components: missing API version", 2500)
            state.requests.append((method, "/" + "/".join(parts[1:])))
            if state.faults.delay_s:
                time.sleep(state.faults.delay_s)
            self._check_auth(params)
            fault = state.faults.next_call()
            self._raise_fault(fault, account)
            body = self._route(method, parts[1:], params)
            self._json(200, body, self._usage_headers(account))
        except GraphError as error:
            headers = {**self._usage_headers(account), **error.headers}
            self._json(error.status, error.body, headers)

    def _check_auth(self, params: dict[str, Any]) -> None:
        if params.get("access_token") != self.server.state.token:
            raise GraphError(
                400,
                "Error validating access token: The session is invalid.",
                190,
                subcode=460,
            )

    def _raise_fault(self, fault: str | None, account: str | None) -> None:
        faults = self.server.state.faults
        if fault == "expired_token":
            raise GraphError(
                400,
                "Error validating access token: Session has expired.",
                190,
                subcode=463,
            )
        if fault == "rate_limit":
            minutes = faults.regain_access_minutes
            raise GraphError(
                400,
                "There have been too many calls from this ad-account. Wait a bit and try again.",
                faults.rate_limit_code,
                subcode=2446079,
                transient=True,
                headers=self._usage_headers(account, regain_minutes=minutes),
            )
        if fault == "server_error":
            raise GraphError(
                500,
                "An unexpected error has occurred. Please retry your request later.",
                2,
                transient=True,
            )

    # ------------------------------------------------------------------ routes
    def _route(self, method: str, parts: list[str], params: dict[str, Any]) -> GraphObject:
        state = self.server.state
        fields = params.get("fields")
        if len(parts) == 1 and parts[0].startswith("act_") and method == "GET":
            return _select(state.account(parts[0]).account, fields)
        if len(parts) == 2 and parts[0].startswith("act_"):
            acc = state.account(parts[0])
            edge = parts[1]
            if edge == "insights" and method == "POST":
                state.insights_rows(acc, params)  # size check at submission, as Meta does
                run = state.new_run(parts[0], params)
                return {"report_run_id": run.run_id}
            if edge == "insights":
                return self._page(state.insights_rows(acc, params), params)
            if edge in ENTITY_EDGES:
                return self._page(self._entities(acc, edge, params), params)
            if edge == "adimages":
                return self._page(self._images(acc, params), params)
        if len(parts) == 1 and parts[0] in state.runs:
            return self._run_status(state.runs[parts[0]])
        if len(parts) == 2 and parts[0] in state.runs and parts[1] == "insights":
            run = state.runs[parts[0]]
            if run.fails or run.polls < 2:
                raise GraphError(400, "Report run is not complete", 100, subcode=2601)
            rows = state.insights_rows(state.account(run.account_id), run.params)
            return self._page(rows, params)
        if len(parts) == 1 and parts[0] in state.catalog.videos:
            return _select(self._video(parts[0]), fields)
        raise GraphError(
            400, f"Unsupported {method.lower()} request to /{'/'.join(parts)}", 100, subcode=33
        )

    def _entities(
        self, acc: AccountCatalog, edge: str, params: dict[str, Any]
    ) -> list[GraphObject]:
        wanted = params.get("effective_status")
        for rule in params.get("filtering") or []:
            if str(rule.get("field", "")).endswith("effective_status"):
                wanted = list(rule["value"])
        objects = acc.edges[edge]
        if wanted is None:
            chosen = [o for o in objects if o.get("effective_status") not in HIDDEN_BY_DEFAULT]
        else:
            chosen = [o for o in objects if o.get("effective_status", "ACTIVE") in set(wanted)]
        return [_select(o, params.get("fields")) for o in chosen]

    def _media_url(self, relative: str) -> str:
        host, port = str(self.server.server_address[0]), self.server.server_address[1]
        return f"http://{host}:{port}{MEDIA_PREFIX}{relative}"

    def _images(self, acc: AccountCatalog, params: dict[str, Any]) -> list[GraphObject]:
        hashes = params.get("hashes") or list(acc.images)
        return [
            {"hash": h, "url": self._media_url(acc.images[h]), "id": f"{acc.account['id']}:{h}"}
            for h in hashes
            if h in acc.images
        ]

    def _video(self, video_id: str) -> GraphObject:
        _, relative = self.server.state.catalog.videos[video_id]
        return {
            "id": video_id,
            "source": self._media_url(relative),
            "picture": self._media_url(relative),
            "length": "3",
        }

    def _run_status(self, run: ReportRun) -> GraphObject:
        run.polls += 1
        if run.fails and run.polls >= 2:
            status, pct = "Job Failed", 0
        elif run.polls >= 2:
            status, pct = "Job Completed", 100
        else:
            status, pct = "Job Running", 50
        time_range = run.params.get("time_range") or {}
        return {
            "id": run.run_id,
            "account_id": run.account_id.removeprefix("act_"),
            "async_status": status,
            "async_percent_completion": pct,
            "date_start": time_range.get("since"),
            "date_stop": time_range.get("until"),
        }

    def _page(self, rows: list[GraphObject], params: dict[str, Any]) -> GraphObject:
        limit = min(int(params.get("limit") or DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
        after = params.get("after")
        start = int(base64.b64decode(after).decode()) if after else 0
        page = rows[start : start + limit]
        body: GraphObject = {"data": page}
        if rows:
            body["paging"] = {
                "cursors": {
                    "before": base64.b64encode(str(start).encode()).decode(),
                    "after": base64.b64encode(str(start + len(page)).encode()).decode(),
                }
            }
            if start + limit < len(rows):
                query = {k: v for k, v in params.items() if k != "access_token"}
                query["after"] = body["paging"]["cursors"]["after"]
                encoded = {k: v if isinstance(v, str) else json.dumps(v) for k, v in query.items()}
                host, port = str(self.server.server_address[0]), self.server.server_address[1]
                path = urlsplit(self.path).path
                body["paging"]["next"] = f"http://{host}:{port}{path}?{urlencode(encoded)}"
        return body

    def _media(self, relative: str) -> None:
        state = self.server.state
        root = state.catalog.world_dir.resolve()
        target = (root / relative).resolve()
        if state.faults.take_media_failure():
            self._send(500, b"temporarily unavailable", "text/plain", {})
            return
        if root not in target.parents or not target.is_file():
            self._send(404, b"not found", "text/plain", {})
            return
        kind = "video/mp4" if target.suffix == ".mp4" else "image/png"
        self._send(200, target.read_bytes(), kind, {})

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")


class GraphApiHttpServer(ThreadingHTTPServer):
    """The HTTP server with the shared state attached."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: GraphApiState) -> None:
        super().__init__(address, GraphApiHandler)
        self.state = state


class GraphApiServer:
    """The stand-in for one world, on 127.0.0.1; a context manager that serves in a thread.

    ``url`` is what ``META_GRAPH_URL`` should be; ``faults`` switches misbehaviour on.
    """

    def __init__(
        self,
        catalog: Catalog,
        port: int = 0,
        token: str = DEFAULT_TOKEN,
        faults: Faults | None = None,
    ) -> None:
        self.faults = faults or Faults()
        self.state = GraphApiState(catalog, token, self.faults)
        self._httpd = GraphApiHttpServer(("127.0.0.1", port), self.state)
        self._thread: threading.Thread | None = None

    @classmethod
    def for_world_dir(
        cls, world_dir: Path, port: int = 0, token: str = DEFAULT_TOKEN
    ) -> GraphApiServer:
        """A stand-in serving a world written by ``aelp world generate``."""
        from aelp.world import read_world
        from aelp.world.graph_api.catalog import build_catalog

        world = read_world(world_dir)
        return cls(build_catalog(world.tables, Path(world_dir)), port=port, token=token)

    @property
    def port(self) -> int:
        """The bound port (an ephemeral one when 0 was asked for)."""
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Base URL to use in place of ``https://graph.facebook.com``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, unversioned path) of every API call served so far."""
        return self.state.requests

    def start(self) -> GraphApiServer:
        """Serve in a daemon thread."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="graph-api-stand-in", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted."""
        self._httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> GraphApiServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
