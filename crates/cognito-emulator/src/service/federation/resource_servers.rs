// SPDX-License-Identifier: Apache-2.0
//! Resource servers and their custom scopes: CreateResourceServer, DescribeResourceServer,
//! UpdateResourceServer, DeleteResourceServer, ListResourceServers.

use serde::{Deserialize, Serialize};

use super::page;
use crate::service::model::PoolState;
use crate::service::{Empty, Service, ServiceError, ServiceResult};

/// Resource servers per user pool (the service's quota). The model allows 100 scopes each.
const MAX_RESOURCE_SERVERS: usize = 25;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResourceServer {
    pub identifier: String,
    pub name: String,
    pub scopes: Vec<Scope>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Scope {
    pub scope_name: String,
    pub scope_description: String,
}

/// CreateResourceServer and UpdateResourceServer: Update replaces the name and every scope.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerRequest {
    pub user_pool_id: String,
    pub identifier: String,
    pub name: String,
    pub scopes: Option<Vec<Scope>>,
}

/// DescribeResourceServer and DeleteResourceServer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerIdRequest {
    pub user_pool_id: String,
    pub identifier: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListResourceServersRequest {
    pub user_pool_id: String,
    pub max_results: Option<usize>,
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerAnswer {
    pub resource_server: ResourceServerType,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerType {
    pub user_pool_id: String,
    pub identifier: String,
    pub name: String,
    pub scopes: Vec<Scope>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListResourceServersAnswer {
    pub resource_servers: Vec<ResourceServerType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

impl Service {
    pub fn create_resource_server(
        &self,
        request: ResourceServerRequest,
    ) -> ServiceResult<ResourceServerAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        let servers = &state.federation.resource_servers;
        if servers.contains_key(&request.identifier) {
            return Err(ServiceError::invalid_parameter(format!(
                "A resource server with the identifier {} already exists in this user pool.",
                request.identifier
            )));
        }
        if servers.len() >= MAX_RESOURCE_SERVERS {
            return Err(ServiceError::new(
                "LimitExceededException",
                format!("A user pool can have at most {MAX_RESOURCE_SERVERS} resource servers."),
            ));
        }
        let server = resource_server(request.identifier, request.name, request.scopes)?;
        let answer = resource_server_answer(&pool.id, &server);
        state
            .federation
            .resource_servers
            .insert(server.identifier.clone(), server);
        Ok(answer)
    }

    pub fn describe_resource_server(
        &self,
        request: ResourceServerIdRequest,
    ) -> ServiceResult<ResourceServerAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let server = existing(&state, &request.identifier)?;
        Ok(resource_server_answer(&pool.id, server))
    }

    pub fn update_resource_server(
        &self,
        request: ResourceServerRequest,
    ) -> ServiceResult<ResourceServerAnswer> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        existing(&state, &request.identifier)?;
        let server = resource_server(request.identifier, request.name, request.scopes)?;
        let answer = resource_server_answer(&pool.id, &server);
        state
            .federation
            .resource_servers
            .insert(server.identifier.clone(), server);
        Ok(answer)
    }

    pub fn delete_resource_server(&self, request: ResourceServerIdRequest) -> ServiceResult<Empty> {
        let pool = self.pool(&request.user_pool_id)?;
        let mut state = pool.lock();
        existing(&state, &request.identifier)?;
        state
            .federation
            .resource_servers
            .remove(&request.identifier);
        Ok(Empty {})
    }

    pub fn list_resource_servers(
        &self,
        request: ListResourceServersRequest,
    ) -> ServiceResult<ListResourceServersAnswer> {
        const DEFAULT_PAGE: usize = 50;
        let pool = self.pool(&request.user_pool_id)?;
        let state = pool.lock();
        let limit = request.max_results.unwrap_or(DEFAULT_PAGE);
        let (servers, next_token) = page(
            &state.federation.resource_servers,
            limit,
            request.next_token.as_deref(),
        )?;
        Ok(ListResourceServersAnswer {
            resource_servers: servers
                .into_iter()
                .map(|server| resource_server_type(&pool.id, server))
                .collect(),
            next_token,
        })
    }
}

/// Whether `scope` (`<resource server identifier>/<scope name>`) is a custom scope of the pool,
/// for what may ask for it (an app client's AllowedOAuthScopes). Identifiers may hold `/`;
/// scope names may not, so the name is what follows the last one.
pub(crate) fn custom_scope_exists(state: &PoolState, scope: &str) -> bool {
    let Some((identifier, name)) = scope.rsplit_once('/') else {
        return false;
    };
    state
        .federation
        .resource_servers
        .get(identifier)
        .is_some_and(|server| server.scopes.iter().any(|s| s.scope_name == name))
}

fn existing<'a>(state: &'a PoolState, identifier: &str) -> ServiceResult<&'a ResourceServer> {
    state
        .federation
        .resource_servers
        .get(identifier)
        .ok_or_else(|| {
            ServiceError::resource_not_found(format!(
                "Resource server {identifier} does not exist."
            ))
        })
}

fn resource_server(
    identifier: String,
    name: String,
    scopes: Option<Vec<Scope>>,
) -> ServiceResult<ResourceServer> {
    let scopes = scopes.unwrap_or_default();
    for (index, scope) in scopes.iter().enumerate() {
        if scopes[..index]
            .iter()
            .any(|earlier| earlier.scope_name == scope.scope_name)
        {
            return Err(ServiceError::invalid_parameter(format!(
                "The scope {} is given more than once.",
                scope.scope_name
            )));
        }
    }
    Ok(ResourceServer {
        identifier,
        name,
        scopes,
    })
}

fn resource_server_answer(pool_id: &str, server: &ResourceServer) -> ResourceServerAnswer {
    ResourceServerAnswer {
        resource_server: resource_server_type(pool_id, server),
    }
}

fn resource_server_type(pool_id: &str, server: &ResourceServer) -> ResourceServerType {
    ResourceServerType {
        user_pool_id: pool_id.to_owned(),
        identifier: server.identifier.clone(),
        name: server.name.clone(),
        scopes: server.scopes.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::model::PoolSettings;

    #[test]
    fn a_custom_scope_is_its_servers_identifier_and_its_name() {
        let mut state = PoolState::new(PoolSettings::for_test());
        let read = Scope {
            scope_name: "read".to_owned(),
            scope_description: "Reads".to_owned(),
        };
        let server = resource_server(
            "https://api.example.com/v1".to_owned(),
            "api".to_owned(),
            Some(vec![read]),
        )
        .unwrap();
        state
            .federation
            .resource_servers
            .insert(server.identifier.clone(), server);
        assert!(custom_scope_exists(
            &state,
            "https://api.example.com/v1/read"
        ));
        assert!(!custom_scope_exists(
            &state,
            "https://api.example.com/v1/write"
        ));
        assert!(!custom_scope_exists(&state, "https://api.example.com/read"));
        assert!(!custom_scope_exists(&state, "read"));
    }
}
