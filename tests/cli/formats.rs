//! Real archive formats: HTML pages, a JSONL export with a bad line, a gzip WARC, Windows-1252.

use serde_json::Value;

use super::{morgue, repo, TestEnv};

struct Web;

impl Web {
    /// `sample-corpus/web` copied and indexed; the index summary.
    #[allow(clippy::new_ret_no_self)]
    fn new() -> (TestEnv, Value) {
        let env = TestEnv::with_folders(&["web"]);
        let summary = env.index(&[]);
        (env, summary)
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
    let second = web.index(&[]);
    assert_eq!(second["added"], 0);
    assert_eq!(second["articles"], first["articles"]);
}

#[test]
fn map_flag_json_file_and_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("export");
    std::fs::create_dir_all(&root).unwrap();
    // A crawler export whose body lives under an unusual key.
    std::fs::write(
        root.join("story.json"),
        r#"{"headline": "Dock strike ends after nine days", "published": "2019-04-02", "writer": "Ana Lima", "story_text": "Dock workers returned on Tuesday after a nine-day strike over night shifts."}"#,
    )
    .unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, b"March 3, 2015\n\nFerry fares rise\n\nby Bo Chen\n\nFares on the island ferry rise by ten percent from April.\n").unwrap();
    std::fs::write(root.join("fares.txt.gz"), gz.finish().unwrap()).unwrap();
    let index = dir.path().join("index");
    let run = |extra: &[&str]| {
        morgue()
            .arg("--index")
            .arg(&index)
            .arg("index")
            .arg(&root)
            .args(extra)
            .args(["--format", "json"])
            .assert()
            .success()
    };
    run(&["--map", "body=story_text", "--map", "author=writer"]);
    let search = |q: &str| -> Value {
        let out = morgue()
            .arg("--index")
            .arg(&index)
            .args(["search", q, "--format", "json"])
            .assert()
            .success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    };
    let dock = search("night shifts");
    assert_eq!(dock["total"], 1);
    assert_eq!(dock["hits"][0]["author"], "Ana Lima");
    assert_eq!(dock["hits"][0]["date"], "2019-04-02");
    let fares = search("ferry fares");
    assert_eq!(fares["total"], 1);
    assert_eq!(fares["hits"][0]["date"], "2015-03-03");
    assert_eq!(fares["hits"][0]["author"], "Bo Chen");
    // A bad --map is a usage error.
    morgue()
        .arg("--index")
        .arg(&index)
        .arg("index")
        .arg(&root)
        .args(["--map", "nonsense"])
        .assert()
        .code(2);
}

#[test]
fn check_finds_a_flipped_bit() {
    let (web, _) = Web::new();
    let index = web.index_dir();
    web.cmd().arg("check").assert().success();
    let store_file = std::fs::read_dir(&index)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().map(|x| x == "store").unwrap_or(false))
        .expect("a .store segment file");
    let mut bytes = std::fs::read(&store_file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&store_file, bytes).unwrap();
    let out = web.cmd().arg("check").assert().code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains(store_file.file_name().unwrap().to_str().unwrap()), "{text}");
    assert!(text.contains("--rebuild"), "{text}");
}
