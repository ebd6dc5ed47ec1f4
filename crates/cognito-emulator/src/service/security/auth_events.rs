// SPDX-License-Identifier: Apache-2.0
//! AdminListUserAuthEvents, AdminUpdateAuthEventFeedback and UpdateAuthEventFeedback: the
//! authentication events recorded for a user (see `events`), newest first, and the feedback
//! given on them. All three need the pool's threat protection on.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::events::{AuthEvent, Factor, Feedback, FeedbackValue};
use super::require_threat_protection;
use crate::service::clock::epoch_seconds;
use crate::service::model::PoolState;
use crate::service::{Empty, Service, ServiceError, ServiceResult};

/// The longest page, and the page when MaxResults is 0 or left out.
const LONGEST_PAGE: usize = 60;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminListUserAuthEventsRequest {
    pub user_pool_id: String,
    pub username: String,
    pub max_results: Option<usize>,
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminListUserAuthEventsAnswer {
    pub auth_events: Vec<AuthEventType>,
    /// The EventId of the page's last event, when older events follow it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `AuthEventType`. `EventContextData` has the remembered device's name where there is one;
/// the emulator sees no IP address, city, country or time zone.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthEventType {
    pub event_id: String,
    pub event_type: super::EventKind,
    pub creation_date: f64,
    pub event_response: super::events::EventResponse,
    pub event_risk: EventRisk,
    pub challenge_responses: Vec<ChallengeResponse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_context_data: Option<EventContextData>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_feedback: Option<EventFeedback>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventRisk {
    pub risk_decision: &'static str,
    pub compromised_credentials_detected: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChallengeResponse {
    pub challenge_name: Factor,
    pub challenge_response: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventContextData {
    pub device_name: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventFeedback {
    pub feedback_value: FeedbackValue,
    pub provider: String,
    pub feedback_date: f64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUpdateAuthEventFeedbackRequest {
    pub user_pool_id: String,
    pub username: String,
    pub event_id: String,
    pub feedback_value: FeedbackValue,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateAuthEventFeedbackRequest {
    pub user_pool_id: String,
    pub username: String,
    pub event_id: String,
    pub feedback_token: Zeroizing<String>,
    pub feedback_value: FeedbackValue,
}

// Both feedback operations answer `Empty`.

impl Service {
    pub fn admin_list_user_auth_events(
        &self,
        request: AdminListUserAuthEventsRequest,
    ) -> ServiceResult<AdminListUserAuthEventsAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        require_threat_protection(&state.settings)?;
        let sub = &state.user(&request.username)?.sub;
        let events: &[AuthEvent] = state
            .user_activity
            .get(sub)
            .map_or(&[], |activity| &activity.events);
        let start = match &request.next_token {
            Some(token) => {
                let last = events.iter().position(|event| &event.id == token);
                last.ok_or_else(|| ServiceError::invalid_parameter("Invalid pagination token."))?
                    + 1
            }
            None => 0,
        };
        let size = match request.max_results {
            None | Some(0) => LONGEST_PAGE,
            Some(size) => size.min(LONGEST_PAGE),
        };
        let page = &events[start..(start + size).min(events.len())];
        let more = start + page.len() < events.len();
        Ok(AdminListUserAuthEventsAnswer {
            auth_events: page.iter().map(describe).collect(),
            next_token: page.last().filter(|_| more).map(|last| last.id.clone()),
        })
    }

    pub fn admin_update_auth_event_feedback(
        &self,
        request: AdminUpdateAuthEventFeedbackRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let event = user_event_mut(&mut state, &request.username, &request.event_id)?;
        event.feedback = Some(Feedback {
            value: request.feedback_value,
            provider: "Admin".to_owned(),
            date: now,
        });
        Ok(Empty {})
    }

    /// Authorised by the event's feedback token instead of credentials: the link a risk
    /// notification email carries.
    pub fn update_auth_event_feedback(
        &self,
        request: UpdateAuthEventFeedbackRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let event = user_event_mut(&mut state, &request.username, &request.event_id)?;
        let matches = aws_lc_rs::constant_time::verify_slices_are_equal(
            event.feedback_token.as_bytes(),
            request.feedback_token.as_bytes(),
        )
        .is_ok();
        if !matches {
            return Err(ServiceError::not_authorized("Invalid feedback token."));
        }
        event.feedback = Some(Feedback {
            value: request.feedback_value,
            provider: "User".to_owned(),
            date: now,
        });
        Ok(Empty {})
    }

    /// The feedback token of a recorded event. The service sends it only in the risk
    /// notification emails, which the emulator never sends (it judges no risk), so tests read
    /// it here.
    #[doc(hidden)]
    pub fn auth_event_feedback_token(
        &self,
        pool_id: &str,
        username: &str,
        event_id: &str,
    ) -> Option<String> {
        let pool = self.pool(pool_id).ok()?;
        let state = pool.lock();
        let sub = &state.user(username).ok()?.sub;
        let activity = state.user_activity.get(sub)?;
        let event = activity.events.iter().find(|event| event.id == event_id)?;
        Some(event.feedback_token.to_string())
    }
}

/// One of the user's events, in a pool with threat protection on.
fn user_event_mut<'a>(
    state: &'a mut PoolState,
    username: &str,
    event_id: &str,
) -> ServiceResult<&'a mut AuthEvent> {
    require_threat_protection(&state.settings)?;
    let sub = state.user(username)?.sub.clone();
    state
        .user_activity
        .get_mut(&sub)
        .and_then(|activity| {
            activity
                .events
                .iter_mut()
                .find(|event| event.id == event_id)
        })
        .ok_or_else(|| ServiceError::resource_not_found("The authentication event was not found."))
}

fn describe(event: &AuthEvent) -> AuthEventType {
    AuthEventType {
        event_id: event.id.clone(),
        event_type: event.kind,
        creation_date: epoch_seconds(event.created),
        event_response: event.response,
        event_risk: EventRisk {
            risk_decision: "NoRisk",
            compromised_credentials_detected: false,
        },
        challenge_responses: event
            .factors
            .iter()
            .map(|result| ChallengeResponse {
                challenge_name: result.factor,
                challenge_response: if result.passed { "Success" } else { "Failure" },
            })
            .collect(),
        event_context_data: event
            .device_name
            .clone()
            .map(|device_name| EventContextData { device_name }),
        event_feedback: event.feedback.as_ref().map(|feedback| EventFeedback {
            feedback_value: feedback.value,
            provider: feedback.provider.clone(),
            feedback_date: epoch_seconds(feedback.date),
        }),
    }
}
