// SPDX-License-Identifier: Apache-2.0
//! Deleting a user's attributes: DeleteUserAttributes (the signed-in user's own, with its
//! access token) and AdminDeleteUserAttributes.

use std::time::SystemTime;

use serde::Deserialize;
use zeroize::Zeroizing;

use crate::service::model::PoolState;
use crate::service::schema::{DEVELOPER_PREFIX, check_client_writes};
use crate::service::{Empty, Service, ServiceError, ServiceResult};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserAttributesRequest {
    pub access_token: Zeroizing<String>,
    pub user_attribute_names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminDeleteUserAttributesRequest {
    pub user_pool_id: String,
    pub username: String,
    pub user_attribute_names: Vec<String>,
}

// Both answer `Empty`.

impl Service {
    pub fn delete_user_attributes(
        &self,
        request: DeleteUserAttributesRequest,
    ) -> ServiceResult<Empty> {
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let now = self.now();
        let mut state = pool.lock();
        state.token_user(&claims)?;
        let client = state.client(&claims.client_id)?;
        let names = &request.user_attribute_names;
        check_client_writes(client, names.iter().map(String::as_str))?;
        if let Some(developer_only) = names.iter().find(|name| name.starts_with(DEVELOPER_PREFIX)) {
            return Err(ServiceError::invalid_parameter(format!(
                "Attributes did not conform to the schema: {developer_only}: Attribute cannot be updated."
            )));
        }
        let key = state
            .subs
            .get(&claims.sub)
            .cloned()
            .ok_or_else(ServiceError::user_not_found)?;
        delete_attributes(&mut state, &key, &request.user_attribute_names, now)?;
        Ok(Empty {})
    }

    pub fn admin_delete_user_attributes(
        &self,
        request: AdminDeleteUserAttributesRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let key = state
            .find_user_key(&request.username)
            .ok_or_else(ServiceError::user_not_found)?;
        delete_attributes(&mut state, &key, &request.user_attribute_names, now)?;
        Ok(Empty {})
    }
}

/// Deletes the named attributes the user has (a name it does not have is no error), none if
/// any of them may not be deleted: `sub`, and what the schema makes required or immutable.
/// An email or phone number takes its verification with it, and an email that signed in
/// stops signing in.
fn delete_attributes(
    state: &mut PoolState,
    key: &str,
    names: &[String],
    now: SystemTime,
) -> ServiceResult<()> {
    for name in names {
        let schema = state.settings.schema.iter().find(|a| a.name == *name);
        if name == "sub" || schema.is_some_and(|a| !a.mutable) {
            return Err(ServiceError::invalid_parameter(format!(
                "Attributes did not conform to the schema: {name}: Attribute cannot be updated."
            )));
        }
        if schema.is_some_and(|a| a.required) {
            return Err(ServiceError::invalid_parameter(format!(
                "Attributes did not conform to the schema: {name}: The attribute is required"
            )));
        }
    }
    let user = state
        .users
        .get_mut(key)
        .ok_or_else(ServiceError::user_not_found)?;
    let deleted = |attribute: &str| {
        names.iter().any(|name| {
            name == attribute
                || (attribute.strip_suffix("_verified"))
                    .is_some_and(|of| (of == "email" || of == "phone_number") && name == of)
        })
    };
    let before = user.attributes.len();
    user.attributes.retain(|(name, _)| !deleted(name));
    // An email change waiting for verification goes with the email.
    let pending_gone =
        names.iter().any(|name| name == "email") && user.pending_email.take().is_some();
    if user.attributes.len() != before || pending_gone {
        user.modified = now;
        state.index_user(key);
    }
    Ok(())
}
