// SPDX-License-Identifier: Apache-2.0
//! GetProvisionedLimit, UpdateProvisionedLimit: the account's provisioned API request rates,
//! by operation category.
//!
//! The rates are the emulator's one account's, kept in the data directory under a key no pool
//! id can have ([`ACCOUNT_ENTRIES`]). They are stored and answered, not enforced: the emulator
//! throttles no category, so a rate set here changes no answer of any other operation.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::state::ProvisionedLimit;
use crate::service::model::ACCOUNT_ID;
use crate::service::{Service, ServiceError, ServiceResult};
use crate::store::{EntryRef, Kind, PoolEntries, Store, StoreError};

/// Where the account's own entries are kept: pool ids always hold an underscore, this does not.
pub const ACCOUNT_ENTRIES: &str = "account";

/// The limit class of API request rates, the only one there is.
const API_CATEGORY: &str = "API_CATEGORY";
/// The attribute that names the category.
const CATEGORY: &str = "Category";

/// The categories whose rate can be provisioned, with their default (free) rate in requests
/// per second. The most that can be provisioned is an account's Service Quotas maximum; the
/// emulator's account has ten times the default.
const CATEGORIES: &[(&str, u32)] = &[
    ("UserAuthentication", 120),
    ("UserCreation", 50),
    ("UserFederation", 25),
    ("UserAccountRecovery", 30),
    ("UserRead", 120),
    ("UserUpdate", 25),
    ("UserResourceRead", 50),
    ("UserList", 30),
    ("UserToken", 120),
];
const MAXIMUM_TIMES_DEFAULT: u32 = 10;

/// The account's provisioned rates; a category not in it is at its default.
#[derive(Debug, Default)]
pub struct AccountLimits {
    rates: Mutex<BTreeMap<String, ProvisionedLimit>>,
}

impl AccountLimits {
    /// The rates a data directory kept.
    pub fn load(entries: Option<PoolEntries>) -> Result<Self, StoreError> {
        let mut rates = BTreeMap::new();
        for ((kind, id), value) in entries.unwrap_or_default() {
            if kind != Kind::ProvisionedLimit {
                continue;
            }
            let limit: ProvisionedLimit = parse(&id, &value)?;
            rates.insert(id, limit);
        }
        Ok(Self {
            rates: Mutex::new(rates),
        })
    }

    fn rate(&self, category: &str) -> Option<u32> {
        self.lock()
            .get(category)
            .map(|limit| limit.requests_per_second)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, ProvisionedLimit>> {
        self.rates.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sets a rate and journals it; the default rate is kept as no entry at all.
    fn set(&self, store: Option<&Arc<Store>>, category: &str, rate: u32, default: u32) {
        let mut rates = self.lock();
        let limit = ProvisionedLimit {
            category: category.to_owned(),
            requests_per_second: rate,
        };
        let kept = (rate != default).then_some(limit);
        if let Some(store) = store {
            // The store keeps only entry sets that have an own entry (it drops the rest as
            // orphans of a deleted pool), so the account's set gets one too.
            let own = EntryRef {
                pool: ACCOUNT_ENTRIES,
                kind: Kind::Pool,
                id: "",
                value: Some(&AccountEntry {
                    account: ACCOUNT_ID,
                }),
            }
            .to_line();
            store.append(own.as_bytes());
            let line = EntryRef {
                pool: ACCOUNT_ENTRIES,
                kind: Kind::ProvisionedLimit,
                id: category,
                value: kept.as_ref(),
            }
            .to_line();
            store.append(line.as_bytes());
        }
        match kept {
            Some(limit) => rates.insert(category.to_owned(), limit),
            None => rates.remove(category),
        };
    }
}

/// The account's own entry: what it is, for whoever reads the data directory.
#[derive(Serialize)]
struct AccountEntry {
    account: &'static str,
}

fn parse(id: &str, value: &RawValue) -> Result<ProvisionedLimit, StoreError> {
    serde_json::from_str(value.get()).map_err(|error| {
        StoreError::new(format!(
            "the stored provisioned limit {id:?} cannot be read: {error}"
        ))
    })
}

/// `LimitDefinitionType`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LimitDefinitionType {
    pub limit_class: String,
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetProvisionedLimitRequest {
    pub limit_definition: LimitDefinitionType,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateProvisionedLimitRequest {
    pub limit_definition: LimitDefinitionType,
    pub requested_limit_value: i64,
}

/// `LimitType`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LimitType {
    pub limit_definition: LimitDefinitionType,
    pub provisioned_limit_value: u32,
    pub free_limit_value: u32,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProvisionedLimitAnswer {
    pub limit: LimitType,
}

impl Service {
    pub fn get_provisioned_limit(
        &self,
        request: GetProvisionedLimitRequest,
    ) -> ServiceResult<ProvisionedLimitAnswer> {
        let (category, default) = category_of(&request.limit_definition)?;
        let rate = self.account_limits.rate(category).unwrap_or(default);
        Ok(limit_answer(category, rate, default))
    }

    pub fn update_provisioned_limit(
        &self,
        request: UpdateProvisionedLimitRequest,
    ) -> ServiceResult<ProvisionedLimitAnswer> {
        let (category, default) = category_of(&request.limit_definition)?;
        let maximum = default * MAXIMUM_TIMES_DEFAULT;
        let requested = request.requested_limit_value;
        if requested < i64::from(default) {
            return Err(ServiceError::invalid_parameter(format!(
                "The provisioned limit of {category} cannot be below its default of {default} requests per second."
            )));
        }
        if requested > i64::from(maximum) {
            return Err(ServiceError::new(
                "ServiceQuotaExceededException",
                format!(
                    "The provisioned limit of {category} cannot be above the account's maximum of {maximum} requests per second."
                ),
            ));
        }
        let rate = u32::try_from(requested).unwrap_or(maximum);
        self.account_limits
            .set(self.store.as_ref(), category, rate, default);
        Ok(limit_answer(category, rate, default))
    }
}

/// The category a definition names, and its default rate.
fn category_of(definition: &LimitDefinitionType) -> ServiceResult<(&'static str, u32)> {
    if definition.limit_class != API_CATEGORY {
        return Err(ServiceError::invalid_parameter(format!(
            "The limit class {} is not supported.",
            definition.limit_class
        )));
    }
    let name = definition.attributes.get(CATEGORY).ok_or_else(|| {
        ServiceError::invalid_parameter("The limit definition names no Category.")
    })?;
    if let Some(other) = definition.attributes.keys().find(|key| *key != CATEGORY) {
        return Err(ServiceError::invalid_parameter(format!(
            "{other} is not an attribute of an {API_CATEGORY} limit."
        )));
    }
    CATEGORIES
        .iter()
        .find(|(category, _)| category == name)
        .copied()
        .ok_or_else(|| {
            ServiceError::resource_not_found(format!(
                "There is no provisioned limit for the category {name}."
            ))
        })
}

fn limit_answer(category: &str, rate: u32, default: u32) -> ProvisionedLimitAnswer {
    ProvisionedLimitAnswer {
        limit: LimitType {
            limit_definition: LimitDefinitionType {
                limit_class: API_CATEGORY.to_owned(),
                attributes: BTreeMap::from([(CATEGORY.to_owned(), category.to_owned())]),
            },
            provisioned_limit_value: rate,
            free_limit_value: default,
        },
    }
}
