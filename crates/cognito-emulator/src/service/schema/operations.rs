// SPDX-License-Identifier: Apache-2.0
//! AddCustomAttributes and GetCSVHeader.

use serde::{Deserialize, Serialize};

use super::{add_custom_attributes, csv_header};
use crate::service::import::check_no_import_running;
use crate::service::model::SchemaAttribute;
use crate::service::{Empty, Service, ServiceResult};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddCustomAttributesRequest {
    pub user_pool_id: String,
    pub custom_attributes: Vec<SchemaAttribute>,
}

// AddCustomAttributes answers `Empty`.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetCsvHeaderRequest {
    pub user_pool_id: String,
}

#[derive(Debug, Serialize)]
pub struct GetCsvHeaderAnswer {
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    #[serde(rename = "CSVHeader")]
    pub csv_header: Vec<String>,
}

impl Service {
    pub fn add_custom_attributes(
        &self,
        request: AddCustomAttributesRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        check_no_import_running(&state)?;
        let mut schema = state.settings.schema.clone();
        add_custom_attributes(&mut schema, request.custom_attributes)?;
        let settings = state.settings.edit();
        settings.schema = schema;
        settings.modified = now;
        Ok(Empty {})
    }

    pub fn get_csv_header(
        &self,
        request: GetCsvHeaderRequest,
    ) -> ServiceResult<GetCsvHeaderAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        Ok(GetCsvHeaderAnswer {
            user_pool_id: pool.id.clone(),
            csv_header: csv_header(&state.settings.schema),
        })
    }
}
