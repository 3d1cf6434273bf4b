//! The README's rule table must list exactly the rules in `rules/`. Run with
//! `UPDATE_README=1 cargo test --test readme` to regenerate it.

use dslint::rules::Registry;

fn table() -> String {
    let registry = Registry::builtin().expect("built-in rules load");
    let mut out = String::from("| code | name | severity | what it catches |\n|---|---|---|---|\n");
    for r in &registry.rules {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.code,
            r.name,
            r.severity.as_str(),
            r.summary.replace('|', "\\|")
        ));
    }
    out
}

#[test]
fn readme_rule_table_matches_rules_dir() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let start_tag = "<!-- rules-table:start -->\n";
    let end_tag = "<!-- rules-table:end -->";
    let start = readme.find(start_tag).expect("start marker") + start_tag.len();
    let end = readme.find(end_tag).expect("end marker");
    let expected = table();
    if readme[start..end] != expected {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{}{}", &readme[..start], expected, &readme[end..]);
            std::fs::write(&path, updated).expect("write README.md");
        } else {
            panic!("README rule table is stale; run UPDATE_README=1 cargo test --test readme\nexpected:\n{expected}");
        }
    }
}
