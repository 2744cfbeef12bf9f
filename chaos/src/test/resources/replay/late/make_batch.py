#!/usr/bin/env python3
"""Writes batch.json.gz: batch-worker's recording for ProcessAndBrokerFailuresIT (late data).

Minutes 0..44 from 2024-03-01T00:00:00Z. Each minute has a line with 2 calls on time (2 and 3 s
into it) and, for minutes 0..43, a line with 2 late calls (55 and 56 s into it) placed after the
next minute's on-time line. A call is a SERVER span "run batch" and its CLIENT child "SELECT
batch" to PostgreSQL (db.system=postgresql, db.name=batch: the edge batch-worker ->
postgresql:batch). Run: python3 make_batch.py (writes next to itself; gzip mtime 0, so the
output is the same bytes every time).
"""
import gzip
import json
import os

START = 1709251200  # 2024-03-01T00:00:00Z
MINUTES = 45
calls = 0


def span_pair(second, millis):
    global calls
    calls += 1
    start = (START + second) * 10**9
    trace = "b%031x" % calls
    server = {
        "traceId": trace,
        "spanId": "b%015x" % calls,
        "name": "run batch",
        "kind": 2,
        "startTimeUnixNano": str(start),
        "endTimeUnixNano": str(start + millis * 10**6),
    }
    client = {
        "traceId": trace,
        "spanId": "c%015x" % calls,
        "parentSpanId": server["spanId"],
        "name": "SELECT batch",
        "kind": 3,
        "startTimeUnixNano": str(start + 10 * 10**6),
        "endTimeUnixNano": str(start + (millis - 10) * 10**6),
        "attributes": [
            {"key": "db.system", "value": {"stringValue": "postgresql"}},
            {"key": "db.name", "value": {"stringValue": "batch"}},
        ],
    }
    return [server, client]


def line(spans):
    resource = {"attributes": [{"key": "service.name", "value": {"stringValue": "batch-worker"}}]}
    request = {"resourceSpans": [{"resource": resource, "scopeSpans": [{"spans": spans}]}]}
    return json.dumps(request, separators=(",", ":")) + "\n"


lines = []
for minute in range(MINUTES):
    lines.append(line(span_pair(60 * minute + 2, 100) + span_pair(60 * minute + 3, 120)))
    if minute > 0:
        late = minute - 1
        lines.append(line(span_pair(60 * late + 55, 130) + span_pair(60 * late + 56, 90)))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "batch.json.gz")
with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
    out.write("".join(lines).encode())
