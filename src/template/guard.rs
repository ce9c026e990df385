//! Bounds on one template render: output size and time (clean errors from a bounded writer),
//! and, where the binary installs them, memory ([`Guarded`] allocator) and a time watchdog.
//!
//! Tera 2 bounds `range()` to 100,000 items but nothing else: nested loops over data may run
//! for hours without writing, and `{% set s = s ~ s %}` in a loop doubles a string until memory
//! runs out. Both are caught here; the last resort ends the process with a clear message.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Most bytes one letter body may render to (a letter is a few KiB).
pub const MAX_OUTPUT: usize = 16 * 1024 * 1024;

/// Longest one render may take (a letter renders in milliseconds).
pub const MAX_TIME: Duration = Duration::from_secs(5);

/// When the watchdog ends a render that never writes (the bounded writer stops one that
/// writes at [`MAX_TIME`], with the template's name).
pub const WATCHDOG: Duration = Duration::from_secs(7);

/// Most memory one render may take beyond what was in use when it began.
pub const MAX_MEMORY: isize = 256 * 1024 * 1024;

thread_local! {
    /// Net bytes allocated by this thread since its render began, when one is running.
    static RENDER_BYTES: Cell<Option<isize>> = const { Cell::new(None) };
}

/// Milliseconds since [`epoch`] at which the running render began (0: none running).
static RENDER_STARTED: AtomicU64 = AtomicU64::new(0);

fn epoch() -> Instant {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// A render in progress on this thread: while it lives, allocations are counted and the
/// watchdog sees its start time.
pub struct Render {
    started: Instant,
}

impl Render {
    /// Start guarding a render.
    pub fn begin() -> Render {
        let started = Instant::now();
        let ms = started.duration_since(epoch()).as_millis() as u64;
        RENDER_STARTED.store(ms.max(1), Ordering::Relaxed);
        RENDER_BYTES.with(|b| b.set(Some(0)));
        Render { started }
    }
}

impl Drop for Render {
    fn drop(&mut self) {
        RENDER_BYTES.with(|b| b.set(None));
        RENDER_STARTED.store(0, Ordering::Relaxed);
    }
}

/// Which bound a render broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// More than [`MAX_OUTPUT`] bytes.
    Output,
    /// Longer than [`MAX_TIME`].
    Time,
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::Output => write!(
                f,
                "the template wrote more than {} MiB; a letter is a few KiB",
                MAX_OUTPUT / (1024 * 1024)
            ),
            Limit::Time => write!(
                f,
                "the template ran longer than {} s; a letter renders in milliseconds",
                MAX_TIME.as_secs()
            ),
        }
    }
}

impl std::error::Error for Limit {}

/// The hint for a broken bound.
pub const HINT: &str =
    "look for a loop that never ends or nests over large lists, or text that doubles in a loop";

/// A writer that fails past [`MAX_OUTPUT`] bytes or [`MAX_TIME`].
pub struct Bounded<'a> {
    /// What was written so far.
    pub buf: Vec<u8>,
    /// The bound broken, if one was.
    pub broken: Option<Limit>,
    render: &'a Render,
}

impl<'a> Bounded<'a> {
    /// An empty bounded buffer for `render`.
    pub fn new(render: &'a Render) -> Self {
        Bounded {
            buf: Vec::new(),
            broken: None,
            render,
        }
    }
}

impl Write for Bounded<'_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() + data.len() > MAX_OUTPUT {
            self.broken = Some(Limit::Output);
        } else if self.render.started.elapsed() > MAX_TIME {
            self.broken = Some(Limit::Time);
        }
        if let Some(limit) = self.broken {
            return Err(std::io::Error::other(limit));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Last resort for a render that never writes: a thread that ends the process with a clear
/// message when a render runs longer than [`WATCHDOG`]. For the binary only (a library caller may
/// not want its process ended).
pub fn spawn_watchdog() {
    epoch();
    let _ = std::thread::Builder::new()
        .name("render-watchdog".into())
        .spawn(|| loop {
            std::thread::sleep(Duration::from_millis(200));
            let started = RENDER_STARTED.load(Ordering::Relaxed);
            let now = Instant::now().duration_since(epoch()).as_millis() as u64;
            if started != 0 && now.saturating_sub(started) > WATCHDOG.as_millis() as u64 {
                die(b"error: the template ran longer than 7 s and was stopped; a letter renders in milliseconds\nhelp: look for a loop that never ends or nests over large lists\n");
            }
        });
}

/// An allocator that counts what a render allocates and ends the process with a clear message
/// past [`MAX_MEMORY`] (an allocator cannot return an error). Install it in the binary:
/// `#[global_allocator] static A: Guarded<System> = Guarded(System);`
pub struct Guarded<A>(pub A);

fn charge(delta: isize) {
    let over = RENDER_BYTES
        .try_with(|b| match b.get() {
            Some(used) => {
                let used = used.saturating_add(delta);
                b.set(Some(used));
                used > MAX_MEMORY
            }
            None => false,
        })
        .unwrap_or(false);
    if over {
        let _ = RENDER_BYTES.try_with(|b| b.set(None));
        die(b"error: the template used more than 256 MiB and was stopped; a letter needs a few KiB\nhelp: look for text that doubles in a loop ({% set s = s ~ s %})\n");
    }
}

/// Print `message` on stderr and end the process with exit code 1, without allocating.
fn die(message: &[u8]) -> ! {
    let _ = std::io::stderr().write_all(message);
    // SAFETY: `_exit` ends the process at once; nothing else runs.
    unsafe { libc::_exit(1) }
}

// SAFETY: every call is passed through to `A` unchanged; only a counter is updated.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Guarded<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        charge(layout.size() as isize);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        charge(layout.size() as isize);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { self.0.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        charge(-(layout.size() as isize));
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        charge(new_size as isize - layout.size() as isize);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { self.0.realloc(ptr, layout, new_size) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_past_the_bound_is_an_error() {
        let render = Render::begin();
        let mut w = Bounded::new(&render);
        assert!(w.write_all(&vec![b'x'; MAX_OUTPUT]).is_ok());
        assert!(w.write_all(b"y").is_err());
        assert_eq!(w.broken, Some(Limit::Output));
    }
}
