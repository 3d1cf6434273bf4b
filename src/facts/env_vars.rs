//! Env var facts found by line-oriented text scans, for every file kind and without parsing:
//! the names code reads or writes ([`reads`]) and the names configs define ([`definitions`]).
//! Cross-file rules (DS603) compare them across the run's files; per-document rules read the
//! env reads of the language extractors ([`super::EnvRead`]), which also carry defaults.

mod definitions;
mod reads;

pub use definitions::collect_definitions;
pub use reads::{collect_reads, is_code_like, Read};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileKind;

    fn names(reads: &[Read]) -> Vec<&str> {
        reads.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn python_reads() {
        let src = "import os\nk = os.environ[\"DEEPSEEK_KEY\"]\nu = os.getenv('DEEPSEEK_BASE_URL', 'x')\nv = os.environ.get(\"A\")\n# os.getenv(\"COMMENTED\")\nclass S(BaseSettings):\n    deepseek_api_key: str = Field(env=\"DS_KEY\")\n    model_config = SettingsConfigDict()\n\n    def f(self):\n        x: int = 1\n";
        let r = collect_reads(FileKind::Python, src);
        assert_eq!(
            names(&r),
            [
                "DEEPSEEK_KEY",
                "DEEPSEEK_BASE_URL",
                "A",
                "DS_KEY",
                "DEEPSEEK_API_KEY"
            ]
        );
        assert_eq!(&src[r[0].range.clone()], "DEEPSEEK_KEY");
        assert!(r[4].case_insensitive);
    }

    #[test]
    fn js_and_rust_reads() {
        let js = "const a = process.env.DEEPSEEK_KEY;\nconst b = import.meta.env.VITE_X;\nconst c = process.env[\"Y\"];\nconst { DEEP_SEEK_API_KEY, Z: z = 1 } = process.env;\n";
        let r = collect_reads(FileKind::TypeScript, js);
        assert_eq!(
            names(&r),
            ["DEEPSEEK_KEY", "VITE_X", "Y", "DEEP_SEEK_API_KEY", "Z"]
        );
        assert_eq!(&js[r[3].range.clone()], "DEEP_SEEK_API_KEY");
        let rs = "let k = std::env::var(\"DEEPSEEK_KEY\")?; let u = dotenvy::var(\"U\"); let o = option_env!(\"O\");";
        assert_eq!(
            names(&collect_reads(FileKind::Rust, rs)),
            ["DEEPSEEK_KEY", "U", "O"]
        );
    }

    #[test]
    fn writes_are_not_reads() {
        let py = "os.environ[\"DEEPSEEK_KEY\"] = \"x\"\nmonkeypatch.setenv(\"DEEPSEEK_TOKEN\", \"t\")\nif os.environ[\"A\"] == \"b\": pass\n";
        let r = collect_reads(FileKind::Python, py);
        let got: Vec<(&str, bool)> = r.iter().map(|r| (r.name.as_str(), r.is_write)).collect();
        assert_eq!(
            got,
            [
                ("DEEPSEEK_KEY", true),
                ("A", false),
                ("DEEPSEEK_TOKEN", true)
            ]
        );
        let js = "process.env.DEEPSEEK_KEY = 'x';\nif (process.env.B === 'y') {}\n";
        let got: Vec<bool> = collect_reads(FileKind::JavaScript, js)
            .iter()
            .map(|r| r.is_write)
            .collect();
        assert_eq!(got, [true, false]);
        let gha = "steps:\n  - run: DEEPSEEK_API_KEY=${{ secrets.DS }} pytest\n";
        assert_eq!(
            collect_definitions(FileKind::Yaml, gha),
            ["DEEPSEEK_API_KEY", "DS"]
        );
    }

    #[test]
    fn notebooks_and_structured_configs() {
        let nb = r#"{"cells": [{"source": ["k = os.environ[\"DEEPSEEK_KEY\"]\n", "os.environ[\"B\"] = \"x\"\n"]}]}"#;
        let r = collect_reads(FileKind::Notebook, nb);
        let got: Vec<(&str, bool)> = r.iter().map(|r| (r.name.as_str(), r.is_write)).collect();
        assert_eq!(got, [("DEEPSEEK_KEY", false), ("B", true)]);
        assert_eq!(&nb[r[0].range.clone()], "DEEPSEEK_KEY");
        let json = r#"{"env": {"DEEPSEEK_API_KEY": "@key"}, "scripts": {"dev": "DEEPSEEK_BASE_URL=x node a.js"}, "name": "x"}"#;
        assert_eq!(
            collect_definitions(FileKind::Json, json),
            ["DEEPSEEK_API_KEY", "DEEPSEEK_BASE_URL"]
        );
        let toml = "[env]\n  DEEPSEEK_API_KEY = \"x\"\nname = \"y\"\n";
        assert_eq!(
            collect_definitions(FileKind::Toml, toml),
            ["DEEPSEEK_API_KEY"]
        );
        let py = "from decouple import config\nk = config(\"DEEPSEEK_KEY\")\nu = env.str('DEEPSEEK_URL')\n";
        assert_eq!(
            names(&collect_reads(FileKind::Python, py)),
            ["DEEPSEEK_KEY", "DEEPSEEK_URL"]
        );
    }

    #[test]
    fn definitions() {
        let env = "# c\nexport DEEPSEEK_API_KEY=sk-x\nOTHER = 1\n";
        assert_eq!(
            collect_definitions(FileKind::Env, env),
            ["DEEPSEEK_API_KEY", "OTHER"]
        );
        let compose = "services:\n  app:\n    environment:\n      - DEEPSEEK_API_KEY=${KEY}\n      - PLAIN\n    ports:\n      - \"80:80\"\n  db:\n    environment:\n      POSTGRES_USER: x\n      NESTED:\n        deep: 1\n";
        assert_eq!(
            collect_definitions(FileKind::Yaml, compose),
            ["DEEPSEEK_API_KEY", "PLAIN", "POSTGRES_USER", "NESTED"]
        );
        let gha = "jobs:\n  t:\n    steps:\n      - run: x\n        env:\n          DEEPSEEK_KEY: ${{ secrets.DS_SECRET }}\n      - env:\n          B: 1\n";
        assert_eq!(
            collect_definitions(FileKind::Yaml, gha),
            ["DS_SECRET", "DEEPSEEK_KEY", "B"]
        );
        let k8s = "env:\n- name: DEEPSEEK_API_KEY\n  valueFrom:\n    secretKeyRef:\n      name: s\n- name: B\n";
        assert_eq!(
            collect_definitions(FileKind::Yaml, k8s),
            ["DEEPSEEK_API_KEY", "B"]
        );
        let docker =
            "FROM x\nENV DEEPSEEK_API_KEY=\"\" OTHER=1\nARG DEEPSEEK_BASE_URL\nENV LEGACY value\n";
        assert_eq!(
            collect_definitions(FileKind::Dockerfile, docker),
            ["DEEPSEEK_API_KEY", "OTHER", "DEEPSEEK_BASE_URL", "LEGACY"]
        );
    }

    #[test]
    fn never_panics_on_odd_text() {
        let pieces = [
            "os.environ[\"",
            "DEEPSEEK_KEY",
            "\"]",
            " = ",
            "\u{feff}",
            "é",
            "\\",
            "\n",
            "#",
            "process.env.",
            "{",
            "}",
            "= process.env",
            "env:\n",
            "  - ",
            "ENV ",
            "class S(BaseSettings):\n",
            "    f: str\n",
            "\r\n",
            "'",
            "`",
            "export ",
            "=",
            "secrets.",
            "\u{1F600}",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..40 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            for kind in FileKind::ALL {
                for r in collect_reads(kind, &text) {
                    assert!(text.get(r.range.clone()).is_some());
                }
                let _ = collect_definitions(kind, &text);
            }
        }
    }
}
