//! The `accord` command as users and scripts call it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn accord(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_accord")).args(args).output().expect("accord runs")
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accord-cli-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const PAGE: &str = "Published: 12 March 2024\n\nThe Northbridge University Hospital (NUH) and the Lakeshore Cancer Institute signed a memorandum of understanding in Lyon on 11 March 2024. Prof. Anna Kerr, President of NUH, attended.";

#[test]
fn extract_writes_one_json_line_per_page_of_a_folder() {
    let dir = scratch("lines");
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(dir.join("a.txt"), PAGE).unwrap();
    fs::write(
        dir.join("sub/b.html"),
        format!("<html><body><nav>Menu</nav><article><p>{PAGE}</p></article></body></html>"),
    )
    .unwrap();
    fs::write(dir.join("ignored.pdf"), "not a page").unwrap();
    let o = accord(&["extract", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["doc"], "a.txt");
    assert_eq!(lines[1]["doc"], "b.html");
    for rec in &lines {
        assert_eq!(rec["published"], "2024-03-12");
        let names: Vec<&str> = rec["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"Northbridge University Hospital"), "{names:?}");
        assert_eq!(rec["events"][0]["type"], "agreement");
        assert_eq!(rec["events"][0]["date"], "2024-03-11");
    }
}

#[test]
fn extract_out_writes_stem_json_files() {
    let dir = scratch("out");
    fs::write(dir.join("page one.txt"), PAGE).unwrap();
    let out = dir.join("records");
    let o = accord(&[
        "extract",
        dir.join("page one.txt").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rec: serde_json::Value = serde_json::from_str(&fs::read_to_string(out.join("page one.json")).unwrap()).unwrap();
    assert_eq!(rec["doc"], "page one.txt");
    assert!(stdout(&o).is_empty());
}

#[test]
fn bad_inputs_are_reported_by_path_and_the_rest_go_through() {
    let dir = scratch("bad");
    fs::write(dir.join("good.txt"), PAGE).unwrap();
    fs::write(dir.join("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    fs::write(dir.join("latin1.txt"), b"H\xf4pital de la ville sign\xe9").unwrap();
    fs::write(dir.join("empty.txt"), "").unwrap();
    let huge = fs::File::create(dir.join("huge.txt")).unwrap();
    huge.set_len(200 * 1024 * 1024).unwrap();
    let missing = dir.join("missing.txt");
    let o = accord(&["extract", dir.to_str().unwrap(), missing.to_str().unwrap()]);
    assert!(o.status.success(), "some pages were read: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("binary.txt") && err.contains("binary data"), "{err}");
    assert!(err.contains("huge.txt") && err.contains("limit"), "{err}");
    assert!(err.contains("missing.txt"), "{err}");
    assert!(err.contains("latin1.txt") && err.contains("UTF-8"), "{err}");
    let docs: Vec<String> = stdout(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["doc"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(docs, ["empty.txt", "good.txt", "latin1.txt"]);
    let empty: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(empty["organizations"], serde_json::json!([]));
    assert_eq!(empty["events"], serde_json::json!([]));
}

#[test]
fn nothing_readable_is_a_failure() {
    let dir = scratch("none");
    fs::write(dir.join("binary.htm"), [0u8; 64]).unwrap();
    let o = accord(&["extract", dir.join("binary.htm").to_str().unwrap()]);
    assert!(!o.status.success());
    let o = accord(&["extract", dir.join("absent").to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("absent"));
}

#[test]
fn wrong_flags_are_refused_with_usage() {
    let o = accord(&["extract", "--bogus", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--bogus"));
}

#[test]
fn text_flag_prints_what_offsets_index_into() {
    let dir = scratch("text");
    fs::write(
        dir.join("p.html"),
        "<html><head><script>var a=1;</script></head><body><p>First &amp; second</p><p>Third</p></body></html>",
    )
    .unwrap();
    let o = accord(&["extract", "--text", dir.join("p.html").to_str().unwrap()]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), "First & second\n\nThird\n");
}

#[test]
fn text_flag_names_each_page_and_empty_pages_are_reported() {
    let dir = scratch("text-several");
    fs::write(dir.join("a.txt"), "Alpha page.\n").unwrap();
    fs::write(dir.join("b.txt"), "  \n").unwrap();
    let o = accord(&["extract", "--text", dir.to_str().unwrap()]);
    assert!(o.status.success());
    let (a, b) = (dir.join("a.txt"), dir.join("b.txt"));
    assert_eq!(
        stdout(&o),
        format!(
            "==> {} <==\nAlpha page.\n\n\n==> {} <==\n(empty page)\n\n",
            a.display(),
            b.display()
        )
    );
    assert!(
        stderr(&o).contains(&format!("{}: the page is empty", b.display())),
        "{}",
        stderr(&o)
    );
    let o = accord(&["extract", b.to_str().unwrap()]);
    assert!(stderr(&o).contains("the page is empty"), "{}", stderr(&o));
}

fn shared_dev() -> Option<(PathBuf, PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let (docs, gold, score) = (root.join("dev/docs"), root.join("dev/gold"), root.join("eval/score.py"));
    (docs.is_dir() && gold.is_dir() && score.is_file()).then_some((docs, gold, score))
}

#[test]
fn eval_gives_the_reference_scorers_figures() {
    let Some((docs, gold, score)) = shared_dev() else {
        eprintln!("../shared/dev is absent: skipped");
        return;
    };
    let out = scratch("eval");
    let o = accord(&["extract", docs.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success());
    let reference = Command::new("python3")
        .arg(&score)
        .arg(&gold)
        .arg(&out)
        .output()
        .expect("python3 runs the reference scorer");
    assert!(reference.status.success(), "{}", stderr(&reference));
    let ours = accord(&["eval", "--docs", docs.to_str().unwrap(), "--gold", gold.to_str().unwrap()]);
    assert!(ours.status.success());
    assert_eq!(stdout(&ours), stdout(&reference));
    let json_ref = Command::new("python3")
        .arg(&score)
        .arg(&gold)
        .arg(&out)
        .arg("--json")
        .output()
        .unwrap();
    let ours_json = accord(&["eval", "--docs", docs.to_str().unwrap(), "--gold", gold.to_str().unwrap(), "--json"]);
    let a: serde_json::Value = serde_json::from_slice(&json_ref.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&ours_json.stdout).unwrap();
    assert_eq!(a, b);
}

#[test]
fn eval_fails_below_its_floor() {
    let Some((docs, gold, _)) = shared_dev() else {
        eprintln!("../shared/dev is absent: skipped");
        return;
    };
    let dir = scratch("floor");
    fs::write(dir.join("floor.json"), r#"{"organizations": 1.01}"#).unwrap();
    let o = accord(&[
        "eval",
        "--docs",
        docs.to_str().unwrap(),
        "--gold",
        gold.to_str().unwrap(),
        "--floor",
        dir.join("floor.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("below the quality floor: organizations"));
}
