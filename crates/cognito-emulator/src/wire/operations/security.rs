// SPDX-License-Identifier: Apache-2.0
//! Security and session settings: risk configuration, authentication events and their feedback, log delivery, user sessions and the pool's and clients' session configuration.

use super::{Operation, decode, op, reply};

const NO_RISK_JUDGED: &str = "the emulator sees no IP address, location or device fingerprint: \
     every event is NoRisk, no compromised credentials are detected, EventContextData has only \
     a remembered device's name, and no risk notification email (with its feedback link) is sent";
const STORED_RISK: &str = "stored, checked and returned: no risk is judged, so neither the \
     actions nor the IP range lists (no IP address reaches the service) act";
const STORED_LOGS: &str = "stored, checked and returned: no logs are delivered";
const NO_SSO: &str = "token sessions only: there is no managed login, so no SSO sessions, and \
     no IP address, location or device type";
const STORED_SSO: &str = "stored and returned: there is no managed login to reuse SSO sessions in";

pub(super) const OPERATIONS: &[Operation] = &[
    op("AdminListUserAuthEvents", false, |s, b, _| {
        reply(s.admin_list_user_auth_events(decode(b)?))
    })
    .limited(NO_RISK_JUDGED),
    op("AdminUpdateAuthEventFeedback", false, |s, b, _| {
        reply(s.admin_update_auth_event_feedback(decode(b)?))
    }),
    op("UpdateAuthEventFeedback", false, |s, b, _| {
        reply(s.update_auth_event_feedback(decode(b)?))
    }),
    op("SetRiskConfiguration", false, |s, b, _| {
        reply(s.set_risk_configuration(decode(b)?))
    })
    .limited(STORED_RISK),
    op("DescribeRiskConfiguration", false, |s, b, _| {
        reply(s.describe_risk_configuration(decode(b)?))
    })
    .limited(STORED_RISK),
    op("GetLogDeliveryConfiguration", false, |s, b, _| {
        reply(s.get_log_delivery_configuration(decode(b)?))
    })
    .limited(STORED_LOGS),
    op("SetLogDeliveryConfiguration", false, |s, b, _| {
        reply(s.set_log_delivery_configuration(decode(b)?))
    })
    .limited(STORED_LOGS),
    op("AdminListUserSessions", false, |s, b, _| {
        reply(s.admin_list_user_sessions(decode(b)?))
    })
    .limited(NO_SSO),
    op("ListUserSessions", false, |s, b, _| {
        reply(s.list_user_sessions(decode(b)?))
    })
    .limited(NO_SSO),
    op("AdminRevokeUserSession", false, |s, b, _| {
        reply(s.admin_revoke_user_session(decode(b)?))
    })
    .limited(NO_SSO),
    op("RevokeUserSession", false, |s, b, _| {
        reply(s.revoke_user_session(decode(b)?))
    })
    .limited(NO_SSO),
    op("GetUserPoolSessionConfiguration", false, |s, b, _| {
        reply(s.get_user_pool_session_configuration(decode(b)?))
    }),
    op("SetUserPoolSessionConfiguration", false, |s, b, _| {
        reply(s.set_user_pool_session_configuration(decode(b)?))
    }),
    op("GetUserPoolClientSessionConfiguration", false, |s, b, _| {
        reply(s.get_user_pool_client_session_configuration(decode(b)?))
    })
    .limited(STORED_SSO),
    op("SetUserPoolClientSessionConfiguration", false, |s, b, _| {
        reply(s.set_user_pool_client_session_configuration(decode(b)?))
    })
    .limited(STORED_SSO),
];
