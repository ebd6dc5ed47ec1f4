// SPDX-License-Identifier: Apache-2.0
//! Changing and listing pools and clients: UpdateUserPool, UpdateUserPoolClient,
//! ListUserPoolClients, GetUserPoolMfaConfig, client secrets, tags, UI customization.

use super::{Operation, decode, op, reply};

const KEPT_NOT_ACTED_ON: &str = "Lambda triggers, SMS and email settings, SMS/email/WebAuthn MFA, account recovery and the sign-in policy are kept and returned, not acted on";
const LOGO_AS_DATA_URL: &str = "no hosted pages use it yet, and the logo's ImageUrl is a data: URL";

pub(super) const OPERATIONS: &[Operation] = &[
    op("UpdateUserPool", false, |s, b, _| {
        reply(s.update_user_pool(decode(b)?))
    })
    .limited(KEPT_NOT_ACTED_ON),
    op("UpdateUserPoolClient", false, |s, b, _| {
        reply(s.update_user_pool_client(decode(b)?))
    }),
    op("ListUserPoolClients", false, |s, b, _| {
        reply(s.list_user_pool_clients(decode(b)?))
    }),
    op("GetUserPoolMfaConfig", false, |s, b, _| {
        reply(s.get_user_pool_mfa_config(decode(b)?))
    }),
    op("AddUserPoolClientSecret", false, |s, b, _| {
        reply(s.add_user_pool_client_secret(decode(b)?))
    }),
    op("ListUserPoolClientSecrets", false, |s, b, _| {
        reply(s.list_user_pool_client_secrets(decode(b)?))
    }),
    op("DeleteUserPoolClientSecret", false, |s, b, _| {
        reply(s.delete_user_pool_client_secret(decode(b)?))
    }),
    op("TagResource", false, |s, b, _| {
        reply(s.tag_resource(decode(b)?))
    }),
    op("UntagResource", false, |s, b, _| {
        reply(s.untag_resource(decode(b)?))
    }),
    op("ListTagsForResource", false, |s, b, _| {
        reply(s.list_tags_for_resource(decode(b)?))
    }),
    op("SetUICustomization", false, |s, b, _| {
        reply(s.set_ui_customization(decode(b)?))
    })
    .limited(LOGO_AS_DATA_URL),
    op("GetUICustomization", false, |s, b, _| {
        reply(s.get_ui_customization(decode(b)?))
    })
    .limited(LOGO_AS_DATA_URL),
];
