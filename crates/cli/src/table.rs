//! The human-readable report: a DC × route table, then the next steps.

use std::fmt::Write;

use hearth_diagnose::{ProbeResult, Summary};

fn ms(d: Option<std::time::Duration>) -> String {
    d.map_or_else(
        || "-".into(),
        |d| format!("{:.1}", d.as_secs_f64() * 1000.0),
    )
}

/// Renders the table and the closing advice.
pub fn render(results: &[ProbeResult], summary: &Summary) -> String {
    let header = [
        "DC",
        "FAMILY",
        "ADDRESS",
        "TRANSPORT",
        "ROUTE",
        "STATUS",
        "CONNECT",
        "RTT",
        "VERDICT",
    ];
    let rows: Vec<[String; 9]> = results
        .iter()
        .map(|r| {
            let dc = if r.spec.media_only {
                format!("{} (media)", r.spec.dc_id)
            } else {
                r.spec.dc_id.to_string()
            };
            [
                dc,
                r.spec.family.as_str().into(),
                r.spec.address.to_string(),
                r.spec.transport.as_str().into(),
                r.spec.route_label(),
                if r.ok() { "OK" } else { "FAIL" }.into(),
                ms(r.connect),
                ms(r.rtt),
                r.verdict.title(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &[String]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                s.push_str(cell);
            } else {
                let _ = write!(s, "{cell:<w$}  ");
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(&mut out, &header.map(String::from));
    for row in &rows {
        line(&mut out, row);
    }
    let _ = writeln!(
        out,
        "\n{} of {} probes succeeded; DCs reachable: {}; unreachable: {}.",
        summary.ok,
        summary.probes,
        list(&summary.reachable_dcs),
        list(&summary.unreachable_dcs)
    );
    if !summary.working_routes.is_empty() {
        let _ = writeln!(
            out,
            "Working routes: {}.",
            summary.working_routes.join(", ")
        );
    }
    if summary.next_steps.is_empty() {
        let _ = writeln!(out, "Every probe succeeded: nothing to do.");
    } else {
        let _ = writeln!(out, "\nNext steps:");
        for s in &summary.next_steps {
            let _ = writeln!(out, "  - {s}");
        }
    }
    out
}

fn list(ids: &[i32]) -> String {
    if ids.is_empty() {
        "none".into()
    } else {
        ids.iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}
