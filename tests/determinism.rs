//! The same input gives byte-identical JSON across runs and across `--threads 1/2/8`.

mod common;

use common::{root, run_in};

#[test]
fn json_is_byte_identical_across_runs_and_thread_counts() {
    let root = root();
    let mut outputs = Vec::new();
    for threads in ["1", "2", "8", "1", "8"] {
        let out = run_in(
            &root,
            &[
                "--format",
                "json",
                "--no-ignore",
                "--threads",
                threads,
                "fixtures",
            ],
        );
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "--threads {threads}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        outputs.push((threads, out.stdout, out.stderr));
    }
    let (_, first, first_err) = &outputs[0];
    assert!(!first.is_empty());
    for (threads, out, err) in &outputs[1..] {
        assert!(
            out == first,
            "--threads {threads}: JSON differs from --threads 1"
        );
        assert!(err == first_err, "--threads {threads}: warnings differ");
    }
}
