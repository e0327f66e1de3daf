//! Feeds arbitrary bytes to the mas reader (as `schedule.html`); the read must end without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("schedule.html");
    std::fs::write(&path, data).expect("write");
    if let Ok(reader) = saring::lists::mas::read(&path) {
        for event in reader {
            if event.is_err() {
                break;
            }
        }
    }
});
