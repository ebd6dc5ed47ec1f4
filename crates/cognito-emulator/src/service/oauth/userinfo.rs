// SPDX-License-Identifier: Apache-2.0
//! `/oauth2/userInfo`: the attributes an access token of the token endpoint may read.

use serde_json::{Map, Value, json};

use super::OAuthError;
use super::scopes::{OPENID, user_info_attributes};
use crate::service::Service;

impl Service {
    /// The claims `/oauth2/userInfo` of `domain` answers for a Bearer token: `sub` and
    /// `username` always, then the attributes its scopes and client may read.
    pub fn oauth_user_info(
        &self,
        domain: &str,
        access_token: &str,
    ) -> Result<Map<String, Value>, OAuthError> {
        let domain_pool = self
            .pool_of_domain(domain)
            .ok_or_else(|| OAuthError::domain_gone(domain))?;
        let (pool, claims) = self
            .verify_access_token(access_token)
            .map_err(|error| OAuthError::invalid_token(error.message))?;
        if pool.id != domain_pool.id {
            return Err(OAuthError::invalid_token(
                "The access token is of another user pool than this domain's.",
            ));
        }
        if !claims.scopes.iter().any(|scope| scope == OPENID) {
            return Err(OAuthError::invalid_token(
                "Access token does not contain openid scope: get one from the token endpoint of a sign-in with scope openid.",
            ));
        }
        let state = pool.lock();
        let user = state
            .token_user(&claims)
            .map_err(|error| OAuthError::invalid_token(error.message))?;
        let client = state
            .client(&claims.client_id)
            .map_err(|error| OAuthError::invalid_token(error.message))?;
        let mut answer = Map::new();
        answer.insert("sub".into(), json!(user.sub));
        for (name, value) in user_info_attributes(user, client, &claims.scopes) {
            answer.insert(name.to_owned(), json!(value));
        }
        answer.insert("username".into(), json!(user.username));
        Ok(answer)
    }
}
