// SPDX-License-Identifier: Apache-2.0
//! The TOTP secret as an authenticator app takes it: an `otpauth://` URI, drawn as a QR code
//! in the terminal or saved as an SVG or PNG file.
//!
//! The code has to fit an 80x24 terminal with a line above it and the key and a prompt below,
//! so the URI is kept short enough for a version 4 code (33 modules): 37 columns by 19 rows with
//! its quiet zone.

use std::fmt;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use qrcode::render::svg;
use qrcode::types::QrError;
use qrcode::{Color, EcLevel, QrCode, Version};

/// The issuer authenticator apps show above the account: short, so it costs the label little.
pub const ISSUER: &str = "Cognito";

/// The code size the label is cut to fit: version 4 is 33 modules a side, which drawn two per
/// character cell still fits 24 rows with the lines around it.
const TARGET_VERSION: i16 = 4;

/// Below this many characters a cut account name stops being recognisable: the code grows a
/// version instead (a 52-character secret needs version 5 then).
const SHORTEST_CUT_ACCOUNT: usize = 12;

/// Marks an account name that was cut; ASCII, as `…` would cost nine bytes percent-encoded.
const CUT_MARK: &str = "...";

/// The standard asks for 4 modules; phone scanners read a code on a screen with 2, and the 4
/// rows saved are what lets version 4 fit 19 rows.
const TERMINAL_QUIET_ZONE: usize = 2;

/// A file may be printed and photographed, and its size costs nothing: medium error correction.
const FILE_EC_LEVEL: EcLevel = EcLevel::M;
const PNG_PIXELS_PER_MODULE: usize = 8;
const PNG_QUIET_ZONE: usize = 4;

/// Black on white, set explicitly so the code scans whatever the terminal's theme: `0` clears
/// inherited bold or reverse video; `107` (bright white) overrides `47` where it is supported.
const ANSI_DARK_ON_LIGHT: &str = "\x1b[0;30;47;107m";
const ANSI_RESET: &str = "\x1b[0m";

/// `otpauth://totp/<issuer>:<account>?secret=<secret>`, the key URI authenticator apps read;
/// pass [`ISSUER`] unless there is a reason for a longer one.
///
/// Only what the apps cannot assume is there, to keep the QR code small: SHA-1, 6 digits and
/// 30-second steps are their defaults (and Cognito's), and the issuer is in the label, where
/// apps find it when the `issuer` parameter is absent. An account that would take the code past
/// version 4 is cut, to no fewer than 12 characters, and ends in `...`.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &str) -> String {
    // Base32 padding is optional in the key URI format, and `=` would need escaping.
    let secret = secret.trim_end_matches('=');
    let uri_for = |account: &str| {
        format!(
            "otpauth://totp/{}:{}?secret={secret}",
            label_encode(issuer),
            label_encode(account)
        )
    };
    uri_for(&account_that_fits(account, |shown| {
        version_needed(&uri_for(shown))
    }))
}

/// The account as the label shows it: whole if the code stays at [`TARGET_VERSION`] (or at the
/// version the shortest cut needs, if larger), else the longest cut that does.
fn account_that_fits(account: &str, version_for: impl Fn(&str) -> i16) -> String {
    let characters: Vec<char> = account.chars().collect();
    if characters.len() <= SHORTEST_CUT_ACCOUNT {
        return account.to_owned();
    }
    let cut_to = |kept: usize| format!("{}{CUT_MARK}", String::from_iter(&characters[..kept]));
    let allowed = version_for(&cut_to(SHORTEST_CUT_ACCOUNT)).max(TARGET_VERSION);
    if version_for(account) <= allowed {
        return account.to_owned();
    }
    (SHORTEST_CUT_ACCOUNT + 1..characters.len())
        .rev()
        .map(cut_to)
        .find(|shown| version_for(shown) <= allowed)
        .unwrap_or_else(|| cut_to(SHORTEST_CUT_ACCOUNT))
}

/// The smallest version a terminal code of `uri` takes; past 40 when no QR code can hold it.
fn version_needed(uri: &str) -> i16 {
    match qrcode::bits::encode_auto(uri.as_bytes(), EcLevel::L).map(|bits| bits.version()) {
        Ok(Version::Normal(number) | Version::Micro(number)) => number,
        Err(_) => i16::MAX,
    }
}

/// Percent-encodes all but unreserved characters and `@`: an email-like account reads as
/// itself, and `:` (the issuer separator), `?`, `&`, `#`, `%` and `+` cannot be misread.
fn label_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~@".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The URI as a QR code for the terminal, with explicit black-on-white colours; see
/// [`TerminalQr::to_ansi`].
pub fn render(uri: &str) -> Result<String, QrError> {
    TerminalQr::new(uri).map(|code| code.to_ansi())
}

/// A QR code to draw in a terminal with half-block characters: each character cell holds two
/// modules, one above the other, so the code comes out about square.
#[derive(Debug, Clone)]
pub struct TerminalQr {
    version: i16,
    /// Modules per side, the quiet zone included.
    side: usize,
    /// Row by row, `true` for dark.
    dark: Vec<bool>,
}

impl TerminalQr {
    /// The URI's code at low error correction: a screen shows it without smudges, and each
    /// level up would cost a version here.
    pub fn new(uri: &str) -> Result<Self, QrError> {
        let code = QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::L)?;
        let Version::Normal(version) = code.version() else {
            unreachable!("only micro QR codes have other versions, and they are never chosen")
        };
        let (side, dark) = with_quiet_zone(&code, TERMINAL_QUIET_ZONE);
        Ok(Self {
            version,
            side,
            dark,
        })
    }

    /// The QR version, 1 (21 modules a side) to 40 (177).
    pub fn version(&self) -> i16 {
        self.version
    }

    /// Character columns the drawing takes, its quiet zone included.
    pub fn columns(&self) -> usize {
        self.side
    }

    /// Lines the drawing takes, its quiet zone included.
    pub fn rows(&self) -> usize {
        self.side.div_ceil(2)
    }

    /// Whether the drawing fits in `columns` by `rows` character cells: the space left for it
    /// once indentation and the lines around it are counted.
    pub fn fits(&self, columns: usize, rows: usize) -> bool {
        self.columns() <= columns && self.rows() <= rows
    }

    /// One line per two module rows, each coloured black on white and reset at its end. The
    /// glyphs draw the dark modules in the foreground colour.
    pub fn to_ansi(&self) -> String {
        self.lines()
            .map(|line| format!("{ANSI_DARK_ON_LIGHT}{line}{ANSI_RESET}\n"))
            .collect()
    }

    /// The same glyphs without colours, for output that is not a terminal: dark modules are
    /// ink, so it scans where text is dark on light (a file, a light-themed terminal).
    pub fn to_plain(&self) -> String {
        self.lines().map(|line| line + "\n").collect()
    }

    fn lines(&self) -> impl Iterator<Item = String> + '_ {
        (0..self.rows()).map(move |row| {
            (0..self.side)
                .map(|x| half_blocks(self.is_dark(x, 2 * row), self.is_dark(x, 2 * row + 1)))
                .collect()
        })
    }

    /// Outside the code (the half row below an odd side) counts as light: more quiet zone.
    fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.side && y < self.side && self.dark[y * self.side + x]
    }
}

fn half_blocks(top_dark: bool, bottom_dark: bool) -> char {
    match (top_dark, bottom_dark) {
        (true, true) => '█',
        (true, false) => '▀',
        (false, true) => '▄',
        (false, false) => ' ',
    }
}

/// The code's modules surrounded by `quiet_zone` light ones, and the new side length.
fn with_quiet_zone(code: &QrCode, quiet_zone: usize) -> (usize, Vec<bool>) {
    let width = code.width();
    let side = width + 2 * quiet_zone;
    let colors = code.to_colors();
    let mut dark = vec![false; side * side];
    for (index, color) in colors.iter().enumerate() {
        let (x, y) = (index % width + quiet_zone, index / width + quiet_zone);
        dark[y * side + x] = *color == Color::Dark;
    }
    (side, dark)
}

/// The image file formats [`save`] writes, told by the file name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Svg,
    Png,
}

impl ImageFormat {
    /// The format `path` names (`.svg` or `.png`, in either case). Lets a command line check a
    /// path before any secret exists to save.
    pub fn from_path(path: &Path) -> Result<Self, SaveError> {
        let extension = path.extension().and_then(|extension| extension.to_str());
        match extension.map(str::to_ascii_lowercase).as_deref() {
            Some("svg") => Ok(Self::Svg),
            Some("png") => Ok(Self::Png),
            _ => Err(SaveError::UnknownFormat(path.to_owned())),
        }
    }
}

/// Why [`save`] wrote no QR code file.
#[derive(Debug)]
pub enum SaveError {
    /// The file name ends in neither `.svg` nor `.png`.
    UnknownFormat(PathBuf),
    /// The path is a symbolic link, a directory or a device: the secret is written only to a
    /// regular file, not wherever a link points.
    NotARegularFile {
        path: PathBuf,
        found: &'static str,
    },
    /// The URI does not fit a QR code, or the image could not be encoded.
    Encode(String),
    Write {
        path: PathBuf,
        source: io::Error,
    },
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownFormat(path) => write!(
                f,
                "cannot tell which image to write to {}: name the file .svg or .png",
                path.display()
            ),
            Self::NotARegularFile { path, found } => write!(
                f,
                "{} is a {found}; the QR code holds the TOTP secret and is only written to a \
                 regular file",
                path.display()
            ),
            Self::Encode(reason) => write!(f, "cannot make the QR code image: {reason}"),
            Self::Write { path, source } => {
                write!(
                    f,
                    "cannot write the QR code to {}: {source}",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for SaveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Saves the URI's QR code as an SVG or PNG image, as the path's extension says. The file holds
/// the TOTP secret: on Unix it is readable by its owner only (mode 0600), an existing file
/// included.
pub fn save(uri: &str, path: &Path) -> Result<(), SaveError> {
    let format = ImageFormat::from_path(path)?;
    let code = QrCode::with_error_correction_level(uri.as_bytes(), FILE_EC_LEVEL)
        .map_err(|error| SaveError::Encode(error.to_string()))?;
    let image = match format {
        ImageFormat::Svg => svg_document(&code).into_bytes(),
        ImageFormat::Png => png_image(&code)?,
    };
    write_private(path, &image)
}

fn svg_document(code: &QrCode) -> String {
    code.render::<svg::Color>().quiet_zone(true).build()
}

/// One bit per pixel, 1 for white: the smallest PNG that still holds the code exactly.
fn png_image(code: &QrCode) -> Result<Vec<u8>, SaveError> {
    let (side, rows) = packed_pixel_rows(code);
    let side = u32::try_from(side).expect("a QR code image is at most 1,480 pixels a side");
    let encode_error = |error: png::EncodingError| SaveError::Encode(error.to_string());
    let mut image = Vec::new();
    let mut encoder = png::Encoder::new(&mut image, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::One);
    let mut writer = encoder.write_header().map_err(encode_error)?;
    writer.write_image_data(&rows).map_err(encode_error)?;
    writer.finish().map_err(encode_error)?;
    Ok(image)
}

/// The image's side in pixels, and its rows eight pixels to a byte, leftmost in the high bit.
fn packed_pixel_rows(code: &QrCode) -> (usize, Vec<u8>) {
    let (modules, dark) = with_quiet_zone(code, PNG_QUIET_ZONE);
    let side = modules * PNG_PIXELS_PER_MODULE;
    let bytes_per_row = side.div_ceil(8);
    let mut rows = vec![0u8; side * bytes_per_row];
    for y in 0..side {
        for x in 0..side {
            let module = (y / PNG_PIXELS_PER_MODULE) * modules + x / PNG_PIXELS_PER_MODULE;
            if !dark[module] {
                rows[y * bytes_per_row + x / 8] |= 0x80 >> (x % 8);
            }
        }
    }
    (side, rows)
}

/// Creates or truncates `path` and writes `contents`, readable by the owner only on Unix.
fn write_private(path: &Path, contents: &[u8]) -> Result<(), SaveError> {
    refuse_links_and_special_files(path)?;
    let write_error = |source: io::Error| SaveError::Write {
        path: path.to_owned(),
        source,
    };
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(write_error)?;
    // The mode above applies only to a file the open creates; an existing one keeps its own.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(write_error)?;
    }
    file.write_all(contents).map_err(write_error)
}

/// A link could send the secret somewhere the user did not mean, and opening a FIFO to write
/// would hang. (Checked before opening: enough against mistakes, not against a racing attacker
/// who can already write to the directory.)
fn refuse_links_and_special_files(path: &Path) -> Result<(), SaveError> {
    let Ok(metadata) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    let file_type = metadata.file_type();
    let found = if file_type.is_symlink() {
        "symbolic link"
    } else if file_type.is_dir() {
        "directory"
    } else if !file_type.is_file() {
        "special file"
    } else {
        return Ok(());
    };
    Err(SaveError::NotARegularFile {
        path: path.to_owned(),
        found,
    })
}

#[cfg(test)]
#[path = "../tests/support/qr_screen.rs"]
mod qr_screen;

#[cfg(test)]
mod tests {
    use super::qr_screen::decode_terminal_qr;
    use super::*;

    /// What the emulator's AssociateSoftwareToken returns: 32 base32 characters, a 20-byte key.
    const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    #[test]
    fn uri_has_the_label_and_secret_and_no_defaults() {
        assert_eq!(
            otpauth_uri(ISSUER, "jane@example.com", SECRET),
            format!("otpauth://totp/Cognito:jane@example.com?secret={SECRET}")
        );
    }

    #[test]
    fn label_escapes_what_would_change_the_uri() {
        assert_eq!(
            otpauth_uri("My App", "a:b&c?d#e%f+g h", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/My%20App:a%3Ab%26c%3Fd%23e%25f%2Bg%20h?secret=JBSWY3DPEHPK3PXP"
        );
    }

    #[test]
    fn secret_padding_is_dropped() {
        assert!(
            otpauth_uri(ISSUER, "jane", "JBSWY3DPEHPK3PXP======").ends_with("=JBSWY3DPEHPK3PXP")
        );
    }

    #[test]
    fn a_long_account_is_cut_to_keep_version_4() {
        let account = "a.very.long.username.that.goes.on@example.com";
        let uri = otpauth_uri(ISSUER, account, SECRET);
        assert_eq!(
            uri,
            format!("otpauth://totp/Cognito:a.very.long.usernam...?secret={SECRET}")
        );
        assert_eq!(TerminalQr::new(&uri).unwrap().version(), 4);
    }

    #[test]
    fn a_cut_account_keeps_at_least_12_characters() {
        let uri = otpauth_uri(
            "A much longer issuer name than Cognito",
            &"x".repeat(128),
            SECRET,
        );
        assert!(uri.contains("x...?"), "{uri}");
        assert!(uri.matches('x').count() >= SHORTEST_CUT_ACCOUNT, "{uri}");
        assert!(TerminalQr::new(&uri).unwrap().version() > TARGET_VERSION);
    }

    fn account_of_length(length: usize) -> String {
        let domain = "@example.com";
        match length.checked_sub(domain.len()) {
            Some(local) if local > 0 => format!("{}{domain}", "j".repeat(local)),
            _ => "j".repeat(length),
        }
    }

    /// 52 characters, a 32-byte key: longer than the emulator's, as Cognito's may be.
    const LONG_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSW";

    /// Measured: (secret, account length, version, columns, rows). With a 32-character secret
    /// accounts of up to 22 characters are whole, longer ones cut, and the code stays version 4.
    #[test]
    fn measured_sizes_fit_80_by_24() {
        let measured = [
            (&SECRET[..16], 4, 3, 33, 17),
            (SECRET, 4, 4, 37, 19),
            (SECRET, 20, 4, 37, 19),
            (SECRET, 30, 4, 37, 19),
            (SECRET, 128, 4, 37, 19),
            (LONG_SECRET, 8, 4, 37, 19),
            (LONG_SECRET, 20, 5, 41, 21),
            (LONG_SECRET, 128, 5, 41, 21),
        ];
        for (secret, length, version, columns, rows) in measured {
            let account = account_of_length(length);
            let code = TerminalQr::new(&otpauth_uri(ISSUER, &account, secret)).unwrap();
            assert_eq!(
                (code.version(), code.columns(), code.rows()),
                (version, columns, rows),
                "{account} with a {}-character secret",
                secret.len()
            );
        }
    }

    #[test]
    fn accounts_up_to_22_characters_are_not_cut() {
        for length in 1..=22 {
            let account = account_of_length(length);
            let uri = otpauth_uri(ISSUER, &account, SECRET);
            assert!(uri.contains(&format!(":{account}?")), "{uri}");
        }
    }

    #[test]
    fn a_long_secret_takes_a_version_more_rather_than_cut_below_12_characters() {
        let account = account_of_length(40);
        let uri = otpauth_uri(ISSUER, &account, LONG_SECRET);
        assert_eq!(TerminalQr::new(&uri).unwrap().version(), 5);
        assert!(uri.contains(&format!(":{}...?", &account[..33])), "{uri}");
    }

    #[test]
    fn a_shorter_secret_leaves_room_for_a_longer_account() {
        let account = account_of_length(30);
        let uri = otpauth_uri(ISSUER, &account, "JBSWY3DPEHPK3PXP");
        assert!(uri.contains(&format!(":{account}?")), "{uri}");
    }

    #[test]
    fn fits_compares_both_dimensions() {
        let code = TerminalQr::new(&otpauth_uri(ISSUER, "jane.doe@example.com", SECRET)).unwrap();
        assert_eq!((code.columns(), code.rows()), (37, 19));
        assert!(code.fits(37, 19));
        assert!(code.fits(80, 24));
        assert!(!code.fits(36, 24));
        assert!(!code.fits(80, 18));
    }

    #[test]
    fn every_line_is_black_on_white_and_resets() {
        let drawn = render(&otpauth_uri(ISSUER, "jane", SECRET)).unwrap();
        for line in drawn.lines() {
            assert!(line.starts_with(ANSI_DARK_ON_LIGHT), "{line:?}");
            assert!(line.ends_with(ANSI_RESET), "{line:?}");
            assert_eq!(line.matches('\x1b').count(), 2, "{line:?}");
        }
    }

    #[test]
    fn quiet_zone_is_light() {
        let code = TerminalQr::new(&otpauth_uri(ISSUER, "jane", SECRET)).unwrap();
        let plain = code.to_plain();
        let lines: Vec<Vec<char>> = plain.lines().map(|line| line.chars().collect()).collect();
        assert_eq!(lines.len(), code.rows());
        assert!(lines[0].iter().all(|&cell| cell == ' '));
        for line in &lines {
            assert_eq!(line.len(), code.columns());
            assert_eq!(line[..TERMINAL_QUIET_ZONE], [' '; TERMINAL_QUIET_ZONE]);
            assert_eq!(
                line[line.len() - TERMINAL_QUIET_ZONE..],
                [' '; TERMINAL_QUIET_ZONE]
            );
        }
        // An odd side: the last line's lower half is past the code, the upper half quiet zone.
        assert!(lines[lines.len() - 1].iter().all(|&cell| cell == ' '));
    }

    #[test]
    fn coloured_drawing_decodes_to_the_uri() {
        let uri = otpauth_uri(ISSUER, "jane.doe@example.com", SECRET);
        assert_eq!(decode_terminal_qr(&render(&uri).unwrap()), Some(uri));
    }

    #[test]
    fn plain_drawing_decodes_to_the_uri() {
        let uri = otpauth_uri(ISSUER, "jane", SECRET);
        let plain = TerminalQr::new(&uri).unwrap().to_plain();
        assert_eq!(decode_terminal_qr(&plain), Some(uri));
    }

    #[test]
    fn drawing_is_found_among_other_lines() {
        let uri = otpauth_uri(ISSUER, &account_of_length(128), SECRET);
        let indented: String = render(&uri)
            .unwrap()
            .lines()
            .map(|line| format!("   {line}\r\n"))
            .collect();
        let screen = format!(
            "\x1b[1m7. Enrol an authenticator\x1b[0m\r\n   Scan this QR code with an \
             authenticator app:\r\n{indented}   Or enter this key by hand: {SECRET}\r\n\
             TOTP code (6 digits): "
        );
        assert_eq!(decode_terminal_qr(&screen), Some(uri));
    }

    #[test]
    fn the_decoder_honours_colours() {
        // Light glyphs on black: what the old inverted drawing looked like to a light terminal.
        let inverted = render(&otpauth_uri(ISSUER, "jane", SECRET))
            .unwrap()
            .replace(ANSI_DARK_ON_LIGHT, "\x1b[0;97;40m");
        assert_eq!(decode_terminal_qr(&inverted), None);
    }

    #[test]
    fn a_screen_without_a_code_decodes_to_nothing() {
        assert_eq!(decode_terminal_qr("just text\n\n  more ▀ text\n"), None);
    }

    #[cfg(unix)]
    fn file_mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn saves_an_svg_document_only_the_owner_can_read() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("totp.svg");
        save(&otpauth_uri(ISSUER, "jane", SECRET), &path).unwrap();
        let document = std::fs::read_to_string(&path).unwrap();
        assert!(document.starts_with("<?xml"), "{document}");
        assert!(document.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(document.trim_end().ends_with("</svg>"));
        assert_eq!(file_mode(&path), 0o600);
    }

    fn decode_png(path: &Path) -> Option<String> {
        let mut decoder = png::Decoder::new(io::BufReader::new(std::fs::File::open(path).unwrap()));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut pixels).unwrap();
        assert_eq!(frame.color_type, png::ColorType::Grayscale);
        let (width, height) = (frame.width as usize, frame.height as usize);
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
            pixels[y * frame.line_size + x]
        });
        let grids = image.detect_grids();
        grids
            .first()
            .and_then(|grid| grid.decode().ok())
            .map(|(_, text)| text)
    }

    #[cfg(unix)]
    #[test]
    fn saves_a_png_that_decodes_to_the_uri() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("totp.PNG");
        let uri = otpauth_uri(ISSUER, "jane.doe@example.com", SECRET);
        save(&uri, &path).unwrap();
        assert_eq!(decode_png(&path), Some(uri));
        assert_eq!(file_mode(&path), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn overwrites_an_existing_file_and_makes_it_private() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("totp.svg");
        std::fs::write(&path, "x".repeat(100_000)).unwrap();
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        save(&otpauth_uri(ISSUER, "jane", SECRET), &path).unwrap();
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("<?xml"));
        assert_eq!(file_mode(&path), 0o600);
    }

    #[test]
    fn refuses_an_unknown_extension() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("totp.jpg");
        let error = save(&otpauth_uri(ISSUER, "jane", SECRET), &path).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "cannot tell which image to write to {}: name the file .svg or .png",
                path.display()
            )
        );
        assert!(!path.exists());
        assert!(ImageFormat::from_path(Path::new("totp")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_to_write_through_a_symbolic_link() {
        let directory = tempfile::tempdir().unwrap();
        let target = directory.path().join("elsewhere.txt");
        std::fs::write(&target, "keep me").unwrap();
        let link = directory.path().join("totp.png");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let error = save(&otpauth_uri(ISSUER, "jane", SECRET), &link).unwrap_err();
        assert!(matches!(
            error,
            SaveError::NotARegularFile {
                found: "symbolic link",
                ..
            }
        ));
        assert!(error.to_string().contains("is a symbolic link"), "{error}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    }
}
