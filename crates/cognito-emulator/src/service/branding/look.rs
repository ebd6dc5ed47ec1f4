// SPDX-License-Identifier: Apache-2.0
//! What the hosted pages of a domain take from the branding, for one app client:
//! - on a classic hosted UI domain (ManagedLoginVersion 1), SetUICustomization's CSS and logo,
//!   the client's own or else the pool's (`ALL`);
//! - on a managed login domain (version 2), the client's branding style, its settings merged
//!   over the defaults and turned into CSS for the pages' classes, and its form logo.
//!
//! The settings mapped (each in `lightMode` and `darkMode`, chosen by
//! `categories.global.colorSchemeMode`; `DYNAMIC` follows the browser's preference):
//! `components.pageBackground.color`, `components.primaryButton.{defaults,hover}.{backgroundColor,
//! textColor}`, `componentClasses.buttons.borderRadius`, `componentClasses.input.borderRadius`
//! and `.defaults.{backgroundColor,borderColor}`, `componentClasses.focusState.borderColor`,
//! `componentClasses.inputLabel.textColor`, `componentClasses.text.{bodyTextColor,
//! headingTextColor}`, `componentClasses.link.{defaults,hover}.textColor`. Only well-formed hex
//! colours and plain numbers reach the CSS, so a setting cannot write CSS of its own.

use std::fmt::Write;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use super::settings::merged_over_defaults;
use super::styles::ManagedLoginBranding;
use crate::service::Service;
use crate::service::model::PoolState;
use crate::service::pools::ui::{ALL_CLIENTS, image_type};

/// The look of a client's pages on a domain: CSS to follow the emulator's own stylesheet, and
/// the logo if there is one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageStyle {
    pub css: String,
    pub logo: Option<PageLogo>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLogo {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
}

/// A link the sign-up page shows: `name` is `terms-of-use` or `privacy-policy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermsLink {
    pub name: String,
    pub url: String,
}

/// The terms documents the sign-up page links to, in this order.
const TERMS_NAMES: [&str; 2] = ["terms-of-use", "privacy-policy"];

impl Service {
    /// The look of `client_id`'s pages on `domain`; the emulator's own look (empty) for a
    /// domain or client it does not know.
    pub fn page_style(&self, domain: &str, client_id: &str) -> PageStyle {
        let Some(pool) = self.pool_of_domain(domain) else {
            return PageStyle::default();
        };
        let state = pool.lock();
        if !state.clients.contains_key(client_id) {
            return PageStyle::default();
        }
        let version = state
            .federation
            .domains
            .get(domain)
            .map_or(1, |d| d.managed_login_version);
        if version >= 2 {
            state
                .branding
                .style_of_client(client_id)
                .map(branded_style)
                .unwrap_or_default()
        } else {
            classic_style(&state, client_id)
        }
    }

    /// The terms links of `client_id`'s sign-up page on `domain`, for the page's language
    /// (`lang`, as the authorize request gave it: `en`, `fr`, `pt-BR`, ...). None until the
    /// client has both documents with a link for the language or a default one.
    pub fn terms_links(&self, domain: &str, client_id: &str, lang: &str) -> Vec<TermsLink> {
        let Some(pool) = self.pool_of_domain(domain) else {
            return Vec::new();
        };
        let state = pool.lock();
        let wanted = format!("cognito:{}", language_name(lang));
        let links: Vec<TermsLink> = TERMS_NAMES
            .iter()
            .filter_map(|name| {
                let terms = state.branding.terms_of_client(client_id, name)?;
                let url = terms
                    .links
                    .get(&wanted)
                    .or_else(|| terms.links.get("cognito:default"))?;
                Some(TermsLink {
                    name: (*name).to_owned(),
                    url: url.clone(),
                })
            })
            .collect();
        if links.len() == TERMS_NAMES.len() {
            links
        } else {
            Vec::new()
        }
    }
}

/// The managed-login language a `lang` parameter names (`default` for one it does not know).
fn language_name(lang: &str) -> &'static str {
    match lang.to_ascii_lowercase().as_str() {
        "en" | "en-us" | "en-gb" => "english",
        "de" => "german",
        "es" => "spanish",
        "fr" => "french",
        "id" => "bahasa-indonesia",
        "it" => "italian",
        "ja" => "japanese",
        "ko" => "korean",
        "nl" => "dutch",
        "pt-br" | "pt" => "portuguese-brazil",
        "zh-cn" => "chinese-simplified",
        "zh-tw" => "chinese-traditional",
        _ => "default",
    }
}

fn classic_style(state: &PoolState, client_id: &str) -> PageStyle {
    let Some(customization) = state
        .ui_customizations
        .get(client_id)
        .or_else(|| state.ui_customizations.get(ALL_CLIENTS))
    else {
        return PageStyle::default();
    };
    let logo = customization.image.as_deref().and_then(|image| {
        Some(PageLogo {
            content_type: image_type(image).ok()?,
            bytes: STANDARD.decode(image).ok()?,
        })
    });
    PageStyle {
        css: customization.css.clone().unwrap_or_default(),
        logo,
    }
}

fn branded_style(style: &ManagedLoginBranding) -> PageStyle {
    let settings = Value::Object(merged_over_defaults(style.settings.as_ref()));
    let scheme = settings["categories"]["global"]["colorSchemeMode"].as_str();
    let css = match scheme {
        Some("DARK") => mode_css(&settings, "darkMode"),
        Some("DYNAMIC") => format!(
            "{}@media (prefers-color-scheme: dark) {{\n{}}}\n",
            mode_css(&settings, "lightMode"),
            mode_css(&settings, "darkMode")
        ),
        _ => mode_css(&settings, "lightMode"),
    };
    let logo_mode = if scheme == Some("DARK") {
        "DARK"
    } else {
        "LIGHT"
    };
    PageStyle {
        css,
        logo: form_logo(style, logo_mode),
    }
}

/// Which setting gives which CSS declaration: (selector, property, JSON pointer into the
/// merged settings, `{mode}` standing for `lightMode` or `darkMode`). Rules of one selector
/// are consecutive.
const MAPPING: &[(&str, &str, &str)] = &[
    (
        ".background-customizable",
        "background-color",
        "/components/pageBackground/{mode}/color",
    ),
    (
        ".submitButton-customizable",
        "background-color",
        "/components/primaryButton/{mode}/defaults/backgroundColor",
    ),
    (
        ".submitButton-customizable",
        "color",
        "/components/primaryButton/{mode}/defaults/textColor",
    ),
    (
        ".submitButton-customizable",
        "border-radius",
        "/componentClasses/buttons/borderRadius",
    ),
    (
        ".submitButton-customizable:hover",
        "background-color",
        "/components/primaryButton/{mode}/hover/backgroundColor",
    ),
    (
        ".submitButton-customizable:hover",
        "color",
        "/components/primaryButton/{mode}/hover/textColor",
    ),
    (
        ".idpButton-customizable",
        "border-radius",
        "/componentClasses/buttons/borderRadius",
    ),
    (
        ".inputField-customizable",
        "background-color",
        "/componentClasses/input/{mode}/defaults/backgroundColor",
    ),
    (
        ".inputField-customizable",
        "border-color",
        "/componentClasses/input/{mode}/defaults/borderColor",
    ),
    (
        ".inputField-customizable",
        "border-radius",
        "/componentClasses/input/borderRadius",
    ),
    (
        ".inputField-customizable:focus",
        "border-color",
        "/componentClasses/focusState/{mode}/borderColor",
    ),
    (
        ".inputField-customizable:focus",
        "outline-color",
        "/componentClasses/focusState/{mode}/borderColor",
    ),
    (
        ".label-customizable",
        "color",
        "/componentClasses/inputLabel/{mode}/textColor",
    ),
    (
        ".textDescription-customizable",
        "color",
        "/componentClasses/text/{mode}/bodyTextColor",
    ),
    (
        ".banner-customizable",
        "color",
        "/componentClasses/text/{mode}/headingTextColor",
    ),
    (
        ".redirect-customizable, .redirect-customizable a",
        "color",
        "/componentClasses/link/{mode}/defaults/textColor",
    ),
    (
        ".redirect-customizable a:hover",
        "color",
        "/componentClasses/link/{mode}/hover/textColor",
    ),
];

/// The CSS of one colour mode's settings: a rule per selector, with the declarations whose
/// settings are well formed.
fn mode_css(settings: &Value, mode: &str) -> String {
    let mut css = String::new();
    let mut open: Option<&str> = None;
    for (selector, property, pointer) in MAPPING {
        let setting = settings.pointer(&pointer.replace("{mode}", mode));
        let value = setting.and_then(|value| match *property {
            "border-radius" => pixels(value),
            _ => color(value),
        });
        let Some(value) = value else {
            continue;
        };
        if open != Some(selector) {
            if open.is_some() {
                css.push_str("}\n");
            }
            let _ = writeln!(css, "{selector} {{");
            open = Some(selector);
        }
        let _ = writeln!(css, "  {property}: {value};");
    }
    if open.is_some() {
        css.push_str("}\n");
    }
    css
}

/// A setting's colour (`RRGGBB` or `RRGGBBAA`) as CSS; nothing for anything else.
fn color(value: &Value) -> Option<String> {
    let hex = value.as_str()?;
    let well_formed =
        matches!(hex.len(), 6 | 8) && hex.bytes().all(|byte| byte.is_ascii_hexdigit());
    well_formed.then(|| format!("#{}", hex.to_ascii_lowercase()))
}

/// A setting's length in pixels, within what a border radius can sensibly be.
fn pixels(value: &Value) -> Option<String> {
    let number = value.as_f64()?;
    (0.0..=1000.0)
        .contains(&number)
        .then(|| format!("{number}px"))
}

/// The style's form logo for a colour mode, else its browser-adaptive one, else any.
fn form_logo(style: &ManagedLoginBranding, mode: &str) -> Option<PageLogo> {
    let logos: Vec<_> = style
        .assets
        .iter()
        .filter(|asset| asset.category == "FORM_LOGO" && asset.bytes.is_some())
        .collect();
    let asset = logos
        .iter()
        .find(|asset| asset.color_mode == mode)
        .or_else(|| logos.iter().find(|asset| asset.color_mode == "DYNAMIC"))
        .or_else(|| logos.first())?;
    let content_type = match asset.extension.as_str() {
        "PNG" => "image/png",
        "JPEG" => "image/jpeg",
        "SVG" => "image/svg+xml",
        "WEBP" => "image/webp",
        "ICO" => "image/x-icon",
        _ => return None,
    };
    Some(PageLogo {
        bytes: STANDARD.decode(asset.bytes.as_deref()?).ok()?,
        content_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_hex_colours_and_numbers_reach_the_css() {
        assert_eq!(color(&json!("FF0000ff")), Some("#ff0000ff".to_owned()));
        assert_eq!(color(&json!("123456")), Some("#123456".to_owned()));
        assert_eq!(color(&json!("red; } body { x")), None);
        assert_eq!(color(&json!("12345")), None);
        assert_eq!(pixels(&json!(8)), Some("8px".to_owned()));
        assert_eq!(pixels(&json!("8px; color: red")), None);
        assert_eq!(pixels(&json!(-1)), None);
    }

    #[test]
    fn languages_fall_back_to_the_default_link() {
        assert_eq!(language_name("fr"), "french");
        assert_eq!(language_name("pt-BR"), "portuguese-brazil");
        assert_eq!(language_name("tlh"), "default");
    }

    #[test]
    fn the_default_style_has_cognitos_button_colour() {
        let css = mode_css(&Value::Object(merged_over_defaults(None)), "lightMode");
        assert!(css.contains(".submitButton-customizable {\n  background-color: #0972d3ff;"));
        assert!(css.contains("border-radius: 8px;"));
    }
}
