#!/usr/bin/env python3
"""Write sample-corpus/web/archive.warc.gz: a tiny WARC of invented pages for the WARC tests.

Each record is its own gzip member (as crawlers write them). The output is deterministic:
fixed record ids, fixed dates, gzip mtime 0. Run from the repository root:

    python3 tests/gold/make_warc.py
"""
import gzip
import io
import os

PAGE_ONE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>Orchard harvest starts early | Hillside Times</title>
<meta property="og:title" content="Orchard harvest starts early">
<meta property="og:site_name" content="Hillside Times">
<meta name="author" content="Greta Holm">
</head><body>
<nav><a href="/">Home</a> <a href="/farming">Farming</a></nav>
<article><h1>Orchard harvest starts early</h1>
<p>Apple growers on the southern slopes began picking ten days earlier than usual this week after a warm and dry summer ripened the fruit ahead of schedule.</p>
<p>Pickers arrived from the coast on Monday. "We had to call everyone back from their holidays," said grower Piet Maas, who farms twelve hectares above the village.</p>
<p>The cooperative expects a smaller but sweeter crop and will open its cider press to members on Saturday.</p>
</article></body></html>
"""

PAGE_TWO = """<!DOCTYPE html>
<html><head><meta charset="iso-8859-1">
<title>Caf\u00e9 owners protest parking rules</title></head><body>
<h1>Caf\u00e9 owners protest parking rules</h1>
<p class="byline">By Rafael Costa</p>
<p>Owners of six caf\u00e9s on the seafront handed a petition to the town council on Wednesday, saying the new two-hour parking limit is driving customers away from the promenade.</p>
<p>The council said it would review the rules after the summer season and publish the number of parking tickets issued since the limit began.</p>
</body></html>
"""

RECORDS = []


def record(warc_type, uri, content_type, date, block, n):
    head = (
        "WARC/1.0\r\n"
        f"WARC-Type: {warc_type}\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{n:012d}>\r\n"
        f"WARC-Date: {date}\r\n"
        + (f"WARC-Target-URI: {uri}\r\n" if uri else "")
        + f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode("ascii")
    return head + block + b"\r\n\r\n"


def http_response(status, content_type, body):
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode("ascii") + body


def main():
    date = "2021-09-02T06:30:00Z"
    records = [
        record("warcinfo", None, "application/warc-fields", date, b"software: make_warc.py\r\nformat: WARC File Format 1.0\r\n", 1),
        record("request", "https://hillside-times.example/2021/08/30/orchard-harvest", "application/http; msgtype=request", date,
               b"GET /2021/08/30/orchard-harvest HTTP/1.1\r\nHost: hillside-times.example\r\n\r\n", 2),
        record("response", "https://hillside-times.example/2021/08/30/orchard-harvest", "application/http; msgtype=response", date,
               http_response("200 OK", "text/html; charset=utf-8", PAGE_ONE.encode("utf-8")), 3),
        record("response", "https://hillside-times.example/logo.png", "application/http; msgtype=response", date,
               http_response("200 OK", "image/png", b"\x89PNG\r\n\x1a\n"), 4),
        record("response", "https://hillside-times.example/missing", "application/http; msgtype=response", date,
               http_response("404 Not Found", "text/html", b"<html><body><p>Not found</p></body></html>"), 5),
        record("response", "https://seafront-news.example/parking-protest", "application/http; msgtype=response", date,
               http_response("200 OK", "text/html; charset=iso-8859-1", PAGE_TWO.encode("latin-1")), 6),
    ]
    out = io.BytesIO()
    for rec in records:
        out.write(gzip.compress(rec, mtime=0))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.path.join(root, "sample-corpus", "web", "archive.warc.gz")
    with open(path, "wb") as f:
        f.write(out.getvalue())
    print(f"wrote {path} ({len(records)} records)")


if __name__ == "__main__":
    main()
