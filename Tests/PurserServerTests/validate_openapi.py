#!/usr/bin/env python3
"""Checks recorded HTTP exchanges against an OpenAPI 3.1 document.

Usage: python3 validate_openapi.py SPEC EXCHANGES.jsonl [MINIMUM]

First validates SPEC itself (openapi_spec_validator). Then, for every line of EXCHANGES.jsonl,
an object

    {"method": "GET", "path": "/v1/runs/{id}", "status": 200,
     "contentType": "application/json", "body": "...",
     "headers": {"Location": "..."},                          (optional)
     "request": {"contentType": "application/json", "body": "..."},   (optional)
     "response": "NotFound"}                                  (optional)

it finds the operation (`path` is the path template as the document spells it) and its response
for the status (exact, then `4XX`-style ranges, then `default`), checks that the content type is
declared, and validates the body against the media type's schema with OAS31Validator (JSON bodies;
`text/event-stream` bodies event by event against the media type's `x-purser-events` map). Every
`$ref` resolves against the whole document.

`response` names a `components.responses` entry to check an exchange against instead of an
operation: for requests the document has no operation for (an unknown route, a method a path does
not take). Such an exchange must really have no operation: its path (a template or a concrete path)
must match no path of the document when the response declares no `Allow` header (404), and must
match one that does not declare the method when it does (405), with `Allow` naming exactly the
methods the document declares for that path. `request` is the body that was sent: it must satisfy
the operation's request body schema when the server accepted it (2xx), and must not when the server
refused its shape (400 with a code such as `unknown_field` or `wrong_type`), so the document is as
strict as the server. `headers` are checked against the response's headers: required ones must be
there, and every declared one must match its schema. A problem document's `status` must be the HTTP
status and its `type` must be `https://purser.dev/problems/` followed by its `code`.

Prints every failure with method, path, status and the validator's message. Exits 1 when any
exchange failed, when an exchange matched no operation or status, or when fewer than MINIMUM
exchanges were checked; 0 otherwise.
"""

import json
import sys
from urllib.parse import quote

from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE_URI = "urn:purser:openapi"
PROBLEM_TYPE = "https://purser.dev/problems/"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Problem codes that mean "the body's shape is wrong": the request schema must refuse such a body too.
SHAPE_CODES = {"unknown_field", "wrong_type", "missing_field", "out_of_range"}


def pointer_token(token):
    return quote(str(token).replace("~", "~0").replace("/", "~1"), safe="")


def pointer(*tokens):
    return "/" + "/".join(pointer_token(t) for t in tokens)


class Checker:
    def __init__(self, spec):
        self.spec = spec
        resource = Resource.from_contents(spec, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(BASE_URI, resource)
        self.validators = {}

    def resolve(self, node, where):
        """Follows local `$ref`s of OpenAPI objects (responses, parameters); returns (node, pointer)."""
        seen = set()
        while isinstance(node, dict) and "$ref" in node:
            target = node["$ref"]
            if not target.startswith("#/") or target in seen:
                raise ValueError(f"cannot resolve {target!r} at {where}")
            seen.add(target)
            where = target[1:]
            node = self.spec
            for token in where.split("/")[1:]:
                node = node[token.replace("~1", "/").replace("~0", "~")]
        return node, where

    def errors(self, instance, schema_pointer):
        """The validation errors of `instance` against the schema at `schema_pointer` in the document."""
        validator = self.validators.get(schema_pointer)
        if validator is None:
            validator = OAS31Validator(
                {"$ref": BASE_URI + "#" + schema_pointer},
                registry=self.registry,
                format_checker=OAS31Validator.FORMAT_CHECKER,
            )
            self.validators[schema_pointer] = validator
        found = sorted(validator.iter_errors(instance), key=lambda e: (list(e.absolute_path), e.message))
        messages = []
        for error in found:
            messages.append(f"at {error.json_path}: {error.message}"[:600])
            for sub in sorted(error.context or [], key=lambda e: list(e.absolute_path))[:6]:
                messages.append(f"    ({'/'.join(map(str, sub.absolute_schema_path))}) at {sub.json_path}: {sub.message}"[:400])
        return messages


def media_type(value):
    return (value or "").split(";")[0].strip().lower()


def find_media(content, content_type):
    wanted = media_type(content_type)
    for key in content:
        declared = media_type(key)
        if declared == wanted:
            return key
        if declared.endswith("/*") and wanted.startswith(declared[:-1]):
            return key
        if declared == "*/*":
            return key
    return None


def parse_events(text):
    """Server-Sent Events: (id, event, data) per blank-line separated block."""
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        if not block.strip():
            continue
        event = {"id": None, "event": "message", "data": []}
        for line in block.split("\n"):
            if line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            if value.startswith(" "):
                value = value[1:]
            if name == "data":
                event["data"].append(value)
            elif name in ("id", "event"):
                event[name] = value
        events.append((event["id"], event["event"], "\n".join(event["data"])))
    return events


def check_body(checker, content, media_key, where, exchange):
    """Failure messages for the exchange's body against the media type at content[media_key]."""
    media = content[media_key]
    media_pointer = where + pointer("content", media_key)
    body = exchange.get("body") or ""
    kind = media_type(media_key)
    failures = []
    if kind == "application/json" or kind.endswith("+json"):
        try:
            instance = json.loads(body)
        except ValueError as error:
            return [f"the body is not JSON ({error}): {body[:200]!r}"]
        if "schema" in media:
            failures += checker.errors(instance, media_pointer + "/schema")
    elif kind == "text/event-stream":
        schemas = media.get("x-purser-events")
        events = parse_events(body)
        if not events:
            failures.append("the event stream has no events")
        for index, (event_id, name, data) in enumerate(events, start=1):
            if event_id != str(index):
                failures.append(f"event {index} ({name}) has id {event_id!r}, expected {index}")
            if schemas is None:
                continue
            if name not in schemas:
                failures.append(f"event {index} is named {name!r}, which x-purser-events does not declare")
                continue
            try:
                instance = json.loads(data)
            except ValueError as error:
                failures.append(f"event {index} ({name}): data is not JSON ({error}): {data[:200]!r}")
                continue
            for message in checker.errors(instance, media_pointer + pointer("x-purser-events", name)):
                failures.append(f"event {index} ({name}) {message}")
    elif "schema" in media and media["schema"].get("type") == "string":
        pass  # text: any string
    return failures


def check_headers(checker, response, where, exchange):
    """Failure messages for the exchange's headers against the response's declared headers."""
    sent = {k.lower(): v for k, v in (exchange.get("headers") or {}).items()}
    failures = []
    for name, header in (response.get("headers") or {}).items():
        header, header_where = checker.resolve(header, where + pointer("headers", name))
        value = sent.get(name.lower())
        if value is None:
            if header.get("required"):
                failures.append(f"the required header {name} is missing")
            continue
        schema = header.get("schema")
        if schema is None:
            continue
        instance = value
        if schema.get("type") == "integer":
            if not value.strip().isdigit():
                failures.append(f"header {name}: {value!r} is not an integer")
                continue
            instance = int(value.strip())
        for message in checker.errors(instance, header_where + "/schema"):
            failures.append(f"header {name} {value!r}: {message}")
    return failures


def template_matches(template, path):
    """Whether a concrete path (or the template itself) matches a path template of the document."""
    if template == path:
        return True
    wanted = path.split("?", 1)[0].strip("/").split("/")
    parts = template.strip("/").split("/")
    if len(wanted) != len(parts):
        return False
    return all(p == w or (p.startswith("{") and p.endswith("}") and w) for p, w in zip(parts, wanted))


def path_item_for(spec, path):
    """The document's path (template) a request path belongs to: the template itself, else a
    template whose literal segments match, preferring literal segments over parameters."""
    items = spec.get("paths", {})
    if path in items:
        return path
    matches = [t for t in items if template_matches(t, path)]
    if not matches:
        return None
    # Literal segments win over parameters, as in the server's router.
    return max(matches, key=lambda t: [not (p.startswith("{") and p.endswith("}")) for p in t.strip("/").split("/")])


def check_without_operation(checker, response, exchange):
    """An exchange checked against a shared response must have no operation of its own (see the doc)."""
    spec = checker.spec
    method = str(exchange.get("method", "")).lower()
    path = exchange.get("path", "")
    template = path_item_for(spec, path)
    allow = next((h for n, h in (response.get("headers") or {}).items() if n.lower() == "allow"), None)
    if template is None:
        if allow is not None:
            return [f"{exchange.get('response')} is for paths of the document, and {path!r} is none"]
        return []
    item = spec["paths"][template]
    declared = sorted(m.upper() for m in METHODS if m in item)
    if method in item:
        return [f"the document declares {method.upper()} {template}: check the exchange against that operation"]
    if allow is None:
        return [f"{path!r} is the document's path {template} (which takes {', '.join(declared)}): "
                f"{exchange.get('response')} is for paths the document does not have"]
    sent = {k.lower(): v for k, v in (exchange.get("headers") or {}).items()}
    value = sent.get("allow")
    if value is None:
        return []  # reported as a missing required header
    allowed = sorted(m.strip().upper() for m in value.split(",") if m.strip())
    if allowed != declared:
        return [f"Allow: {value!r}, but the document's {template} takes {', '.join(declared)}"]
    return []


def check_problem(body, status):
    """A problem document's standard members against the answer (see the doc)."""
    try:
        problem = json.loads(body)
    except ValueError:
        return []  # reported by the schema check
    if not isinstance(problem, dict):
        return []
    failures = []
    if problem.get("status") != status:
        failures.append(f"the problem's status is {problem.get('status')!r}, but the answer's is {status}")
    code = problem.get("code")
    if isinstance(code, str) and problem.get("type") != PROBLEM_TYPE + code:
        failures.append(f"the problem's type is {problem.get('type')!r}, not {PROBLEM_TYPE + code!r}")
    return failures


def check_request(checker, operation, where, exchange, response_code):
    """The request body against the operation's request body schema (see the module's doc)."""
    request = exchange.get("request")
    if not request or not request.get("contentType") or "requestBody" not in operation:
        return []
    body_spec, body_where = checker.resolve(operation["requestBody"], where + "/requestBody")
    content = body_spec.get("content", {})
    status = int(exchange["status"])
    key = find_media(content, request.get("contentType"))
    if 200 <= status < 300:
        if request.get("body", "") == "" and not body_spec.get("required", False):
            return []
        if key is None:
            return [f"the request's content type {request.get('contentType')!r} is not declared; declared: {sorted(content)}"]
    if key is None or "schema" not in content[key]:
        return []
    try:
        instance = json.loads(request.get("body", ""))
    except ValueError:
        return []
    errors = checker.errors(instance, body_where + pointer("content", key, "schema"))
    if 200 <= status < 300 and errors:
        return ["the server accepted a request body that the request schema refuses:"] + errors
    if status == 400 and response_code in SHAPE_CODES and not errors:
        return [f"the server refused the request body ({response_code}) but the request schema accepts it: {request.get('body', '')[:300]}"]
    return []


def check(checker, exchange, coverage):
    """Failure messages for one exchange (empty when it conforms)."""
    spec = checker.spec
    method = str(exchange.get("method", "")).lower()
    path = exchange.get("path", "")
    status = str(exchange.get("status", ""))
    if exchange.get("response"):
        name = exchange["response"]
        response = spec.get("components", {}).get("responses", {}).get(name)
        if response is None:
            return [f"components.responses has no {name!r}"]
        response, where = checker.resolve(response, pointer("components", "responses", name))
        operation = None
        failures = check_without_operation(checker, response, exchange)
        if failures:
            return failures
    else:
        item = spec.get("paths", {}).get(path)
        if item is None:
            return [f"the document has no path {path!r}"]
        operation = item.get(method)
        if operation is None:
            return [f"the document has no operation {method.upper()} {path}"]
        responses = operation.get("responses", {})
        op_pointer = pointer("paths", path, method)
        for key in (status, status[:1] + "XX", status[:1] + "xx", "default"):
            if key in responses:
                response, where = checker.resolve(responses[key], op_pointer + pointer("responses", key))
                coverage.add((method.upper(), path, key))
                break
        else:
            return [f"the operation declares no response {status} (declared: {', '.join(sorted(responses))})"]

    failures = []
    content = response.get("content") or {}
    body = exchange.get("body") or ""
    content_type = exchange.get("contentType")
    response_code = None
    if content:
        key = find_media(content, content_type)
        if key is None:
            failures.append(f"content type {content_type!r} is not declared; declared: {', '.join(sorted(content))}")
        else:
            failures += check_body(checker, content, key, where, exchange)
            if media_type(key) == "application/problem+json":
                failures += check_problem(body, int(exchange["status"]))
            if media_type(key).endswith("json"):
                try:
                    parsed = json.loads(body)
                    if isinstance(parsed, dict) and isinstance(parsed.get("code"), str):
                        response_code = parsed["code"]
                except ValueError:
                    pass
    elif body:
        failures.append(f"the response declares no content, but the body is {body[:200]!r}")
    failures += check_headers(checker, response, where, exchange)
    if operation is not None:
        failures += check_request(checker, operation, pointer("paths", path, method), exchange, response_code)
    return failures


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    spec_path, exchanges_path = argv[1], argv[2]
    minimum = int(argv[3]) if len(argv) == 4 else 0
    with open(spec_path, encoding="utf-8") as file:
        spec = json.load(file)
    try:
        validate_spec(spec)
    except Exception as error:  # noqa: BLE001 - any failure of the document is reported the same way
        print(f"FAIL the document {spec_path} is not a valid OpenAPI document: {error}")
        return 1
    if spec.get("openapi") != "3.1.0":
        print(f"FAIL the document is OpenAPI {spec.get('openapi')!r}, not 3.1.0")
        return 1

    checker = Checker(spec)
    coverage = set()
    checked = 0
    failed = 0
    with open(exchanges_path, encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                exchange = json.loads(line)
            except ValueError as error:
                print(f"FAIL line {number}: not JSON: {error}")
                failed += 1
                continue
            checked += 1
            label = f"{str(exchange.get('method', '?')).upper()} {exchange.get('path', '?')} {exchange.get('status', '?')}"
            try:
                failures = check(checker, exchange, coverage)
            except Exception as error:  # noqa: BLE001 - a broken exchange or document is a failure, not a crash
                failures = [f"could not be checked: {type(error).__name__}: {error}"]
            if failures:
                failed += 1
                print(f"FAIL {label} (line {number}):")
                for message in failures:
                    print(f"    {message}")

    operations = [
        (method.upper(), path)
        for path, item in spec.get("paths", {}).items()
        for method in METHODS
        if method in item
    ]
    untouched = [f"{m} {p}" for m, p in operations if not any(c[0] == m and c[1] == p for c in coverage)]
    print(f"checked {checked} exchanges against {len(operations)} operations: {failed} failed")
    if untouched:
        print("operations no exchange exercised: " + ", ".join(untouched))
    if checked < minimum:
        print(f"FAIL only {checked} exchanges were checked, fewer than the {minimum} expected")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
