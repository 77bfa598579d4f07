//! The `quartiersnetz` command.

fn main() -> std::process::ExitCode {
    quartiersnetz::cli::main()
}
