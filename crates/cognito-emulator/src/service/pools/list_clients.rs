// SPDX-License-Identifier: Apache-2.0
//! ListUserPoolClients: a pool's app clients by id, a page at a time (MaxResults, NextToken).

use std::ops::Bound;

use serde::{Deserialize, Serialize};

use crate::service::{Service, ServiceResult};

/// The model's QueryLimit: at most 60 a page; the service's default page is as large.
const MAX_RESULTS: usize = 60;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolClientsRequest {
    pub user_pool_id: String,
    pub max_results: Option<usize>,
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolClientsAnswer {
    pub user_pool_clients: Vec<UserPoolClientDescription>,
    /// The id of the page's last client, when more clients follow it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientDescription {
    pub client_id: String,
    pub user_pool_id: String,
    pub client_name: String,
}

impl Service {
    pub fn list_user_pool_clients(
        &self,
        request: ListUserPoolClientsRequest,
    ) -> ServiceResult<ListUserPoolClientsAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let limit = request.max_results.unwrap_or(MAX_RESULTS);
        let state = pool.lock();
        // A token is the id of the last client listed: the next page starts after it, even if
        // that client has been deleted since.
        let after = request
            .next_token
            .as_deref()
            .map_or(Bound::Unbounded, Bound::Excluded);
        let mut clients = state.clients.range::<str, _>((after, Bound::Unbounded));
        let page: Vec<UserPoolClientDescription> = clients
            .by_ref()
            .take(limit)
            .map(|(id, client)| UserPoolClientDescription {
                client_id: id.clone(),
                user_pool_id: pool.id.clone(),
                client_name: client.name.clone(),
            })
            .collect();
        let more = clients.next().is_some();
        let next_token = page
            .last()
            .filter(|_| more)
            .map(|last| last.client_id.clone());
        Ok(ListUserPoolClientsAnswer {
            user_pool_clients: page,
            next_token,
        })
    }
}
