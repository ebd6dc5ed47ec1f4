// SPDX-License-Identifier: Apache-2.0
//! The TOTP secret as an authenticator app takes it: an `otpauth://` URI, drawn as a QR code
//! in the terminal.

use qrcode::QrCode;

use crate::http::percent_encode;
use qrcode::render::unicode::Dense1x2;

/// `otpauth://totp/<issuer>:<account>?secret=...&issuer=...`, the key URI format authenticator
/// apps read (SHA-1, 6 digits, 30 s are their defaults, and Cognito's).
pub fn otpauth_uri(issuer: &str, account: &str, secret: &str) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period=30",
        percent_encode(issuer),
        percent_encode(account),
        percent_encode(issuer)
    )
}

/// The URI as a QR code of half-height block characters, with its quiet zone, dark modules
/// drawn light so it scans from terminals with dark backgrounds as well as light ones.
pub fn render(uri: &str) -> Result<String, qrcode::types::QrError> {
    let code = QrCode::new(uri.as_bytes())?;
    Ok(code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_escapes_the_label_and_keeps_the_secret() {
        assert_eq!(
            otpauth_uri(
                "Cognito MFA example",
                "jane@example.com",
                "JBSWY3DPEHPK3PXP"
            ),
            "otpauth://totp/Cognito%20MFA%20example:jane%40example.com?secret=JBSWY3DPEHPK3PXP\
             &issuer=Cognito%20MFA%20example&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn renders_a_square_code() {
        let drawn = render("otpauth://totp/x:y?secret=JBSWY3DPEHPK3PXP").unwrap();
        let lines: Vec<&str> = drawn.lines().collect();
        let width = lines[0].chars().count();
        assert!(width > 20);
        assert!(lines.iter().all(|line| line.chars().count() == width));
        // Two modules per character row: about half as many rows as columns.
        assert!((lines.len() * 2).abs_diff(width) <= 1);
    }
}
