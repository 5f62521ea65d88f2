//! Drawing a `tg://login` URL as a QR code on a terminal, two rows of modules per line with
//! Unicode half blocks (the `qrcode` crate's renderer), light on dark inverted so phones
//! read it on dark and light terminals alike.

use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;

/// The QR code of `url` as lines of text, or `None` if it cannot be encoded.
pub fn draw(url: &str) -> Option<String> {
    let code = QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_login_url_becomes_a_square_of_half_blocks() {
        let text = super::draw("tg://login?token=AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA")
            .expect("encodable");
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() > 10);
        let width = lines[0].chars().count();
        assert!(lines.iter().all(|l| l.chars().count() == width));
        // Two module rows per line: about half as many lines as columns.
        assert!(lines.len() * 2 >= width && lines.len() * 2 <= width + 2);
        assert!(text.contains('█') || text.contains('▀') || text.contains('▄'));
    }
}
