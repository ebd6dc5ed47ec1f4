// SPDX-License-Identifier: Apache-2.0
//! The emulator's outbox, which stands in for the user's inbox: `GET <url>/_emulator/messages`.
//! Other emulators have none; then the code has to come another way.

use super::{Mailbox, Scenario};
use crate::http::percent_encode;
use crate::prompt::Prompter;

impl<P: Prompter> Scenario<P> {
    /// With the emulator there is no inbox to open: show the person what the email says.
    pub(super) async fn show_outbox(&mut self, username: &str) {
        let Mailbox::Outbox { url } = self.config.mailbox.clone() else {
            return;
        };
        if self.no_outbox {
            return;
        }
        match self.newest_outbox_code(&url, username).await {
            Ok(code) => self.out.line(&format!(
                "(The emulator's outbox: the newest email to {username} says the code is {code}.)"
            )),
            Err(why) => self.out.line(&format!(
                "{url} has no outbox to show the email from ({why}); type the code the user \
                 received."
            )),
        }
    }

    /// The code in the newest message to `username`, or why there is none. Once the endpoint
    /// has shown it keeps no outbox, it is not asked again.
    pub(super) async fn newest_outbox_code(
        &mut self,
        url: &str,
        username: &str,
    ) -> Result<String, String> {
        if self.no_outbox {
            return Err("it answered no outbox before".to_owned());
        }
        let outbox = match self
            .http
            .get(&format!(
                "{}/_emulator/messages?username={}",
                url.trim_end_matches('/'),
                percent_encode(username)
            ))
            .await
        {
            Ok(outbox) if outbox["Messages"].is_array() => outbox,
            Ok(_) => return Err(self.outbox_missing("it answers something else".to_owned())),
            Err(error) => return Err(self.outbox_missing(error.to_string())),
        };
        outbox["Messages"]
            .as_array()
            .and_then(|messages| messages.last())
            .and_then(|message| message["Code"].as_str())
            .map(str::to_owned)
            .ok_or_else(|| format!("the outbox has no message for {username}"))
    }

    fn outbox_missing(&mut self, why: String) -> String {
        self.no_outbox = true;
        why
    }
}
