// SPDX-License-Identifier: Apache-2.0
//! What managed login looks like for each app client: its branding style
//! ([`styles`]: CreateManagedLoginBranding and the rest), its terms documents ([`terms`]:
//! CreateTerms and the rest), and what the hosted pages take from them and from the classic
//! UI customization ([`look`]: the stylesheet, the logo, the terms links).

mod look;
mod settings;
mod styles;
mod terms;

pub use look::TermsLink;
pub use styles::ManagedLoginBranding;
pub use terms::Terms;

use super::model::PoolState;
use super::tracked::TrackedMap;

/// What a pool holds of managed-login branding.
#[derive(Debug, Default)]
pub struct BrandingState {
    /// By ManagedLoginBrandingId: at most one per app client.
    pub styles: TrackedMap<ManagedLoginBranding>,
    /// By TermsId: at most one of each name per app client.
    pub terms: TrackedMap<Terms>,
}

impl BrandingState {
    /// The branding style of an app client.
    pub fn style_of_client(&self, client_id: &str) -> Option<&ManagedLoginBranding> {
        self.styles
            .values()
            .find(|style| style.client_id == client_id)
    }

    /// The terms document of an app client with this name.
    pub fn terms_of_client(&self, client_id: &str, name: &str) -> Option<&Terms> {
        self.terms
            .values()
            .find(|terms| terms.client_id == client_id && terms.name == name)
    }
}

/// A deleted app client takes its branding style and terms documents with it.
pub(crate) fn forget_client(state: &mut PoolState, client_id: &str) {
    state
        .branding
        .styles
        .retain(|_, style| style.client_id != client_id);
    state
        .branding
        .terms
        .retain(|_, terms| terms.client_id != client_id);
}
