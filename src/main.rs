//! The `dslint` binary: see [`dslint::app`].

fn main() -> std::process::ExitCode {
    dslint::app::main()
}
