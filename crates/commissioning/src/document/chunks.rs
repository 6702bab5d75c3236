//! The text of many items, formatted on two threads and written in order.
//!
//! A million rows of a result take longer to format than to compute. The items are cut into
//! chunks of [`CHUNK`]: this thread formats the even chunks and writes them, a helper thread
//! formats the odd ones into buffers that come back, in order, through a channel holding at
//! most two, so the text in memory at any time is a few chunks whatever the count. Buffers
//! are handed back to the helper for reuse. Results of fewer than [`PARALLEL_FROM`] items
//! (everything but the largest) are formatted on this thread alone, with no thread started,
//! and so is everything where the system refuses a thread.

use std::io::Write;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Items a chunk.
const CHUNK: usize = 4096;
/// The fewest items worth a second thread.
const PARALLEL_FROM: usize = 4 * CHUNK;

/// Writes the text of `items` to `out`, in order: `format` writes one chunk's text, given the
/// position of its first item (so that it knows which item comes first of all).
pub(crate) fn write_in_order<T: Sync>(
    out: &mut impl Write,
    items: &[T],
    format: impl Fn(&mut Vec<u8>, usize, &[T]) -> std::io::Result<()> + Sync,
) -> std::io::Result<()> {
    if items.len() >= PARALLEL_FROM {
        let shared = std::thread::scope(|scope| {
            let (done, from_helper) = sync_channel::<std::io::Result<Vec<u8>>>(2);
            let (to_helper, spare) = sync_channel::<Vec<u8>>(2);
            let format = &format;
            let started = std::thread::Builder::new()
                .name("format".into())
                .spawn_scoped(scope, move || helper(items, format, &done, &spare));
            // Where no thread can be started (a process limit), this thread does it all.
            started
                .is_ok()
                .then(|| alternate(out, items, format, &from_helper, &to_helper))
        });
        if let Some(written) = shared {
            return written;
        }
    }
    let mut mine = Vec::new();
    for (k, part) in items.chunks(CHUNK).enumerate() {
        mine.clear();
        format(&mut mine, k.saturating_mul(CHUNK), part)?;
        out.write_all(&mine)?;
    }
    Ok(())
}

/// Formats and writes the even chunks, and writes the helper's odd ones between them.
fn alternate<T>(
    out: &mut impl Write,
    items: &[T],
    format: &impl Fn(&mut Vec<u8>, usize, &[T]) -> std::io::Result<()>,
    from_helper: &Receiver<std::io::Result<Vec<u8>>>,
    to_helper: &SyncSender<Vec<u8>>,
) -> std::io::Result<()> {
    let mut mine = Vec::new();
    for (k, part) in items.chunks(CHUNK).enumerate() {
        if k % 2 == 0 {
            mine.clear();
            format(&mut mine, k.saturating_mul(CHUNK), part)?;
            out.write_all(&mine)?;
        } else {
            let text = from_helper
                .recv()
                .map_err(|_| std::io::Error::other("the formatting thread stopped"))??;
            out.write_all(&text)?;
            // Reused by the helper if it has room; dropped otherwise.
            let _ = to_helper.try_send(text);
        }
    }
    Ok(())
}

/// Formats the odd chunks, in order, until they are done or the writer stops listening.
fn helper<T>(
    items: &[T],
    format: &(impl Fn(&mut Vec<u8>, usize, &[T]) -> std::io::Result<()> + Sync),
    done: &SyncSender<std::io::Result<Vec<u8>>>,
    spare: &Receiver<Vec<u8>>,
) {
    for (k, part) in items.chunks(CHUNK).enumerate().skip(1).step_by(2) {
        let mut text = spare.try_recv().unwrap_or_default();
        text.clear();
        let formatted = format(&mut text, k.saturating_mul(CHUNK), part).map(|()| text);
        let failed = formatted.is_err();
        if done.send(formatted).is_err() || failed {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(out: &mut Vec<u8>, start: usize, part: &[u32]) -> std::io::Result<()> {
        for (i, n) in part.iter().enumerate() {
            let sep = if start == 0 && i == 0 { "" } else { "," };
            write!(out, "{sep}{n}")?;
        }
        Ok(())
    }

    #[test]
    fn the_text_is_in_order_at_every_size() {
        for len in [
            0,
            1,
            CHUNK - 1,
            CHUNK,
            PARALLEL_FROM - 1,
            PARALLEL_FROM,
            PARALLEL_FROM + 1,
            10 * CHUNK + 17,
        ] {
            let items: Vec<u32> = (0..u32::try_from(len).unwrap()).collect();
            let mut out = Vec::new();
            write_in_order(&mut out, &items, numbers).unwrap();
            let expected: Vec<String> = items.iter().map(u32::to_string).collect();
            assert_eq!(String::from_utf8(out).unwrap(), expected.join(","), "{len}");
        }
    }

    #[test]
    fn a_formatting_error_on_either_thread_is_returned() {
        let items: Vec<u32> = (0..u32::try_from(PARALLEL_FROM * 2).unwrap()).collect();
        for bad_chunk in [0usize, 1, 2, 5] {
            let failing = |out: &mut Vec<u8>, start: usize, part: &[u32]| {
                if start / CHUNK == bad_chunk {
                    return Err(std::io::Error::other(format!("chunk {bad_chunk}")));
                }
                numbers(out, start, part)
            };
            let err = write_in_order(&mut Vec::new(), &items, failing).unwrap_err();
            assert_eq!(err.to_string(), format!("chunk {bad_chunk}"));
        }
    }

    /// A writer that fails after some bytes, as a closed pipe does.
    struct Closing(usize);

    impl Write for Closing {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.0 < buf.len() {
                return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
            }
            self.0 = self.0.saturating_sub(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_writer_that_stops_stops_both_threads() {
        let items: Vec<u32> = (0..u32::try_from(PARALLEL_FROM * 4).unwrap()).collect();
        let err = write_in_order(&mut Closing(100_000), &items, numbers).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe);
    }
}
