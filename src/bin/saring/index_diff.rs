//! `saring index diff OLD NEW`: what changed between two index files (list versions).

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `saring index diff`.
#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The older index file.
    pub old: PathBuf,
    /// The newer index file.
    pub new: PathBuf,
}

/// Runs `saring index diff`.
pub fn run_diff(args: DiffArgs) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("saring index diff is not implemented yet")
}
