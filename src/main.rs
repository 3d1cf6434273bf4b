//! The `dslint` binary: see [`dslint::cli`].

fn main() -> std::process::ExitCode {
    dslint::cli::main()
}
