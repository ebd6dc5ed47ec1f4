// SPDX-License-Identifier: Apache-2.0
//! Remembered devices: ConfirmDevice, UpdateDeviceStatus, ListDevices, ForgetDevice.

use cognito_srp::PasswordVerifier;
use serde::Deserialize;
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::clock::epoch_seconds;
use super::model::Device;
use super::{Service, ServiceError, ServiceResult};

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

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceRequest {
    pub access_token: Option<Zeroizing<String>>,
    pub device_key: String,
    pub device_remembered_status: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesRequest {
    pub access_token: Zeroizing<String>,
    pub limit: Option<usize>,
    pub pagination_token: Option<String>,
}

impl Service {
    pub fn confirm_device(&self, request: ConfirmDeviceRequest) -> ServiceResult<Value> {
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
        Ok(json!({ "UserConfirmationNecessary": prompt_only }))
    }

    pub fn update_device_status(&self, request: DeviceRequest) -> ServiceResult<Value> {
        let token = request
            .access_token
            .ok_or_else(|| ServiceError::missing_parameter("AccessToken"))?;
        let (pool, claims) = self.authenticate_access_token(&token)?;
        let now = self.now();
        let mut state = pool.lock();
        let username = state.token_user(&claims)?.username.clone();
        let device = state
            .devices
            .get_mut(&request.device_key)
            .filter(|device| device.username == username && device.verifier.is_some())
            .ok_or_else(ServiceError::device_not_found)?;
        device.remembered = request.device_remembered_status.as_deref() == Some("remembered");
        device.modified = now;
        Ok(json!({}))
    }

    pub fn list_devices(&self, request: ListDevicesRequest) -> ServiceResult<Value> {
        let (pool, claims) = self.authenticate_access_token(&request.access_token)?;
        let state = pool.lock();
        let username = state.token_user(&claims)?.username.clone();
        let mut devices: Vec<&Device> = state
            .devices
            .values()
            .filter(|device| device.username == username && device.verifier.is_some())
            .collect();
        devices.sort_by(|a, b| a.key.cmp(&b.key));
        let start = request.pagination_token.as_ref().map_or(0, |after| {
            devices.iter().take_while(|d| d.key <= *after).count()
        });
        let limit = match request.limit {
            Some(0) | None => 60,
            Some(limit) => limit,
        };
        let page: Vec<&&Device> = devices.iter().skip(start).take(limit).collect();
        let mut response =
            json!({ "Devices": page.iter().map(|d| device_type(d)).collect::<Vec<_>>() });
        if let (true, Some(last)) = (start + page.len() < devices.len(), page.last()) {
            response["PaginationToken"] = json!(last.key);
        }
        Ok(response)
    }

    pub fn forget_device(&self, request: DeviceRequest) -> ServiceResult<Value> {
        let token = request
            .access_token
            .ok_or_else(|| ServiceError::missing_parameter("AccessToken"))?;
        let (pool, claims) = self.authenticate_access_token(&token)?;
        let mut state = pool.lock();
        let username = state.token_user(&claims)?.username.clone();
        let owned = state
            .devices
            .get(&request.device_key)
            .is_some_and(|device| device.username == username);
        if !owned {
            return Err(ServiceError::device_not_found());
        }
        state.devices.remove(&request.device_key);
        // Refresh tokens issued to the device and sign-ins under way with it end with it.
        let key = Some(request.device_key.clone());
        state
            .refresh_grants
            .retain(|_, grant| grant.device_key != key);
        state
            .sessions
            .retain(|_, session| session.device_key != key);
        Ok(json!({}))
    }
}

fn device_type(device: &Device) -> Value {
    let mut attributes = vec![
        json!({ "Name": "device_status", "Value": "valid" }),
        json!({
            "Name": "device_remembered_status",
            "Value": if device.remembered { "remembered" } else { "not_remembered" },
        }),
        json!({ "Name": "last_ip_used", "Value": "127.0.0.1" }),
    ];
    if let Some(name) = &device.name {
        attributes.push(json!({ "Name": "device_name", "Value": name }));
    }
    json!({
        "DeviceKey": device.key,
        "DeviceAttributes": attributes,
        "DeviceCreateDate": epoch_seconds(device.created),
        "DeviceLastModifiedDate": epoch_seconds(device.modified),
        "DeviceLastAuthenticatedDate": epoch_seconds(device.last_authenticated),
    })
}
