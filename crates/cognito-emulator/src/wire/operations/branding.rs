// SPDX-License-Identifier: Apache-2.0
//! Managed-login branding styles and terms documents of app clients.

use super::{Operation, decode, op, reply};

/// What the hosted pages draw of a style (see `service::branding::look`).
const PAGES_DRAW_SOME: &str = "the hosted pages draw the colours, corner radii and form logo; the other settings and assets are kept and returned";

pub(super) const OPERATIONS: &[Operation] = &[
    op("CreateManagedLoginBranding", false, |s, b, _| {
        reply(s.create_managed_login_branding(decode(b)?))
    })
    .limited(PAGES_DRAW_SOME),
    op("DescribeManagedLoginBranding", false, |s, b, _| {
        reply(s.describe_managed_login_branding(decode(b)?))
    }),
    op("DescribeManagedLoginBrandingByClient", false, |s, b, _| {
        reply(s.describe_managed_login_branding_by_client(decode(b)?))
    }),
    op("UpdateManagedLoginBranding", false, |s, b, _| {
        reply(s.update_managed_login_branding(decode(b)?))
    })
    .limited(PAGES_DRAW_SOME),
    op("DeleteManagedLoginBranding", false, |s, b, _| {
        reply(s.delete_managed_login_branding(decode(b)?))
    }),
    op("CreateTerms", false, |s, b, _| {
        reply(s.create_terms(decode(b)?))
    }),
    op("DescribeTerms", false, |s, b, _| {
        reply(s.describe_terms(decode(b)?))
    }),
    op("DescribeTermsByClient", false, |s, b, _| {
        reply(s.describe_terms_by_client(decode(b)?))
    }),
    op("ListTerms", false, |s, b, _| {
        reply(s.list_terms(decode(b)?))
    }),
    op("UpdateTerms", false, |s, b, _| {
        reply(s.update_terms(decode(b)?))
    }),
    op("DeleteTerms", false, |s, b, _| {
        reply(s.delete_terms(decode(b)?))
    }),
];
