// SPDX-License-Identifier: Apache-2.0
//! Identity providers, resource servers, user-pool domains and the signing certificate.

use super::{Operation, decode, op, reply};

/// Nothing is fetched: an OIDC provider's endpoints are not discovered from its issuer, and a
/// SAML provider's MetadataURL is not read (a MetadataFile is).
const OFFLINE: &str = "OIDC endpoints not discovered, SAML MetadataURL not fetched";

pub(super) const OPERATIONS: &[Operation] = &[
    op("CreateIdentityProvider", false, |s, b, _| {
        reply(s.create_identity_provider(decode(b)?))
    })
    .limited(OFFLINE),
    op("DescribeIdentityProvider", false, |s, b, _| {
        reply(s.describe_identity_provider(decode(b)?))
    }),
    op("UpdateIdentityProvider", false, |s, b, _| {
        reply(s.update_identity_provider(decode(b)?))
    })
    .limited(OFFLINE),
    op("DeleteIdentityProvider", false, |s, b, _| {
        reply(s.delete_identity_provider(decode(b)?))
    }),
    op("ListIdentityProviders", false, |s, b, _| {
        reply(s.list_identity_providers(decode(b)?))
    }),
    op("GetIdentityProviderByIdentifier", false, |s, b, _| {
        reply(s.get_identity_provider_by_identifier(decode(b)?))
    }),
    op("AdminLinkProviderForUser", false, |s, b, _| {
        reply(s.admin_link_provider_for_user(decode(b)?))
    }),
    op("AdminDisableProviderForUser", false, |s, b, _| {
        reply(s.admin_disable_provider_for_user(decode(b)?))
    }),
    op("CreateResourceServer", false, |s, b, _| {
        reply(s.create_resource_server(decode(b)?))
    }),
    op("DescribeResourceServer", false, |s, b, _| {
        reply(s.describe_resource_server(decode(b)?))
    }),
    op("UpdateResourceServer", false, |s, b, _| {
        reply(s.update_resource_server(decode(b)?))
    }),
    op("DeleteResourceServer", false, |s, b, _| {
        reply(s.delete_resource_server(decode(b)?))
    }),
    op("ListResourceServers", false, |s, b, _| {
        reply(s.list_resource_servers(decode(b)?))
    }),
    op("CreateUserPoolDomain", false, |s, b, _| {
        reply(s.create_user_pool_domain(decode(b)?))
    }),
    op("DescribeUserPoolDomain", false, |s, b, _| {
        reply(s.describe_user_pool_domain(decode(b)?))
    }),
    op("UpdateUserPoolDomain", false, |s, b, _| {
        reply(s.update_user_pool_domain(decode(b)?))
    }),
    op("DeleteUserPoolDomain", false, |s, b, _| {
        reply(s.delete_user_pool_domain(decode(b)?))
    }),
    // RSA key generation the first time a pool is asked.
    op("GetSigningCertificate", true, |s, b, _| {
        reply(s.get_signing_certificate(decode(b)?))
    }),
];
