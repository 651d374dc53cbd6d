//! Real archive formats: HTML pages, a JSONL export with a bad line, a gzip WARC, Windows-1252.

use serde_json::Value;

use super::{copy_tree, morgue, repo};

struct Web {
    dir: tempfile::TempDir,
}

impl Web {
    fn new() -> (Web, Value) {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&repo().join("sample-corpus/web"), &dir.path().join("web"));
        let web = Web { dir };
        let out = web
            .cmd()
            .arg("index")
            .arg(web.dir.path().join("web"))
            .args(["--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        (web, serde_json::from_slice(&out).unwrap())
    }

    fn cmd(&self) -> assert_cmd::Command {
        let mut c = morgue();
        c.arg("--index").arg(self.dir.path().join("index"));
        c
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self
            .cmd()
            .args(args)
            .args(["--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    }
}

#[test]
fn jsonl_bad_line_is_counted_and_good_lines_kept() {
    let (web, summary) = Web::new();
    assert_eq!(summary["failed"], 0, "{summary}");
    assert_eq!(summary["failed_records"], 1, "{summary}");
    let failures = summary["failures"].as_array().unwrap();
    assert!(
        failures.iter().any(|f| f["path"].as_str().unwrap().ends_with("export.jsonl")
            && f["reason"].as_str().unwrap().contains("line 5")),
        "{failures:?}"
    );
    let res = web.json(&["search", "format:jsonl", "--limit", "100"]);
    assert_eq!(res["total"], 5);
    let hit = &res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["title"] == "Tram line extension approved")
        .unwrap()
        .clone();
    assert!(hit["path"].as_str().unwrap().ends_with("web/export.jsonl"));
    let view = web.json(&["show", hit["id"].as_str().unwrap()]);
    assert_eq!(view["locator"], "line 1");
    assert_eq!(view["date"]["value"], "2018-06-19");
}

#[test]
fn warc_records_are_articles() {
    let (web, _) = Web::new();
    let res = web.json(&["search", "format:warc", "--limit", "100"]);
    assert_eq!(res["total"], 2);
    let titles: Vec<&str> =
        res["hits"].as_array().unwrap().iter().map(|h| h["title"].as_str().unwrap()).collect();
    assert!(titles.contains(&"Orchard harvest starts early"), "{titles:?}");
}

#[test]
fn html_metadata_with_provenance() {
    let (web, _) = Web::new();
    let res = web.json(&["search", "title:reservoir"]);
    assert_eq!(res["total"], 1);
    let view = web.json(&["show", res["hits"][0]["id"].as_str().unwrap()]);
    assert_eq!(view["title"], "Reservoir levels fall to a ten-year low");
    assert_eq!(view["date"]["value"], "2022-08-14");
    assert_eq!(view["provenance"]["title"], "json-ld");
    assert!(!view["body"].as_str().unwrap().is_empty());
}

#[test]
fn web_gold_scores_exactly() {
    let (web, _) = Web::new();
    let gold = repo().join("tests/gold/sample-web.jsonl");
    let report = web.json(&["eval", "--gold", gold.to_str().unwrap()]);
    for field in ["title", "date", "author"] {
        assert_eq!(report[field]["rate"], 1.0, "{field}: {report:#}");
    }
}

#[test]
fn second_run_over_containers_adds_nothing() {
    let (web, first) = Web::new();
    let out = web
        .cmd()
        .arg("index")
        .arg(web.dir.path().join("web"))
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let second: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(second["added"], 0);
    assert_eq!(second["articles"], first["articles"]);
}
