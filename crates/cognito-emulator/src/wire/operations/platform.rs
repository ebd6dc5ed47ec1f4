// SPDX-License-Identifier: Apache-2.0
//! Replicas, point-in-time recovery, CIMD policies and client metadata URLs, provisioned
//! limits, and the client and derived tokens.

use super::{Operation, decode, op, reply};

const ONE_REGION: &str =
    "stored and checked only: the emulator serves one Region, so a replica answers no requests";
const PREVIEW_OF_USERS_AND_GROUPS: &str = "the preview counts users and groups (entities USER and GROUP) only, from a history of at most 50,000 changes a pool";
const RESTORES_USERS_AND_GROUPS: &str = "restores users and groups only; clients, providers, domains and pool settings stay as they are, and a restored user's devices and refresh tokens are dropped";
const NO_FETCH: &str = "stored and checked only: the emulator fetches no metadata document";
const NOT_ENFORCED: &str = "stored only: no request rate is enforced";

pub(super) const OPERATIONS: &[Operation] = &[
    op("CreateUserPoolReplica", false, |s, b, _| reply(s.create_user_pool_replica(decode(b)?))).limited(ONE_REGION),
    op("DeleteUserPoolReplica", false, |s, b, c| reply(s.delete_user_pool_replica(decode(b)?, c.signed_region.as_deref()))).limited(ONE_REGION),
    op("ListUserPoolReplicas", false, |s, b, _| reply(s.list_user_pool_replicas(decode(b)?))).limited(ONE_REGION),
    op("UpdateUserPoolReplica", false, |s, b, _| reply(s.update_user_pool_replica(decode(b)?))).limited(ONE_REGION),
    op("InitiatePointInTimeRecovery", false, |s, b, _| reply(s.initiate_point_in_time_recovery(decode(b)?))).limited(PREVIEW_OF_USERS_AND_GROUPS),
    op("StartPointInTimeRecovery", false, |s, b, _| reply(s.start_point_in_time_recovery(decode(b)?))).limited(RESTORES_USERS_AND_GROUPS),
    op("CancelPointInTimeRecovery", false, |s, b, _| reply(s.cancel_point_in_time_recovery(decode(b)?))),
    op("DescribePointInTimeRecovery", false, |s, b, _| reply(s.describe_point_in_time_recovery(decode(b)?))),
    op("ListPointInTimeRecoveries", false, |s, b, _| reply(s.list_point_in_time_recoveries(decode(b)?))),
    op("CreateCIMDPolicy", false, |s, b, _| reply(s.create_cimd_policy(decode(b)?))).limited(NO_FETCH),
    op("DescribeCIMDPolicy", false, |s, b, _| reply(s.describe_cimd_policy(decode(b)?))),
    op("UpdateCIMDPolicy", false, |s, b, _| reply(s.update_cimd_policy(decode(b)?))).limited(NO_FETCH),
    op("DeleteCIMDPolicy", false, |s, b, _| reply(s.delete_cimd_policy(decode(b)?))),
    op("ListCIMDPolicies", false, |s, b, _| reply(s.list_cimd_policies(decode(b)?))),
    op("ListClientMetadataURLs", false, |s, b, _| reply(s.list_client_metadata_urls(decode(b)?))).limited("nothing is ever cached, so no URL is listed"),
    op("UpdateClientMetadataURLState", false, |s, b, _| reply(s.update_client_metadata_url_state(decode(b)?))).limited("nothing is ever cached, so every URL is answered CachedCIMDURLDoesNotExistException"),
    op("GetProvisionedLimit", false, |s, b, _| reply(s.get_provisioned_limit(decode(b)?))),
    op("UpdateProvisionedLimit", false, |s, b, _| reply(s.update_provisioned_limit(decode(b)?))).limited(NOT_ENFORCED),
    op("GetClientToken", true, |s, b, _| reply(s.get_client_token(decode(b)?))),
    op("GetDerivedToken", true, |s, b, _| reply(s.get_derived_token(decode(b)?))).limited("only the pool's own ID and access tokens are exchanged; SAML2 and other providers' tokens are refused"),
];
