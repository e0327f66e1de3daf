//! Feeds arbitrary bytes to the dowjones reader (as `pfa.xml`); the read must end without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("pfa.xml");
    std::fs::write(&path, data).expect("write");
    if let Ok(reader) = saring::lists::dowjones::read(&path) {
        for event in reader {
            if event.is_err() {
                break;
            }
        }
    }
});
