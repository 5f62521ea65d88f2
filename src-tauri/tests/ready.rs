//! The interactive-window line `scripts/bench_startup.py` parses, and that it
//! is printed once however often the UI reports.

use std::time::Duration;

use hearth_app::ready::{
    interactive, interactive_line, mark_process_start, report_interactive, since_start,
};

#[test]
fn the_line_names_the_milliseconds_and_the_accounts() {
    assert_eq!(
        interactive_line(Duration::from_micros(412_900), 3),
        "window interactive after 412 ms with 3 accounts"
    );
    assert_eq!(
        interactive_line(Duration::ZERO, 1),
        "window interactive after 0 ms with 1 account"
    );
}

/// One test, since the report is process-wide: waiting, the first report,
/// the ones after it.
#[tokio::test]
async fn only_the_first_report_counts_and_it_ends_the_wait() {
    mark_process_start();
    let waiter = tokio::spawn(interactive());
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert!(!waiter.is_finished(), "no report yet");
    let first = report_interactive(2).expect("the first report prints its line");
    assert!(first.ends_with(" ms with 2 accounts"), "{first}");
    let ms: u64 = first
        .strip_prefix("window interactive after ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a number of milliseconds");
    assert!(ms >= 5, "{first}");
    assert!(since_start() >= Duration::from_millis(5));
    tokio::time::timeout(Duration::from_secs(5), waiter)
        .await
        .expect("the wait ends after the report")
        .unwrap();
    tokio::time::timeout(Duration::from_secs(5), interactive())
        .await
        .expect("and is over at once afterwards");
    assert_eq!(report_interactive(2), None);
    assert_eq!(report_interactive(5), None);
}
