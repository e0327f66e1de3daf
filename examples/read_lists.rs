//! Reads every bundled list (or the lists under the directories given as arguments) and prints, per
//! source, the number of entities and warnings and the time taken; then the total.
//!
//! ```text
//! cargo run --release --example read_lists [DIR_OR_FILE...]
//! ```

use saring::lists::{self, ListEvent};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let roots = if args.is_empty() { vec![lists::bundled_dir()] } else { args };
    let start = Instant::now();
    let (mut total, mut failed) = (0u64, 0u32);
    for root in &roots {
        for source in lists::discover(root)? {
            let t = Instant::now();
            let name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let reader = match lists::open(&source) {
                Ok(r) => r,
                Err(e) => {
                    failed += 1;
                    println!("{name:<45} not read: {e}");
                    continue;
                }
            };
            let format = format!("{:?}", reader.info.format);
            let (mut entities, mut names, mut warnings) = (0u64, 0u64, 0u64);
            let mut error = None;
            for ev in reader {
                match ev {
                    Ok(ListEvent::Entity(e)) => {
                        entities += 1;
                        names += e.names.len() as u64;
                    }
                    Ok(ListEvent::Warning(_)) => warnings += 1,
                    Err(e) => error = Some(e),
                }
            }
            total += entities;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            println!(
                "{name:<45} {format:<12} {entities:>7} entities {names:>7} names {warnings:>4} warnings {ms:>8.1} ms"
            );
            if let Some(e) = error {
                failed += 1;
                println!("    error: {e}");
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "total: {total} entities in {:.1} ms ({:.0} entities/s); {failed} sources not read",
        secs * 1000.0,
        total as f64 / secs
    );
    Ok(())
}
