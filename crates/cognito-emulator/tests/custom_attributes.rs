// SPDX-License-Identifier: Apache-2.0
//! Custom attributes (CreateUserPool's Schema, AddCustomAttributes), the checks of every value
//! written against the schema, required standard attributes, GetCSVHeader, and what an app
//! client may read and write (ReadAttributes, WriteAttributes).

mod common;

use aws_sdk_cognitoidentityprovider::types::{
    AttributeDataType, ExplicitAuthFlowsType, NumberAttributeConstraintsType, SchemaAttributeType,
    StringAttributeConstraintsType,
};
use common::{Harness, PASSWORD, Pool, attribute, outcome, verified_claims};

fn custom(name: &str, data_type: AttributeDataType) -> SchemaAttributeType {
    SchemaAttributeType::builder()
        .name(name)
        .attribute_data_type(data_type)
        .build()
}

/// `custom:nick` (2 to 5 characters), `custom:age` (18 to 120), `custom:member` (Boolean),
/// `custom:code` (immutable) and the developer-only `dev:custom:secret`; email required.
fn schema() -> Vec<SchemaAttributeType> {
    vec![
        SchemaAttributeType::builder()
            .name("email")
            .required(true)
            .mutable(true)
            .build(),
        SchemaAttributeType::builder()
            .name("nick")
            .attribute_data_type(AttributeDataType::String)
            .string_attribute_constraints(
                StringAttributeConstraintsType::builder()
                    .min_length("2")
                    .max_length("5")
                    .build(),
            )
            .build(),
        SchemaAttributeType::builder()
            .name("age")
            .attribute_data_type(AttributeDataType::Number)
            .number_attribute_constraints(
                NumberAttributeConstraintsType::builder()
                    .min_value("18")
                    .max_value("120")
                    .build(),
            )
            .build(),
        custom("member", AttributeDataType::Boolean),
        SchemaAttributeType::builder()
            .name("code")
            .attribute_data_type(AttributeDataType::String)
            .mutable(false)
            .build(),
        SchemaAttributeType::builder()
            .name("secret")
            .attribute_data_type(AttributeDataType::String)
            .developer_only_attribute(true)
            .build(),
    ]
}

async fn custom_pool(harness: &Harness) -> Pool {
    harness
        .pool_without_mfa(|create| create.set_schema(Some(schema())), false)
        .await
}

async fn sign_up(
    harness: &Harness,
    pool: &Pool,
    username: &str,
    attributes: &[(&str, &str)],
) -> Result<(), (String, String)> {
    let mut request = harness
        .client
        .sign_up()
        .client_id(&pool.client_id)
        .username(username)
        .password(PASSWORD);
    for (name, value) in attributes {
        request = request.user_attributes(attribute(name, value));
    }
    outcome(request.send().await).map(|_| ())
}

async fn confirm(harness: &Harness, pool: &Pool, username: &str) {
    harness
        .client
        .admin_confirm_sign_up()
        .user_pool_id(&pool.id)
        .username(username)
        .send()
        .await
        .expect("AdminConfirmSignUp");
}

#[tokio::test]
async fn custom_attributes_are_named_typed_and_constrained() {
    let harness = Harness::start().await;
    let pool = custom_pool(&harness).await;
    let described = harness
        .client
        .describe_user_pool()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    let names: Vec<&str> = described
        .schema_attributes()
        .iter()
        .filter_map(|a| a.name())
        .collect();
    for name in [
        "custom:nick",
        "custom:age",
        "custom:member",
        "custom:code",
        "dev:custom:secret",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let age = described
        .schema_attributes()
        .iter()
        .find(|a| a.name() == Some("custom:age"))
        .unwrap();
    let constraints = age.number_attribute_constraints().unwrap();
    assert_eq!(
        (constraints.min_value(), constraints.max_value()),
        (Some("18"), Some("120"))
    );

    let email = ("email", "jo@example.com");
    let refused = [
        (
            vec![email, ("custom:age", "17")],
            "custom:age: Number must be no less than 18",
        ),
        (
            vec![email, ("custom:age", "old")],
            "custom:age: old is not a number",
        ),
        (
            vec![email, ("custom:nick", "toolong")],
            "custom:nick: String must be no longer than 5 characters",
        ),
        (
            vec![email, ("custom:nick", "j")],
            "custom:nick: String must be no shorter than 2 characters",
        ),
        (
            vec![email, ("custom:member", "yes")],
            "custom:member: The value must be true or false.",
        ),
        (
            vec![email, ("custom:shoe", "42")],
            "Type for attribute {custom:shoe} could not be determined",
        ),
        (
            vec![email, ("dev:custom:secret", "x")],
            "dev:custom:secret: Attribute cannot be updated.",
        ),
        (
            vec![("custom:age", "30")],
            "email: The attribute is required",
        ),
    ];
    for (attributes, message) in refused {
        let (code, got) = sign_up(&harness, &pool, "jo", &attributes)
            .await
            .unwrap_err();
        assert_eq!(code, "InvalidParameterException", "{attributes:?}");
        assert!(
            got.ends_with(message),
            "{got:?} should end with {message:?}"
        );
        assert!(
            got.starts_with("Attributes did not conform to the schema"),
            "{got}"
        );
    }
    // An immutable attribute takes a value at creation.
    let attributes = [
        email,
        ("custom:age", "30"),
        ("custom:nick", "jojo"),
        ("custom:member", "true"),
        ("custom:code", "A1"),
    ];
    sign_up(&harness, &pool, "jo", &attributes).await.unwrap();
    confirm(&harness, &pool, "jo").await;

    // ... and never after; a developer-only one is the administrator's alone.
    let admin_update = |name: &'static str, value: &'static str| {
        harness
            .client
            .admin_update_user_attributes()
            .user_pool_id(&pool.id)
            .username("jo")
            .user_attributes(attribute(name, value))
            .send()
    };
    let (code, message) = outcome(admin_update("custom:code", "B2").await).unwrap_err();
    assert_eq!(code, "InvalidParameterException");
    assert!(
        message.ends_with("custom:code: Attribute cannot be updated."),
        "{message}"
    );
    let (code, _) = outcome(admin_update("custom:age", "121").await).unwrap_err();
    assert_eq!(code, "InvalidParameterException");
    admin_update("dev:custom:secret", "s3cr3t").await.unwrap();
    let token = harness.access_token(&pool, "jo", PASSWORD).await;
    let user_update = harness
        .client
        .update_user_attributes()
        .access_token(&token)
        .user_attributes(attribute("dev:custom:secret", "mine"))
        .send()
        .await;
    assert_eq!(
        outcome(user_update).unwrap_err().0,
        "InvalidParameterException"
    );

    // The administrator reads everything; the user never reads a developer-only attribute.
    let admin_view = harness
        .client
        .admin_get_user()
        .user_pool_id(&pool.id)
        .username("jo")
        .send()
        .await
        .unwrap();
    let value = |list: &[aws_sdk_cognitoidentityprovider::types::AttributeType], name: &str| {
        list.iter()
            .find(|a| a.name() == name)
            .and_then(|a| a.value().map(str::to_owned))
    };
    assert_eq!(
        value(admin_view.user_attributes(), "dev:custom:secret").as_deref(),
        Some("s3cr3t")
    );
    let own_view = harness
        .client
        .get_user()
        .access_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(value(own_view.user_attributes(), "dev:custom:secret"), None);
    assert_eq!(
        value(own_view.user_attributes(), "custom:age").as_deref(),
        Some("30")
    );

    // The ID token carries custom attributes as strings, whatever their type.
    let tokens = harness
        .password_sign_in(&pool, "jo", PASSWORD)
        .await
        .unwrap();
    let id_token = tokens.authentication_result.unwrap().id_token.unwrap();
    let claims = verified_claims(&harness, &pool.id, &id_token).await;
    assert_eq!(claims["custom:age"], "30");
    assert_eq!(claims["custom:member"], "true");
    assert!(!claims.contains_key("dev:custom:secret"));
}

#[tokio::test]
async fn an_administrator_creating_a_user_meets_the_same_schema() {
    let harness = Harness::start().await;
    let pool = custom_pool(&harness).await;
    let create = |attributes: Vec<(&'static str, &'static str)>| {
        let mut request = harness
            .client
            .admin_create_user()
            .user_pool_id(&pool.id)
            .username("ann");
        for (name, value) in attributes {
            request = request.user_attributes(attribute(name, value));
        }
        request.send()
    };
    let (code, message) = outcome(create(vec![("custom:age", "30")]).await).unwrap_err();
    assert_eq!(code, "InvalidParameterException");
    assert!(
        message.ends_with("email: The attribute is required"),
        "{message}"
    );
    let (code, _) =
        outcome(create(vec![("email", "ann@example.com"), ("custom:age", "9")]).await).unwrap_err();
    assert_eq!(code, "InvalidParameterException");
    let created = create(vec![
        ("email", "ann@example.com"),
        ("dev:custom:secret", "x"),
    ])
    .await;
    let attributes = created.unwrap().user.unwrap().attributes.unwrap();
    assert!(attributes.iter().any(|a| a.name() == "dev:custom:secret"));
}

#[tokio::test]
async fn add_custom_attributes_adds_unique_names_up_to_fifty_and_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start_in(dir.path()).await;
    let pool = custom_pool(&harness).await;
    let add = |attributes: Vec<SchemaAttributeType>, pool_id: String| {
        harness
            .client
            .add_custom_attributes()
            .user_pool_id(pool_id)
            .set_custom_attributes(Some(attributes))
            .send()
    };
    add(
        vec![custom("plan", AttributeDataType::String)],
        pool.id.clone(),
    )
    .await
    .unwrap();
    let (code, message) = outcome(
        add(
            vec![custom("plan", AttributeDataType::Number)],
            pool.id.clone(),
        )
        .await,
    )
    .unwrap_err();
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("custom:plan"), "{message}");
    // A developer-only attribute shares the names of the others.
    let developer = SchemaAttributeType::builder()
        .name("age")
        .attribute_data_type(AttributeDataType::Number)
        .developer_only_attribute(true)
        .build();
    assert_eq!(
        outcome(add(vec![developer], pool.id.clone()).await)
            .unwrap_err()
            .0,
        "InvalidParameterException"
    );
    let required = SchemaAttributeType::builder()
        .name("must")
        .required(true)
        .build();
    assert_eq!(
        outcome(add(vec![required], pool.id.clone()).await)
            .unwrap_err()
            .0,
        "InvalidParameterException"
    );
    let number_with_lengths = SchemaAttributeType::builder()
        .name("count")
        .attribute_data_type(AttributeDataType::Number)
        .string_attribute_constraints(
            StringAttributeConstraintsType::builder()
                .max_length("3")
                .build(),
        )
        .build();
    assert_eq!(
        outcome(add(vec![number_with_lengths], pool.id.clone()).await)
            .unwrap_err()
            .0,
        "InvalidParameterException"
    );
    let (code, _) = outcome(
        add(
            vec![custom("x", AttributeDataType::String)],
            "us-east-1_Nope12345".to_owned(),
        )
        .await,
    )
    .unwrap_err();
    assert_eq!(code, "ResourceNotFoundException");

    // The pool has 6 custom attributes: 44 more make 50, and one more is refused.
    for chunk in (0..44).collect::<Vec<_>>().chunks(22) {
        let batch = chunk
            .iter()
            .map(|n| custom(&format!("n{n}"), AttributeDataType::Number))
            .collect();
        add(batch, pool.id.clone()).await.unwrap();
    }
    let (code, _) = outcome(
        add(
            vec![custom("fifty_one", AttributeDataType::String)],
            pool.id.clone(),
        )
        .await,
    )
    .unwrap_err();
    assert_eq!(code, "InvalidParameterException");

    let harness = harness.restart().await;
    let header = harness
        .client
        .get_csv_header()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap();
    let columns = header.csv_header();
    assert!(columns.contains(&"custom:plan".to_owned()));
    assert!(columns.contains(&"custom:n43".to_owned()));
    sign_up(
        &harness,
        &pool,
        "kim",
        &[("email", "kim@example.com"), ("custom:plan", "pro")],
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn the_csv_header_lists_standard_then_custom_columns_then_the_imports_own() {
    let harness = Harness::start().await;
    let pool = custom_pool(&harness).await;
    let answer = harness
        .client
        .get_csv_header()
        .user_pool_id(&pool.id)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.user_pool_id(), Some(pool.id.as_str()));
    let columns = answer.csv_header();
    assert_eq!(columns[..3], ["name", "given_name", "family_name"]);
    assert_eq!(columns[18], "updated_at");
    assert_eq!(
        columns[19..],
        [
            "custom:nick",
            "custom:age",
            "custom:member",
            "custom:code",
            "dev:custom:secret",
            "cognito:mfa_enabled",
            "cognito:username"
        ]
    );
    let missing = harness
        .client
        .get_csv_header()
        .user_pool_id("us-east-1_Nope12345")
        .send()
        .await;
    assert_eq!(outcome(missing).unwrap_err().0, "ResourceNotFoundException");
}

#[tokio::test]
async fn a_client_reads_and_writes_only_its_attributes() {
    let harness = Harness::start().await;
    let pool = custom_pool(&harness).await;
    let limited = harness
        .client
        .create_user_pool_client()
        .user_pool_id(&pool.id)
        .client_name("limited")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .read_attributes("email")
        .read_attributes("custom:nick")
        .write_attributes("email")
        .write_attributes("custom:nick")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    let limited = Pool {
        id: pool.id.clone(),
        client_id: limited.client_id.unwrap(),
    };
    for (read, write) in [
        ("custom:shoe", "email"),
        ("email", "custom:code"),
        ("email", "dev:custom:secret"),
    ] {
        let refused = harness
            .client
            .create_user_pool_client()
            .user_pool_id(&pool.id)
            .client_name("refused")
            .read_attributes(read)
            .write_attributes(write)
            .send()
            .await;
        assert_eq!(
            outcome(refused).unwrap_err().0,
            "InvalidParameterException",
            "{read} {write}"
        );
    }
    let unauthorized = "A client attempted to write unauthorized attribute";
    let (code, message) = sign_up(
        &harness,
        &limited,
        "lee",
        &[("email", "lee@example.com"), ("custom:age", "40")],
    )
    .await
    .unwrap_err();
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", unauthorized)
    );
    sign_up(
        &harness,
        &limited,
        "lee",
        &[("email", "lee@example.com"), ("custom:nick", "lee")],
    )
    .await
    .unwrap();
    confirm(&harness, &pool, "lee").await;
    harness
        .client
        .admin_update_user_attributes()
        .user_pool_id(&pool.id)
        .username("lee")
        .user_attributes(attribute("custom:age", "40"))
        .send()
        .await
        .unwrap();

    let token = harness.access_token(&limited, "lee", PASSWORD).await;
    let seen = harness
        .client
        .get_user()
        .access_token(&token)
        .send()
        .await
        .unwrap();
    let mut names: Vec<&str> = seen.user_attributes().iter().map(|a| a.name()).collect();
    names.sort_unstable();
    assert_eq!(names, ["custom:nick", "email", "sub"]);
    let tokens = harness
        .password_sign_in(&limited, "lee", PASSWORD)
        .await
        .unwrap();
    let claims = verified_claims(
        &harness,
        &pool.id,
        &tokens.authentication_result.unwrap().id_token.unwrap(),
    )
    .await;
    assert_eq!(claims["custom:nick"], "lee");
    assert!(!claims.contains_key("custom:age") && !claims.contains_key("email_verified"));

    let update = harness
        .client
        .update_user_attributes()
        .access_token(&token)
        .user_attributes(attribute("custom:age", "41"))
        .send()
        .await;
    assert_eq!(
        outcome(update).unwrap_err(),
        ("NotAuthorizedException".to_owned(), unauthorized.to_owned())
    );
    let delete = harness
        .client
        .delete_user_attributes()
        .access_token(&token)
        .user_attribute_names("custom:age")
        .send()
        .await;
    assert_eq!(outcome(delete).unwrap_err().0, "NotAuthorizedException");
    harness
        .client
        .update_user_attributes()
        .access_token(&token)
        .user_attributes(attribute("custom:nick", "lea"))
        .send()
        .await
        .unwrap();

    // The pool's own client, without lists, reads and writes every attribute.
    let full = harness.access_token(&pool, "lee", PASSWORD).await;
    let seen = harness
        .client
        .get_user()
        .access_token(&full)
        .send()
        .await
        .unwrap();
    assert!(
        seen.user_attributes()
            .iter()
            .any(|a| a.name() == "custom:age")
    );
}
