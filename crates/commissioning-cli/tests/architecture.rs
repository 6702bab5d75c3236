//! The modules of the command and of the document layer import each other in one direction
//! only, and docs/architecture.md draws exactly the imports the code has.
//!
//! `COMMISSIONING_WRITE_GRAPH=1 cargo test -p commissioning-cli --test architecture` writes
//! the graphs into docs/architecture.md after a change of the imports.

#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each module of the source folder `root` (by its file's path from `root`, `sheet/table`
/// taken as `sheet`) and the modules of the same folder it imports through `prefix`
/// (`crate::` or `crate::document::`).
fn graph(root: &Path, prefix: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    collect(root, &mut files);
    let module_of = |path: &Path| -> String {
        let relative = path.strip_prefix(root).unwrap_or(path);
        let first = relative
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        first.trim_end_matches(".rs").to_owned()
    };
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(f))
        .filter(|m| m != "lib" && m != "main" && m != "mod")
        .collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let from = module_of(file);
        if from == "lib" || from == "main" || from == "mod" {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let entry = edges.entry(from.clone()).or_default();
        for (at, _) in text.match_indices(prefix) {
            let rest = text.get(at + prefix.len()..).unwrap_or("");
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(&name) && name != from {
                entry.insert(name);
            }
        }
    }
    edges
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A module that imports itself through others, if any.
fn cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            return Some(path[at..].to_vec());
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|k| visit(k, edges, &mut Vec::new(), &mut done))
}

/// The graph as Mermaid, one edge a line, in order.
fn mermaid(edges: &BTreeMap<String, BTreeSet<String>>) -> String {
    let mut out = String::from("```mermaid\nflowchart LR\n");
    for (from, tos) in edges {
        if tos.is_empty() {
            out.push_str(&format!("  {from}\n"));
        }
        for to in tos {
            out.push_str(&format!("  {from} --> {to}\n"));
        }
    }
    out.push_str("```\n");
    out
}

/// Checks `doc` holds `block` between the markers named `name`, or writes it there.
fn drawn(doc: &Path, name: &str, block: &str) {
    let text = std::fs::read_to_string(doc).unwrap_or_default();
    let (start, end) = (
        format!("<!-- graph:{name} -->\n"),
        format!("<!-- /graph:{name} -->"),
    );
    let (Some(a), Some(b)) = (text.find(&start), text.find(&end)) else {
        panic!("{} has no {start:?} … {end:?} markers", doc.display());
    };
    let current = &text[a + start.len()..b];
    if current == block {
        return;
    }
    if std::env::var_os("COMMISSIONING_WRITE_GRAPH").is_some() {
        let updated = format!("{}{block}{}", &text[..a + start.len()], &text[b..]);
        std::fs::write(doc, updated)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", doc.display()));
        return;
    }
    panic!(
        "docs/architecture.md's {name} graph is not the code's; run with COMMISSIONING_WRITE_GRAPH=1 to redraw it:\n{block}"
    );
}

#[test]
fn the_command_and_the_document_layer_have_no_circles_and_their_pictures_are_true() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cli = graph(&manifest.join("src"), "crate::");
    assert!(cli.len() >= 5, "the command's modules were not found");
    assert_eq!(
        cycle(&cli),
        None,
        "the command's modules import in a circle"
    );
    let layer_root = manifest.join("../commissioning/src/document");
    let doc = manifest.join("../../docs/architecture.md");
    if !layer_root.exists() || !doc.exists() {
        // A packaged crate has neither beside it.
        return;
    }
    let layer = graph(&layer_root, "crate::document::");
    assert!(
        layer.len() >= 10,
        "the document layer's modules were not found"
    );
    assert_eq!(
        cycle(&layer),
        None,
        "the document layer's modules import in a circle"
    );
    drawn(&doc, "cli", &mermaid(&cli));
    drawn(&doc, "document", &mermaid(&layer));
}

#[test]
fn a_circle_is_found() {
    let mut edges = BTreeMap::new();
    edges.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    edges.insert("b".to_owned(), BTreeSet::from(["c".to_owned()]));
    edges.insert("c".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(
        cycle(&edges),
        Some(vec!["a".to_owned(), "b".to_owned(), "c".to_owned()])
    );
    edges.insert("c".to_owned(), BTreeSet::new());
    assert_eq!(cycle(&edges), None);
}
