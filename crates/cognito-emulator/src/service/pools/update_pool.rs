// SPDX-License-Identifier: Apache-2.0
//! UpdateUserPool: replaces every setting a pool can change. As the service documents, a
//! member left out is set to its default, so a caller sends the whole configuration again.

use serde::Deserialize;
use serde_json::Value;

use super::pool_settings::ChangeablePoolSettings;
use crate::service::{Empty, Service, ServiceError, ServiceResult};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserPoolRequest {
    pub user_pool_id: String,
    /// Left out, the name stays: a pool always has one.
    pub pool_name: Option<String>,
    #[serde(flatten)]
    pub changeable: ChangeablePoolSettings,
    /// Not members of UpdateUserPool: settings fixed when the pool was made. A client that
    /// sends them anyway (raw JSON) is told so instead of seeing them ignored.
    #[serde(flatten)]
    pub fixed: FixedPoolSettings,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FixedPoolSettings {
    pub schema: Option<Value>,
    pub username_attributes: Option<Value>,
    pub alias_attributes: Option<Value>,
    pub username_configuration: Option<Value>,
}

impl FixedPoolSettings {
    fn check_absent(&self) -> ServiceResult<()> {
        let sent = [
            ("Schema", self.schema.is_some()),
            ("UsernameAttributes", self.username_attributes.is_some()),
            ("AliasAttributes", self.alias_attributes.is_some()),
            (
                "UsernameConfiguration",
                self.username_configuration.is_some(),
            ),
        ];
        match sent.iter().find(|(_, sent)| *sent) {
            Some((member, _)) => Err(ServiceError::invalid_parameter(format!(
                "{member} cannot be changed after the user pool is created. Custom attributes are added with AddCustomAttributes."
            ))),
            None => Ok(()),
        }
    }
}

impl Service {
    pub fn update_user_pool(&self, request: UpdateUserPoolRequest) -> ServiceResult<Empty> {
        request.fixed.check_absent()?;
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        crate::service::import::check_no_import_running(&state)?;
        let mut next = (*state.settings).clone();
        request.changeable.apply_to(&mut next)?;
        if let Some(name) = request.pool_name {
            next.name = name;
        }
        next.modified = self.now();
        *state.settings.edit() = next;
        Ok(Empty {})
    }
}
