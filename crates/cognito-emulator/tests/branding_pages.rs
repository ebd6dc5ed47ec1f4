// SPDX-License-Identifier: Apache-2.0
//! What the hosted pages show of the branding, over HTTP: the stylesheet and logo of a classic
//! hosted UI domain follow SetUICustomization (the client's own, else the pool's), those of a
//! managed login domain follow the client's branding style, and the sign-up page's terms links
//! follow the client's terms documents and the page's language.

mod common;

use aws_sdk_cognitoidentityprovider::primitives::Blob;
use aws_sdk_cognitoidentityprovider::types::{
    AssetCategoryType, AssetExtensionType, AssetType, ColorSchemeModeType, TermsEnforcementType,
    TermsSourceType,
};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{Harness, Pool, http_answer};
use serde_json::json;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nclassic";
const BRANDED_PNG: &[u8] = b"\x89PNG\r\n\x1a\nbranded";

/// Whether a body read as text (its first byte, 0x89, lost to UTF-8) is this PNG.
fn is_png(body: &str, png: &[u8]) -> bool {
    body.as_bytes().ends_with(&png[1..]) && body.len() <= png.len() + 2
}

async fn pool_with_domain(harness: &Harness, domain: &str, version: i32) -> Pool {
    let pool = harness.pool_without_mfa(|create| create, false).await;
    harness
        .client
        .create_user_pool_domain()
        .user_pool_id(&pool.id)
        .domain(domain)
        .managed_login_version(version)
        .send()
        .await
        .unwrap();
    pool
}

async fn customize(harness: &Harness, pool: &Pool, client_id: Option<&str>, css: &str) {
    harness
        .client
        .set_ui_customization()
        .user_pool_id(&pool.id)
        .set_client_id(client_id.map(str::to_owned))
        .css(css)
        .image_file(Blob::new(PNG))
        .send()
        .await
        .unwrap();
}

/// GETs one of a domain's style URLs: (status, content type, body bytes as text).
async fn style(
    harness: &Harness,
    domain: &str,
    what: &str,
    client_id: &str,
) -> (u16, String, String) {
    let path = format!("/_domains/{domain}/_style/{what}?client_id={client_id}");
    let answer = http_answer(harness.emulator.url(), "GET", &path, &[], "").await;
    let content_type = answer.header("content-type").unwrap_or_default().to_owned();
    (answer.status, content_type, answer.body)
}

#[tokio::test]
async fn a_classic_domains_stylesheet_and_logo_follow_set_ui_customization() {
    let harness = Harness::start().await;
    let pool = pool_with_domain(&harness, "classic-look", 1).await;
    let client = pool.client_id.as_str();
    let (status, content_type, css) = style(&harness, "classic-look", "style.css", client).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/css"), "{content_type}");
    // The emulator's own sheet: focus stays visible.
    assert!(css.contains(".inputField-customizable:focus"));
    assert!(!css.contains("#123456"));
    assert_eq!(style(&harness, "classic-look", "logo", client).await.0, 404);

    let pool_css = ".submitButton-customizable { background-color: #123456; }";
    customize(&harness, &pool, None, pool_css).await;
    let (_, _, css) = style(&harness, "classic-look", "style.css", client).await;
    // After the emulator's rules, so that it wins.
    let base_rule = css.find(".submitButton-customizable {").unwrap();
    assert!(css.rfind(pool_css).unwrap() > base_rule);
    let (status, content_type, logo) = style(&harness, "classic-look", "logo", client).await;
    assert_eq!((status, content_type.as_str()), (200, "image/png"));
    assert!(is_png(&logo, PNG));

    // The client's own customization replaces the pool's.
    let client_css = ".banner-customizable { background-color: #654321; }";
    customize(&harness, &pool, Some(client), client_css).await;
    let (_, _, css) = style(&harness, "classic-look", "style.css", client).await;
    assert!(css.contains(client_css));
    assert!(!css.contains(pool_css));

    // A client the pool does not have gets the emulator's look only.
    let (status, _, css) = style(&harness, "classic-look", "style.css", "someoneelse").await;
    assert_eq!(status, 200);
    assert!(!css.contains(client_css) && !css.contains(pool_css));
    assert_eq!(
        style(&harness, "no-such-domain", "style.css", client)
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn a_managed_login_domain_shows_the_clients_branding_style() {
    let harness = Harness::start().await;
    let pool = pool_with_domain(&harness, "branded-look", 2).await;
    let client = pool.client_id.as_str();
    customize(
        &harness,
        &pool,
        None,
        ".label-customizable { color: #abcdef; }",
    )
    .await;
    let (_, _, css) = style(&harness, "branded-look", "style.css", client).await;
    assert!(
        !css.contains("#abcdef"),
        "the classic CSS is not managed login's"
    );

    let settings = json!({
        "components": { "primaryButton": { "lightMode": { "defaults": {
            "backgroundColor": "ff0000ff", "textColor": "red; } body { display: none" } } } },
    });
    let body = json!({
        "UserPoolId": pool.id, "ClientId": client, "Settings": settings,
        "Assets": [{ "Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG",
            "Bytes": STANDARD.encode(BRANDED_PNG) }],
    });
    let (status, answer) = harness
        .call("CreateManagedLoginBranding", &body.to_string())
        .await;
    assert_eq!(status, 200, "{answer}");
    let (_, _, css) = style(&harness, "branded-look", "style.css", client).await;
    assert!(css.contains("background-color: #ff0000ff;"), "{css}");
    // A setting that is not a colour never reaches the CSS.
    assert!(!css.contains("body { display: none"));
    // What the style leaves out comes from the defaults.
    assert!(css.contains("color: #ffffffff;"));
    let (status, content_type, logo) = style(&harness, "branded-look", "logo", client).await;
    assert_eq!((status, content_type.as_str()), (200, "image/png"));
    assert!(is_png(&logo, BRANDED_PNG));

    // In dark mode, the dark settings and the dark logo (none here: the light one).
    let style_id = answer["ManagedLoginBranding"]["ManagedLoginBrandingId"]
        .as_str()
        .unwrap();
    harness
        .client
        .update_managed_login_branding()
        .user_pool_id(&pool.id)
        .managed_login_branding_id(style_id)
        .assets(
            AssetType::builder()
                .category(AssetCategoryType::FormLogo)
                .color_mode(ColorSchemeModeType::Dark)
                .extension(AssetExtensionType::Png)
                .bytes(Blob::new(PNG))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let dark = json!({ "UserPoolId": pool.id, "ManagedLoginBrandingId": style_id,
        "Settings": { "categories": { "global": { "colorSchemeMode": "DARK" } } } });
    let (status, _) = harness
        .call("UpdateManagedLoginBranding", &dark.to_string())
        .await;
    assert_eq!(status, 200);
    let (_, _, css) = style(&harness, "branded-look", "style.css", client).await;
    // The default dark page background.
    assert!(css.contains("background-color: #044444ff;"), "{css}");
    let (_, _, logo) = style(&harness, "branded-look", "logo", client).await;
    assert!(is_png(&logo, PNG));
}

async fn create_terms(harness: &Harness, pool: &Pool, name: &str, links: &[(&str, &str)]) {
    let mut create = harness
        .client
        .create_terms()
        .user_pool_id(&pool.id)
        .client_id(&pool.client_id)
        .terms_name(name)
        .terms_source(TermsSourceType::Link)
        .enforcement(TermsEnforcementType::None);
    for (language, url) in links {
        create = create.links(*language, *url);
    }
    create.send().await.unwrap();
}

#[tokio::test]
async fn the_sign_up_page_links_both_terms_documents_in_its_language() {
    let harness = Harness::start().await;
    let pool = pool_with_domain(&harness, "terms-page", 2).await;
    let service = cognito_emulator::testing::service(&harness.emulator);
    let links = |lang: &str| service.terms_links("terms-page", &pool.client_id, lang);
    create_terms(
        &harness,
        &pool,
        "terms-of-use",
        &[
            ("cognito:default", "https://example.com/terms"),
            ("cognito:french", "https://example.com/fr/terms"),
        ],
    )
    .await;
    // Only once both documents exist.
    assert!(links("en").is_empty());
    create_terms(
        &harness,
        &pool,
        "privacy-policy",
        &[("cognito:default", "https://example.com/privacy")],
    )
    .await;
    let french: Vec<(String, String)> = links("fr")
        .into_iter()
        .map(|link| (link.name, link.url))
        .collect();
    assert_eq!(
        french,
        [
            (
                "terms-of-use".to_owned(),
                "https://example.com/fr/terms".to_owned()
            ),
            (
                "privacy-policy".to_owned(),
                "https://example.com/privacy".to_owned()
            ),
        ]
    );
    assert_eq!(links("en")[0].url, "https://example.com/terms");
    assert!(
        service
            .terms_links("terms-page", "another-client", "en")
            .is_empty()
    );
}
