//! Reading the files to lint: one open, one size check on the open file, one read into a
//! buffer that each thread reuses (no fresh allocation, page faults and zeroing per file).

use std::cell::RefCell;
use std::io::Read as _;
use std::ops::Deref;
use std::path::Path;

/// Buffers up to this capacity go back to the thread for the next file; larger ones (rare
/// big files) are freed, so an idle thread holds at most this much.
pub const KEEP_CAPACITY: usize = 1 << 20;

thread_local! {
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A file's bytes, in this thread's reusable buffer (returned to it on drop).
pub struct FileBytes(Vec<u8>);

impl Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for FileBytes {
    fn drop(&mut self) {
        let mut buf = std::mem::take(&mut self.0);
        if buf.capacity() <= KEEP_CAPACITY {
            buf.clear();
            // `try_with`: during thread teardown the slot may be gone; then just free.
            let _ = BUFFER.try_with(|slot| {
                if let Ok(mut slot) = slot.try_borrow_mut() {
                    if slot.capacity() < buf.capacity() {
                        *slot = buf;
                    }
                }
            });
        }
    }
}

/// What [`read_file`] got.
pub enum ReadOutcome {
    /// The whole content (possibly shorter than the size the walk saw, if it shrank).
    Bytes(FileBytes),
    /// More than `max` bytes: not read further.
    TooLarge,
}

/// Reads `path` if it holds at most `max` bytes. The size is taken from the open file, and
/// the read itself stops after `max + 1` bytes (a file may grow after the check).
pub fn read_file(path: &Path, max: u64) -> std::io::Result<ReadOutcome> {
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > max {
        return Ok(ReadOutcome::TooLarge);
    }
    let mut buf = BUFFER
        .try_with(|slot| slot.try_borrow_mut().map(|mut b| std::mem::take(&mut *b)))
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    buf.clear();
    // One byte more than the size: the read sees end-of-file without growing the buffer.
    buf.reserve(usize::try_from(len).unwrap_or(usize::MAX).saturating_add(1));
    let mut bytes = FileBytes(buf);
    file.take(max.saturating_add(1)).read_to_end(&mut bytes.0)?;
    if bytes.0.len() as u64 > max {
        return Ok(ReadOutcome::TooLarge);
    }
    Ok(ReadOutcome::Bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_whole_files_and_reuses_the_buffer() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::write(&a, b"hello world").unwrap();
        std::fs::write(&b, b"hi").unwrap();
        let first_ptr = match read_file(&a, 100).unwrap() {
            ReadOutcome::Bytes(bytes) => {
                assert_eq!(&*bytes, b"hello world");
                bytes.as_ptr()
            }
            ReadOutcome::TooLarge => panic!("small file"),
        };
        match read_file(&b, 100).unwrap() {
            ReadOutcome::Bytes(bytes) => {
                assert_eq!(&*bytes, b"hi");
                assert_eq!(bytes.as_ptr(), first_ptr, "the buffer is reused");
            }
            ReadOutcome::TooLarge => panic!("small file"),
        }
    }

    #[test]
    fn too_large_by_size_and_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::write(&a, vec![b'x'; 101]).unwrap();
        assert!(matches!(read_file(&a, 100).unwrap(), ReadOutcome::TooLarge));
        match read_file(&a, 101).unwrap() {
            ReadOutcome::Bytes(bytes) => assert_eq!(bytes.len(), 101),
            ReadOutcome::TooLarge => panic!("at the limit"),
        }
        assert!(read_file(&dir.path().join("missing"), 100).is_err());
    }
}
