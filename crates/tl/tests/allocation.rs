//! What decoding hostile input costs in memory, measured by a counting
//! global allocator (this test binary only).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Mutex;

use hearth_tl::mtproto::special::GzipPacked;
use hearth_tl::{enums, Deserializable, DeserializeError, Serializable, PREALLOC_BYTES};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Tests run on parallel threads; each measurement holds this.
static SERIAL: Mutex<()> = Mutex::new(());

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Relaxed);
    }
    /// Counted as the change in size, as the system allocator resizes large
    /// blocks in place.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now =
                    CURRENT.fetch_add(new_size - layout.size(), Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Relaxed);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Peak bytes allocated on top of what was live when `f` started.
fn peak_during<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let base = CURRENT.load(Relaxed);
    PEAK.store(base, Relaxed);
    let r = f();
    (r, PEAK.load(Relaxed).saturating_sub(base))
}

/// A boxed vector declaring `count` items, followed by `filler` zero bytes.
fn vector_claiming(count: u32, filler: usize) -> Vec<u8> {
    let mut b = 0x1cb5c415u32.to_le_bytes().to_vec();
    b.extend_from_slice(&count.to_le_bytes());
    b.resize(b.len() + filler, 0);
    b
}

#[test]
fn a_lying_vector_count_reserves_no_more_than_the_preallocation_cap() {
    // 1 MiB of input backs a count of 262144 four-byte items; each `Update`
    // is far larger in memory, which the count must not be trusted with.
    let input = vector_claiming(1 << 18, 1 << 20);
    assert!(size_of::<enums::Update>() >= 16);
    let (result, peak) = peak_during(|| Vec::<enums::Update>::from_bytes(&input));
    assert!(matches!(
        result,
        Err(DeserializeError::UnexpectedConstructor { id: 0, .. })
    ));
    assert!(
        peak <= PREALLOC_BYTES + 4096,
        "decoding a lying count allocated {peak} bytes"
    );
}

#[test]
fn honest_large_vectors_still_decode() {
    let items: Vec<i64> = (0..300_000).collect();
    let bytes = items.to_bytes();
    let (decoded, _) = peak_during(|| Vec::<i64>::from_bytes(&bytes));
    assert_eq!(decoded, Ok(items));
    let names: Vec<String> = (0..20_000).map(|i| format!("user{i}")).collect();
    assert_eq!(Vec::<String>::from_bytes(&names.to_bytes()), Ok(names));
}

#[test]
fn a_packed_bomb_costs_at_most_its_budget() {
    let bomb = GzipPacked::pack(&vec![0u8; 8 << 20]);
    let budget = 1 << 20;
    let (result, peak) = peak_during(|| bomb.unpack_within(budget));
    assert_eq!(
        result,
        Err(DeserializeError::GzipTooLarge { limit: budget })
    );
    // The inflater's own window and tables come on top of the buffer.
    assert!(
        peak <= budget + (256 << 10),
        "unpacking allocated {peak} bytes"
    );
}
