// SPDX-License-Identifier: Apache-2.0
//! What the scenario prints: numbered steps, the API action each called, and its result,
//! wrapped at word boundaries to the terminal's width. Secrets are never handed to it, so it
//! cannot print them.

use std::io::{IsTerminal, Write};

/// Every line the scenario prints below a step heading starts with this.
const INDENT: &str = "   ";
/// A problem: something the person did or the service refused, with the way on.
const PROBLEM: &str = "   ! ";

/// The size of the terminal on standard output, in columns and rows; `None` when it is not a
/// terminal (a pipe or a file takes lines of any length).
pub fn terminal_size() -> Option<(usize, usize)> {
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    let (columns, rows) = terminal_size::terminal_size_of(&stdout)?;
    Some((usize::from(columns.0), usize::from(rows.0)))
}

/// Wraps `text` at spaces so no line is longer than `width` (a longer word, such as a URL,
/// keeps a line of its own): the first line starts with `first`, the others with `rest`.
pub fn wrap(first: &str, rest: &str, text: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return format!("{first}{text}");
    };
    let mut out = String::new();
    let mut line = String::from(first);
    let mut empty = true;
    for word in text.split(' ').filter(|word| !word.is_empty()) {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out
}

/// A problem line, as the scenario and the prompts both show one.
pub fn problem(text: &str, width: Option<usize>) -> String {
    wrap(PROBLEM, "     ", text, width)
}

pub struct Report {
    out: Box<dyn Write + Send>,
    /// The terminal's size, when the output is one.
    size: Option<(usize, usize)>,
}

impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report").field("size", &self.size).finish()
    }
}

impl Report {
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        Self { out, size: None }
    }

    pub fn stdout() -> Self {
        Self {
            out: Box::new(std::io::stdout()),
            size: terminal_size(),
        }
    }

    /// As if printing to a terminal of this size: lines wrap to its width.
    pub fn with_size(mut self, columns: usize, rows: usize) -> Self {
        self.size = Some((columns, rows));
        self
    }

    /// Columns and rows of the terminal the report goes to, if it goes to one.
    pub fn size(&self) -> Option<(usize, usize)> {
        self.size
    }

    fn width(&self) -> Option<usize> {
        self.size.map(|(columns, _)| columns)
    }

    // Output that cannot be written (a closed pipe) is not worth failing the scenario for.
    fn write(&mut self, text: &str) {
        let _ = writeln!(self.out, "{text}");
        let _ = self.out.flush();
    }

    pub fn heading(&mut self, text: &str) {
        let leading = text.len() - text.trim_start_matches('\n').len();
        let wrapped = wrap("", "", text.trim_start_matches('\n'), self.width());
        self.write(&format!("{}{wrapped}", "\n".repeat(leading)));
    }

    pub fn step(&mut self, number: u32, title: &str) {
        let wrapped = wrap(&format!("{number}. "), INDENT, title, self.width());
        self.write(&format!("\n{wrapped}"));
    }

    /// One API call and what came of it.
    pub fn call(&mut self, action: &str, result: &str) {
        let wrapped = wrap(
            &format!("{INDENT}{action}: "),
            "     ",
            result,
            self.width(),
        );
        self.write(&wrapped);
    }

    pub fn line(&mut self, text: &str) {
        let wrapped = wrap(INDENT, INDENT, text, self.width());
        self.write(&wrapped);
    }

    /// A user error and the way on.
    pub fn problem(&mut self, text: &str) {
        let wrapped = problem(text, self.width());
        self.write(&wrapped);
    }

    /// Pre-formatted lines (the QR code), as they are, unindented.
    pub fn block(&mut self, text: &str) {
        for line in text.lines() {
            self.write(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_within_the_width() {
        let text = "Running on the Cognito emulator built into this program, at \
                    http://127.0.0.1:40123 (no AWS account, nothing leaves this machine)";
        let wrapped = wrap("", "", text, Some(40));
        assert!(
            wrapped.lines().all(|line| line.chars().count() <= 40),
            "{wrapped}"
        );
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>().join(" "),
            text
        );
        assert_eq!(
            wrap("   ", "     ", "a b", Some(5)),
            "   a\n     b",
            "a word that does not fit goes to the next line"
        );
        assert_eq!(
            wrap("", "", "https://example.com/a/very/long/url", Some(10)),
            "https://example.com/a/very/long/url",
            "a word longer than a line is not cut"
        );
        assert_eq!(wrap("> ", "", "as it is", None), "> as it is");
    }

    #[test]
    fn problems_look_the_same_everywhere() {
        assert_eq!(
            problem("A code is 6 digits.", None),
            "   ! A code is 6 digits."
        );
        assert_eq!(problem("one two", Some(9)), "   ! one\n     two");
    }
}
