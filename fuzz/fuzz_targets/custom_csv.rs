//! Feeds arbitrary bytes to the custom reader (as `list.csv`); the read must end without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("list.csv");
    std::fs::write(&path, data).expect("write");
    if let Ok(reader) = saring::lists::custom::read(&path, saring::lists::ListFormat::CustomCsv) {
        for event in reader {
            if event.is_err() {
                break;
            }
        }
    }
});
