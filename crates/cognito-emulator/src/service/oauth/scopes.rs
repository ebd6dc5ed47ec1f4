// SPDX-License-Identifier: Apache-2.0
//! What scopes grant: the custom scopes of a client-credentials grant, and the attributes
//! `/oauth2/userInfo` answers with.

use super::OAuthError;
use crate::service::federation::custom_scope_exists;
use crate::service::model::{AppClient, PoolState, User};
use crate::service::schema;

/// The OpenID Connect scope every userInfo request needs.
pub(crate) const OPENID: &str = "openid";

/// What the `profile` scope reads, besides custom attributes (as the developer guide lists it).
const PROFILE_ATTRIBUTES: [&str; 14] = [
    "name",
    "family_name",
    "given_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "updated_at",
];

/// A `scope` parameter's scopes, each once, in the order sent.
pub(crate) fn parse(scope: Option<&str>) -> Vec<String> {
    let mut scopes: Vec<String> = Vec::new();
    for scope in scope.unwrap_or_default().split_whitespace() {
        if !scopes.iter().any(|known| known == scope) {
            scopes.push(scope.to_owned());
        }
    }
    scopes
}

/// The scopes of a client-credentials grant: those asked for, each a resource server's scope
/// the client is allowed; none asked for, every such scope the client is allowed.
pub(crate) fn client_credentials_scopes(
    state: &PoolState,
    client: &AppClient,
    requested: Option<&str>,
) -> Result<Vec<String>, OAuthError> {
    let allowed = |scope: &str| {
        client.oauth.scopes.iter().any(|s| s == scope) && custom_scope_exists(state, scope)
    };
    let requested = parse(requested);
    if requested.is_empty() {
        let all: Vec<String> = client
            .oauth
            .scopes
            .iter()
            .filter(|scope| allowed(scope))
            .cloned()
            .collect();
        if all.is_empty() {
            return Err(OAuthError::invalid_scope(format!(
                "App client {} is allowed no resource-server scope: add one to its AllowedOAuthScopes.",
                client.id
            )));
        }
        return Ok(all);
    }
    if let Some(refused) = requested.iter().find(|scope| !allowed(scope)) {
        return Err(OAuthError::invalid_scope(format!(
            "{refused} is not a resource-server scope that app client {} is allowed.",
            client.id
        )));
    }
    Ok(requested)
}

/// The attributes of the user that userInfo answers with for these scopes, among those the
/// client may read: `openid` alone reads them all; `profile`, `email` and `phone` each read
/// their own. Values are strings, `email_verified` too, as the service writes them.
pub(crate) fn user_info_attributes<'a>(
    user: &'a User,
    client: &AppClient,
    scopes: &[String],
) -> Vec<(&'a str, &'a str)> {
    let has = |wanted: &str| scopes.iter().any(|scope| scope == wanted);
    let (profile, email, phone) = (has("profile"), has("email"), has("phone"));
    let everything = !(profile || email || phone);
    let granted = |name: &str| {
        everything
            || (profile && (PROFILE_ATTRIBUTES.contains(&name) || schema::is_custom(name)))
            || (email && matches!(name, "email" | "email_verified"))
            || (phone && matches!(name, "phone_number" | "phone_number_verified"))
    };
    user.attributes
        .iter()
        .filter(|(name, _)| name != "sub" && granted(name) && schema::client_may_read(client, name))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect()
}
