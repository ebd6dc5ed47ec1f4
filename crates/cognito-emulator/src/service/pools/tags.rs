// SPDX-License-Identifier: Apache-2.0
//! A pool's tags: TagResource, UntagResource, ListTagsForResource on the pool's ARN (the
//! UserPoolTags of CreateUserPool and UpdateUserPool are the same tags).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::service::{Empty, Pool, Service, ServiceError, ServiceResult};

/// Documented: a user pool has at most 50 tags.
const MAX_TAGS: usize = 50;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagResourceRequest {
    pub resource_arn: String,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UntagResourceRequest {
    pub resource_arn: String,
    pub tag_keys: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsForResourceRequest {
    pub resource_arn: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsForResourceAnswer {
    pub tags: BTreeMap<String, String>,
}

/// Whether a pool may have this many tags.
pub fn check_tag_count(count: usize) -> ServiceResult<()> {
    if count > MAX_TAGS {
        return Err(ServiceError::invalid_parameter(format!(
            "A user pool can have at most {MAX_TAGS} tags."
        )));
    }
    Ok(())
}

impl Service {
    pub fn tag_resource(&self, request: TagResourceRequest) -> ServiceResult<Empty> {
        if let Some(reserved) = request.tags.keys().find(|key| key.starts_with("aws:")) {
            return Err(ServiceError::invalid_parameter(format!(
                "Tag keys starting with aws: are reserved: {reserved}"
            )));
        }
        let pool = self.pool_by_arn(&request.resource_arn)?;
        let mut state = pool.lock();
        let mut tags = state.settings.config.tags.clone();
        tags.extend(request.tags);
        check_tag_count(tags.len())?;
        state.settings.edit().config.tags = tags;
        Ok(Empty {})
    }

    pub fn untag_resource(&self, request: UntagResourceRequest) -> ServiceResult<Empty> {
        let pool = self.pool_by_arn(&request.resource_arn)?;
        let mut state = pool.lock();
        let tags = &mut state.settings.edit().config.tags;
        for key in &request.tag_keys {
            tags.remove(key);
        }
        Ok(Empty {})
    }

    pub fn list_tags_for_resource(
        &self,
        request: ListTagsForResourceRequest,
    ) -> ServiceResult<ListTagsForResourceAnswer> {
        let pool = self.pool_by_arn(&request.resource_arn)?;
        let state = pool.lock();
        Ok(ListTagsForResourceAnswer {
            tags: state.settings.config.tags.clone(),
        })
    }

    /// The pool whose ARN this is exactly (region and account included).
    fn pool_by_arn(&self, arn: &str) -> ServiceResult<Arc<Pool>> {
        let not_found =
            || ServiceError::resource_not_found(format!("The resource {arn} does not exist."));
        let pool_id = arn.rsplit_once(":userpool/").ok_or_else(not_found)?.1;
        let pool = self.pool(pool_id).map_err(|_| not_found())?;
        let matches = pool.lock().settings.arn() == arn;
        if matches { Ok(pool) } else { Err(not_found()) }
    }
}
