// SPDX-License-Identifier: Apache-2.0
//! Remembered devices: ConfirmDevice, and for the signed-in user (by access token)
//! UpdateDeviceStatus, ListDevices, GetDevice and ForgetDevice; `admin` has the same for an
//! administrator naming the user. Both go through the functions at the end of this file.

mod admin;

use cognito_srp::PasswordVerifier;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::clock::epoch_seconds;
use super::model::{ACCOUNT_ID, Device, PoolSettings, PoolState};
use super::{AttributeType, Empty, Service, ServiceError, ServiceResult};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceRequest {
    pub access_token: Zeroizing<String>,
    pub device_key: String,
    pub device_secret_verifier_config: Option<DeviceSecretVerifierConfig>,
    pub device_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceSecretVerifierConfig {
    pub password_verifier: Option<String>,
    pub salt: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceAnswer {
    pub user_confirmation_necessary: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateDeviceStatusRequest {
    pub access_token: Option<Zeroizing<String>>,
    pub device_key: String,
    pub device_remembered_status: Option<String>,
}

// UpdateDeviceStatus answers `Empty`.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesRequest {
    pub access_token: Zeroizing<String>,
    pub limit: Option<usize>,
    pub pagination_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesAnswer {
    pub devices: Vec<DeviceType>,
    /// The key of the page's last device, when more devices follow it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForgetDeviceRequest {
    pub access_token: Option<Zeroizing<String>>,
    pub device_key: String,
}

// ForgetDevice answers `Empty`.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetDeviceRequest {
    pub access_token: Option<Zeroizing<String>>,
    pub device_key: String,
}

/// The answer of GetDevice and AdminGetDevice.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetDeviceAnswer {
    pub device: DeviceType,
}

/// `DeviceType`: a remembered device as ListDevices lists it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceType {
    pub device_key: String,
    pub device_attributes: Vec<AttributeType>,
    /// Seconds since the epoch, as every date of the API.
    pub device_create_date: f64,
    pub device_last_modified_date: f64,
    pub device_last_authenticated_date: f64,
}

impl Service {
    pub fn confirm_device(
        &self,
        request: ConfirmDeviceRequest,
    ) -> ServiceResult<ConfirmDeviceAnswer> {
        let config = request.device_secret_verifier_config.ok_or_else(|| {
            ServiceError::invalid_parameter(
                "DeviceSecretVerifierConfig is required to remember a device.",
            )
        })?;
        let (Some(verifier), Some(salt)) = (config.password_verifier, config.salt) else {
            return Err(ServiceError::invalid_parameter(
                "DeviceSecretVerifierConfig needs both PasswordVerifier and Salt.",
            ));
        };
        let verifier = PasswordVerifier::from_base64(&salt, &verifier).map_err(|error| {
            ServiceError::invalid_parameter(format!("Invalid DeviceSecretVerifierConfig: {error}."))
        })?;
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let now = self.now();
        let mut state = pool.lock();
        let prompt_only = match &state.settings.devices {
            Some(devices) => devices.device_only_remembered_on_user_prompt,
            None => {
                return Err(ServiceError::new(
                    "InvalidUserPoolConfigurationException",
                    "Device tracking is not enabled for this user pool.",
                ));
            }
        };
        let username = state.token_user(&claims)?.username.clone();
        let device = state
            .devices
            .get_mut(&request.device_key)
            .filter(|device| device.username == username)
            .ok_or_else(ServiceError::device_not_found)?;
        if device.verifier.is_some() {
            return Err(ServiceError::new(
                "DeviceKeyExistsException",
                "Device key already exists.",
            ));
        }
        device.verifier = Some(verifier);
        device.remembered = !prompt_only;
        device.name = request.device_name;
        device.modified = now;
        Ok(ConfirmDeviceAnswer {
            user_confirmation_necessary: prompt_only,
        })
    }

    pub fn update_device_status(&self, request: UpdateDeviceStatusRequest) -> ServiceResult<Empty> {
        let token = request
            .access_token
            .ok_or_else(|| ServiceError::missing_parameter("AccessToken"))?;
        let (pool, claims) = self.authenticate_access_token(&token)?;
        let now = self.now();
        let mut state = pool.lock();
        let username = state.token_user(&claims)?.username.clone();
        let status = request.device_remembered_status.as_deref();
        set_remembered(&mut state, &username, &request.device_key, status, now)?;
        Ok(Empty {})
    }

    pub fn list_devices(&self, request: ListDevicesRequest) -> ServiceResult<ListDevicesAnswer> {
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let state = pool.lock();
        let username = &state.token_user(&claims)?.username;
        let token = request.pagination_token.as_deref();
        Ok(page_of_devices(&state, username, request.limit, token))
    }

    pub fn get_device(&self, request: GetDeviceRequest) -> ServiceResult<GetDeviceAnswer> {
        let token = request
            .access_token
            .ok_or_else(|| ServiceError::missing_parameter("AccessToken"))?;
        let (pool, claims) = self.authenticate_access_token(&token)?;
        let state = pool.lock();
        let username = &state.token_user(&claims)?.username;
        let device = confirmed_device(&state, username, &request.device_key)?;
        Ok(GetDeviceAnswer {
            device: device_type(device, &state.settings),
        })
    }

    pub fn forget_device(&self, request: ForgetDeviceRequest) -> ServiceResult<Empty> {
        let token = request
            .access_token
            .ok_or_else(|| ServiceError::missing_parameter("AccessToken"))?;
        let (pool, claims) = self.authenticate_access_token(&token)?;
        let mut state = pool.lock();
        let username = state.token_user(&claims)?.username.clone();
        forget(&mut state, &username, &request.device_key)?;
        Ok(Empty {})
    }
}

/// One of the user's confirmed devices.
fn confirmed_device<'a>(
    state: &'a PoolState,
    username: &str,
    key: &str,
) -> ServiceResult<&'a Device> {
    state
        .devices
        .get(key)
        .filter(|device| device.username == username && device.verifier.is_some())
        .ok_or_else(ServiceError::device_not_found)
}

/// `remembered` or `not_remembered`, for one of the user's confirmed devices.
fn set_remembered(
    state: &mut PoolState,
    username: &str,
    key: &str,
    status: Option<&str>,
    now: std::time::SystemTime,
) -> ServiceResult<()> {
    confirmed_device(state, username, key)?;
    let device = state
        .devices
        .get_mut(key)
        .ok_or_else(ServiceError::device_not_found)?;
    device.remembered = status == Some("remembered");
    device.modified = now;
    Ok(())
}

/// A page of the user's confirmed devices in key order, after the device `after` names.
fn page_of_devices(
    state: &PoolState,
    username: &str,
    limit: Option<usize>,
    after: Option<&str>,
) -> ListDevicesAnswer {
    let limit = match limit {
        Some(0) | None => 60,
        Some(limit) => limit,
    };
    // The owner's keys come in key order, so a page starts right after the key it is given.
    let mut confirmed = state
        .devices
        .entries_of(username)
        .filter(|(key, device)| {
            after.is_none_or(|after| key.as_str() > after) && device.verifier.is_some()
        })
        .map(|(_, device)| device);
    let page: Vec<&Device> = confirmed.by_ref().take(limit).collect();
    let more = confirmed.next().is_some();
    ListDevicesAnswer {
        devices: page
            .iter()
            .map(|d| device_type(d, &state.settings))
            .collect(),
        pagination_token: page.last().filter(|_| more).map(|last| last.key.clone()),
    }
}

/// Forgets one of the user's devices; its refresh tokens and sign-ins under way end with it.
fn forget(state: &mut PoolState, username: &str, key: &str) -> ServiceResult<()> {
    let owned = state
        .devices
        .get(key)
        .is_some_and(|device| device.username == username);
    if !owned {
        return Err(ServiceError::device_not_found());
    }
    state.devices.remove(key);
    let key = Some(key.to_owned());
    for token in state
        .refresh_grants
        .keys_of_where(username, |grant| grant.device_key == key)
    {
        state.refresh_grants.remove(&token);
    }
    state
        .sessions
        .retain(|_, session| session.device_key != key);
    Ok(())
}

/// A device as the service lists it, with its attributes under the service's names.
fn device_type(device: &Device, settings: &PoolSettings) -> DeviceType {
    let remembered = if device.remembered {
        "remembered"
    } else {
        "not_remembered"
    };
    let owner = format!("{}.{}", device.username, settings.id);
    let arn = format!(
        "arn:aws:cognito-idp:{}:{ACCOUNT_ID}:owner/{owner}/device/{}",
        settings.region, device.key
    );
    let mut attributes = vec![AttributeType::new("device_status", "valid")];
    if let Some(name) = &device.name {
        attributes.push(AttributeType::new("device_name", name));
    }
    attributes.extend([
        AttributeType::new("dev:device_arn", arn),
        AttributeType::new("dev:device_owner", owner),
        AttributeType::new("last_ip_used", "127.0.0.1"),
        AttributeType::new("dev:device_remembered_status", remembered),
    ]);
    DeviceType {
        device_key: device.key.clone(),
        device_attributes: attributes,
        device_create_date: epoch_seconds(device.created),
        device_last_modified_date: epoch_seconds(device.modified),
        device_last_authenticated_date: epoch_seconds(device.last_authenticated),
    }
}
