// SPDX-License-Identifier: Apache-2.0
//! What the scenario prints: numbered steps, the API action each called, and its result.
//! Secrets are never handed to it, so it cannot print them.

use std::io::Write;

pub struct Report {
    out: Box<dyn Write + Send>,
}

impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Report")
    }
}

impl Report {
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        Self { out }
    }

    pub fn stdout() -> Self {
        Self::new(Box::new(std::io::stdout()))
    }

    // Output that cannot be written (a closed pipe) is not worth failing the scenario for.
    fn write(&mut self, text: &str) {
        let _ = writeln!(self.out, "{text}");
        let _ = self.out.flush();
    }

    pub fn heading(&mut self, text: &str) {
        self.write(text);
    }

    pub fn step(&mut self, number: u32, title: &str) {
        self.write(&format!("\n{number}. {title}"));
    }

    /// One API call and what came of it.
    pub fn call(&mut self, action: &str, result: &str) {
        self.write(&format!("   {action}: {result}"));
    }

    pub fn line(&mut self, text: &str) {
        self.write(&format!("   {text}"));
    }

    /// A user error and the way on.
    pub fn problem(&mut self, text: &str) {
        self.write(&format!("   ! {text}"));
    }

    /// Pre-formatted lines (the QR code), as they are.
    pub fn block(&mut self, text: &str) {
        for line in text.lines() {
            self.write(&format!("   {line}"));
        }
    }
}
