//! Feeds arbitrary bytes to the OFAC CSV reader as `sdn.csv` (the first half) and `alt.csv` (the
//! second half) of a set; the read must end without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let (main, alt) = data.split_at(data.len() / 2);
    std::fs::write(dir.path().join("sdn.csv"), main).expect("write");
    std::fs::write(dir.path().join("alt.csv"), alt).expect("write");
    if let Ok(reader) = saring::lists::ofac_csv::read(dir.path()) {
        for event in reader {
            if event.is_err() {
                break;
            }
        }
    }
});
