//! Keeps the server's floors (ARCHITECTURE.md): a top-level module may use only modules on
//! lower floors, plus the few sideways uses listed here; so no circle can form between
//! top-level modules. It reads the `crate::…` paths of every source file outside its
//! `#[cfg(test)]` part.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level module → floor.
const FLOORS: &[(&str, u8)] = &[
    ("kernel", 1),
    ("tenancy", 2),
    ("areas", 3),
    ("accounts", 3),
    ("indicators", 4),
    ("boards", 4),
    ("directory", 4),
    ("surveys", 4),
    ("flows", 5),
    ("web", 6),
    ("graphql", 6),
    ("demo", 6),
    ("startup", 7),
    ("cli", 8),
    ("main", 9),
    ("lib", 9),
];

/// Uses within a floor, each with its reason. They must not form a circle.
const SIDEWAYS: &[(&str, &str)] = &[
    // The coverage indicators (offers per 1,000 residents) are indicators computed from offers.
    ("directory", "indicators"),
    // A survey's results are shown next to the indicators of its areas.
    ("surveys", "indicators"),
    // GraphQL reads the device cookie and client address as the HTML forms do.
    ("graphql", "web"),
];

fn floor_of(module: &str) -> Option<u8> {
    FLOORS.iter().find(|(m, _)| *m == module).map(|(_, f)| *f)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code before its test module.
fn production_part(source: &str) -> &str {
    source
        .find("#[cfg(test)]")
        .map_or(source, |at| &source[..at])
}

/// The top-level modules a piece of code names as `crate::<module>`.
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        // `quartiersnetz_crate::` or `mycrate::` is not this crate.
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{boards, directory::Kind};`: the first segment of each item.
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name = first_segment(item.trim());
                if !name.is_empty() {
                    used.insert(name);
                }
            }
            continue;
        }
        let name = first_segment(rest);
        if !name.is_empty() {
            used.insert(name);
        }
    }
    used
}

fn first_segment(path: &str) -> String {
    path.chars()
        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
        .collect()
}

/// module → modules it uses, over all files of `src`.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(src).expect("under src");
        let first = rel.components().next().expect("a component");
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        let source = std::fs::read_to_string(&file).expect("read file");
        let used = used_modules(production_part(&source));
        g.entry(module.clone())
            .or_default()
            .extend(used.into_iter().filter(|u| *u != module));
    }
    g
}

/// Every use that breaks the floors, as "from -> to (why)".
fn violations(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for (from, uses) in g {
        let Some(f) = floor_of(from) else {
            out.push(format!("{from}: not in FLOORS"));
            continue;
        };
        for to in uses {
            match floor_of(to) {
                None => out.push(format!("{from} -> {to}: {to} is not in FLOORS")),
                Some(t) if t < f => {}
                Some(_) if SIDEWAYS.contains(&(from.as_str(), to.as_str())) => {}
                Some(t) => out.push(format!(
                    "{from} (floor {f}) -> {to} (floor {t}): a module may use only lower floors"
                )),
            }
        }
    }
    out.extend(circles(g));
    out
}

/// Circles among the allowed uses (only sideways ones can close one).
fn circles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    fn visit<'a>(
        node: &'a str,
        g: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
        out: &mut Vec<String>,
    ) {
        if let Some(i) = path.iter().position(|n| *n == node) {
            let mut c: Vec<&str> = path[i..].to_vec();
            c.push(node);
            out.push(format!("circle: {}", c.join(" -> ")));
            return;
        }
        if !done.insert(node) {
            return;
        }
        path.push(node);
        for next in g.get(node).into_iter().flatten() {
            visit(next, g, path, done, out);
        }
        path.pop();
    }
    let mut out = Vec::new();
    let mut done = BTreeSet::new();
    for node in g.keys() {
        visit(node, g, &mut Vec::new(), &mut done, &mut out);
    }
    out
}

#[test]
fn every_module_uses_only_lower_floors() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let g = graph(&src);
    assert!(g.contains_key("kernel") && g.contains_key("flows"), "{g:?}");
    let v = violations(&g);
    assert!(v.is_empty(), "floors broken:\n{}", v.join("\n"));
}

#[test]
fn the_checker_catches_a_sideways_call_and_a_circle() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let code = "use crate::kernel::state::AppState;\nfn f() { crate::boards::place_all(); }\n\
                let x = my_crate::web::y; use crate::areas::Area;";
    g.insert("areas".into(), used_modules(code));
    assert_eq!(
        g["areas"],
        BTreeSet::from(["kernel".into(), "boards".into(), "areas".into()])
    );
    g.get_mut("areas").map(|s| s.remove("areas"));
    let v = violations(&g);
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(
        v[0].starts_with("areas (floor 3) -> boards (floor 4)"),
        "{v:?}"
    );

    // A sideways pair used both ways is a circle even though each use is allowed alone.
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.insert("directory".into(), BTreeSet::from(["indicators".into()]));
    g.insert("indicators".into(), BTreeSet::from(["directory".into()]));
    let v = violations(&g);
    assert!(
        v.iter()
            .any(|m| m.starts_with("indicators (floor 4) -> directory")),
        "{v:?}"
    );
    assert!(v.iter().any(|m| m.starts_with("circle:")), "{v:?}");

    // Grouped imports count too.
    let code = "use crate::{boards, directory::Kind, kernel::state::AppState};";
    assert_eq!(
        used_modules(code),
        BTreeSet::from(["boards".into(), "directory".into(), "kernel".into()])
    );

    // Test modules may reach anywhere: only the production part counts.
    let code = "use crate::kernel::x;\n#[cfg(test)]\nmod tests { use crate::cli::y; }";
    assert_eq!(
        used_modules(production_part(code)),
        BTreeSet::from(["kernel".into()])
    );
}
