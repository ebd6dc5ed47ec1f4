// SPDX-License-Identifier: Apache-2.0
//! Branding styles of managed login: CreateManagedLoginBranding,
//! DescribeManagedLoginBranding, DescribeManagedLoginBrandingByClient,
//! UpdateManagedLoginBranding, DeleteManagedLoginBranding. One style per app client; a style
//! is either Amazon Cognito's defaults (`UseCognitoProvidedValues`) or a `Settings` document
//! and image `Assets` of the caller's. The branding editor is not part of the Lite plan.

use std::collections::BTreeSet;
use std::time::SystemTime;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::settings;
use crate::crypto::random;
use crate::service::clock::epoch_seconds;
use crate::service::model::PoolState;
use crate::service::{Empty, Service, ServiceError, ServiceResult};

/// AssetBytesType's maximum, in bytes once decoded.
const MAX_ASSET_BYTES: usize = 1_000_000;

/// A stored style.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManagedLoginBranding {
    pub id: String,
    pub client_id: String,
    pub use_cognito_provided_values: bool,
    /// What the caller customized; the defaults are not stored.
    pub settings: Option<Map<String, Value>>,
    pub assets: Vec<Asset>,
    pub created: SystemTime,
    pub modified: SystemTime,
}

/// `AssetType`: an image with the place it is for (category) and the colour mode it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Asset {
    pub category: String,
    pub color_mode: String,
    pub extension: String,
    /// The image, base64 as the request carried it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateManagedLoginBrandingRequest {
    pub user_pool_id: String,
    pub client_id: String,
    pub use_cognito_provided_values: Option<bool>,
    pub settings: Option<Value>,
    pub assets: Option<Vec<Asset>>,
}

/// The model leaves every member optional; the pool and the style are needed all the same.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateManagedLoginBrandingRequest {
    pub user_pool_id: Option<String>,
    pub managed_login_branding_id: Option<String>,
    pub use_cognito_provided_values: Option<bool>,
    pub settings: Option<Value>,
    pub assets: Option<Vec<Asset>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeManagedLoginBrandingRequest {
    pub user_pool_id: String,
    pub managed_login_branding_id: String,
    pub return_merged_resources: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeManagedLoginBrandingByClientRequest {
    pub user_pool_id: String,
    pub client_id: String,
    pub return_merged_resources: Option<bool>,
}

/// DeleteManagedLoginBranding.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedLoginBrandingIdRequest {
    pub user_pool_id: String,
    pub managed_login_branding_id: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedLoginBrandingAnswer {
    pub managed_login_branding: ManagedLoginBrandingType,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedLoginBrandingType {
    pub managed_login_branding_id: String,
    pub user_pool_id: String,
    pub use_cognito_provided_values: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<Map<String, Value>>,
    pub assets: Vec<Asset>,
    pub creation_date: f64,
    pub last_modified_date: f64,
}

impl Service {
    pub fn create_managed_login_branding(
        &self,
        request: CreateManagedLoginBrandingRequest,
    ) -> ServiceResult<ManagedLoginBrandingAnswer> {
        let defaults = request.use_cognito_provided_values.unwrap_or(false);
        let custom = Customization::of(request.settings, request.assets, defaults)?;
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        require_branding_tier(&state)?;
        state.client(&request.client_id)?;
        if let Some(existing) = state.branding.style_of_client(&request.client_id) {
            return Err(ServiceError::new(
                "ManagedLoginBrandingExistsException",
                format!(
                    "App client {} already has the branding style {}: update it, or delete it first.",
                    request.client_id, existing.id
                ),
            ));
        }
        let style = ManagedLoginBranding {
            id: random::uuid(),
            client_id: request.client_id,
            use_cognito_provided_values: defaults,
            settings: custom.settings,
            assets: custom.assets.unwrap_or_default(),
            created: now,
            modified: now,
        };
        let answer = answer(&pool.id, &style, false);
        state.branding.styles.insert(style.id.clone(), style);
        Ok(answer)
    }

    pub fn describe_managed_login_branding(
        &self,
        request: DescribeManagedLoginBrandingRequest,
    ) -> ServiceResult<ManagedLoginBrandingAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let style = existing(&state, &request.managed_login_branding_id)?;
        let merged = request.return_merged_resources.unwrap_or(false);
        Ok(answer(&pool.id, style, merged))
    }

    pub fn describe_managed_login_branding_by_client(
        &self,
        request: DescribeManagedLoginBrandingByClientRequest,
    ) -> ServiceResult<ManagedLoginBrandingAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        state.client(&request.client_id)?;
        let style = state
            .branding
            .style_of_client(&request.client_id)
            .ok_or_else(|| {
                ServiceError::resource_not_found(format!(
                    "App client {} has no managed login branding style: create one with \
                     CreateManagedLoginBranding.",
                    request.client_id
                ))
            })?;
        let merged = request.return_merged_resources.unwrap_or(false);
        Ok(answer(&pool.id, style, merged))
    }

    pub fn update_managed_login_branding(
        &self,
        request: UpdateManagedLoginBrandingRequest,
    ) -> ServiceResult<ManagedLoginBrandingAnswer> {
        let pool_id = request
            .user_pool_id
            .ok_or_else(|| ServiceError::missing_parameter("UserPoolId"))?;
        let style_id = request
            .managed_login_branding_id
            .ok_or_else(|| ServiceError::missing_parameter("ManagedLoginBrandingId"))?;
        let defaults = request.use_cognito_provided_values.unwrap_or(false);
        let custom = Customization::of(request.settings, request.assets, defaults)?;
        let pool = self.pool(&pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        require_branding_tier(&state)?;
        let Some(style) = state.branding.styles.get_mut(&style_id) else {
            return Err(style_not_found(&style_id));
        };
        if defaults {
            // Back to Amazon Cognito's style: nothing of the caller's is kept.
            style.use_cognito_provided_values = true;
            style.settings = None;
            style.assets.clear();
        } else {
            custom.apply_to(style);
        }
        style.modified = now;
        Ok(answer(&pool.id, style, false))
    }

    pub fn delete_managed_login_branding(
        &self,
        request: ManagedLoginBrandingIdRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        if state
            .branding
            .styles
            .remove(&request.managed_login_branding_id)
            .is_none()
        {
            return Err(style_not_found(&request.managed_login_branding_id));
        }
        Ok(Empty {})
    }
}

/// What a Create or Update request customizes, checked.
struct Customization {
    settings: Option<Map<String, Value>>,
    assets: Option<Vec<Asset>>,
}

impl Customization {
    fn of(
        settings: Option<Value>,
        assets: Option<Vec<Asset>>,
        defaults: bool,
    ) -> ServiceResult<Self> {
        if defaults && (settings.is_some() || assets.is_some()) {
            return Err(ServiceError::invalid_parameter(
                "With UseCognitoProvidedValues true, leave out Settings and Assets: the style \
                 takes Amazon Cognito's values.",
            ));
        }
        if let Some(assets) = &assets {
            check_assets(assets)?;
        }
        Ok(Self {
            settings: settings.map(settings::checked).transpose()?,
            assets,
        })
    }

    /// What an update leaves out stays as it was: settings merge, and an asset replaces only
    /// the one for the same category and colour mode.
    fn apply_to(self, style: &mut ManagedLoginBranding) {
        if let Some(patch) = self.settings {
            let kept = style.settings.get_or_insert_with(Map::new);
            settings::merge(kept, patch);
            style.use_cognito_provided_values = false;
        }
        for asset in self.assets.unwrap_or_default() {
            style
                .assets
                .retain(|a| (&a.category, &a.color_mode) != (&asset.category, &asset.color_mode));
            style.assets.push(asset);
            style.use_cognito_provided_values = false;
        }
    }
}

fn check_assets(assets: &[Asset]) -> ServiceResult<()> {
    let mut seen = BTreeSet::new();
    for asset in assets {
        if !seen.insert((&asset.category, &asset.color_mode)) {
            return Err(ServiceError::invalid_parameter(format!(
                "Assets has more than one {} image for the color mode {}.",
                asset.category, asset.color_mode
            )));
        }
        if let Some(bytes) = &asset.bytes {
            let decoded = STANDARD.decode(bytes).map_err(|_| {
                ServiceError::invalid_parameter(format!(
                    "The Bytes of the {} asset are not valid base64.",
                    asset.category
                ))
            })?;
            if decoded.len() > MAX_ASSET_BYTES {
                return Err(ServiceError::invalid_parameter(format!(
                    "The {} asset is larger than {MAX_ASSET_BYTES} bytes.",
                    asset.category
                )));
            }
        }
    }
    Ok(())
}

/// The branding editor is part of the Essentials and Plus plans; Lite has the classic hosted
/// UI only.
fn require_branding_tier(state: &PoolState) -> ServiceResult<()> {
    if state.settings.tier == "LITE" {
        return Err(ServiceError::new(
            "FeatureUnavailableInTierException",
            format!(
                "Managed login branding is not available in the LITE feature plan of user pool \
                 {}: use SetUICustomization, or move the pool to ESSENTIALS or PLUS.",
                state.settings.id
            ),
        ));
    }
    Ok(())
}

fn existing<'a>(state: &'a PoolState, style_id: &str) -> ServiceResult<&'a ManagedLoginBranding> {
    state
        .branding
        .styles
        .get(style_id)
        .ok_or_else(|| style_not_found(style_id))
}

fn style_not_found(style_id: &str) -> ServiceError {
    ServiceError::resource_not_found(format!(
        "Managed login branding style {style_id} does not exist in this user pool."
    ))
}

fn answer(pool_id: &str, style: &ManagedLoginBranding, merged: bool) -> ManagedLoginBrandingAnswer {
    let settings = if merged {
        Some(settings::merged_over_defaults(style.settings.as_ref()))
    } else {
        style.settings.clone()
    };
    ManagedLoginBrandingAnswer {
        managed_login_branding: ManagedLoginBrandingType {
            managed_login_branding_id: style.id.clone(),
            user_pool_id: pool_id.to_owned(),
            use_cognito_provided_values: style.use_cognito_provided_values,
            settings,
            assets: style.assets.clone(),
            creation_date: epoch_seconds(style.created),
            last_modified_date: epoch_seconds(style.modified),
        },
    }
}
