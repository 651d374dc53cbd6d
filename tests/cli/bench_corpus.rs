//! The benchmark's synthetic corpus (`bench/gen.py`) in every format morgue reads: generated
//! small, indexed by the binary without a failure, every article read with the title, date and
//! authors the generator wrote (its gold file, scored by `morgue eval`).

use std::process::{Command as Process, Stdio};

use serde_json::Value;

use crate::{repo, TestEnv};

/// Every format the generator writes by default, as `bench/gen.py` names them.
const FORMATS: &[&str] = &["text", "markdown", "html", "json", "jsonl", "warc", "gz"];

/// `python3 bench/gen.py synth ARGS… --out OUT`.
fn gen_py(args: &[&str], out: &std::path::Path) -> Process {
    let mut cmd = Process::new("python3");
    cmd.arg(repo().join("bench/gen.py")).arg("synth").args(args).arg("--out").arg(out);
    cmd
}

/// Generate `n` synthetic articles into a fresh test folder (its corpus is the articles).
fn generate(n: usize, seed: u64) -> (TestEnv, Value) {
    let env = TestEnv::with_folders(&[]);
    let out = env.dir.path().join("gen");
    let status = gen_py(&["--n", &n.to_string(), "--seed", &seed.to_string()], &out)
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("python3 is needed to run bench/gen.py: {e}"));
    assert!(status.success(), "bench/gen.py failed: {status}");
    std::fs::rename(out.join("articles"), env.corpus()).unwrap();
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    (env, serde_json::from_str(&manifest).unwrap())
}

#[test]
fn every_generated_format_is_indexed_with_its_metadata() {
    let (env, manifest) = generate(400, 11);
    let n = manifest["articles"].as_u64().unwrap();
    assert_eq!(n, 400, "{manifest:#}");
    for format in FORMATS {
        let count = manifest["articles_by_format"][format].as_u64().unwrap_or(0);
        assert!(count > 0, "no {format} article generated: {manifest:#}");
    }
    // Containers hold many articles: fewer files than articles.
    assert!(manifest["files"].as_u64().unwrap() < n, "{manifest:#}");

    let summary = env.index(&[]);
    assert_eq!(summary["failed"], 0, "{summary:#}");
    assert_eq!(summary["failed_records"], 0, "{summary:#}");
    // Byte-identical copies are one article; every other generated article is one of its own.
    assert_eq!(
        summary["articles"].as_u64().unwrap() + summary["duplicate"].as_u64().unwrap(),
        n,
        "{summary:#}"
    );

    let gold = env.dir.path().join("gen/gold.jsonl");
    let report = env.json(&["eval", "--gold", gold.to_str().unwrap()]);
    assert_eq!(report["gold_articles"], n, "{report:#}");
    assert_eq!(report["missing"], 0, "{report:#}");
    for field in ["title", "date", "author"] {
        assert_eq!(report[field]["correct"], report[field]["total"], "{field}: {report:#}");
    }

    // Each container and page format is in the index under its own name.
    for format in ["markdown", "html", "json", "jsonl", "warc", "text"] {
        let res = env.json(&["search", &format!("format:{format}"), "--limit", "1"]);
        assert!(res["total"].as_u64().unwrap() > 0, "no {format} article: {res:#}");
    }
}

#[test]
fn the_text_only_mix_holds_the_same_articles() {
    // --formats text,markdown writes only .txt and .md files, one article each, and the same
    // articles as the full mix: format choices and page furniture have random numbers of
    // their own.
    let dir = tempfile::tempdir().unwrap();
    let run = |formats: &str, out: &str| -> Vec<Value> {
        let status =
            gen_py(&["--n", "150", "--seed", "3", "--formats", formats], &dir.path().join(out))
                .stdout(Stdio::null())
                .status()
                .unwrap();
        assert!(status.success());
        std::fs::read_to_string(dir.path().join(out).join("articles.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let text = run("text,markdown", "text");
    let all = run(&FORMATS.join(","), "all");
    assert_eq!(text.len(), 150);
    assert!(text.iter().all(|a| {
        let p = a["path"].as_str().unwrap();
        (p.ends_with(".txt") || p.ends_with(".md")) && a.get("locator").is_none()
    }));
    let titles = |v: &[Value]| -> Vec<String> {
        let mut t: Vec<String> =
            v.iter().map(|a| a["title"].as_str().unwrap().to_string()).collect();
        t.sort();
        t
    };
    assert_eq!(titles(&text), titles(&all), "the same articles in both mixes");
    assert!(all.iter().any(|a| a.get("locator").is_some()), "no container article");
}

#[test]
fn unknown_formats_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        gen_py(&["--n", "5", "--formats", "text,pdf"], &dir.path().join("x")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pdf"));
    assert!(!dir.path().join("x").exists());
}
