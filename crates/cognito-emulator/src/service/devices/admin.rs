// SPDX-License-Identifier: Apache-2.0
//! A user's devices as an administrator sees them, by pool and username: AdminGetDevice,
//! AdminListDevices, AdminUpdateDeviceStatus, AdminForgetDevice.

use serde::Deserialize;

use super::{
    GetDeviceAnswer, ListDevicesAnswer, confirmed_device, device_type, forget, page_of_devices,
    set_remembered,
};
use crate::service::{Empty, Service, ServiceResult};

/// AdminGetDevice and AdminForgetDevice: the pool, the user and the device.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminDeviceRequest {
    pub user_pool_id: String,
    pub username: String,
    pub device_key: String,
}

// AdminGetDevice answers `GetDeviceAnswer`, AdminForgetDevice `Empty`.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminListDevicesRequest {
    pub user_pool_id: String,
    pub username: String,
    pub limit: Option<usize>,
    pub pagination_token: Option<String>,
}

// AdminListDevices answers `ListDevicesAnswer`.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUpdateDeviceStatusRequest {
    pub user_pool_id: String,
    pub username: String,
    pub device_key: String,
    pub device_remembered_status: Option<String>,
}

// AdminUpdateDeviceStatus answers `Empty`.

impl Service {
    pub fn admin_get_device(&self, request: AdminDeviceRequest) -> ServiceResult<GetDeviceAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let username = &state.user(&request.username)?.username;
        let device = confirmed_device(&state, username, &request.device_key)?;
        Ok(GetDeviceAnswer {
            device: device_type(device, &state.settings),
        })
    }

    pub fn admin_list_devices(
        &self,
        request: AdminListDevicesRequest,
    ) -> ServiceResult<ListDevicesAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let username = &state.user(&request.username)?.username;
        let token = request.pagination_token.as_deref();
        Ok(page_of_devices(&state, username, request.limit, token))
    }

    pub fn admin_update_device_status(
        &self,
        request: AdminUpdateDeviceStatusRequest,
    ) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let now = self.now();
        let mut state = pool.lock();
        let username = state.user(&request.username)?.username.clone();
        let status = request.device_remembered_status.as_deref();
        set_remembered(&mut state, &username, &request.device_key, status, now)?;
        Ok(Empty {})
    }

    pub fn admin_forget_device(&self, request: AdminDeviceRequest) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        let username = state.user(&request.username)?.username.clone();
        forget(&mut state, &username, &request.device_key)?;
        Ok(Empty {})
    }
}
