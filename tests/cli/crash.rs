//! Crash safety of `morgue index`: a run killed with SIGKILL at any moment loses at most the work
//! since its last commit. After every kill the index opens, `morgue stats` works and every
//! article of the last commit is listed once and found by its own word; a stale writer lock never
//! blocks the next run, a live one is a clear error; a final run ends with exactly one article
//! per file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Rng;

/// Articles in the generated corpus (one per file).
const ARTICLES: usize = 2_000;
/// Kills the test must land (runs that finish before their kill do not count).
const KILLS: usize = 20;
/// `--commit-every`: small, so that commits happen between kills.
const COMMIT_EVERY: &str = "50";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_morgue")
}

/// Search for the words of articles `ids` (OR); the paths found and the total.
fn search_words(index: &Path, ids: &[usize]) -> (BTreeSet<String>, u64) {
    let q: Vec<String> = ids.iter().map(|&i| word(i)).collect();
    let (code, out, err) =
        morgue(index, &["search", "--limit", "100", "--format", "json", "--", &q.join(" OR ")]);
    assert_eq!(code, 0, "{err}");
    let res = json(&out);
    let found = res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect();
    (found, res["total"].as_u64().unwrap())
}

/// The one word that only article `i` holds (letters only, so no tokenizer splits it).
fn word(i: usize) -> String {
    let mut s = String::from("zq");
    let mut n = i;
    for _ in 0..5 {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
    }
    s
}

fn write_corpus(root: &Path) -> Vec<String> {
    let topics = ["harbour", "council", "river", "budget", "bridge", "market", "winter", "school"];
    let mut paths = Vec::with_capacity(ARTICLES);
    for i in 0..ARTICLES {
        let dir = root.join(format!("{:02}", i % 30));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("a{i:05}.txt"));
        let body: Vec<&str> = (0..40).map(|k| topics[(i * 7 + k * 3) % topics.len()]).collect();
        std::fs::write(
            &path,
            format!(
                "Town report {i}\n\n2016-{:02}-{:02}\n\nThe {} notice. {}.\n\nSecond paragraph.\n",
                1 + i % 12,
                1 + i % 28,
                word(i),
                body.join(" ")
            ),
        )
        .unwrap();
        paths.push(path.to_string_lossy().into_owned());
    }
    paths
}

fn morgue(index: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(bin()).arg("--index").arg(index).args(args).output().unwrap();
    let code = out.status.code().unwrap_or_else(|| panic!("{args:?} killed by a signal"));
    (code, String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn start_index(index: &Path, root: &Path, rebuild: bool) -> Child {
    let mut cmd = Command::new(bin());
    cmd.arg("--index").arg(index).arg("index").arg(root);
    cmd.args(["--commit-every", COMMIT_EVERY, "--format", "json"]);
    if rebuild {
        cmd.arg("--rebuild");
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
}

/// Article count of the index after a kill, after checking it is whole: it opens, `stats`
/// agrees with the list of articles, every listed article is a corpus file listed once, and a
/// sample of them is found by its own word.
fn check_committed(index: &Path, corpus: &[String], rng: &mut Rng) -> usize {
    if !index.join("meta.json").exists() {
        return 0; // killed before the index was created
    }
    let (code, out, err) = morgue(index, &["stats", "--format", "json"]);
    assert_eq!(code, 0, "stats after a kill: {err}");
    let stats = json(&out);
    let articles = stats["articles"].as_u64().unwrap() as usize;
    assert_eq!(stats["files"].as_u64().unwrap() as usize, articles, "file records: {stats}");

    let (code, out, err) = morgue(index, &["search", "--limit", "5000", "--format", "json"]);
    assert_eq!(code, 0, "search after a kill: {err}");
    let res = json(&out);
    assert_eq!(res["total"].as_u64().unwrap() as usize, articles);
    let listed: Vec<&str> =
        res["hits"].as_array().unwrap().iter().map(|h| h["path"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = listed.iter().copied().collect();
    assert_eq!(unique.len(), listed.len(), "an article is listed twice");
    assert_eq!(listed.len(), articles);

    // A sample of the committed articles, each found by its word and by nothing else's.
    let mut sample: Vec<usize> = Vec::new();
    for _ in 0..articles.min(60) {
        let path = listed[rng.below(listed.len())];
        let i = corpus.iter().position(|p| p == path).expect("a listed path is a corpus file");
        if !sample.contains(&i) {
            sample.push(i);
        }
    }
    if !sample.is_empty() {
        let (found, _) = search_words(index, &sample);
        let want: BTreeSet<String> = sample.iter().map(|&i| corpus[i].clone()).collect();
        assert_eq!(found, want, "committed articles not found by their words");
    }
    articles
}

/// Wait for `child` to exit, up to `deadline`; true if it exited.
fn wait_until(child: &mut Child, deadline: Instant) -> bool {
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.try_wait().unwrap().is_some()
}

fn finish(child: Child) -> (i32, String, String) {
    let out = child.wait_with_output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    (code, String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn index_survives_repeated_sigkill() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap().join("corpus");
    let corpus = write_corpus(&root);
    let index: PathBuf = dir.path().join("index");
    let seed: u64 =
        std::env::var("MORGUE_CRASH_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0xC0FFEE);
    let mut rng = Rng(seed);

    let mut kills = 0;
    let mut runs = 0;
    let mut committed = 0;
    let mut counts = Vec::new();
    while kills < KILLS {
        runs += 1;
        assert!(runs < KILLS * 4, "too many runs finished before their kill");
        // Start over when everything is in, so that later kills still land mid-run; now and
        // then start over anyway, so that kills also land in a rebuild's first commits.
        let rebuild = committed == ARTICLES || rng.below(6) == 0;
        // Some kills land early (opening, loading the gazetteer, the first batch, before any
        // commit of the run); the others wait for this run's first commit and then a random
        // while, so that they land among later batches and commits.
        let early = kills % 2 == 0;
        let meta = std::fs::read(index.join("meta.json")).ok();
        let mut child = start_index(&index, &root, rebuild);
        let exited = if early {
            wait_until(&mut child, Instant::now() + Duration::from_millis(rng.below(3_000) as u64))
        } else {
            let give_up = Instant::now() + Duration::from_secs(60);
            while std::fs::read(index.join("meta.json")).ok() == meta
                && child.try_wait().unwrap().is_none()
            {
                assert!(Instant::now() < give_up, "no commit within a minute");
                std::thread::sleep(Duration::from_millis(5));
            }
            wait_until(&mut child, Instant::now() + Duration::from_millis(rng.below(800) as u64))
        };
        if exited {
            let (code, _, err) = finish(child);
            assert_eq!(code, 0, "a run after a kill failed: {err}");
        } else {
            child.kill().unwrap(); // SIGKILL
            finish(child);
            kills += 1;
        }
        let now = check_committed(&index, &corpus, &mut rng);
        if !rebuild {
            assert!(now >= committed, "articles lost: {committed} before, {now} after a kill");
        }
        committed = now;
        counts.push(now);
    }
    eprintln!("{kills} kills in {runs} runs (seed {seed}); articles after each: {counts:?}");

    // The writer lock of a killed run is stale: its file is still there, yet nothing waits on it.
    assert!(index.join(".tantivy-writer.lock").exists());

    // A live writer is a clear error for a second one.
    let meta = std::fs::read(index.join("meta.json")).unwrap();
    let mut live = start_index(&index, &root, true);
    let wait = Instant::now() + Duration::from_secs(30);
    while std::fs::read(index.join("meta.json")).unwrap() == meta {
        assert!(Instant::now() < wait && live.try_wait().unwrap().is_none(), "no commit seen");
        std::thread::sleep(Duration::from_millis(10));
    }
    let (code, _, err) = morgue(&index, &["index", root.to_str().unwrap()]);
    assert_eq!(code, 1, "second writer: {err}");
    assert!(err.contains("locked by another process"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    live.kill().unwrap();
    finish(live);
    check_committed(&index, &corpus, &mut rng);

    // The final run completes: exactly one article per file, each found by its word.
    let (code, out, err) = morgue(&index, &["index", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "final run: {err}");
    let summary = json(&out);
    assert_eq!(summary["articles"].as_u64(), Some(ARTICLES as u64), "{summary}");
    assert_eq!(summary["failed"].as_u64(), Some(0), "{summary}");
    assert_eq!(check_committed(&index, &corpus, &mut rng), ARTICLES);
    for chunk in (0..ARTICLES).collect::<Vec<_>>().chunks(90) {
        let (found, total) = search_words(&index, chunk);
        let want: BTreeSet<String> = chunk.iter().map(|&i| corpus[i].clone()).collect();
        assert_eq!(found, want);
        assert_eq!(total, chunk.len() as u64);
    }
    eprintln!("crash test took {:.1?}", started.elapsed());
}
