#!/usr/bin/env python3
"""Measure morgue against tantivy-cli, SQLite FTS5 and ripgrep on one corpus; print summaries.

  measure.py corpus --name NAME --data DIR --morgue BIN [--latency BIN] [--tantivy BIN]
                    --out FILE.json [--runs R] [--query-runs Q] [--work DIR] [--cold-runs N]
      DIR holds articles/, articles.jsonl and manifest.json (written by gen.py). Measures, for
      each system: full index (wall time, articles/s, MB/s, peak RSS, index size against raw
      size) R times; for morgue also a re-index with nothing changed and with 1% of the files
      changed (R times each; the changed files are restored afterwards); then warm query latency
      (p50/p95/p99 over Q timed runs per query, after one warm-up run) over a fixed mix, for
      morgue both as one CLI process per query and in-process (BIN built from bench/latency.rs:
      the index opened once, the same requests through the library) and for SQLite both
      in-process (one connection) and as one `sqlite3` command per query. Writes everything to
      FILE.json. With --cold-runs N, also times each query N times just after emptying the
      page cache (below).

  measure.py cold --data DIR --morgue BIN [--tantivy BIN] --out FILE.json [--runs N] [--work DIR]
      The cold-cache pass alone, on a corpus `corpus` has measured (its indexes still in WORK):
      each query of the mix, for morgue (CLI), tantivy-cli, SQLite FTS5 (in-process and the
      sqlite3 command) and rg, N times (default 5), each call just after `sync` and
      `echo 3 > /proc/sys/vm/drop_caches` (root on Linux). Adds the medians to FILE.json.

  measure.py untouch --data DIR
      Undoes the 1% re-index run's appended lines in DIR/articles/ (for a run that was
      interrupted before restoring them) and checks the files add up to the manifest's size.

  measure.py sqlite-load --jsonl FILE --db FILE
      Loads articles.jsonl into SQLite the way sqlite-utils does (a table, then an FTS5 table
      with content= on title and body, filled from the table). Run under /usr/bin/time.

  measure.py summary FILE.json...
      Prints the tables (medians, ratios, target verdicts).

Medians are quoted everywhere; every single run is kept in the JSON.
"""

import argparse
import json
import os
import random
import re
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

TIME_BIN = "/usr/bin/time"

# Targets from the benchmark issue (not to be weakened).
TARGETS = {
    "index_speed_vs_tantivy": 0.8,  # morgue articles/s >= 0.8x tantivy-cli's
    "noop_reindex_share": 0.05,  # no-change re-index < 5% of a full index
    "facet_query_p50_ms": 5.0,  # query p50 < 5 ms with facets (at 100k)
    "speaker_vs_rg": 50.0,  # every quote by a speaker >= 50x faster than rg
    "index_rss_bytes": 1 << 30,  # peak RSS while indexing < 1 GiB
    "index_vs_raw": 0.8,  # index <= 0.8x raw text size
}


# The query mix, in the order the tables list it.
QUERIES = ("word", "phrase", "boolean", "date_range", "facets", "speaker_quotes")

# ------------------------------------------------------------------------------------------------
# helpers


def timed(cmd, stdin=None, cwd=None):
    """Run cmd under /usr/bin/time -v; return wall s, user+sys s, peak RSS bytes, stdout."""
    full = [TIME_BIN, "-v"] + cmd
    inp = open(stdin, "rb") if stdin else subprocess.DEVNULL
    try:
        t0 = time.perf_counter()
        p = subprocess.run(full, stdin=inp, capture_output=True, cwd=cwd)
        wall = time.perf_counter() - t0
    finally:
        if stdin:
            inp.close()
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{err[-3000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) * 1024
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", err).group(1))
    sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", err).group(1))
    return {"wall_s": wall, "cpu_s": user + sys_, "peak_rss_bytes": rss}, p.stdout


def dir_size(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


def median(xs):
    return statistics.median(xs) if xs else None


def pct(xs, q):
    """Nearest-rank percentile (q in 0..100)."""
    if not xs:
        return None
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(round(q / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def latency_stats(samples_s):
    ms = [x * 1000.0 for x in samples_s]
    return {"n": len(ms), "p50_ms": pct(ms, 50), "p95_ms": pct(ms, 95), "p99_ms": pct(ms, 99),
            "min_ms": min(ms), "samples_ms": [round(x, 3) for x in ms]}


def summarise_runs(runs, articles, raw_bytes):
    wall = median([r["wall_s"] for r in runs])
    return {
        "runs": runs,
        "wall_s": wall,
        "cpu_s": median([r["cpu_s"] for r in runs]),
        "articles_per_s": articles / wall if wall else None,
        "mb_per_s": raw_bytes / 1e6 / wall if wall else None,
        "peak_rss_bytes": max(r["peak_rss_bytes"] for r in runs),
        "peak_rss_median_bytes": median([r["peak_rss_bytes"] for r in runs]),
    }


def git_head():
    p = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "src"],
                           capture_output=True).stdout.strip()
    return p.stdout.decode().strip() + ("+local changes in src" if dirty else "")


def tool_version(cmd):
    p = subprocess.run(cmd, capture_output=True)
    return (p.stdout or p.stderr).decode("utf-8", "replace").splitlines()[0:1]


def log(msg):
    print(f"[measure {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------
# indexing


def morgue_index(morgue, idx, articles, fresh):
    if fresh and os.path.exists(idx):
        shutil.rmtree(idx)
    res, out = timed([morgue, "--index", idx, "index", articles, "--format", "json"])
    try:
        res["summary"] = json.loads(out)
    except ValueError:
        res["summary"] = out.decode("utf-8", "replace")[-2000:]
    return res


TANTIVY_META = {
    "index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
    "segments": [],
    "schema": [
        {"name": "title", "type": "text", "options": {
            "indexing": {"record": "position", "fieldnorms": True, "tokenizer": "default"},
            "stored": True, "fast": False}},
        {"name": "body", "type": "text", "options": {
            "indexing": {"record": "position", "fieldnorms": True, "tokenizer": "default"},
            "stored": False, "fast": False}},
        {"name": "date", "type": "date", "options": {
            "indexed": True, "fieldnorms": False, "fast": True, "stored": True,
            "precision": "seconds"}},
    ],
    "opstamp": 0,
}


def tantivy_jsonl(data, work):
    """articles.jsonl projected to title, body, date (what tantivy-cli's schema holds)."""
    path = os.path.join(work, "tantivy-input.jsonl")
    src = os.path.join(data, "articles.jsonl")
    if os.path.exists(path) and os.path.getmtime(path) >= os.path.getmtime(src):
        return path
    with open(src, encoding="utf-8") as inp, open(path, "w", encoding="utf-8") as out:
        for line in inp:
            r = json.loads(line)
            doc = {"title": r["title"], "body": r["body"]}
            if r.get("date"):
                doc["date"] = r["date"]
            out.write(json.dumps(doc) + "\n")
    return path


def tantivy_index(tantivy, idx, jsonl):
    if os.path.exists(idx):
        shutil.rmtree(idx)
    os.makedirs(idx)
    with open(os.path.join(idx, "meta.json"), "w") as f:
        json.dump(TANTIVY_META, f)
    # -t: as many indexing threads as cores (its default is 1); memory: its default (1 GB).
    res, _ = timed([tantivy, "index", "-i", idx, "-t", str(os.cpu_count() or 1)], stdin=jsonl)
    return res


def sqlite_load(jsonl, db):
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, path TEXT, title TEXT, "
                "author TEXT, date TEXT, body TEXT)")
    with open(jsonl, encoding="utf-8") as f:
        rows = ((r["path"], r["title"], r["author"], r["date"], r["body"])
                for r in map(json.loads, f))
        con.executemany("INSERT INTO articles (path, title, author, date, body) "
                        "VALUES (?, ?, ?, ?, ?)", rows)
    con.commit()
    # sqlite-utils enable-fts: an external-content FTS5 table filled from the table.
    con.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, "
                "content=[articles], content_rowid=[id])")
    con.execute("INSERT INTO articles_fts (rowid, title, body) "
                "SELECT id, title, body FROM articles")
    con.execute("CREATE INDEX articles_date ON articles(date)")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


TOUCH_LINE = "\nThe article was updated to correct a detail (revision {}).\n"
TOUCH_TAIL = re.compile(
    rb"(?:\nThe article was updated to correct a detail \(revision \d+\)\.\n)+\Z")
TOUCH_MARK = "touched"


def article_files(articles):
    files = []
    for root, _, names in os.walk(articles):
        for n in names:
            files.append(os.path.join(root, n))
    files.sort()
    return files


# Files that stay valid with a paragraph appended (not JSON, JSONL, gzip or WARC).
APPENDABLE = (".txt", ".text", ".md", ".markdown", ".html", ".htm")


def touch_one_percent(articles, round_no):
    """Append a paragraph to 1% of the files (a different 1% each round), drawn from the files
    that stay valid with a paragraph appended."""
    files = article_files(articles)
    appendable = [p for p in files if p.endswith(APPENDABLE)]
    rng = random.Random(1000 + round_no)
    chosen = rng.sample(appendable, min(len(appendable), max(1, len(files) // 100)))
    # Marks the corpus as changed until untouch() has restored it (bench/run checks the mark).
    with open(os.path.join(os.path.dirname(articles), TOUCH_MARK), "w") as f:
        f.write("files were changed by the 1% re-index run\n")
    for p in chosen:
        with open(p, "a", encoding="utf-8") as f:
            f.write(TOUCH_LINE.format(round_no))
    return len(chosen)


def untouch(data):
    """Strip the lines touch_one_percent appended; True if the files then add up to the
    manifest's byte count (the corpus is as generated), and the mark is removed."""
    articles = os.path.join(data, "articles")
    with open(os.path.join(data, "manifest.json")) as f:
        manifest = json.load(f)
    restored, total = 0, 0
    for p in article_files(articles):
        with open(p, "rb") as f:
            b = f.read()
        m = TOUCH_TAIL.search(b)
        if m:
            b = b[:m.start()]
            with open(p, "wb") as f:
                f.write(b)
            restored += 1
        total += len(b)
    ok = total == manifest["raw_bytes"]
    if ok:
        mark = os.path.join(data, TOUCH_MARK)
        if os.path.exists(mark):
            os.remove(mark)
    log(f"{data}: {restored} files restored; {total:,} bytes "
        f"({'as generated' if ok else 'expected %s' % format(manifest['raw_bytes'], ',')})")
    return ok


# ------------------------------------------------------------------------------------------------
# queries


def query_mix(manifest, data, morgue, idx):
    """The fixed mix: one word, phrase, boolean, date range, facets, every quote by a speaker."""
    q = manifest.get("queries")
    if q:
        speaker = manifest["speakers"]["5"]
        word, phrase = q["word"], q["phrase"]
        a, b, c = q["words2"]
        dword, dfrom, dto = q["date_word"], q["from"], q["to"]
    else:
        # Real corpora: generic news words; dates = the middle half of the corpus's months;
        # the speaker = the most quoted one in morgue's own index.
        word, phrase, a, b, c, dword = ("government", '"prime minister"', "oil", "gas",
                                        "prices", "minister")
        dates = []
        with open(os.path.join(data, "articles.jsonl"), encoding="utf-8") as f:
            for line in f:
                d = json.loads(line).get("date")
                if d:
                    dates.append(d[:10])
        dates.sort()
        dfrom, dto = dates[len(dates) // 4], dates[3 * len(dates) // 4]
        out = subprocess.run([morgue, "--index", idx, "speakers", "--limit", "1",
                              "--format", "json"], capture_output=True, check=True).stdout
        speaker = extract_speaker(json.loads(out))
    last = speaker.split()[-1]
    year_from, year_to = dfrom[:4], dto[:4]
    ts_from = dfrom if len(dfrom) == 10 else f"{dfrom}-01-01"
    ts_to = dto if len(dto) == 10 else f"{dto}-12-31"
    return {
        "speaker": speaker, "word": word, "phrase": phrase, "bool": [a, b, c],
        "date": [dword, dfrom, dto, ts_from, ts_to], "last": last,
        "years": [year_from, year_to],
    }


def extract_speaker(js):
    """The first speaker's name from `morgue speakers --format json` (shape-tolerant)."""
    items = js
    if isinstance(js, dict):
        for k in ("speakers", "results", "items"):
            if k in js:
                items = js[k]
                break
    first = items[0]
    if isinstance(first, str):
        return first
    for k in ("speaker", "name", "canonical"):
        if k in first:
            return first[k]
    raise ValueError(f"cannot find a speaker name in {first!r}")


def morgue_queries(morgue, idx, m):
    base = [morgue, "--index", idx]
    s = ["search", "--format", "json", "--limit", "10"]
    a, b, c = m["bool"]
    dword, dfrom, dto = m["date"][:3]
    return {
        "word": base + s + [m["word"]],
        "phrase": base + s + [m["phrase"]],
        "boolean": base + s + [f"({a} OR {b}) AND {c}"],
        "date_range": base + s + [dword, "--from", dfrom, "--to", dto],
        "facets": base + s + ["--facets", "20", m["word"]],
        "speaker_quotes": base + ["quotes", "--speaker", m["speaker"], "--limit", "100000",
                                  "--format", "jsonl"],
    }


def tantivy_queries(tantivy, idx, m):
    base = [tantivy, "search", "-i", idx, "-q"]
    a, b, c = m["bool"]
    dword, _, _, ts_from, ts_to = m["date"]
    name = m["speaker"]
    return {
        "word": base + [m["word"]],
        "phrase": base + [m["phrase"]],
        "boolean": base + [f"({a} OR {b}) AND {c}"],
        "date_range": base + [f"{dword} AND date:[{ts_from}T00:00:00Z TO {ts_to}T23:59:59Z]"],
        # Facet counts as an aggregation (-a): a date histogram by 365 days (no author field).
        "facets": base + [m["word"], "-a", json.dumps(
            {"years": {"date_histogram": {"field": "date", "fixed_interval": "365d"}}})],
        # No facet counts and no quote extraction in tantivy-cli: the speaker row finds the
        # documents with the name next to "said" (documents, not quotes).
        "speaker_quotes~docs": base + [f'"{name} said" OR "said {name}"'],
    }


def rg_queries(articles, m):
    return {
        "word": ["rg", "-c", "-w", "-i", m["word"], articles],
        "phrase": ["rg", "-c", "-i", "-F", m["phrase"].strip('"'), articles],
        "speaker_quotes": ["rg", "-o", "-N", "--no-filename", speaker_pattern(m), articles],
    }


def failed(p):
    """Whether a finished query process failed: rg exits 1 on no match and says nothing, but
    sqlite3 exits 1 on an error too and says why (and in the speaker pipe `sh` hands on rg's
    status, so an error of sqlite3 shows only on stderr)."""
    return p.returncode not in (0, 1) or (p.returncode == 1 and p.stderr.strip() != b"")


def run_cli_queries(queries, runs):
    res = {}
    for name, cmd in queries.items():
        p = subprocess.run(cmd, capture_output=True)  # warm-up; keep the output size
        if failed(p):
            raise RuntimeError(f"{cmd} failed: {p.stderr.decode()[-2000:]}")
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            samples.append(time.perf_counter() - t0)
        st = latency_stats(samples)
        st["cmd"] = cmd
        st["output_bytes"] = len(p.stdout)
        st["output_lines"] = p.stdout.count(b"\n")
        res[name] = st
    return res


def run_inprocess_queries(latency, idx, m, runs):
    """The morgue mix through the library (bench/latency.rs): one process, index opened once."""
    a, b, c = m["bool"]
    dword, dfrom, dto = m["date"][:3]
    cmd = [latency, "--index", idx, "--word", m["word"], "--phrase", m["phrase"],
           "--boolean", f"({a} OR {b}) AND {c}", "--date-word", dword, "--from", dfrom,
           "--to", dto, "--speaker", m["speaker"], "--runs", str(runs)]
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {p.stderr.decode()[-2000:]}")
    rep = json.loads(p.stdout)
    res = {}
    for name, q in rep["queries"].items():
        st = latency_stats([x / 1000.0 for x in q["samples_ms"]])
        st["total"] = q["total"]
        st["output_bytes"] = q["output_bytes"]
        res[name] = st
    res["_open_ms"] = rep["open_ms"]
    res["_cmd"] = cmd
    return res


# The SQLite mix, one statement each, with `?` for the values (bound in-process, written out as
# literals for the sqlite3 command line).
SQL_TOP = ("SELECT a.id, a.title, a.date FROM articles_fts JOIN articles a ON a.id = "
           "articles_fts.rowid WHERE articles_fts MATCH ? ORDER BY rank LIMIT 10")
SQL_COUNT = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
SQL_FACETS = ("SELECT substr(a.date, 1, 4) y, count(*) FROM articles_fts JOIN articles a "
              "ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? GROUP BY y",
              "SELECT a.author, count(*) c FROM articles_fts JOIN articles a ON a.id = "
              "articles_fts.rowid WHERE articles_fts MATCH ? GROUP BY a.author "
              "ORDER BY c DESC LIMIT 20")
SQL_DATE_TOP = ("SELECT a.id, a.title, a.date FROM articles_fts JOIN articles a ON a.id = "
                "articles_fts.rowid WHERE articles_fts MATCH ? AND a.date BETWEEN ? AND ? "
                "ORDER BY rank LIMIT 10")
SQL_DATE_COUNT = ("SELECT count(*) FROM articles_fts JOIN articles a ON a.id = "
                  "articles_fts.rowid WHERE articles_fts MATCH ? AND a.date BETWEEN ? AND ?")
SQL_BODIES = ("SELECT a.body FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
              "WHERE articles_fts MATCH ?")


def sqlite_params(m):
    """The values bound into the mix's statements: the MATCH expression of each search (word,
    phrase, boolean), the date range's (MATCH, from, to) and the speaker's name as a phrase."""
    a, b, c = m["bool"]
    dword, _, _, ts_from, ts_to = m["date"]
    return {"word": m["word"], "phrase": m["phrase"], "boolean": f"({a} OR {b}) AND {c}",
            "date": (dword, ts_from, ts_to + "T23:59:59Z"), "speaker": f'"{m["speaker"]}"'}


def speaker_pattern(m):
    """The quotes of the mix's speaker, as rg and the SQLite rows find them in raw text."""
    name, last = m["speaker"], m["last"]
    return f'"[^"]+,?" ({name}|{last}) said|said ({name}|{last})'


def sqlite_mix(con, m):
    """The mix as SQLite queries on the connection `con`: query name -> a call that runs it."""
    v = sqlite_params(m)
    quote_re = re.compile(speaker_pattern({"speaker": re.escape(m["speaker"]),
                                           "last": re.escape(m["last"])}))

    def search(match, extra=()):
        def f():
            rows = con.execute(SQL_TOP, (match,)).fetchall()
            n = con.execute(SQL_COUNT, (match,)).fetchone()[0]
            for sql in extra:
                con.execute(sql, (match,)).fetchall()
            return len(rows), n
        return f

    def date_range():
        rows = con.execute(SQL_DATE_TOP, v["date"]).fetchall()
        n = con.execute(SQL_DATE_COUNT, v["date"]).fetchone()[0]
        return len(rows), n

    def speaker():
        # FTS finds the articles naming the speaker; a regex pulls the quotes out of them.
        rows = con.execute(SQL_BODIES, (v["speaker"],)).fetchall()
        return len(rows), sum(len(quote_re.findall(r[0])) for r in rows)

    return {
        "word": search(v["word"]),
        "phrase": search(v["phrase"]),
        "boolean": search(v["boolean"]),
        "date_range": date_range,
        "facets": search(v["word"], SQL_FACETS),
        "speaker_quotes": speaker,
    }


def sql_bind(sql, values):
    """`sql` with each `?` replaced by the next value as an SQL string literal."""
    parts = sql.split("?")
    assert len(parts) == len(values) + 1, sql
    out = parts[0]
    for value, rest in zip(values, parts[1:]):
        out += "'" + value.replace("'", "''") + "'" + rest
    return out


def sqlite_cli_queries(db, m):
    """The same mix through the sqlite3 command line, one process per query (its statements
    joined by `;`), as a user at a shell would run it; the speaker's quotes are the articles
    naming them piped through rg with the pattern rg uses on the files."""
    v = sqlite_params(m)

    def cli(*stmts):
        return ["sqlite3", db, "; ".join(stmts)]

    def search(match, extra=()):
        return cli(*(sql_bind(q, [match]) for q in (SQL_TOP, SQL_COUNT) + tuple(extra)))

    bodies = shlex.join(["sqlite3", db, sql_bind(SQL_BODIES, [v["speaker"]])])
    rg = shlex.join(["rg", "-o", "-N", speaker_pattern(m)])
    return {
        "word": search(v["word"]),
        "phrase": search(v["phrase"]),
        "boolean": search(v["boolean"]),
        "date_range": cli(sql_bind(SQL_DATE_TOP, v["date"]), sql_bind(SQL_DATE_COUNT, v["date"])),
        "facets": search(v["word"], SQL_FACETS),
        "speaker_quotes": ["sh", "-c", f"{bodies} | {rg}"],
    }


def sqlite_queries(db, m, runs):
    """The mix in SQLite, each query once and then `runs` timed times, on one connection."""
    con = sqlite3.connect(db)
    res = {}
    for qname, f in sqlite_mix(con, m).items():
        out = f()
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            f()
            samples.append(time.perf_counter() - t0)
        st = latency_stats(samples)
        st["result"] = list(out)
        res[qname] = st
    con.close()
    return res


# ------------------------------------------------------------------------------------------------
# cold cache

DROP_CACHES = "/proc/sys/vm/drop_caches"


def can_drop_caches():
    """Whether this process may empty the page cache (tried once: root alone is not enough in
    a container without CAP_SYS_ADMIN)."""
    try:
        drop_caches()
        return True
    except OSError:
        return False


def drop_caches():
    """Empty the kernel's page cache (root only): the next read of any file comes from disk."""
    os.sync()
    with open(DROP_CACHES, "w") as f:
        f.write("3\n")


def cold_stats(samples_s):
    xs = sorted(samples_s)
    return {"median_ms": median(xs) * 1e3, "min_ms": xs[0] * 1e3, "max_ms": xs[-1] * 1e3,
            "samples_ms": [x * 1e3 for x in samples_s]}


def run_cold(data, work, morgue, tantivy, m, runs):
    """Each query of the mix once after emptying the page cache, `runs` times: the first query
    after a reboot, or after the archive has been pushed out of memory. Every system pays for
    reading its own program and index (or, for rg, the articles) back from disk."""
    articles = os.path.join(data, "articles")
    systems = {"morgue": morgue_queries(morgue, os.path.join(work, "morgue-index"), m),
               "rg": rg_queries(articles, m)}
    if tantivy:
        systems["tantivy"] = tantivy_queries(tantivy, os.path.join(work, "tantivy-index"), m)
    db = os.path.join(work, "fts5.db")
    if os.path.exists(db) and shutil.which("sqlite3"):
        systems["sqlite_cli"] = sqlite_cli_queries(db, m)
    elif os.path.exists(db):
        log("cold: no sqlite3 command: its column is left out")
    res = {}
    for sname, queries in systems.items():
        res[sname] = {}
        for qname, cmd in queries.items():
            samples = []
            for _ in range(runs):
                drop_caches()
                t0 = time.perf_counter()
                p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                samples.append(time.perf_counter() - t0)
                if failed(p):
                    raise RuntimeError(f"{cmd} failed: {p.stderr.decode()[-2000:]}")
            st = cold_stats(samples)
            st["cmd"] = cmd
            res[sname][qname] = st
            log(f"cold {sname} {qname}: median {st['median_ms']:.1f} ms")
    # SQLite: a new connection after each drop, in this process (Python itself stays loaded).
    if os.path.exists(db):
        res["sqlite"] = {}
        for qname in QUERIES:
            samples = []
            for _ in range(runs):
                drop_caches()
                t0 = time.perf_counter()
                con = sqlite3.connect(db)
                sqlite_mix(con, m)[qname]()
                con.close()
                samples.append(time.perf_counter() - t0)
            res["sqlite"][qname] = cold_stats(samples)
            log(f"cold sqlite {qname}: median {res['sqlite'][qname]['median_ms']:.1f} ms")
    return res


def run_cold_only(args):
    """`measure.py cold`: the cold-cache pass on a corpus that `corpus` has measured (its
    indexes are still in WORK), added to that corpus's results file."""
    if not can_drop_caches():
        sys.exit(f"measure.py cold: cannot write {DROP_CACHES} (needs root on Linux, with "
                 "CAP_SYS_ADMIN)")
    data = os.path.abspath(args.data)
    work = os.path.abspath(args.work or os.path.join(data, "work"))
    with open(args.out) as f:
        out = json.load(f)
    m = out["query_mix"]
    out["cold"] = run_cold(data, work, args.morgue, args.tantivy, m, args.runs)
    out["cold_runs"] = args.runs
    out["cold_commit"] = git_head()
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)


# ------------------------------------------------------------------------------------------------
# one corpus


def run_corpus(args):
    data = os.path.abspath(args.data)
    work = os.path.abspath(args.work or os.path.join(data, "work"))
    os.makedirs(work, exist_ok=True)
    articles = os.path.join(data, "articles")
    with open(os.path.join(data, "manifest.json")) as f:
        manifest = json.load(f)
    files, raw = manifest["files"], manifest["raw_bytes"]
    # Containers (JSONL, WARC) hold many articles a file: rates are per article.
    n_articles = manifest.get("articles", files)
    text = manifest.get("text_bytes")
    out = {"name": args.name, "files": files, "articles": n_articles, "raw_bytes": raw,
           "text_bytes": text, "manifest": manifest,
           "runs": args.runs, "query_runs": args.query_runs, "started": time.time(),
           "morgue_commit": git_head(), "morgue_version": tool_version([args.morgue, "--version"]),
           "tantivy_cli": args.tantivy and tool_version([args.tantivy, "--version"]),
           "rg_version": tool_version(["rg", "--version"]),
           "sqlite_version": sqlite3.sqlite_version, "nproc": os.cpu_count()}

    def save():
        with open(args.out, "w") as f:
            json.dump(out, f, indent=1)

    # morgue: full index, R times.
    midx = os.path.join(work, "morgue-index")
    runs = []
    for i in range(args.runs):
        log(f"{args.name}: morgue full index {i + 1}/{args.runs}")
        runs.append(morgue_index(args.morgue, midx, articles, fresh=True))
    full = summarise_runs(runs, n_articles, raw)
    full["index_bytes"] = dir_size(midx)
    full["index_vs_raw"] = full["index_bytes"] / raw
    if text:
        full["index_vs_text"] = full["index_bytes"] / text
    out["morgue"] = {"full": full}
    save()

    # morgue: re-index with nothing changed.
    runs = []
    for i in range(args.runs):
        log(f"{args.name}: morgue no-change re-index {i + 1}/{args.runs}")
        runs.append(morgue_index(args.morgue, midx, articles, fresh=False))
    noop = summarise_runs(runs, n_articles, raw)
    noop["share_of_full"] = noop["wall_s"] / full["wall_s"]
    out["morgue"]["noop_reindex"] = noop
    save()

    # morgue: re-index with 1% of the files changed (a different 1% each run).
    if not args.no_change_run:
        runs = []
        for i in range(args.runs):
            n = touch_one_percent(articles, i)
            log(f"{args.name}: morgue 1% re-index {i + 1}/{args.runs} ({n} files changed)")
            r = morgue_index(args.morgue, midx, articles, fresh=False)
            r["files_changed"] = n
            runs.append(r)
        one = summarise_runs(runs, n_articles, raw)
        one["share_of_full"] = one["wall_s"] / full["wall_s"]
        out["morgue"]["one_percent_reindex"] = one
        out["morgue"]["index_bytes_after_updates"] = dir_size(midx)
        save()
        if not untouch(data):
            raise RuntimeError(f"{data}: could not restore the files the 1% run changed")

    # tantivy-cli
    tidx = os.path.join(work, "tantivy-index")
    if args.tantivy:
        jsonl = tantivy_jsonl(data, work)
        runs = []
        for i in range(args.runs):
            log(f"{args.name}: tantivy-cli index {i + 1}/{args.runs}")
            runs.append(tantivy_index(args.tantivy, tidx, jsonl))
        t = summarise_runs(runs, n_articles, raw)
        t["index_bytes"] = dir_size(tidx)
        t["index_vs_raw"] = t["index_bytes"] / raw
        if text:
            t["index_vs_text"] = t["index_bytes"] / text
        t["input_jsonl_bytes"] = os.path.getsize(jsonl)
        out["tantivy"] = {"full": t}
        save()

    # SQLite FTS5
    db = os.path.join(work, "fts5.db")
    runs = []
    for i in range(args.runs):
        log(f"{args.name}: SQLite FTS5 load {i + 1}/{args.runs}")
        r, _ = timed([sys.executable, os.path.abspath(__file__), "sqlite-load", "--jsonl",
                      os.path.join(data, "articles.jsonl"), "--db", db])
        runs.append(r)
    s = summarise_runs(runs, n_articles, raw)
    s["index_bytes"] = os.path.getsize(db)
    s["index_vs_raw"] = s["index_bytes"] / raw
    if text:
        s["index_vs_text"] = s["index_bytes"] / text
    s["note"] = "the database holds the table (with the text) and the FTS5 index"
    out["sqlite"] = {"full": s}
    save()

    # queries (warm: each has run once before timing)
    m = query_mix(manifest, data, args.morgue, midx)
    out["query_mix"] = m
    log(f"{args.name}: queries (speaker {m['speaker']!r})")
    out["morgue"]["queries"] = run_cli_queries(morgue_queries(args.morgue, midx, m),
                                               args.query_runs)
    save()
    if args.latency:
        out["morgue"]["queries_inprocess"] = run_inprocess_queries(args.latency, midx, m,
                                                                   args.query_runs)
        save()
    if args.tantivy:
        out["tantivy"]["queries"] = run_cli_queries(tantivy_queries(args.tantivy, tidx, m),
                                                    args.query_runs)
        save()
    out["sqlite"]["queries"] = sqlite_queries(db, m, args.query_runs)
    save()
    if shutil.which("sqlite3"):
        out["sqlite"]["queries_cli"] = run_cli_queries(sqlite_cli_queries(db, m),
                                                       args.query_runs)
        out["sqlite3_cli_version"] = tool_version(["sqlite3", "--version"])
        save()
    else:
        log(f"{args.name}: no sqlite3 command: its row is left out")
    out["rg"] = {"queries": run_cli_queries(rg_queries(articles, m), args.query_runs)}
    save()
    if args.cold_runs:
        if can_drop_caches():
            out["cold"] = run_cold(data, work, args.morgue, args.tantivy, m, args.cold_runs)
            out["cold_runs"] = args.cold_runs
        else:
            log(f"{args.name}: no cold-cache pass: cannot write {DROP_CACHES} (needs root)")
    out["finished"] = time.time()
    save()
    log(f"{args.name}: done -> {args.out}")


# ------------------------------------------------------------------------------------------------
# summary


def fmt(x, spec=".1f"):
    return "-" if x is None else format(x, spec)


def mb(b):
    return None if b is None else b / 1e6


def print_summary(paths):
    for p in paths:
        with open(p) as f:
            r = json.load(f)
        n = r.get("articles", r["files"])
        held = f"{n:,} articles in " if n != r["files"] else ""
        text = (f", {r['text_bytes'] / 1e6:.1f} MB of title and body text"
                if r.get("text_bytes") else "")
        print(f"\n## {r['name']}: {held}{r['files']:,} files, {r['raw_bytes'] / 1e6:.1f} MB raw "
              f"text{text} (medians of {r['runs']} runs; queries: {r['query_runs']} warm runs "
              "each)\n")
        with_text = bool(r.get("text_bytes"))
        print("| system | wall s | articles/s | MB/s | peak RSS MB | index MB | index/raw |"
              + (" index/text |" if with_text else ""))
        print("|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if with_text else ""))
        rows = [("morgue (full)", r.get("morgue", {}).get("full")),
                ("morgue (no change)", r.get("morgue", {}).get("noop_reindex")),
                ("morgue (1% changed)", r.get("morgue", {}).get("one_percent_reindex")),
                ("tantivy-cli 0.24", r.get("tantivy", {}).get("full")),
                ("SQLite FTS5", r.get("sqlite", {}).get("full"))]
        for name, x in rows:
            if not x:
                continue
            print(f"| {name} | {fmt(x['wall_s'], '.2f')} | {fmt(x['articles_per_s'], ',.0f')} | "
                  f"{fmt(x['mb_per_s'])} | {fmt(mb(x['peak_rss_bytes']), '.0f')} | "
                  f"{fmt(mb(x.get('index_bytes')), '.1f')} | "
                  f"{fmt(x.get('index_vs_raw'), '.2f')} |"
                  + (f" {fmt(x.get('index_vs_text'), '.2f')} |" if with_text else ""))
        mq = r.get("morgue", {}).get("queries", {})
        mi = r.get("morgue", {}).get("queries_inprocess", {})
        # (column, queries, the morgue column its ratio is taken against)
        systems = [("morgue CLI", mq, None), ("morgue in-process", mi, None),
                   ("tantivy-cli", r.get("tantivy", {}).get("queries", {}), mq),
                   ("SQLite FTS5 (in-process)", r.get("sqlite", {}).get("queries", {}),
                    mi or mq),
                   ("sqlite3 CLI", r.get("sqlite", {}).get("queries_cli", {}), mq),
                   ("rg", r.get("rg", {}).get("queries", {}), mq)]
        # Results files from before a system was measured have no column for it.
        systems = [s for s in systems
                   if s[1] or s[0] not in ("morgue in-process", "sqlite3 CLI")]
        print("\nQuery latency, ms (p50 / p95 / p99); ratio = system p50 / morgue p50 "
              "(one process per query against the morgue CLI, in-process against morgue "
              "in-process)\n")
        print("| query | " + " | ".join(s for s, _, _ in systems) + " |")
        print("|---|" + "---:|" * len(systems))
        for qn in QUERIES:
            cells = []
            for sname, qs, base in systems:
                st = query_stats(qs, qn)
                if not st:
                    cells.append("n/a")
                    continue
                cell = f"{st['p50_ms']:.1f} / {st['p95_ms']:.1f} / {st['p99_ms']:.1f}"
                if qn not in qs:
                    cell += " (docs only)"
                if base and qn in base:
                    cell += f" ({st['p50_ms'] / base[qn]['p50_ms']:.2f}x)"
                cells.append(cell)
            print(f"| {qn} | " + " | ".join(cells) + " |")
        if "_open_ms" in mi:
            print(f"\nmorgue in-process: Store::open took {mi['_open_ms']:.1f} ms (once).")
        print_cold(r)
        print_targets(r)


def query_stats(qs, qn):
    """A system's figures for query `qn`, or for its stand-in `qn~docs` (tantivy-cli finds the
    documents of a speaker's quotes, not the quotes); None where it has neither."""
    return qs.get(qn) or qs.get(qn + "~docs")


def print_cold(r):
    cold = r.get("cold")
    if not cold:
        return
    print(f"\nCold cache, ms: median (min–max) of {r.get('cold_runs')} calls, each just after "
          "emptying the page cache; ratio = system median / morgue median\n")
    systems = [(s, label) for s, label in (("morgue", "morgue CLI"), ("tantivy", "tantivy-cli"),
                                            ("sqlite", "SQLite FTS5 (in-process)"),
                                            ("sqlite_cli", "sqlite3 CLI"), ("rg", "rg"))
               if s in cold]
    mq = cold.get("morgue", {})
    print("| query | " + " | ".join(label for _, label in systems) + " |")
    print("|---|" + "---:|" * len(systems))
    for qn in QUERIES:
        cells = []
        for s, _ in systems:
            st = query_stats(cold[s], qn)
            if not st:
                cells.append("n/a")
                continue
            cell = f"{st['median_ms']:.0f} ({st['min_ms']:.0f}–{st['max_ms']:.0f})"
            if qn not in cold[s]:
                cell += " (docs only)"
            if s != "morgue" and qn in mq:
                cell += f" ({st['median_ms'] / mq[qn]['median_ms']:.1f}x)"
            cells.append(cell)
        print(f"| {qn} | " + " | ".join(cells) + " |")


def print_targets(r):
    m = r.get("morgue", {})
    full = m.get("full") or {}
    t = (r.get("tantivy") or {}).get("full")
    rows = []
    if t and full:
        ratio = full["articles_per_s"] / t["articles_per_s"]
        rows.append(("indexing >= 0.8x tantivy-cli articles/s", f"{ratio:.2f}x",
                     ratio >= TARGETS["index_speed_vs_tantivy"]))
    noop = m.get("noop_reindex")
    if noop:
        rows.append(("no-change re-index < 5% of full", f"{noop['share_of_full'] * 100:.1f}%",
                     noop["share_of_full"] < TARGETS["noop_reindex_share"]))
    rgq = (r.get("rg") or {}).get("queries", {})
    for label, q in (("CLI", m.get("queries", {})), ("in-process", m.get("queries_inprocess", {}))):
        if "facets" in q:
            mix = sorted(x for k, v in q.items()
                         if k in ("word", "phrase", "boolean", "date_range", "facets")
                         for x in v["samples_ms"])
            rows.append((f"query p50 < 5 ms with facets ({label})",
                         f"facets p50 {q['facets']['p50_ms']:.1f} ms; "
                         f"search mix p50 {pct(mix, 50):.1f} ms",
                         q["facets"]["p50_ms"] < TARGETS["facet_query_p50_ms"]))
        if "speaker_quotes" in q and "speaker_quotes" in rgq:
            ratio = rgq["speaker_quotes"]["p50_ms"] / q["speaker_quotes"]["p50_ms"]
            rows.append((f"every quote by speaker >= 50x faster than rg ({label})",
                         f"{ratio:.1f}x", ratio >= TARGETS["speaker_vs_rg"]))
    if full:
        rows.append(("peak RSS while indexing < 1 GiB",
                     f"{full['peak_rss_bytes'] / 2**20:.0f} MiB",
                     full["peak_rss_bytes"] < TARGETS["index_rss_bytes"]))
        # Where the files are not plain text (HTML markup, JSON keys, gzip), the larger of the
        # index's ratios to the file bytes and to the articles' title and body text is judged.
        ratio = max(full["index_vs_raw"], full.get("index_vs_text") or 0)
        which = ("raw text" if ratio == full["index_vs_raw"]
                 else "title and body text (larger than against the files)")
        rows.append(("index <= 0.8x raw text", f"{ratio:.2f}x against the {which}",
                     ratio <= TARGETS["index_vs_raw"]))
    print("\n| target | measured | verdict |\n|---|---|---|")
    for name, val, ok in rows:
        print(f"| {name} | {val} | {'met' if ok else 'MISSED'} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("corpus")
    c.add_argument("--name", required=True)
    c.add_argument("--data", required=True)
    c.add_argument("--work")
    c.add_argument("--morgue", required=True)
    c.add_argument("--tantivy")
    c.add_argument("--latency", help="bench/latency.rs built as an example (in-process queries)")
    c.add_argument("--out", required=True)
    c.add_argument("--runs", type=int, default=3)
    c.add_argument("--query-runs", type=int, default=30)
    c.add_argument("--no-change-run", action="store_true",
                   help="skip the 1%% changed re-index")
    c.add_argument("--cold-runs", type=int, default=0,
                   help="also time each query N times just after emptying the page cache")
    k = sub.add_parser("cold", help="the cold-cache pass alone, on a corpus measured before")
    k.add_argument("--data", required=True,
                   help="the corpus folder (articles/, articles.jsonl, manifest.json)")
    k.add_argument("--work", help="where `corpus` left its indexes (default DATA/work)")
    k.add_argument("--morgue", required=True, help="the morgue binary")
    k.add_argument("--tantivy", help="the tantivy-cli binary (its index must be in WORK)")
    k.add_argument("--out", required=True, help="the corpus's results file, updated in place")
    k.add_argument("--runs", type=int, default=5,
                   help="calls per query and system, each on an emptied page cache (5)")
    s = sub.add_parser("sqlite-load")
    s.add_argument("--jsonl", required=True)
    s.add_argument("--db", required=True)
    u = sub.add_parser("untouch")
    u.add_argument("--data", required=True)
    sm = sub.add_parser("summary")
    sm.add_argument("files", nargs="+")
    args = ap.parse_args()
    if args.cmd == "corpus":
        run_corpus(args)
    elif args.cmd == "cold":
        run_cold_only(args)
    elif args.cmd == "sqlite-load":
        sqlite_load(args.jsonl, args.db)
    elif args.cmd == "untouch":
        sys.exit(0 if untouch(os.path.abspath(args.data)) else 1)
    else:
        print_summary(args.files)


if __name__ == "__main__":
    main()
