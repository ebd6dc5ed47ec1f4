// SPDX-License-Identifier: Apache-2.0
//! The messages a pool would email. Nothing is sent anywhere: each is logged and kept, newest
//! last, for people and tests to read (`GET /_emulator/messages?username=...`).

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;

/// Older messages are dropped past this many, so a long-running emulator stays small.
const KEPT_MESSAGES: usize = 10_000;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Message {
    pub user_pool_id: String,
    pub username: String,
    pub destination: String,
    pub code: String,
    /// `SignUp`, `ResendConfirmationCode`, `AdminCreateUser`.
    pub kind: String,
    pub sent_at: f64,
}

#[derive(Debug, Default)]
pub struct Outbox {
    messages: Mutex<VecDeque<Message>>,
}

impl Outbox {
    pub fn send(&self, message: Message) {
        // Codes are printed on purpose: reading them here is how a person confirms a sign-up.
        tracing::info!(
            pool = %message.user_pool_id,
            username = %message.username,
            destination = %message.destination,
            kind = %message.kind,
            code = %message.code,
            "outbox: message to {}: your code is {}",
            message.destination,
            message.code,
        );
        let mut messages = self.messages.lock().unwrap_or_else(|p| p.into_inner());
        if messages.len() == KEPT_MESSAGES {
            messages.pop_front();
        }
        messages.push_back(message);
    }

    /// Messages to `username` (compared as given), or all messages, oldest first.
    pub fn messages(&self, username: Option<&str>) -> Vec<Message> {
        let messages = self.messages.lock().unwrap_or_else(|p| p.into_inner());
        messages
            .iter()
            .filter(|m| username.is_none_or(|name| m.username == name))
            .cloned()
            .collect()
    }
}

/// `j***@e***.com`-style masking, as CodeDeliveryDetails.Destination shows an email.
pub fn mask_email(email: &str) -> String {
    let Some((local, domain)) = email.split_once('@') else {
        return "***".to_owned();
    };
    let first = |text: &str| text.chars().next().map(String::from).unwrap_or_default();
    let (host, tld) = domain.rsplit_once('.').unwrap_or((domain, ""));
    let tld = if tld.is_empty() {
        String::new()
    } else {
        format!(".{tld}")
    };
    format!("{}***@{}***{}", first(local), first(host), tld)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_the_service() {
        assert_eq!(mask_email("jane.doe@example.com"), "j***@e***.com");
        assert_eq!(mask_email("nobody"), "***");
    }

    #[test]
    fn keeps_messages_in_order_and_filters_by_user() {
        let outbox = Outbox::default();
        for (user, code) in [("a", "1"), ("b", "2"), ("a", "3")] {
            outbox.send(Message {
                user_pool_id: "us-east-1_x".into(),
                username: user.into(),
                destination: "d".into(),
                code: code.into(),
                kind: "SignUp".into(),
                sent_at: 0.0,
            });
        }
        let codes: Vec<_> = outbox
            .messages(Some("a"))
            .into_iter()
            .map(|m| m.code)
            .collect();
        assert_eq!(codes, ["1", "3"]);
        assert_eq!(outbox.messages(None).len(), 3);
    }
}
