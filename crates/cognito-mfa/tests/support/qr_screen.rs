// SPDX-License-Identifier: Apache-2.0
//! Reads a QR code back from terminal output, as a phone would from the screen: test support.
//!
//! Include it with `#[path = "support/qr_screen.rs"] mod qr_screen;` from a file in `tests/`.
//!
//! The code is expected drawn with half blocks, two modules per character cell (`█` both, `▀`
//! the upper, `▄` the lower, a space neither), in the foreground colour. SGR colour codes are
//! followed: black (30, 90) and white (37, 97) in the foreground and background (40, 100, 47,
//! 107); the terminal's own colours count as dark text on a light background, which is how a
//! capture without escapes reads too. Other escape sequences are skipped, `\r` is ignored, and
//! cursor movement is not understood: the output must be written line by line.

/// Decodes the first QR code found in `screen_text`: a run of lines holding only half blocks
/// and spaces (indented or not) among lines of other text.
pub fn decode_terminal_qr(screen_text: &str) -> Option<String> {
    let lines = cells_by_line(screen_text);
    code_blocks(&lines).into_iter().find_map(decode_block)
}

/// Drawn light around the block found, as the lines around it on the screen may be anything.
const MARGIN_MODULES: usize = 4;
const PIXELS_PER_MODULE: usize = 4;

/// One character cell: the upper and lower half, `true` for dark; `None` for anything but a
/// half block or a space.
type Cell = Option<(bool, bool)>;

#[derive(Clone, Copy)]
struct Colours {
    foreground_dark: bool,
    background_dark: bool,
}

impl Colours {
    const TERMINAL_DEFAULT: Self = Self {
        foreground_dark: true,
        background_dark: false,
    };

    fn cell(self, character: char) -> Cell {
        let (ink, paper) = (self.foreground_dark, self.background_dark);
        match character {
            '█' => Some((ink, ink)),
            '▀' => Some((ink, paper)),
            '▄' => Some((paper, ink)),
            ' ' => Some((paper, paper)),
            _ => None,
        }
    }

    fn apply_sgr(&mut self, parameters: &str) {
        let mut codes = parameters
            .split(';')
            .map(|code| code.parse::<u32>().unwrap_or(0));
        while let Some(code) = codes.next() {
            match code {
                0 => *self = Self::TERMINAL_DEFAULT,
                30 | 90 => self.foreground_dark = true,
                37 | 97 => self.foreground_dark = false,
                39 => self.foreground_dark = Self::TERMINAL_DEFAULT.foreground_dark,
                40 | 100 => self.background_dark = true,
                47 | 107 => self.background_dark = false,
                49 => self.background_dark = Self::TERMINAL_DEFAULT.background_dark,
                // Extended colours: skip their arguments, which would read as other codes.
                38 | 48 | 58 => {
                    let arguments = match codes.next() {
                        Some(5) => 1,
                        Some(2) => 3,
                        _ => 0,
                    };
                    codes.by_ref().take(arguments).for_each(|_| {});
                }
                _ => {}
            }
        }
    }
}

/// The screen's lines as cells, colours carried from line to line as a terminal does.
fn cells_by_line(screen_text: &str) -> Vec<Vec<Cell>> {
    let mut colours = Colours::TERMINAL_DEFAULT;
    let mut lines = vec![Vec::new()];
    let mut characters = screen_text.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '\n' => lines.push(Vec::new()),
            '\r' => {}
            '\x1b' => {
                if let Some(parameters) = skip_escape(&mut characters) {
                    colours.apply_sgr(&parameters);
                }
            }
            _ => lines.last_mut().unwrap().push(colours.cell(character)),
        }
    }
    lines
}

/// Consumes an escape sequence after its ESC; the parameters of an SGR (`ESC [ ... m`).
fn skip_escape(characters: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<String> {
    if characters.next_if_eq(&'[').is_none() {
        characters.next();
        return None;
    }
    let mut parameters = String::new();
    for character in characters.by_ref() {
        if ('\x40'..='\x7e').contains(&character) {
            return (character == 'm').then_some(parameters);
        }
        parameters.push(character);
    }
    None
}

/// Runs of consecutive lines made only of half-block cells with something dark in them.
fn code_blocks(lines: &[Vec<Cell>]) -> Vec<&[Vec<Cell>]> {
    let is_code_line = |line: &Vec<Cell>| {
        line.iter().all(Option::is_some)
            && line.iter().flatten().any(|&(top, bottom)| top || bottom)
    };
    let mut blocks = Vec::new();
    let mut start = None;
    for (index, line) in lines.iter().enumerate() {
        match (is_code_line(line), start) {
            (true, None) => start = Some(index),
            (false, Some(first)) => {
                blocks.push(&lines[first..index]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(first) = start {
        blocks.push(&lines[first..]);
    }
    blocks
}

/// The block as an image, each module a square of pixels, handed to a QR decoder.
fn decode_block(block: &[Vec<Cell>]) -> Option<String> {
    let columns = block.iter().map(Vec::len).max()?;
    let module_is_dark = |x: usize, y: usize| {
        let (x, y) = (
            x.checked_sub(MARGIN_MODULES)?,
            y.checked_sub(MARGIN_MODULES)?,
        );
        let (top, bottom) = (*block.get(y / 2)?.get(x)?)?;
        Some(if y % 2 == 0 { top } else { bottom })
    };
    let width = (columns + 2 * MARGIN_MODULES) * PIXELS_PER_MODULE;
    let height = (2 * block.len() + 2 * MARGIN_MODULES) * PIXELS_PER_MODULE;
    let mut image = rqrr::PreparedImage::prepare_from_bitmap(width, height, |x, y| {
        module_is_dark(x / PIXELS_PER_MODULE, y / PIXELS_PER_MODULE).unwrap_or(false)
    });
    image
        .detect_grids()
        .iter()
        .find_map(|grid| grid.decode().ok())
        .map(|(_, text)| text)
}
