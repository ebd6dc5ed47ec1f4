// SPDX-License-Identifier: Apache-2.0
//! UpdateUserPoolClient: replaces every setting an app client can change. As the service
//! documents, a member left out is set to its default. The client's id and secrets stay.

use serde::Deserialize;

use super::client::{UserPoolClientAnswer, user_pool_client_type};
use super::client_settings::ChangeableClientSettings;
use crate::service::{Service, ServiceError, ServiceResult};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserPoolClientRequest {
    pub user_pool_id: String,
    pub client_id: String,
    /// Left out, the name stays: a client always has one.
    pub client_name: Option<String>,
    #[serde(flatten)]
    pub changeable: ChangeableClientSettings,
}

impl Service {
    pub fn update_user_pool_client(
        &self,
        request: UpdateUserPoolClientRequest,
    ) -> ServiceResult<UserPoolClientAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let mut next = state.client(&request.client_id)?.clone();
        request.changeable.apply_to(&mut next, &state)?;
        if let Some(name) = request.client_name {
            next.name = name;
        }
        next.modified = now;
        let user_pool_client = user_pool_client_type(&pool.id, &next);
        let client = state
            .clients
            .get_mut(&request.client_id)
            .ok_or_else(|| ServiceError::client_not_found(&request.client_id))?;
        *client = next;
        Ok(UserPoolClientAnswer { user_pool_client })
    }
}
